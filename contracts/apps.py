from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "contracts"
    verbose_name = _("Kontrakty, programy i skierowania")

    def ready(self):
        from auditlog.registry import auditlog

        from contracts.models import (
            ContractAction,
            ContractAmendment,
            ContractGoal,
            FamilyProgramme,
            ProgrammeAction,
            ProgrammeGoal,
            Referral,
            ReferralOutcome,
            SocialContract,
        )

        # Change history and ACCESS entries (django-auditlog), each model with its options.
        for model, options in (
            (SocialContract, {"m2m_fields": {"covered_members"}}),
            (ContractGoal, {}),
            (ContractAction, {}),
            (ContractAmendment, {}),
            (FamilyProgramme, {}),
            (ProgrammeGoal, {}),
            (ProgrammeAction, {}),
            (Referral, {}),
            (ReferralOutcome, {}),
        ):
            auditlog.register(model, **options)
