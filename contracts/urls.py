from django.urls import path

from contracts.views import referrals

app_name = "contracts"

urlpatterns: list = [
    # --- referrals (skierowania) ---
    path("skierowania/", referrals.referral_sent, name="referral_sent"),
    path("skierowania/skrzynka/", referrals.referral_inbox, name="referral_inbox"),
    path("skierowania/nowe/", referrals.referral_create, name="referral_create"),
    path("skierowania/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("skierowania/<int:pk>/wyslij/", referrals.referral_send, name="referral_send"),
    path("skierowania/<int:pk>/usun/", referrals.referral_delete, name="referral_delete"),
    path("skierowania/<int:pk>/przyjmij/", referrals.referral_accept, name="referral_accept"),
    path("skierowania/<int:pk>/odrzuc/", referrals.referral_reject, name="referral_reject"),
    path("skierowania/<int:pk>/rozpocznij/", referrals.referral_start, name="referral_start"),
    path("skierowania/<int:pk>/obecnosc/", referrals.referral_attendance, name="referral_attendance"),
    path("skierowania/<int:pk>/rezultat/", referrals.referral_outcome, name="referral_outcome"),
    path("skierowania/<int:pk>/przerwij/", referrals.referral_drop, name="referral_drop"),
]
