from django.apps import AppConfig


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"

    def ready(self):
        from auditlog.registry import auditlog

        from reporting.models import FollowUp, OutcomeEvent, Participation, ParticipationAmendment

        # participants: change history and ACCESS entries of the participation records (PESEL masked)
        auditlog.register(Participation, mask_fields=["pesel"])
        auditlog.register(OutcomeEvent)
        auditlog.register(ParticipationAmendment)
        auditlog.register(FollowUp)
        from reporting import receivers

        receivers.connect()
        # Celery autodiscovery finds reporting/tasks.py only; the report tasks live beside it.
        from reporting import tasks_reports  # noqa: F401
