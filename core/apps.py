from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The ground floor: no models and no domain (PDF, charts, working days, parameters,
    middleware, the one DomainError, form helpers, the pager, the job runner)."""

    name = "core"
