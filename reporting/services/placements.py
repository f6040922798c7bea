"""Placements (public works, socially useful work, internships, subsidised jobs) and the two talks
one month after a job starts.

- `placement_add`: the project's manager records a placement: a Support of the participation (its
  form is the placement's kind, so the SL2014 export shows it) with the Placement's employer, dates
  and hours per month;
- `placement_end`: the actual end (a versioned edit); when the employer keeps the person, an
  employment outcome starts the next day and schedules the one-month follow-up;
- `conversation_record`: the talk with the employer or with the employee; the follow-up is done
  when both are recorded (by the family's social worker, the partner who placed the person, or the
  manager).
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.locking import claim_version
from reporting.access import can_record_conversation
from reporting.codes import EmploymentForm, OutcomeKind
from reporting.models import (
    ConversationParty,
    ConversationResult,
    FollowUp,
    FollowUpConversation,
    OutcomeEvent,
    Participation,
    Placement,
    PlacementKind,
    Support,
    SupportSource,
)
from reporting.selectors.indicator_cache import indicator_data_changed
from reporting.services.followups import followup_schedule_for_employment
from reporting.services.participation import check_can_manage
from reporting.services.validation import text_error

TEXT_LENGTH = 200
NOTE_LENGTH = 2000
MAX_HOURS_PER_MONTH = 744  # 31 days × 24 h: anything above is a typing error


def _text(values: dict, field: str, errors: dict, *, required: str | None = None, length=TEXT_LENGTH) -> None:
    values[field] = (values.get(field) or "").strip()
    if message := text_error(values[field].replace("\n", " ").replace("\r", " "), length):
        errors[field] = message
    elif required and not values[field]:
        errors[field] = required


def _placement_errors(participation, values: dict, today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values.get("kind") not in PlacementKind.values:
        errors["kind"] = _("Wybierz rodzaj.")
    _text(values, "employer", errors, required=_("Podaj pracodawcę lub organizatora."))
    hours = values.get("hours_per_month")
    if hours is None or not 1 <= hours <= MAX_HOURS_PER_MONTH:
        errors["hours_per_month"] = _("Podaj liczbę godzin w miesiącu (1–%(max)d).") % {"max": MAX_HOURS_PER_MONTH}
    start, end = values.get("planned_start"), values.get("planned_end")
    if not start:
        errors["planned_start"] = _("Podaj planowany początek.")
    elif start < participation.start_date or start > min(today, participation.end_date or today):
        errors["planned_start"] = _("Początek musi przypadać w okresie udziału w projekcie, nie w przyszłości.")
    if not end:
        errors["planned_end"] = _("Podaj planowany koniec.")
    elif start and end < start:
        errors["planned_end"] = _("Koniec nie może być wcześniejszy niż początek.")
    elif participation.project.end_date and end > participation.project.end_date:
        errors["planned_end"] = _("Koniec nie może wypaść po zakończeniu projektu.")
    return errors


@transaction.atomic
def placement_add(*, participation, values: dict, by, today: dt.date | None = None) -> Placement:
    """A placement and its support (form = the placement's kind, started on the planned start)."""
    check_can_manage(by, participation.project)
    participation = Participation.objects.select_for_update().select_related("project").get(pk=participation.pk)
    values = dict(values)
    if errors := _placement_errors(participation, values, today or timezone.localdate()):
        raise ValidationError(errors)
    kind = PlacementKind(values["kind"])
    support = Support.objects.create(
        participation=participation, form=str(kind.label), form_detail=values["employer"],
        start_date=values["planned_start"], source=SupportSource.MANUAL, created_by=by,
    )  # fmt: skip
    return Placement.objects.create(
        support=support, kind=kind, employer=values["employer"], planned_start=values["planned_start"],
        planned_end=values["planned_end"], actual_start=values["planned_start"],
        hours_per_month=values["hours_per_month"], created_by=by,
    )  # fmt: skip


def _end_errors(placement, actual_end, today: dt.date) -> dict[str, str]:
    participation = placement.support.participation
    if not actual_end:
        return {"actual_end": _("Podaj faktyczną datę zakończenia.")}
    if actual_end < placement.actual_start:
        return {"actual_end": _("Koniec nie może być wcześniejszy niż początek (%(d)s).")
                % {"d": placement.actual_start.strftime("%d.%m.%Y")}}  # fmt: skip
    if actual_end > today:
        return {"actual_end": _("Data zakończenia nie może być w przyszłości.")}
    if participation.end_date and actual_end > participation.end_date:
        return {"actual_end": _("Koniec nie może wypaść po zakończeniu udziału w projekcie.")}
    return {}


@transaction.atomic
def placement_end(*, placement, actual_end: dt.date | None, kept_on: bool, lock_version: int | None, by,
                  today: dt.date | None = None) -> Placement:  # fmt: skip
    """Record the actual end; the support ends that day. When the employer keeps the person, an
    employment (umowa o pracę, from the next day) is recorded and its one-month follow-up scheduled."""
    participation = placement.support.participation
    check_can_manage(by, participation.project)
    Participation.objects.select_for_update().get(pk=participation.pk)
    placement = Placement.objects.select_related("support__participation__project").get(pk=placement.pk)
    if placement.actual_end is not None:
        raise DomainError(_("Zakończenie zostało już zapisane."), conflict=True)
    if errors := _end_errors(placement, actual_end, today or timezone.localdate()):
        raise ValidationError(errors)
    assert actual_end is not None  # checked above
    claim_version(placement, lock_version)
    placement.actual_end, placement.kept_on = actual_end, kept_on
    placement.save(update_fields=["actual_end", "kept_on"])
    Support.objects.filter(pk=placement.support_id).update(end_date=actual_end, updated_at=timezone.now())
    if kept_on:
        _employment_after(placement, by=by)
    indicator_data_changed(participation.project_id)
    return placement


def _employment_after(placement, *, by) -> OutcomeEvent:
    event = OutcomeEvent.objects.create(
        participation_id=placement.support.participation_id, kind=OutcomeKind.EMPLOYMENT,
        occurred_on=placement.actual_end + dt.timedelta(days=1), employment_form=EmploymentForm.CONTRACT,
        fte=Decimal("1"), employer=placement.employer, created_by=by,
        evidence=_("Zatrudnienie po zakończeniu: %(placement)s") % {"placement": placement},
    )  # fmt: skip
    followup_schedule_for_employment(outcome=event)
    return event


def _conversation_errors(followup, values: dict, today: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values.get("party") not in ConversationParty.values:
        errors["party"] = _("Wybierz, z kim była rozmowa.")
    if values.get("result") not in ConversationResult.values:
        errors["result"] = _("Wybierz wynik rozmowy.")
    _text(values, "spoke_with", errors, required=_("Podaj, kto rozmawiał."))
    _text(values, "note", errors, length=NOTE_LENGTH)
    held_on = values.get("held_on")
    started = followup.outcome.occurred_on if followup.outcome_id else followup.participation.start_date
    if not held_on:
        errors["held_on"] = _("Podaj datę rozmowy.")
    elif held_on > today:
        errors["held_on"] = _("Data rozmowy nie może być w przyszłości.")
    elif held_on < started:
        errors["held_on"] = _("Rozmowa nie może się odbyć przed podjęciem pracy (%(d)s).") % {
            "d": started.strftime("%d.%m.%Y")}  # fmt: skip
    return errors


def conversation_record(*, followup, values: dict, by, today: dt.date | None = None) -> FollowUpConversation:
    """One talk (employer or employee); the second one marks the follow-up done (its latest date)."""
    if not can_record_conversation(by, followup):
        raise DomainError(_("Rozmowy po miesiącu pracy zapisuje pracownik socjalny rodziny, partner, który "
                            "skierował do pracy, albo kierownik projektu."))  # fmt: skip
    values = dict(values)
    if errors := _conversation_errors(followup, values, today or timezone.localdate()):
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            FollowUp.objects.select_for_update().get(pk=followup.pk)
            conversation = FollowUpConversation.objects.create(
                followup=followup, party=values["party"], held_on=values["held_on"], spoke_with=values["spoke_with"],
                result=values["result"], note=values["note"], recorded_by=by,
            )  # fmt: skip
            _complete_when_both(followup, by=by)
    except IntegrityError:
        raise DomainError(_("Ta rozmowa została już zapisana."), conflict=True) from None
    return conversation


def _complete_when_both(followup, *, by) -> None:
    talks = list(FollowUpConversation.objects.filter(followup=followup))
    if {t.party for t in talks} != set(ConversationParty.values):
        return
    note = "\n".join(f"{t.get_party_display()}: {t.get_result_display()}" for t in talks)
    FollowUp.objects.filter(pk=followup.pk, done_on__isnull=True).update(
        done_on=max(t.held_on for t in talks), done_by=by, note=note
    )
