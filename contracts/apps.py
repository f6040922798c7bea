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
            SocialContract,
        )

        for model in (ContractAction, ContractAmendment, ContractGoal, FamilyProgramme, ProgrammeAction, ProgrammeGoal):
            if not auditlog.contains(model):
                auditlog.register(model)
        if not auditlog.contains(SocialContract):
            auditlog.register(SocialContract, m2m_fields={"covered_members"})
