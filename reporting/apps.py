from django.apps import AppConfig


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"

    def ready(self):
        # Celery autodiscovery finds reporting/tasks.py only; the report tasks live beside it.
        from reporting import tasks_reports  # noqa: F401
