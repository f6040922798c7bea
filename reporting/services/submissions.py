"""Submitted periods (EFS_RULES.md §7): the snapshot a report run stores with its PDF, marking a
report as submitted with a payment claim, and what that freezes.

The render stores, beside the PDF and from the same computation, every cell of the rule set's table
(label and value), the participations behind each cell and the data gaps (`report_snapshot`). Marking
the run as submitted (`report_submit`) freezes both: a submitted run is never rendered again (only
queued runs are claimed), so the numbers, the gaps and the PDF are what went to the funder. The
participations it counted are recorded; an amendment of their entry data names the claims
(reporting.services.participation.participation_amend) and the project page reconciles each submitted
report with today's data (reporting.selectors.submissions.reconcile).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from reporting.access import can_manage_project
from reporting.models import Participation, ReportRun, ReportStatus, ReportSubmission
from reporting.rulesets import RuleSetEngine
from reporting.selectors.indicator_cache import indicator_data_changed
from reporting.services.validation import text_error

logger = logging.getLogger(__name__)

CLAIM_NUMBER_LENGTH = 80


def report_snapshot(*, engine: RuleSetEngine, project, table) -> dict:
    """The JSON stored with a rendered report: what the PDF shows, cell by cell, and who is behind it."""
    cells = engine.cells(table)
    members = engine.members(project, list(cells), date_from=table.date_from, date_to=table.date_to,
                             as_of=table.as_of)  # fmt: skip
    return {
        "rule_set": str(engine.key),
        "from": table.date_from.isoformat(),
        "to": table.date_to.isoformat(),
        "as_of": table.as_of.isoformat(),
        "cells": {key: [cell.label, cell.value] for key, cell in cells.items()},
        "members": {key: sorted(ids) for key, ids in members.items() if ids},
        "data_gaps": [{"id": gap.id, "missing": gap.missing} for gap in table.data_gaps],
    }


def counted_ids(snapshot: dict) -> set[int]:
    """Every participation counted in some cell of a snapshot."""
    return {pk for ids in snapshot.get("members", {}).values() for pk in ids}


def _claim_errors(*, claim_number: str, claim_date, run: ReportRun, today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not claim_number:
        errors["claim_number"] = _("Podaj numer wniosku o płatność.")
    elif message := text_error(claim_number, CLAIM_NUMBER_LENGTH):
        errors["claim_number"] = message
    if claim_date is None:
        errors["claim_date"] = _("Podaj datę złożenia wniosku.")
    elif claim_date > today:
        errors["claim_date"] = _("Data złożenia wniosku nie może być w przyszłości.")
    elif claim_date < run.period_to:
        errors["claim_date"] = _("Wniosek za okres do %(to)s nie mógł zostać złożony wcześniej.") % {
            "to": run.period_to.strftime("%d.%m.%Y")
        }
    return errors


@transaction.atomic
def report_submit(
    *, run: ReportRun, claim_number: str, claim_date, by, today: dt.date | None = None
) -> ReportSubmission:
    """Mark a rendered report as submitted with the payment claim `claim_number` of `claim_date`
    (the project manager). Its PDF and snapshot are frozen from now on."""
    if not can_manage_project(by, run.project):
        raise DomainError(_("Raport jako złożony oznacza kierownik projektu."))
    run = ReportRun.objects.select_for_update().select_related("project").get(pk=run.pk)
    if run.status != ReportStatus.DONE or not run.file:
        raise DomainError(_("Jako złożony można oznaczyć tylko gotowy raport (z plikiem PDF)."), conflict=True)
    if not run.snapshot:
        raise DomainError(_("Ten raport wygenerowano, zanim zapisywano jego liczby – wygeneruj go ponownie."))
    if ReportSubmission.objects.filter(run=run).exists():
        raise DomainError(_("Ten raport jest już oznaczony jako złożony."), conflict=True)
    claim_number = (claim_number or "").strip()
    today = today or timezone.localdate()
    if errors := _claim_errors(claim_number=claim_number, claim_date=claim_date, run=run, today=today):
        raise ValidationError(errors)
    if ReportSubmission.objects.filter(project=run.project, claim_number=claim_number).exists():
        raise ValidationError({"claim_number": _("Wniosek o tym numerze jest już zapisany w projekcie.")})
    try:
        with transaction.atomic():
            submission = ReportSubmission.objects.create(run=run, project=run.project, claim_number=claim_number,
                                                         claim_date=claim_date, submitted_by=by)  # fmt: skip
    except IntegrityError:
        raise DomainError(_("Ten raport lub wniosek właśnie oznaczono jako złożony."), conflict=True) from None
    ids = Participation.objects.filter(project=run.project, pk__in=counted_ids(run.snapshot)).values_list(
        "pk", flat=True
    )
    submission.counted.add(*ids)
    indicator_data_changed(run.project_id)  # the project page's reconciliation lists the new submission
    logger.info("report run %s submitted with a claim by user %s (%s participations)", run.pk, by.pk, len(ids))
    return submission
