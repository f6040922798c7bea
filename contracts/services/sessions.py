"""Writes on group sessions: groups, sessions, enrolments, attendance, ratings, the signed list.

Attendance is a set per session: saving it makes the session's present participants exactly the
ones ticked (idempotent). A present participant who came through a referral gets one
ReferralAttendance for the session (its date and hours, one session), kept in step on every save
and removed with the attendance, so the referral's "hours delivered" are the sum of the sessions
attended. The first attendance starts an accepted referral, as on the referral page.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.access import can_run_group, can_run_groups, referral_inbox_of
from contracts.models import (
    GroupEnrolment,
    GroupSession,
    Referral,
    ReferralAttendance,
    ReferralEvent,
    ReferralEventKind,
    ReferralStatus,
    SessionAttendance,
    SessionGroup,
)
from contracts.services.referrals import referral_start
from core.errors import DomainError
from families.models import Person
from support_network.access import membership_of

# a referral whose person may be enrolled and whose attendance is mirrored
ENROLLABLE_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)
MIRRORED_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED)


def _require_runner(by, group) -> None:
    if not can_run_group(by, group):
        raise DomainError(_("Zajęcia grupy prowadzi instytucja, która ją utworzyła."))


def group_create(*, by, service, name: str, project=None, required_attendance: int = 80) -> SessionGroup:
    """A new group of a service the user's institution provides."""
    membership = membership_of(by)
    if not can_run_groups(by) or membership is None or service.provider_id != membership.institution_id:
        raise DomainError(_("Grupę tworzy instytucja realizująca usługę."))
    if project is not None and not (
        project.leader_id == membership.institution_id or project.partners.filter(pk=membership.institution_id).exists()
    ):
        raise DomainError(_("Twoja instytucja nie bierze udziału w tym projekcie."))
    return SessionGroup.objects.create(
        service=service,
        institution_id=membership.institution_id,
        project=project,
        name=name,
        required_attendance=required_attendance,
        created_by=by,
    )


def session_create(
    *, group, by, held_on: dt.date, starts_at: dt.time, hours, place: str, topic: str, trainer=None, trainer_name=""
) -> GroupSession:
    _require_runner(by, group)
    if trainer is not None and trainer.institution_id != group.institution_id:
        raise DomainError(_("Prowadzący musi być pracownikiem instytucji realizującej."))
    return GroupSession.objects.create(
        group=group,
        held_on=held_on,
        starts_at=starts_at,
        hours=hours,
        place=place,
        topic=topic,
        trainer=trainer,
        trainer_name="" if trainer is not None else trainer_name,
    )


def enrollable_referrals(group):
    """Accepted or running referrals of the group's service, addressed to its institution, whose
    person is not enrolled yet."""
    return enrollable_referrals_of(group.pk, group.service_id, group.institution_id)


def enrollable_referrals_of(group_id, service_id, institution_id):
    """`enrollable_referrals` by the group's ids (a query compiled once takes them as values)."""
    return (
        Referral.objects.filter(service_id=service_id, institution_id=institution_id, status__in=ENROLLABLE_STATUSES)
        .exclude(person__group_enrolments__group_id=group_id)
        .select_related("person")
        .only("id", "status", "person__id", "person__first_name", "person__last_name")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def enrollable_persons(group, by):
    """Persons the partner can see through its referrals (any service), not enrolled yet."""
    return (
        Person.objects.filter(pk__in=referral_inbox_of(by).values("person_id"))
        .exclude(group_enrolments__group=group)
        .only("id", "first_name", "last_name")
        .order_by("last_name", "first_name", "pk")
    )


@transaction.atomic
def group_enrol(*, group, by, referrals=(), persons=()) -> list[GroupEnrolment]:
    """Enrol the persons of `referrals` (of the group's service) and `persons` (by hand: the
    person's referral to this service is linked when there is one). Already enrolled: skipped."""
    _require_runner(by, group)
    chosen = {r.pk for r in referrals}
    allowed = {r.pk: r for r in enrollable_referrals(group).filter(pk__in=chosen)}
    if chosen - set(allowed):
        raise DomainError(_("Wybrano skierowanie, którego nie można zapisać do tej grupy."))
    person_ids = {p.pk for p in persons}
    if person_ids - set(enrollable_persons(group, by).filter(pk__in=person_ids).values_list("pk", flat=True)):
        raise DomainError(_("Wybrano osobę, której nie można zapisać do tej grupy."))
    by_person = {r.person_id: r for r in allowed.values()}
    for referral in enrollable_referrals(group).filter(person_id__in=person_ids - set(by_person)):
        by_person.setdefault(referral.person_id, referral)
    rows = [
        GroupEnrolment(group=group, person_id=pid, referral=by_person.get(pid), enrolled_by=by)
        for pid in sorted(set(by_person) | person_ids)
    ]
    return GroupEnrolment.objects.bulk_create(rows, ignore_conflicts=True)


@transaction.atomic
def enrolment_rate(*, enrolment, by, rating: int | None) -> GroupEnrolment:
    """The participant's own rating of the service (1–5, or none), entered by the partner."""
    _require_runner(by, enrolment.group)
    if rating is not None and not 1 <= rating <= 5:
        raise DomainError(_("Ocena to liczba od 1 do 5."))
    GroupEnrolment.objects.filter(pk=enrolment.pk).update(rating=rating)
    enrolment.rating = rating
    return enrolment


@transaction.atomic
def attendance_save(*, session, by, present: set[int]) -> None:
    """Make the session's attendance exactly the enrolments in `present` (their ids)."""
    session = GroupSession.objects.select_for_update().select_related("group").get(pk=session.pk)
    _require_runner(by, session.group)
    if session.held_on > timezone.localdate():
        raise DomainError(_("Obecność zapisuje się w dniu zajęć lub później."))
    enrolments = {e.pk: e for e in session.group.enrolments.select_related("referral")}
    if set(present) - set(enrolments):
        raise DomainError(_("Zaznaczono osobę spoza grupy."))
    existing = {a.enrolment_id: a for a in session.attendances.all()}
    _remove(session, [existing[pk] for pk in set(existing) - set(present)])
    _keep_in_step(session, [existing[pk] for pk in set(existing) & set(present)])
    _add(session, [enrolments[pk] for pk in sorted(set(present) - set(existing))], by=by)


def _remove(session, rows: list[SessionAttendance]) -> None:
    mirrored = [row.referral_attendance_id for row in rows if row.referral_attendance_id]
    SessionAttendance.objects.filter(pk__in=[row.pk for row in rows]).delete()
    ReferralAttendance.objects.filter(pk__in=mirrored).delete()


def _keep_in_step(session, rows: list[SessionAttendance]) -> None:
    """The session's date or hours may have changed since: the mirrored rows follow."""
    mirrored = [row.referral_attendance_id for row in rows if row.referral_attendance_id]
    ReferralAttendance.objects.filter(pk__in=mirrored).exclude(held_on=session.held_on, hours=session.hours).update(
        held_on=session.held_on, hours=session.hours
    )


def _add(session, enrolments: list[GroupEnrolment], *, by) -> None:
    if not enrolments:
        return
    note = (_("Zajęcia grupowe: %(topic)s") % {"topic": session.topic})[:500]
    mirrored: dict[int, ReferralAttendance] = {}
    statuses: dict[int, str] = {}
    for enrolment in enrolments:
        referral = enrolment.referral
        if referral is None or referral.status not in MIRRORED_STATUSES:
            continue
        if referral.status == ReferralStatus.ACCEPTED:
            referral_start(referral=referral, by=by, started_on=session.held_on)
        statuses[referral.pk] = (
            ReferralStatus.IN_PROGRESS if referral.status in ENROLLABLE_STATUSES else referral.status
        )
        mirrored[enrolment.pk] = ReferralAttendance(
            referral_id=referral.pk, held_on=session.held_on, hours=session.hours, sessions=1, note=note, recorded_by=by
        )
    ReferralAttendance.objects.bulk_create(mirrored.values())
    SessionAttendance.objects.bulk_create(
        SessionAttendance(session=session, enrolment=e, referral_attendance=mirrored.get(e.pk), recorded_by=by)
        for e in enrolments
    )
    ReferralEvent.objects.bulk_create(
        ReferralEvent(
            referral_id=row.referral_id,
            kind=ReferralEventKind.ATTENDANCE,
            status=statuses[row.referral_id],
            by=by,
            note=_("%(day)s: obecność na zajęciach grupowych") % {"day": session.held_on.strftime("%d.%m.%Y")},
        )
        for row in mirrored.values()
    )


@transaction.atomic
def signed_list_attach(*, session, by, upload) -> GroupSession:
    """Attach the scanned signed attendance list (checked by the form: size and content type)."""
    session = GroupSession.objects.select_for_update().select_related("group").get(pk=session.pk)
    _require_runner(by, session.group)
    old = session.signed_list.name if session.signed_list else ""
    session.signed_list = upload
    session.signed_list_at = timezone.now()
    session.save(update_fields=["signed_list", "signed_list_at"])
    if old:
        transaction.on_commit(lambda: session.signed_list.storage.delete(old))
    return session
