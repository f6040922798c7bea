from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import views
from support_network import mfa_views
from support_network.forms import LoginForm, ThrottledPasswordResetForm

handler500 = "config.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "konto/logowanie/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("konto/sesja/przedluz/", views.session_keep_alive, name="session_keep_alive"),
    path("konto/wyloguj/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/haslo/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("konto/haslo/zmienione/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("konto/weryfikacja/", mfa_views.verify, name="mfa_verify"),
    path("konto/weryfikacja/konfiguracja/", mfa_views.setup, name="mfa_setup"),
    path("konto/bezpieczenstwo/", mfa_views.manage, name="mfa_manage"),
    path("konto/bezpieczenstwo/nowe-kody/", mfa_views.new_codes, name="mfa_new_codes"),
    path("konto/bezpieczenstwo/klucze/<int:pk>/usun/", mfa_views.remove_passkey, name="mfa_remove_passkey"),
    path("konto/passkey/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path(
        "konto/reset/",
        auth_views.PasswordResetView.as_view(form_class=ThrottledPasswordResetForm),
        name="password_reset",
    ),
    path("konto/reset/wyslano/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "konto/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("konto/reset/gotowe/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("siec/", include("support_network.urls")),
    path("rodziny/", include("families.urls")),
    path("umowy/", include("contracts.urls")),
    path("raporty/", include("reporting.urls")),
    path("admin/", admin.site.urls),
]
