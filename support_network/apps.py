from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SupportNetworkConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "support_network"
    verbose_name = _("Sieć wsparcia")

    def ready(self):
        from support_network.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, sender=self)
