"""Writes on family programmes: drafting with optimistic locking, submission as an immutable
version, the coordinator's decision (one per version, the lost race answered with a conflict),
referrals for catalogue actions on approval (once), implementation and completion. Status
changes go through core.workflow.apply_transition with PROGRAMME_TRANSITIONS (who may, from
which status, what it stamps; lock_version bumped)."""

import contextlib
import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from contracts.access import can_write_programmes_for, is_programme_coordinator
from contracts.models import (
    EDITABLE_STATUSES,
    FamilyProgramme,
    ProgrammeAction,
    ProgrammeEvent,
    ProgrammeEventKind,
    ProgrammeStatus,
    ProgrammeVersion,
    ReferralStatus,
    refresh_next_due,
)
from contracts.models.programmes import ALREADY_DECIDED, PROGRAMME_TRANSITIONS
from contracts.services import notify
from contracts.services._rows import mark_done, sync_children
from contracts.services.referrals import referral_create, referral_send
from core.errors import DomainError, full_clean_or_error
from core.locking import StaleEdit
from core.workflow import apply_transition

logger = logging.getLogger(__name__)


PROGRAMME_FIELDS = ["title", "prepared_by", "team", "diagnosis", "summary", "period_start", "period_end"]
GOAL_FIELDS = ["person", "text"]
ACTION_FIELDS = ["module", "service", "description", "person", "start_on", "end_on", "expected_result"]

CHANGED_MEANWHILE = gettext_lazy(
    "Ktoś inny zmienił ten program w międzyczasie. Twoje zmiany nie zostały zapisane – "
    "otwórz program ponownie i nanieś je na aktualną wersję."
)


def _check_rows(family, *, goals, actions, diagnosis) -> None:
    for row in [*goals, *actions]:
        person = row.get("person")
        if person is not None and person.family_id != family.pk:
            raise DomainError(_("Cele i działania mogą dotyczyć tylko członków tej rodziny."))
    if diagnosis is not None and diagnosis.family_id != family.pk:
        raise DomainError(_("Diagnoza potrzeb musi dotyczyć tej rodziny."))


def _set_children(programme, *, goals, actions) -> None:
    sync_children(programme, "goals", goals, GOAL_FIELDS)
    sync_children(programme, "actions", actions, ACTION_FIELDS)
    refresh_next_due([programme.pk])  # the queue's stored earliest open action (models.programmes)


def _event(programme, *, kind, by, comment="", version=None) -> ProgrammeEvent:
    return ProgrammeEvent.objects.create(programme=programme, kind=kind, by=by, comment=comment, version=version)


@transaction.atomic
def programme_create(*, family, fields: dict, goals=(), actions=(), by) -> FamilyProgramme:
    if not can_write_programmes_for(by, family):
        raise DomainError(_("Nie możesz przygotować programu dla tej rodziny."))
    goals, actions = list(goals), list(actions)
    _check_rows(family, goals=goals, actions=actions, diagnosis=fields.get("diagnosis"))
    values = {k: fields[k] for k in PROGRAMME_FIELDS if k in fields}
    # the family's project is copied for the coordinator's queue (families.services keeps it in step)
    programme = FamilyProgramme(family=family, project_id=family.project_id, created_by=by, **values)
    full_clean_or_error(programme, exclude=["family", "created_by"])
    programme.save()
    _set_children(programme, goals=goals, actions=actions)
    _event(programme, kind=ProgrammeEventKind.CREATED, by=by)
    logger.info("programme %s created by user %s", programme.pk, by.pk)
    return programme


@transaction.atomic
def programme_update(*, programme, lock_version: int, fields: dict, goals=(), actions=(), by) -> FamilyProgramme:
    """Save an edit made on `lock_version` of the programme. If anybody saved, submitted or
    decided in the meantime the version moved on and the edit is refused (optimistic locking)."""
    if not can_write_programmes_for(by, programme.family):
        raise DomainError(_("Nie możesz edytować tego programu."))
    goals, actions = list(goals), list(actions)
    _check_rows(programme.family, goals=goals, actions=actions, diagnosis=fields.get("diagnosis"))
    values = {k: fields[k] for k in PROGRAMME_FIELDS if k in fields}
    candidate = FamilyProgramme(family=programme.family, created_by=programme.created_by, **values)
    full_clean_or_error(candidate, exclude=["family", "created_by"])
    claimed = FamilyProgramme.objects.filter(
        pk=programme.pk, lock_version=lock_version, status__in=EDITABLE_STATUSES
    ).update(lock_version=F("lock_version") + 1, updated_at=timezone.now(), **values)
    if not claimed:
        current = FamilyProgramme.objects.get(pk=programme.pk)
        if current.status not in EDITABLE_STATUSES:
            raise DomainError(
                _("Programu w stanie „%(status)s” nie można edytować.") % {"status": current.get_status_display()},
                conflict=True,
            )
        raise StaleEdit(current)
    programme = FamilyProgramme.objects.get(pk=programme.pk)
    _set_children(programme, goals=goals, actions=actions)
    return programme


def programme_snapshot(programme) -> dict:
    """Goals and actions as readable text, keyed by their ids (to compare versions)."""
    goals = programme.goals.select_related("person")
    actions = programme.actions.select_related("person", "service", "service__provider")
    return {
        "title": programme.title,
        "summary": programme.summary,
        "period": f"{programme.period_start:%d.%m.%Y} – {programme.period_end:%d.%m.%Y}",
        "goals": [
            {"id": g.pk, "person": str(g.person) if g.person_id else _("cała rodzina"), "text": g.text} for g in goals
        ],
        "actions": [
            {
                "id": a.pk,
                "module": a.get_module_display(),
                "service": str(a.service) if a.service_id else "",
                "description": a.description,
                "person": str(a.person) if a.person_id else _("cała rodzina"),
                "dates": f"{a.start_on:%d.%m.%Y} – {a.end_on:%d.%m.%Y}",
                "expected_result": a.expected_result,
            }
            for a in actions
        ],
    }


@transaction.atomic
def programme_submit(*, programme, lock_version: int | None = None, by) -> ProgrammeVersion:
    """draft/returned → submitted: a new immutable version with the snapshot of goals and actions."""
    submitted = []

    def new_version(row) -> None:
        if lock_version is not None and lock_version != row.lock_version:
            raise DomainError(CHANGED_MEANWHILE, conflict=True)
        if not row.goals.exists() or not row.actions.exists():
            raise DomainError(_("Program musi mieć co najmniej jeden cel i jedno działanie."))
        number = (row.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
        snapshot = programme_snapshot(row)
        submitted.append(
            ProgrammeVersion.objects.create(programme=row, number=number, submitted_by=by, snapshot=snapshot)
        )

    apply_transition(
        programme,
        PROGRAMME_TRANSITIONS,
        "submit",
        by=by,
        prepare=new_version,
        event=lambda row, _prev: _event(row, kind=ProgrammeEventKind.SUBMITTED, by=by, version=submitted[0]),
    )
    return submitted[0]


def _decide(*, programme, version_number: int, by, kind, comment) -> FamilyProgramme:
    if not is_programme_coordinator(by, programme):
        raise DomainError(_("Program zatwierdza lub zwraca tylko koordynator projektu."))
    decided = []

    def latest_version(row) -> None:
        latest = row.versions.order_by("-number").first()
        if latest is None or latest.number != version_number:
            raise DomainError(ALREADY_DECIDED, conflict=True)
        if latest.submitted_by_id == by.pk:
            raise DomainError(_("Nie możesz rozstrzygać wersji, którą sam przekazałeś."))
        decided.append(latest)

    def record(row, _previous) -> None:
        try:
            with transaction.atomic():
                _event(row, kind=kind, by=by, comment=comment, version=decided[0])
        except IntegrityError:
            raise DomainError(ALREADY_DECIDED, conflict=True) from None

    action = "approve" if kind == ProgrammeEventKind.APPROVED else "return"
    return apply_transition(programme, PROGRAMME_TRANSITIONS, action, by=by, prepare=latest_version, event=record)


@transaction.atomic
def programme_return(*, programme, version_number: int, comment: str, by) -> FamilyProgramme:
    """submitted → returned, with the coordinator's comment (required)."""
    if not comment.strip():
        raise DomainError(_("Zwracając program, napisz, co trzeba poprawić."))
    programme = _decide(
        programme=programme, version_number=version_number, by=by, kind=ProgrammeEventKind.RETURNED, comment=comment
    )
    submitted = programme.versions.select_related("submitted_by").order_by("-number").first()
    notify.programme_returned(programme, recipient=submitted.submitted_by if submitted else None, by=by)
    return programme


@transaction.atomic
def programme_approve(*, programme, version_number: int, comment: str = "", by) -> FamilyProgramme:
    """submitted → approved; creates the referrals of its catalogue actions (idempotent by key)."""
    programme = _decide(
        programme=programme, version_number=version_number, by=by, kind=ProgrammeEventKind.APPROVED, comment=comment
    )
    programme_create_referrals(programme=programme)
    return programme


def programme_create_referrals(*, programme) -> list:
    """One referral per catalogue action, keyed by the action: calling this again (a retried
    task, a double click) returns the same referrals."""
    referrals = []
    actions = programme.actions.filter(service__isnull=False).select_related("service", "person")
    for action in actions:
        reason = _("Program rodzinny „%(title)s” zatwierdzony: %(result)s") % {
            "title": programme.title,
            "result": action.expected_result,
        }
        referral = referral_create(
            person=action.person,
            service=action.service,
            by=programme.created_by,
            reason=reason,
            wished_start=action.start_on,
            key=f"programme-action-{action.pk}",
        )
        if referral.status == ReferralStatus.DRAFT:
            # straight to the partner's inbox (or its waiting list when the service is full); a
            # refusal (e.g. a service archived meanwhile) leaves the draft for the social worker
            with contextlib.suppress(DomainError):
                referral = referral_send(referral=referral, by=programme.created_by)
        referrals.append(referral)
    return referrals


def programme_start(*, programme, by) -> FamilyProgramme:
    """approved → in implementation."""
    return apply_transition(
        programme,
        PROGRAMME_TRANSITIONS,
        "start",
        by=by,
        event=lambda row, _prev: _event(row, kind=ProgrammeEventKind.STARTED, by=by),
    )


def programme_complete(*, programme, comment: str, by) -> FamilyProgramme:
    """in implementation → completed, with a closing note."""

    def summarised(_row) -> None:
        if not comment.strip():
            raise DomainError(_("Podsumuj realizację programu."))

    return apply_transition(
        programme,
        PROGRAMME_TRANSITIONS,
        "complete",
        by=by,
        prepare=summarised,
        event=lambda row, _prev: _event(row, kind=ProgrammeEventKind.COMPLETED, by=by, comment=comment),
    )


@transaction.atomic
def programme_action_mark_done(*, action, done_on: dt.date, by) -> ProgrammeAction:
    action = ProgrammeAction.objects.select_for_update().select_related("programme__family").get(pk=action.pk)
    if not can_write_programmes_for(by, action.programme.family):
        raise DomainError(_("Nie możesz zmieniać tego programu."))
    if action.programme.status != ProgrammeStatus.IN_IMPLEMENTATION:
        raise DomainError(_("Wykonanie działań zapisuje się w programie w realizacji."), conflict=True)
    mark_done(action, done_on)
    refresh_next_due([action.programme_id])
    return action
