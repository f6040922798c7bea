"""Writes on participation records: enrolment (entry data confirmed and frozen), logged
amendments, exit data and outcome events (EFS_RULES.md §1).

Every function is atomic, locks the row it changes and raises ValidationError ({field: message})
for bad values or core.errors.DomainError for a refused step (conflict=True when a concurrent
request won the race). Only the project's managers write (reporting.access.can_manage_project).
"""

import datetime as dt
from typing import cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Field
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from contracts.models import ReferralEvent, ReferralStatus
from core.crypto import keyed_hashes
from core.errors import DomainError
from core.locking import claim_version
from reporting.access import can_manage_project
from reporting.codes import OutcomeKind
from reporting.models import OutcomeEvent, Participation, ParticipationAmendment
from reporting.selectors.indicator_cache import indicator_data_changed
from reporting.selectors.submissions import claims_counting
from reporting.services.followups import followup_schedule_for_employment, followups_schedule_for_exit
from reporting.services.validation import (
    EXIT_FIELDS,
    NULLABLE_FIELDS,
    RECORD_FIELDS,
    entry_errors,
    exit_errors,
    outcome_errors,
)
from support_network.models import Project
from support_network.territory import fill_address

AMENDMENT_VALUE_LENGTH = 200
CLAIMS_LENGTH = 300


def check_can_manage(by, project) -> None:
    """Participation records (and the participant import) are written by the project's managers."""
    if not can_manage_project(by, project):
        raise DomainError(_("Dane uczestników projektu zapisuje i poprawia tylko kierownik projektu."))


def _duplicate_message(existing: Participation) -> str:
    return _("Ta osoba jest już uczestnikiem tego projektu (uczestnictwo nr %(id)s). "
             "Jedna osoba może mieć w projekcie tylko jedno uczestnictwo.") % {"id": existing.pk}  # fmt: skip


def find_duplicate(*, project, person=None, pesel: str = "", exclude_pk=None) -> Participation | None:
    """The participation of the same person (record or PESEL) already in the project, if any."""
    qs = Participation.objects.filter(project=project)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    if person is not None and (found := qs.filter(person=person).first()):
        return found
    if pesel:
        return qs.filter(pesel_hash__in=keyed_hashes(pesel)).first()
    return None


def initial_from_person(person, *, project, today: dt.date | None = None) -> dict:
    """Pre-filled entry data for enrolling `person` (from the person and their family).

    Start date = the day support first started for the person (the first referral taken into
    realisation), else today; the user confirms or corrects it.
    """
    today = today or timezone.localdate()
    family = person.family
    first_support = (
        ReferralEvent.objects.filter(referral__person=person, status=ReferralStatus.IN_PROGRESS)
        .order_by("at").values_list("at", flat=True).first()
    )  # fmt: skip
    start = timezone.localtime(first_support).date() if first_support else today
    if not project.start_date <= start <= project.end_date:
        start = min(max(start, project.start_date), project.end_date, today)
    data = {
        "first_name": person.first_name, "last_name": person.last_name, "pesel": person.pesel,
        "no_pesel": person.no_pesel, "sex": person.sex, "birth_date": person.birth_date,
        "phone": person.phone, "email": person.email, "start_date": start,
        "education": person.education, "labour_status": person.labour_status,
        "labour_status_detail": person.labour_status_detail,
        "disability": person.disability, "minority": person.minority, "homeless": person.homeless,
        "other_disadvantage": person.other_disadvantage,
    }  # fmt: skip
    if family is not None:
        data.update({
            "gmina": family.gmina, "locality": family.locality, "street": family.street,
            "building": family.building, "flat": family.flat, "postal_code": family.postal_code,
            "gmina_teryt": family.gmina_teryt,
        })  # fmt: skip
        fill_address(data, family.gmina_teryt)  # Województwo, Powiat, Gmina, DEGURBA from the register
    return data


@transaction.atomic
def participation_enrol(*, project, data: dict, by, person=None, today: dt.date | None = None) -> Participation:
    """Create the participation with entry data confirmed by `by`: from now on they are frozen."""
    check_can_manage(by, project)
    project = Project.objects.select_for_update().get(pk=project.pk)  # serialises enrolments per project
    data = {field: data.get(field) for field in RECORD_FIELDS}
    data["no_pesel"] = bool(data["no_pesel"])
    for field in RECORD_FIELDS:
        if data[field] is None and field not in NULLABLE_FIELDS:
            data[field] = ""
    if errors := entry_errors(data, project=project, today=today):
        raise ValidationError(errors)
    if person is not None and person.family_id and person.family.project_id not in (None, project.pk):
        raise DomainError(_("Rodzina tej osoby nie uczestniczy w tym projekcie."))
    if existing := find_duplicate(project=project, person=person, pesel=data["pesel"]):
        raise DomainError(_duplicate_message(existing))
    participation = Participation(project=project, person=person, created_by=by, entry_confirmed_by=by,
                                  entry_confirmed_at=timezone.now(), **data)  # fmt: skip
    try:
        with transaction.atomic():
            participation.save()
    except IntegrityError:
        raise DomainError(_("Ta osoba została właśnie zapisana do projektu przez kogoś innego."),
                              conflict=True) from None  # fmt: skip
    return participation


def display_value(field: str, value) -> str:
    """A value as a person reads it in the amendment history (labels, d.m.Y, Tak/Nie)."""
    if value in (None, ""):
        return ""
    model_field = cast(Field, Participation._meta.get_field(field))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Tak") if value else _("Nie")
    if isinstance(value, dt.date):
        return formats.date_format(value, "d.m.Y")
    return str(value)


@transaction.atomic
def participation_amend(
    *, participation, changes: dict, reason: str, by, today=None, lock_version: int | None = None
) -> list[ParticipationAmendment]:
    """Correct frozen entry data: one ParticipationAmendment (field, old, new, reason, by, at) per
    changed field. Nothing changes without a reason."""
    check_can_manage(by, participation.project)
    participation = Participation.objects.select_for_update().select_related("project").get(pk=participation.pk)
    claim_version(participation, lock_version)
    if not participation.is_frozen:
        raise DomainError(_("Dane wejściowe nie zostały jeszcze potwierdzone."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Podaj powód korekty.")})
    current = {field: getattr(participation, field) for field in RECORD_FIELDS}
    merged = {**current, **{f: v for f, v in changes.items() if f in RECORD_FIELDS}}
    merged["no_pesel"] = bool(merged["no_pesel"])
    for field in RECORD_FIELDS:
        if merged[field] is None and field not in NULLABLE_FIELDS:
            merged[field] = ""
    if errors := entry_errors(merged, project=participation.project, today=today):
        raise ValidationError(errors)
    if participation.end_date and merged["start_date"] > participation.end_date:
        raise ValidationError({"start_date": _("Data rozpoczęcia jest późniejsza niż zapisana data zakończenia.")})
    changed = [field for field in RECORD_FIELDS if merged[field] != current[field]]
    if not changed:
        raise DomainError(_("Nie zmieniono żadnego pola – nie ma czego korygować."))
    if "pesel" in changed and (existing := find_duplicate(project=participation.project, pesel=merged["pesel"],
                                                          exclude_pk=participation.pk)):  # fmt: skip
        raise DomainError(_duplicate_message(existing))
    # EFS_RULES.md §7: the amendment names the submitted claims whose report counted the participation
    claims = ", ".join(claims_counting([participation.pk]).get(participation.pk, []))[:CLAIMS_LENGTH]
    amendments = [
        ParticipationAmendment(
            participation=participation, field=field, reason=reason, by=by, submitted_claims=claims,
            old_value=display_value(field, current[field])[:AMENDMENT_VALUE_LENGTH],
            new_value=display_value(field, merged[field])[:AMENDMENT_VALUE_LENGTH],
        )
        for field in changed
    ]  # fmt: skip
    for field in changed:
        setattr(participation, field, merged[field])
    try:
        with transaction.atomic():
            participation.save(update_fields=[*changed, "updated_at"])
    except IntegrityError:
        raise DomainError(_("Inne uczestnictwo w projekcie ma już ten PESEL."), conflict=True) from None
    return ParticipationAmendment.objects.bulk_create(amendments)


@transaction.atomic
def participation_record_exit(*, participation, end_date, completed_as_planned, early_exit_reason="", by,
                              today=None, lock_version: int | None = None) -> Participation:  # fmt: skip
    """Record (or correct) the exit data; schedules the 4-week and 3-month follow-ups."""
    check_can_manage(by, participation.project)
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    claim_version(participation, lock_version)
    if not participation.is_frozen:
        raise DomainError(_("Najpierw potwierdź dane wejściowe uczestnika."))
    values = {"end_date": end_date, "completed_as_planned": completed_as_planned,
              "early_exit_reason": early_exit_reason or ""}  # fmt: skip
    if errors := exit_errors(values, start_date=participation.start_date, today=today):
        raise ValidationError(errors)
    for field in EXIT_FIELDS:
        setattr(participation, field, values[field])
    participation.save(update_fields=[*EXIT_FIELDS, "updated_at"])
    followups_schedule_for_exit(participation=participation)
    return participation


@transaction.atomic
def outcome_record(*, participation, values: dict, by, today=None) -> list[OutcomeEvent]:
    """Record a dated outcome with its evidence note. Social progress gives one row per category
    a–h; an employment schedules the talk with the employer one month after the job starts."""
    check_can_manage(by, participation.project)
    participation = Participation.objects.select_for_update().get(pk=participation.pk)
    if not participation.is_frozen:
        raise DomainError(_("Najpierw potwierdź dane wejściowe uczestnika."))
    values = dict(values)
    if errors := outcome_errors(values, start_date=participation.start_date, end_date=participation.end_date,
                                today=today):  # fmt: skip
        raise ValidationError(errors)
    events = build_outcome_events(participation=participation, values=values, by=by)
    created = OutcomeEvent.objects.bulk_create(events)
    indicator_data_changed(participation.project_id)  # bulk_create sends no signals
    for event in created:
        if event.kind == OutcomeKind.EMPLOYMENT:
            followup_schedule_for_employment(outcome=event)
    return created


def build_outcome_events(*, participation, values: dict, by) -> list[OutcomeEvent]:
    """Unsaved OutcomeEvent rows from checked values (shared with the import)."""
    common = {
        "participation": participation, "kind": values["kind"], "occurred_on": values["occurred_on"],
        "evidence": values.get("evidence", ""), "employment_form": values.get("employment_form") or "",
        "fte": values.get("fte"), "planned_months": values.get("planned_months"),
        "employer": values.get("employer", ""), "job_seeking_kind": values.get("job_seeking_kind") or "",
        "qualification_name": values.get("qualification_name", ""), "created_by": by,
        "grant_amount": values.get("grant_amount"), "pkd": values.get("pkd") or "",
    }  # fmt: skip
    if values["kind"] == OutcomeKind.SOCIAL_PROGRESS:
        return [OutcomeEvent(**common, progress_category=c) for c in values["progress_categories"]]
    return [OutcomeEvent(**common)]


@transaction.atomic
def outcome_delete(*, outcome, by) -> None:
    """Remove an outcome entered by mistake (the audit log keeps the deleted row)."""
    check_can_manage(by, outcome.participation.project)
    locked = OutcomeEvent.objects.select_for_update().filter(pk=outcome.pk).first()
    if locked is None:
        raise DomainError(_("Ten rezultat został już usunięty."), conflict=True)
    locked.delete()
    # a deleted outcome is a change of the participation (the SL2014 "changed since the last claim")
    Participation.objects.filter(pk=locked.participation_id).update(updated_at=timezone.now())
