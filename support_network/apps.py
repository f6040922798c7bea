from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportNetworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "support_network"
    verbose_name = _("Sieć wsparcia")
