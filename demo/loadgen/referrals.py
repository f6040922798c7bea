"""Referrals in every status with realistic shares and dates around today, their status history,
the partners' attendance, and the group cycles (groups, sessions, enrolments, attendance mirrored
into the referrals' attendance) of the group services."""

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from contracts.models import (
    GroupEnrolment,
    GroupSession,
    Referral,
    ReferralAttendance,
    ReferralEvent,
    ReferralStatus,
    SessionAttendance,
    SessionGroup,
)
from demo.loadgen.copy import copy_rows
from demo.loadgen.parallel import PARTS, copy_rows_in_children
from demo.loadgen.world import World, at
from support_network.models import Module, ServiceForm

S = ReferralStatus
# shares in a living office: most referrals are used and finished, a few wait for an answer
SHARES = [(S.DRAFT, 3), (S.SENT, 7), (S.WAITING, 4), (S.ACCEPTED, 8), (S.IN_PROGRESS, 25), (S.COMPLETED, 38),
          (S.REJECTED, 7), (S.DROPPED, 8)]  # fmt: skip
USED = (S.ACCEPTED, S.IN_PROGRESS, S.COMPLETED, S.DROPPED)
GROUP_SIZE, GROUP_SESSIONS = 15, 8
COLUMNS = ["person_id", "service_id", "institution_id", "created_by_id", "reason", "wished_start", "status",
           "status_changed_at", "sent_at", "answer_due", "queued_at", "answered_at", "overdue_at", "started_on",
           "finished_on", "rejection_reason", "drop_reason", "created_at"]  # fmt: skip


class Ref:
    """One generated referral: what the later steps (attendance, groups, outcomes) need of it."""

    __slots__ = ("pk", "person_id", "service", "office", "status", "created", "sent", "queued", "answered",
                 "started", "finished", "by", "attended")  # fmt: skip

    def __init__(self, **kw):
        self.pk = self.sent = self.queued = self.answered = self.started = self.finished = None
        self.attended: list[dt.date] = []
        for key, value in kw.items():
            setattr(self, key, value)


def _weights(service) -> list[int]:
    """The shares of one service: a waiting list only where places are limited, more rejections
    for employment services (conditions of the labour office)."""
    weights = dict(SHARES)
    if service.capacity is None:
        weights[S.SENT] += weights.pop(S.WAITING)
    if service.module == Module.EMPLOYMENT:
        weights[S.REJECTED] += 4
    return [weights.get(s, 0) for s, _ in SHARES]


def _ago(today: dt.date, low: int, high: int, rng: random.Random) -> dt.date:
    return today - dt.timedelta(days=rng.randint(low, high))


def _individual_dates(ref: Ref, rng: random.Random, today: dt.date) -> None:
    status = ref.status
    if status == S.DRAFT:
        ref.created = _ago(today, 0, 14, rng)
        return
    if status == S.WAITING:
        ref.queued = _ago(today, 3, 90, rng)
        ref.created = ref.queued - dt.timedelta(days=rng.randint(0, 3))
        return
    span = {S.SENT: (0, 12), S.ACCEPTED: (5, 40), S.IN_PROGRESS: (20, 240), S.COMPLETED: (90, 1000),
            S.REJECTED: (10, 1000), S.DROPPED: (40, 1000)}[status]  # fmt: skip
    ref.sent = _ago(today, *span, rng)
    ref.created = ref.sent - dt.timedelta(days=rng.randint(0, 5))
    if status == S.SENT:
        return
    ref.answered = min(ref.sent + dt.timedelta(days=rng.randint(1, 5)), today)
    if status in (S.IN_PROGRESS, S.COMPLETED, S.DROPPED):
        ref.started = min(ref.answered + dt.timedelta(days=rng.randint(3, 14)), today)
    if status == S.COMPLETED:
        ref.finished = min(ref.started + dt.timedelta(days=rng.randint(30, 75)), today - dt.timedelta(days=1))
    elif status == S.DROPPED:
        ref.finished = min(ref.started + dt.timedelta(days=rng.randint(7, 30)), today)


CYCLE_ANCHOR = dt.date(2000, 1, 3)  # a Monday: cycles start every four weeks from it


def _cycle_start(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=(day - CYCLE_ANCHOR).days % 28)


def _group_dates(ref: Ref, rng: random.Random, today: dt.date) -> None:
    """A used referral of a group service follows its cycle: 8 weekly sessions from the Monday the
    cycle starts, a new cycle every four weeks (accepted: the next cycle; in progress: running now;
    completed: ended)."""
    cycle = {S.ACCEPTED: lambda: today + dt.timedelta(days=28),
             S.IN_PROGRESS: lambda: _ago(today, 0, 7 * GROUP_SESSIONS - 8, rng),
             S.COMPLETED: lambda: _ago(today, 7 * GROUP_SESSIONS, 950, rng),
             S.DROPPED: lambda: _ago(today, 14, 950, rng)}[ref.status]()  # fmt: skip
    start = _cycle_start(cycle)
    ref.sent = start - dt.timedelta(days=rng.randint(14, 40))
    ref.created = ref.sent - dt.timedelta(days=rng.randint(0, 5))
    ref.answered = min(ref.sent + dt.timedelta(days=rng.randint(1, 5)), today)
    if ref.status != S.ACCEPTED:
        ref.started = start
    if ref.status == S.COMPLETED:
        ref.finished = start + dt.timedelta(days=7 * (GROUP_SESSIONS - 1))
    elif ref.status == S.DROPPED:
        ref.finished = min(start + dt.timedelta(days=7 * rng.randint(1, 4)), today)
    ref.queued = start  # the cycle's Monday (read by `create_groups`)


def _row(ref: Ref, today: dt.date) -> tuple:
    answer_due = ref.sent + dt.timedelta(days=7) if ref.sent else None
    overdue = ref.status == S.SENT and answer_due < today
    changed = ref.finished or ref.started or ref.answered or ref.sent or ref.queued or ref.created
    return (ref.person_id, ref.service.pk, ref.service.provider_id, ref.by, "Wsparcie zgodne z diagnozą potrzeb.",
            (ref.sent or ref.created) + dt.timedelta(days=14), ref.status, at(min(changed, today), 12),
            at(ref.sent, 11) if ref.sent else None, answer_due, at(ref.queued) if ref.status == S.WAITING else None,
            at(ref.answered, 13) if ref.answered else None,
            at(answer_due + dt.timedelta(days=1), 6) if overdue else None,
            ref.started, ref.finished, "Brak spełnienia warunków." if ref.status == S.REJECTED else "",
            "Rezygnacja uczestnika." if ref.status == S.DROPPED else "", at(ref.created, 9))  # fmt: skip


def create_referrals(rng: random.Random, world: World, services) -> list[Ref]:
    """The office's persons referred to its own services, sent by the family's social worker."""
    today, refs = world.today, []
    per_office = world.sizes.referrals // len(world.offices)
    for office in world.offices:
        persons = [p for p in world.persons if world.office_of[p.family_id] is office]
        worker_of = {f.pk: f.social_worker_id for f in world.families if world.office_of[f.pk] is office}
        own = [s for s in services if s.provider_id in (office["mops"].pk, office["pup"].pk, office["pcpr"].pk)]
        weights = {s.pk: _weights(s) for s in own}
        statuses = [s for s, _ in SHARES]
        for i in range(per_office):
            service, person = own[i % len(own)], persons[(i * 7) % len(persons)]
            status = rng.choices(statuses, weights[service.pk])[0]
            ref = Ref(person_id=person.pk, service=service, office=office, status=status,
                      by=worker_of[person.family_id])  # fmt: skip
            if service.form == ServiceForm.GROUP and status in USED:
                _group_dates(ref, rng, today)
            else:
                _individual_dates(ref, rng, today)
            refs.append(ref)
    ids = copy_rows(Referral, COLUMNS, (_row(ref, today) for ref in refs), with_ids=True)
    for ref, pk in zip(refs, ids, strict=True):
        ref.pk = pk
    return refs


def _partner_of(ref: Ref) -> int:
    office = ref.office
    return office["partner"].pk if ref.service.provider_id == office["pup"].pk else office["mgi"].pk


def create_referral_events(world: World, refs: list[Ref]) -> int:
    """The referrals' status history, made in child processes (`demo.loadgen.parallel`) in blocks
    of referrals, in their order."""

    def rows(part: int):
        yield from _events(world, refs[len(refs) * part // PARTS : len(refs) * (part + 1) // PARTS])

    return copy_rows_in_children(ReferralEvent, ["referral_id", "kind", "status", "at", "by_id"], PARTS, rows)


def _events(world: World, refs: list[Ref]) -> list[tuple]:
    rows = []
    for ref in refs:
        partner = _partner_of(ref)
        if ref.status == S.DRAFT:
            rows.append((ref.pk, "status", S.DRAFT, at(ref.created, 9), ref.by))
        if ref.status == S.WAITING:
            rows.append((ref.pk, "status", S.WAITING, at(ref.queued), ref.by))
        if ref.sent:
            rows.append((ref.pk, "status", S.SENT, at(ref.sent, 11), ref.by))
        if ref.status == S.SENT and ref.sent + dt.timedelta(days=7) < world.today:
            rows.append((ref.pk, "overdue", S.SENT, at(ref.sent + dt.timedelta(days=8), 6), None))
        if ref.answered:
            answer = S.REJECTED if ref.status == S.REJECTED else S.ACCEPTED
            rows.append((ref.pk, "status", answer, at(ref.answered, 13), partner))
        if ref.started:
            rows.append((ref.pk, "status", S.IN_PROGRESS, at(ref.started, 14), partner))
        if ref.finished:
            rows.append((ref.pk, "status", ref.status, at(ref.finished, 15), partner))
    return rows


def create_individual_attendance(world: World, refs: list[Ref]) -> int:
    """Meetings of 1.5 hours every two weeks (up to six) from the start to the end (or today) of
    individual services."""
    rows = []
    for ref in refs:
        if ref.started is None or ref.service.form == ServiceForm.GROUP:
            continue
        end = min(ref.finished or world.today, world.today)
        day, partner = ref.started, _partner_of(ref)
        while day <= end and len(ref.attended) < 6:
            ref.attended.append(day)
            rows.append((ref.pk, day, 1, Decimal("1.5"), partner, at(day, 16)))
            day += dt.timedelta(days=14)
    columns = ["referral_id", "held_on", "sessions", "hours", "recorded_by_id", "recorded_at"]
    return copy_rows(ReferralAttendance, columns, rows)


def _cycles(refs: list[Ref]) -> dict[tuple[int, dt.date], list[Ref]]:
    cycles: dict[tuple[int, dt.date], list[Ref]] = defaultdict(list)
    for ref in refs:
        if ref.service.form == ServiceForm.GROUP and ref.status in USED:
            cycles[(ref.service.pk, ref.queued)].append(ref)
    return cycles


def create_groups(rng: random.Random, world: World, refs: list[Ref]) -> dict[str, int]:
    """Per group service and cycle start, groups of up to 15 enrolled referrals; 8 weekly sessions
    (the future ones planned); attendance at the held ones (about 9 in 10 present, nobody after
    dropping out), each mirrored into the referral's attendance as the attendance service does."""
    project = world.staff["projects"][0]
    groups, plan = [], []
    for (_service, start), members in sorted(_cycles(refs).items(), key=lambda item: (item[0][0], item[0][1])):
        for n in range(0, len(members), GROUP_SIZE):
            ref = members[n]
            groups.append((ref.service.pk, ref.service.provider_id, project.pk,
                           f"{ref.service.name} – cykl od {start:%d.%m.%Y}, grupa {n // GROUP_SIZE + 1}", 80,
                           _partner_of(ref), at(start - dt.timedelta(days=10))))  # fmt: skip
            plan.append((start, members[n : n + GROUP_SIZE]))
    group_ids = copy_rows(SessionGroup, ["service_id", "institution_id", "project_id", "name", "required_attendance",
                                         "created_by_id", "created_at"], groups, with_ids=True)  # fmt: skip
    sessions, enrolments = [], []
    for group_id, (start, members) in zip(group_ids, plan, strict=True):
        for k in range(GROUP_SESSIONS):
            day = start + dt.timedelta(days=7 * k)
            sessions.append((group_id, day, dt.time(10, 0), Decimal("3"), "Sala szkoleniowa", f"Zajęcia {k + 1}",
                             "Trener zewnętrzny"))  # fmt: skip
        for ref in members:
            rating = rng.choice([5, 4, 5, 3, None]) if ref.status == S.COMPLETED else None
            enrolments.append(
                (group_id, ref.person_id, ref.pk, rating, _partner_of(ref), at(start - dt.timedelta(days=3)))
            )
    session_ids = copy_rows(GroupSession, ["group_id", "held_on", "starts_at", "hours", "place", "topic",
                                           "trainer_name"], sessions, with_ids=True)  # fmt: skip
    enrolment_ids = copy_rows(GroupEnrolment, ["group_id", "person_id", "referral_id", "rating", "enrolled_by_id",
                                               "enrolled_at"], enrolments, with_ids=True)  # fmt: skip
    present = _attendance(rng, world, plan, session_ids, enrolment_ids)
    return {"groups": len(group_ids), "sessions": len(session_ids), "enrolments": len(enrolment_ids),
            "attendance": present}  # fmt: skip


def _attendance(rng: random.Random, world: World, plan, session_ids: list[int], enrolment_ids: list[int]) -> int:
    referral_rows, session_rows = [], []
    s_iter, e_iter = iter(session_ids), iter(enrolment_ids)
    for start, members in plan:
        group_sessions = [(next(s_iter), start + dt.timedelta(days=7 * k)) for k in range(GROUP_SESSIONS)]
        for ref in members:
            enrolment_id, last = next(e_iter), min(ref.finished or world.today, world.today)
            for session_id, day in group_sessions:
                if ref.started and day <= last and rng.random() < 0.9:
                    ref.attended.append(day)
                    referral_rows.append((ref.pk, day, 1, Decimal("3"), _partner_of(ref), at(day, 14)))
                    session_rows.append((session_id, enrolment_id))
    columns = ["referral_id", "held_on", "sessions", "hours", "recorded_by_id", "recorded_at"]
    mirrored = copy_rows(ReferralAttendance, columns, referral_rows, with_ids=True)
    recorded = [(sid, eid, rid, row[4], row[5]) for (sid, eid), rid, row in zip(session_rows, mirrored, referral_rows,
                                                                                 strict=True)]  # fmt: skip
    return copy_rows(SessionAttendance, ["session_id", "enrolment_id", "referral_attendance_id", "recorded_by_id",
                                         "recorded_at"], recorded)  # fmt: skip
