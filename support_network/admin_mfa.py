"""The administrator's side of the second factor: one action for the user list, "reset the second
factor" (support_network.mfa.reset, logged; the user admin in admin.py offers it). The devices
themselves are not in the admin: their pages would show an app's secret or the recovery codes to
the administrator."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnAttestation, WebAuthnCredential, WebAuthnUserHandle

from support_network import mfa

for model in (TOTPDevice, StaticDevice, WebAuthnCredential, WebAuthnAttestation, WebAuthnUserHandle):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.action(description=gettext_lazy("Usuń drugi składnik logowania (użytkownik włączy go ponownie)"))
def reset_second_factor(modeladmin, request, queryset):
    removed = sum(mfa.reset(user, by=request.user) for user in queryset)
    modeladmin.message_user(
        request,
        _("Usunięto drugi składnik logowania kont: %(users)d (urządzeń i kluczy: %(devices)d).")
        % {"users": queryset.count(), "devices": removed},
        messages.SUCCESS,
    )
