from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    """The ground floor: no models and no domain (PDF, charts, working days, parameters,
    middleware, the one DomainError, form helpers, the pager, the job runner)."""

    name = "core"

    def ready(self):
        from core.crypto import check_keys

        # a missing or malformed encryption key stops runserver, migrate and the other commands
        checks.register(check_keys, "encryption")
