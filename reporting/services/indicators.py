"""Writes of the indicator settings: targets (IndicatorTarget) and measurement windows."""

import logging

from django.db import transaction

from core.errors import DomainError
from core.locking import claim_version
from reporting.access import can_manage_project
from reporting.models import IndicatorTarget, ProjectRules

logger = logging.getLogger(__name__)


@transaction.atomic
def indicator_settings_save(
    *, project, targets: dict, result_window_days: int, effectiveness_window_months: int, by, lock_version=None
):
    """Set the targets (None = no target; KES/KEZ then use the guideline defaults) and windows, as
    read at `lock_version` of the project's rules (core.locking; rules never saved are version 1)."""
    if not can_manage_project(by, project):
        raise DomainError("Wartości docelowe ustawia kierownik projektu.")
    rules, _ = ProjectRules.objects.select_for_update().get_or_create(project=project)
    claim_version(rules, lock_version)
    rules.result_window_days = result_window_days
    rules.effectiveness_window_months = effectiveness_window_months
    rules.save(update_fields=["result_window_days", "effectiveness_window_months"])
    for code, value in targets.items():
        if value is None:
            IndicatorTarget.objects.filter(project=project, code=code).delete()
        else:
            IndicatorTarget.objects.update_or_create(project=project, code=code, defaults={"value": value})
    logger.info("indicator settings of project %s changed by user %s", project.pk, by.pk)
