from django.apps import AppConfig


class ReportingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "reporting"

    def ready(self):
        from auditlog.registry import auditlog

        from core.crypto import encrypted_fields
        from reporting import receivers
        from reporting.models import (
            BudgetLine,
            Expense,
            FollowUp,
            OutcomeEvent,
            Participation,
            ParticipationAmendment,
            ProjectRules,
            ReportRun,
            ReportSubmission,
            Support,
        )

        # Change history and ACCESS entries (django-auditlog), each model with its options; the
        # encrypted fields and the disability answer are masked fully in the diffs; a report run's
        # delivery and liveness fields and its (large) snapshot are left out.
        for model, options in (
            (
                Participation,
                {
                    "mask_fields": [*encrypted_fields(Participation), "disability"],
                    "exclude_fields": ["pesel_hash", "search_name"],
                },
            ),
            (OutcomeEvent, {}),
            (
                ParticipationAmendment,
                {"mask_fields": encrypted_fields(ParticipationAmendment)},
            ),
            (FollowUp, {}),
            (Support, {}),
            (ProjectRules, {}),
            (BudgetLine, {"exclude_fields": ["category_key"]}),
            (Expense, {}),
            (ReportRun, {"exclude_fields": ["attempts", "enqueued_at", "claim_token", "heartbeat_at", "snapshot"]}),
            (ReportSubmission, {}),
        ):
            auditlog.register(model, **options)
        receivers.connect()
