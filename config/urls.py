from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config import views
from support_network.forms import LoginForm

handler500 = "config.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "konto/logowanie/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("konto/wyloguj/", auth_views.LogoutView.as_view(), name="logout"),
    path("konto/haslo/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("konto/haslo/zmienione/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("konto/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
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
