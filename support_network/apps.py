from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportNetworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "support_network"
    verbose_name = _("Sieć wsparcia")

    def ready(self):
        from django.db.models.signals import post_delete, post_save
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice
        from django_otp_webauthn.models import WebAuthnCredential

        from support_network import receivers
        from support_network.mfa import forget_device

        # a reset or a removed passkey ends the sessions it verified at their next request
        for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
            post_save.connect(forget_device, sender=model, dispatch_uid=f"forget_device_saved_{model.__name__}")
            post_delete.connect(forget_device, sender=model, dispatch_uid=f"forget_device_deleted_{model.__name__}")
        receivers.connect()
