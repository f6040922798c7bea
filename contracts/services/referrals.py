"""Writes on referrals. Every transition is atomic, locks the service row and then the referral
row (always in that order, so two transitions never deadlock) and goes through
core.workflow.apply_transition with REFERRAL_TRANSITIONS (contracts.models.referrals): who may,
from which status, what it stamps; it leaves a ReferralEvent (the history and the person's
timeline). The acting user `by` is checked by every write (contracts.access).

Capacity: a referral in PLACE_HOLDING_STATUSES holds a place of its service. Sending when no place
is free puts the referral on the service's waiting list (status "waiting", ordered by queued_at);
when a place frees up (rejected, completed, dropped), the first waiting referral is sent.
"""

import datetime as dt
import logging
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from contracts.access import can_answer, can_refer, can_refer_person, can_send
from contracts.models import (
    Referral,
    ReferralAttendance,
    ReferralEvent,
    ReferralEventKind,
    ReferralOutcome,
    ReferralStatus,
)
from contracts.models.referrals import PLACE_HOLDING_STATUSES, REFERRAL_TRANSITIONS, referral_cannot
from contracts.services import notify
from core.errors import DomainError
from core.locking import claim_version
from core.workdays import add_working_days
from core.workflow import apply_transition, check_transition
from support_network.models import Institution, Service

logger = logging.getLogger(__name__)
S = ReferralStatus
T = REFERRAL_TRANSITIONS


@transaction.atomic
def referral_create(*, person, service, by, reason, wished_start=None, key=None) -> Referral:
    """Create a draft referral. With `key`, a repeated call (double submit, a programme approved
    twice) returns the referral created the first time instead of a second one."""
    if not can_refer(by):
        raise DomainError(_("Skierowania wystawiają pracownicy socjalni i członkowie MGI."))
    if not can_refer_person(by, person):
        raise DomainError(_("Skierować możesz tylko osobę z rodzin, które prowadzisz."))
    if key is not None and (existing := Referral.objects.filter(idempotency_key=key).first()) is not None:
        return _replayed(existing, by)
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                person=person,
                service=service,
                institution_id=service.provider_id,
                created_by=by,
                reason=reason,
                wished_start=wished_start,
                idempotency_key=key,
            )
    except IntegrityError:
        if key is None:
            raise
        return _replayed(Referral.objects.get(idempotency_key=key), by)
    ReferralEvent.objects.create(referral=referral, status=S.DRAFT, by=by)
    referral.status_changed_at = timezone.now()
    return referral


# --- helpers ----------------------------------------------------------------------------------

KEY_NOT_YOURS = gettext_lazy("Nieprawidłowy formularz – odśwież stronę i spróbuj ponownie.")


def _replayed(existing, by, *, author_field="created_by_id"):
    """A repeated submit returns the record the first one made, but only to its author: a key
    copied from someone else's form is refused (the same words as a malformed key: no hint of
    whose it was)."""
    if getattr(existing, author_field) != by.pk:
        raise DomainError(KEY_NOT_YOURS)
    return existing


def _lock(referral) -> tuple[Service, Referral]:
    """Lock the service, then the referral (one order everywhere). Returns fresh rows."""
    service = Service.objects.select_for_update().get(pk=referral.service_id)
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    return service, locked


def _guard(referral: Referral, allowed: tuple[str, ...], action: str) -> None:
    """For writes that keep the status (attendance, outcome, discarding a draft)."""
    if referral.status not in allowed:
        # The referral is already past this step: someone (or a second click) was first.
        raise DomainError(referral_cannot(action)(referral), conflict=True)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise DomainError(message)


def _transition(referral, action: str, *, by, note: str = "", values=None, prepare=None) -> Referral:
    """Apply REFERRAL_TRANSITIONS[action] and write the status event (with the service locked)."""

    def record(row, _previous):
        ReferralEvent.objects.create(referral=row, status=row.status, by=by, note=note)

    return apply_transition(referral, T, action, by=by, values=values, prepare=prepare, event=record)


def _places_taken(service: Service) -> int:
    return Referral.objects.filter(service=service, status__in=PLACE_HOLDING_STATUSES).count()


def _has_free_place(service: Service) -> bool:
    return service.capacity is None or _places_taken(service) < service.capacity


def _answer_due(row: Referral) -> dict:
    days = Institution.objects.values_list("referral_answer_days", flat=True).get(pk=row.institution_id)
    return {"answer_due": add_working_days(timezone.localdate(), days), "overdue_at": None}


def _promote_waiting(service: Service) -> list[int]:
    """With the service row locked: send waiting referrals while places are free (FIFO)."""
    promoted = []
    while _has_free_place(service):
        first = (
            Referral.objects.select_for_update()
            .filter(service=service, status=S.WAITING)
            .order_by("queued_at", "pk")
            .first()
        )
        if first is None:
            break
        note = _("Zwolniło się miejsce: skierowanie z listy rezerwowej wysłane do realizatora.")
        _transition(first, "promote", by=None, note=note, prepare=_answer_due)
        promoted.append(first.pk)
    if promoted:
        logger.info("referrals promoted from the waiting list of service %s: %s", service.pk, promoted)
    return promoted


# --- transitions -----------------------------------------------------------------------------


def referral_send(*, referral, by) -> Referral:
    """draft -> sent (a place is free) or -> waiting (the service is full)."""
    with transaction.atomic():
        service, referral = _lock(referral)
        check_transition(referral, T["send"], by=by)
        if not service.is_available_on(timezone.localdate()):
            raise DomainError(_("Usługa jest nieaktywna albo poza okresem obowiązywania – wybierz inną."))
        _promote_waiting(service)  # capacity may have been raised since the last change
        if _has_free_place(service):
            return _transition(referral, "send", by=by, prepare=_answer_due)
        note = _("Brak wolnych miejsc: skierowanie wpisane na listę rezerwową.")
        return _transition(referral, "queue", by=by, note=note)


def referral_accept(*, referral, by, note: str = "") -> Referral:
    with transaction.atomic():
        _lock(referral)
        referral = _transition(referral, "accept", by=by, note=note)
        notify.referral_answered(referral, answer="accept", by=by)
        return referral


def referral_reject(*, referral, by, reason: str) -> Referral:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Podaj powód odrzucenia skierowania."))
    with transaction.atomic():
        service, _locked = _lock(referral)
        referral = _transition(referral, "reject", by=by, note=reason, values={"rejection_reason": reason})
        notify.referral_answered(referral, answer="reject", by=by)
        _promote_waiting(service)
    return referral


def referral_start(*, referral, by, started_on: dt.date | None = None) -> Referral:
    with transaction.atomic():
        _lock(referral)
        values = {"started_on": started_on} if started_on else None
        return _transition(referral, "start", by=by, values=values)


def referral_record_attendance(
    *, referral, by, held_on: dt.date, hours, sessions: int = 1, note: str = "", key: str | None = None
) -> ReferralAttendance:
    """Record sessions/hours. An accepted referral starts with its first attendance. With `key`,
    a repeated submit returns the first record."""
    with transaction.atomic():
        _service, referral = _lock(referral)
        _require(can_answer(by, referral), _("Obecności zapisuje instytucja, do której wysłano skierowanie."))
        if key is not None and (existing := ReferralAttendance.objects.filter(idempotency_key=key).first()):
            if existing.referral_id != referral.pk:
                raise DomainError(KEY_NOT_YOURS)
            return _replayed(existing, by, author_field="recorded_by_id")
        _guard(referral, (S.ACCEPTED, S.IN_PROGRESS), _("zapisać obecności"))
        if held_on > timezone.localdate():
            raise DomainError(_("Nie można zapisać obecności z datą w przyszłości."))
        if referral.status == S.ACCEPTED:
            referral = _transition(referral, "start", by=by, values={"started_on": held_on})
        attendance = ReferralAttendance.objects.create(
            referral=referral,
            held_on=held_on,
            hours=hours,
            sessions=sessions,
            note=note,
            recorded_by=by,
            idempotency_key=key,
        )
        ReferralEvent.objects.create(
            referral=referral,
            kind=ReferralEventKind.ATTENDANCE,
            status=referral.status,
            by=by,
            note=ngettext(
                "%(day)s: %(sessions)s zajęcia, %(hours)s godz.",
                "%(day)s: %(sessions)s zajęć, %(hours)s godz.",
                sessions,
            )
            % {"day": held_on.strftime("%d.%m.%Y"), "sessions": sessions, "hours": _hours(hours)},
        )
    return attendance


def _hours(value) -> str:
    """12.00 -> "12", 1.50 -> "1,5" (Polish decimal comma)."""
    text = format(Decimal(value).normalize(), "f")
    return text.replace(".", ",")


OUTCOME_FIELDS = (
    "completed",
    "qualification_obtained",
    "qualification_name",
    "qualification_on",
    "employed",
    "employer",
    "employment_form",
    "employment_start",
    "employment_fte",
    "employment_months",
    "job_seeking_kind",
    "job_seeking_on",
    "school_started_on",
    "progress_categories",
    "progress_on",
    "note",
)


def _outcome_summary(outcome: ReferralOutcome) -> str:
    parts = [_("ukończone zgodnie z planem") if outcome.completed else _("nieukończone")]
    if outcome.qualification_obtained:
        assert outcome.qualification_on is not None  # the qualification_has_date constraint
        parts.append(
            _("kwalifikacja: %(name)s (%(day)s)")
            % {"name": outcome.qualification_name or "—", "day": outcome.qualification_on.strftime("%d.%m.%Y")}
        )
    if outcome.employed:
        assert outcome.employment_start is not None  # the employment_has_employer_form_and_start constraint
        parts.append(
            _("zatrudnienie: %(employer)s, %(form)s, od %(day)s")
            % {
                "employer": outcome.employer,
                "form": outcome.get_employment_form_display(),
                "day": outcome.employment_start.strftime("%d.%m.%Y"),
            }
        )
    return "; ".join(parts)


def _save_outcome(referral: Referral, *, by, data: dict) -> ReferralOutcome:
    unknown = set(data) - set(OUTCOME_FIELDS)
    if unknown:
        raise TypeError(f"unknown outcome fields: {sorted(unknown)}")
    values = {field: data[field] for field in OUTCOME_FIELDS if field in data}
    if not values.get("qualification_obtained"):
        values.update(qualification_name="", qualification_on=None)
    if not values.get("employed"):
        values.update(employer="", employment_form="", employment_start=None, employment_fte=None,
                      employment_months=None)  # fmt: skip
    elif not (values.get("employer") and values.get("employment_form") and values.get("employment_start")):
        raise DomainError(_("Przy podjęciu zatrudnienia podaj pracodawcę, formę zatrudnienia i datę rozpoczęcia."))
    if not values.get("job_seeking_kind"):
        values.update(job_seeking_kind="", job_seeking_on=None)
    if not values.get("progress_categories"):
        values.update(progress_categories="", progress_on=None)
    if (values.get("job_seeking_kind") and not values.get("job_seeking_on")) or (
        values.get("progress_categories") and not values.get("progress_on")
    ):
        raise DomainError(_("Podaj datę potwierdzenia poszukiwania pracy i postępu społecznego."))
    if values.get("qualification_obtained") and not values.get("qualification_on"):
        raise DomainError(_("Podaj datę uzyskania kwalifikacji."))
    outcome, _created = ReferralOutcome.objects.update_or_create(
        referral=referral, defaults={**values, "recorded_by": by}
    )
    ReferralEvent.objects.create(
        referral=referral,
        kind=ReferralEventKind.OUTCOME,
        status=referral.status,
        by=by,
        note=_outcome_summary(outcome),
    )
    notify.referral_answered(referral, answer="outcome", by=by)
    return outcome


def referral_record_outcome(*, referral, by, lock_version: int | None = None, **data) -> ReferralOutcome:
    """Record (or correct) the outcome of a referral in progress or completed; a correction is
    made on the `lock_version` of the outcome it was read at (core.locking)."""
    with transaction.atomic():
        _service, referral = _lock(referral)
        _require(can_answer(by, referral), _("Rezultat zapisuje instytucja, do której wysłano skierowanie."))
        _guard(referral, (S.IN_PROGRESS, S.COMPLETED), _("zapisać rezultatu"))
        if (stored := ReferralOutcome.objects.filter(referral=referral).first()) is not None:
            claim_version(stored, lock_version)
        return _save_outcome(referral, by=by, data=data)


def referral_complete(*, referral, by, finished_on: dt.date | None = None, outcome: dict | None = None) -> Referral:
    """in progress -> completed, with the outcome recorded in the same transaction."""
    with transaction.atomic():
        service, _locked = _lock(referral)
        values = {"finished_on": finished_on} if finished_on else None
        referral = _transition(referral, "complete", by=by, values=values)
        if outcome is not None:
            _save_outcome(referral, by=by, data=outcome)
        _promote_waiting(service)
    return referral


def referral_drop(*, referral, by, reason: str) -> Referral:
    """waiting / accepted / in progress -> dropped (the person resigned or stopped attending)."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Podaj powód przerwania."))
    with transaction.atomic():
        service, _locked = _lock(referral)
        referral = _transition(referral, "drop", by=by, note=reason, values={"drop_reason": reason})
        _promote_waiting(service)
    return referral


def referral_delete_draft(*, referral, by) -> None:
    """A draft that was never sent may be discarded by its author."""
    with transaction.atomic():
        _service, referral = _lock(referral)
        _require(can_send(by, referral), _("Nie możesz usunąć tego projektu skierowania."))
        _guard(referral, (S.DRAFT,), _("usunąć projektu"))
        referral.delete()


# --- overdue ---------------------------------------------------------------------------------


def referrals_mark_overdue(*, today: dt.date | None = None) -> list[int]:
    """Flag sent referrals past their answer date (an OVERDUE event each). Returns the ids flagged
    by this call, whose senders the caller notifies once (contracts.tasks.referrals_mark_overdue).

    Idempotent: each row is claimed with a conditional UPDATE (overdue_at IS NULL), so a second run
    the same day (or a re-delivered task) flags nothing twice and returns no id twice."""
    today = today or timezone.localdate()
    candidates = list(
        Referral.objects.filter(status=S.SENT, answer_due__lt=today, overdue_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    flagged = []
    for pk in candidates:
        with transaction.atomic():
            claimed = Referral.objects.filter(
                pk=pk, status=S.SENT, answer_due__lt=today, overdue_at__isnull=True
            ).update(overdue_at=timezone.now())
            if not claimed:
                continue
            referral = Referral.objects.select_related("service", "institution", "created_by").get(pk=pk)
            assert referral.answer_due is not None  # claimed above with answer_due__lt=today
            notify.referral_overdue(referral)
            ReferralEvent.objects.create(
                referral=referral,
                kind=ReferralEventKind.OVERDUE,
                status=referral.status,
                by=None,
                note=_("Brak odpowiedzi realizatora w terminie (do %(day)s).")
                % {"day": referral.answer_due.strftime("%d.%m.%Y")},
            )
        flagged.append(pk)
    if flagged:
        logger.info("referrals flagged overdue: %s", flagged)
    return flagged
