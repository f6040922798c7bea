"""Read queries of the group-session pages: a constant number of queries per page, whatever the
number of sessions and participants."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.db import connection
from django.db.models import Count, DecimalField, Exists, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from contracts.models import GroupEnrolment, GroupSession, SessionAttendance, SessionGroup
from contracts.services.sessions import enrollable_persons, enrollable_referrals, enrollable_referrals_of
from contracts.sql import RelatedIn
from core.prepared import IdIn, PreparedGet, PreparedQuery, PreparedRows
from core.text import fold_words, folded_match
from families.models import Person
from support_network.models import StaffMembership

RATINGS = range(1, 6)  # a participant's rating of the service (contracts.templatetags.session_tags)
ZERO = Value(Decimal("0"), output_field=DecimalField())


def group_rows(queryset):
    """The groups list: service, institution, project; sessions, hours and participants counted."""
    sessions = GroupSession.objects.filter(group=OuterRef("pk")).order_by().values("group")
    return (
        queryset.select_related("service", "institution", "project")
        .annotate(
            session_count=Coalesce(Subquery(sessions.annotate(n=Count("pk")).values("n")), 0),
            hours_total=Coalesce(Subquery(sessions.annotate(h=Sum("hours")).values("h")), ZERO),
            participant_count=Count("enrolments", distinct=True),
        )
        .order_by("-created_at", "-pk")
    )


def _sessions_with_counts():
    return (
        GroupSession.objects.select_related("trainer__user")
        .annotate(present=Count("attendances", distinct=True))
        .order_by("held_on", "starts_at", "pk")
    )


def _enrolments_with_hours():
    return (
        GroupEnrolment.objects.select_related("person", "referral")
        .only(
            "id",
            "group_id",
            "rating",
            "referral__id",
            "referral__status",
            "person__id",
            "person__family_id",  # the access log's entry names the family of the first person shown
            "person__first_name",
            "person__last_name",
        )  # fmt: skip
        .annotate(
            sessions_attended=Count("attendances", distinct=True),
            hours_attended=Coalesce(Sum("attendances__session__hours"), ZERO),
        )
        .order_by("person__last_name", "person__first_name", "pk")
    )


@dataclass(frozen=True)
class ParticipantRow:
    enrolment: GroupEnrolment
    hours: Decimal
    sessions: int
    rate: Decimal | None  # percent of the group's hours so far
    below: bool
    referral_url: str = ""  # links, set by the page (contracts.views.sessions)
    rating_url: str = ""


def group_for_detail(queryset, pk) -> SessionGroup:
    """The group with its sessions (`session_list`) and participants (`enrolment_list`): on
    PostgreSQL their two queries are compiled once per connection (`core.prepared.PreparedRows`;
    compiling the annotated joins cost about as much as running them), elsewhere prefetched."""
    if connection.vendor != "postgresql":
        return group_prefetched(queryset, pk)
    return _with_lists(queryset.select_related("service", "institution", "project").get(pk=pk))


def group_of_institution(institution_id: int, pk: int) -> SessionGroup:
    """`group_for_detail` for partner staff, who see the groups of their institution: the group is
    read by its id alone (a query compiled once per connection, where the scoped queryset was built
    on every request) and refused (DoesNotExist) when another institution runs it."""
    if connection.vendor != "postgresql":
        return group_for_detail(SessionGroup.objects.filter(institution_id=institution_id), pk)
    group = cast(SessionGroup | None, _GROUP.get(pk))
    if group is None or group.institution_id != institution_id:
        raise SessionGroup.DoesNotExist
    return _with_lists(group)


def _with_lists(group: Any) -> SessionGroup:
    """The group given its sessions and participants, as the prefetch's to_attr gives them."""
    group.session_list = _of_group(_SESSIONS, group)
    group.enrolment_list = _of_group(_ENROLMENTS, group)
    return group


def group_prefetched(queryset, pk) -> SessionGroup:
    """`group_for_detail` the plain way: the lists prefetched (queries compiled on every call)."""
    return (
        queryset.select_related("service", "institution", "project")
        .prefetch_related(
            Prefetch("sessions", queryset=_sessions_with_counts(), to_attr="session_list"),
            Prefetch("enrolments", queryset=_enrolments_with_hours(), to_attr="enrolment_list"),
        )
        .get(pk=pk)
    )


_GROUP = PreparedGet(
    lambda pk: SessionGroup.objects.select_related("service", "institution", "project").filter(pk=pk),
    SessionGroup._meta.pk,
    plan_kept=True,
)
# not plan_kept: keeping their plans measured within the noise (docs/performance/frame.md)
_SESSIONS = PreparedRows(lambda marker: _sessions_with_counts().filter(IdIn("group_id", marker)))
_ENROLMENTS = PreparedRows(lambda marker: _enrolments_with_hours().filter(IdIn("group_id", marker)))


def _of_group(prepared: PreparedRows, group: SessionGroup) -> list[GroupSession | GroupEnrolment]:
    """The group's rows, each knowing its group as a prefetch leaves them."""
    rows = cast(list[GroupSession | GroupEnrolment], prepared.rows([group.pk]))
    for row in rows:
        row.group = group
    return rows


def participant_rows(group) -> list[ParticipantRow]:
    """Hours per participant against the hours of the sessions held so far; below the group's
    required attendance is flagged."""
    total = sum((s.hours for s in group.session_list), Decimal("0"))
    rows = []
    for enrolment in group.enrolment_list:
        rate = (enrolment.hours_attended * 100 / total).quantize(Decimal("0.1")) if total else None
        below = rate is not None and rate < group.required_attendance
        rows.append(ParticipantRow(enrolment, enrolment.hours_attended, enrolment.sessions_attended, rate, below))
    return rows


def session_for_detail(queryset, pk) -> GroupSession:
    """One session with its group and the group's participants (`group.enrolment_list`), each
    marked present or not; the participants' query is compiled once per connection (it cost more to
    build than to run: docs/performance/referrals.md); elsewhere than on PostgreSQL, prefetched."""
    if connection.vendor != "postgresql":
        return session_prefetched(queryset, pk)
    session = GroupSession.objects.filter(group__in=queryset).select_related(*_SESSION_RELATED).get(pk=pk)
    return _with_participants(session)


def session_of_institution(institution_id: int, pk: int) -> GroupSession:
    """`session_for_detail` for partner staff, who see the sessions of their institution's groups:
    the session read by its id alone (a query compiled once per connection, where the scoped
    queryset was built on every request) and refused (DoesNotExist) when another institution runs
    its group."""
    if connection.vendor != "postgresql":
        return session_for_detail(SessionGroup.objects.filter(institution_id=institution_id), pk)
    session = cast(GroupSession | None, _SESSION.get(pk))
    if session is None or session.group.institution_id != institution_id:
        raise GroupSession.DoesNotExist
    return _with_participants(session)


def _with_participants(session: GroupSession) -> GroupSession:
    """The session given its group's participants, each marked present or not."""
    group = cast(Any, session.group)  # given `enrolment_list`, as the prefetch's to_attr did
    group.enrolment_list = _SESSION_ENROLMENTS.rows(session.pk)
    for enrolment in group.enrolment_list:
        enrolment.group = group  # as the prefetch of the group's enrolments left them
    return session


def session_prefetched(queryset, pk) -> GroupSession:
    """`session_for_detail` the plain way: the participants prefetched (compiled on every call)."""
    present = SessionAttendance.objects.filter(session_id=pk, enrolment=OuterRef("pk"))
    enrolments = (
        GroupEnrolment.objects.select_related("person")
        .only("id", "group_id", "person__id", "person__family_id", "person__first_name", "person__last_name")
        .annotate(present=Exists(present))
        .order_by("person__last_name", "person__first_name", "pk")
    )
    return (
        GroupSession.objects.filter(group__in=queryset)
        .select_related(*_SESSION_RELATED)
        .prefetch_related(Prefetch("group__enrolments", queryset=enrolments, to_attr="enrolment_list"))
        .get(pk=pk)
    )


def _session_enrolments(session_id):
    """The participants of the session's group, each with `present` at this session."""
    present = SessionAttendance.objects.filter(session_id=session_id, enrolment=OuterRef("pk"))
    group = GroupSession.objects.filter(pk=session_id).order_by().values("group_id")
    return (
        GroupEnrolment.objects.filter(group_id=Subquery(group))
        .select_related("person")
        .only("id", "group_id", "person__id", "person__family_id", "person__first_name", "person__last_name")
        .annotate(present=Exists(present))
        .order_by("person__last_name", "person__first_name", "pk")
    )


_SESSION_ENROLMENTS = PreparedQuery(_session_enrolments, plan_kept=True)
_SESSION_RELATED = ("group__service", "group__institution", "group__project", "trainer__user")
_SESSION = PreparedGet(
    lambda pk: GroupSession.objects.select_related(*_SESSION_RELATED).filter(pk=pk),
    GroupSession._meta.pk,
    plan_kept=True,  # the six-table join planned ~2 ms, run ~0.2 ms (docs/performance/frame.md)
)


def specialist_hours(groups):
    """Per staff member who ran sessions of `groups`: sessions and hours (one query)."""
    return (
        StaffMembership.objects.filter(sessions_run__group__in=groups)
        .select_related("user", "institution")
        .annotate(
            session_count=Count("sessions_run", distinct=True),
            hours=Sum("sessions_run__hours"),
        )
        .order_by("user__last_name", "user__first_name", "pk")
    )


OFFERED = 25  # rows the enrolment form offers at a time: a partner reaches tens of thousands of persons


@dataclass
class EnrolmentOffer:
    referrals: Callable[[], QuerySet]  # builds the service's accepted referrals shown as choices
    referral_count: int  # how many match in all (the page says "25 of N")
    persons: QuerySet  # other persons shown as choices (only as matches of a typed name)
    referral_rows: list | None = None  # the referrals shown, when already read (the page as opened)
    person_rows: list | None = None  # the persons shown, when known without a query (none: no name typed)


def _first(queryset, matching, chosen):
    """The first OFFERED rows of `matching` and the `chosen` ones, as rows of `queryset`. With none
    chosen (the page as opened), the first rows themselves: one query, read when the form shows them,
    instead of their ids and then the rows."""
    if not chosen:
        return matching[:OFFERED] if matching is not None else queryset.none()
    shown = list(matching.values_list("pk", flat=True)[:OFFERED]) if matching is not None else []
    return queryset.filter(pk__in=[*shown, *(c.pk for c in chosen)])


def enrolment_offer(group, user, *, search: str | None, referrals=(), persons=()) -> EnrolmentOffer:
    """What the group page's enrolment form offers: the accepted referrals of the group's service
    (the first OFFERED by name, or the matches of `search`) and other persons the partner reaches
    (only the matches of `search`, case and diacritics ignored), the ticked ones always kept."""
    words = fold_words(search)
    persons_offered = _persons_offered(group, user, words, persons)
    if not words and not referrals:  # the page as opened: the first ones and their count read at once
        rows = _FIRST_OFFERED.rows(group.pk, group.service_id, group.institution_id)
        count = rows[0].offer_count if rows else 0
        person_rows: list | None = None if persons else []
        first = lambda: enrollable_referrals(group)[:OFFERED]  # noqa: E731 -- built only if read
        return EnrolmentOffer(first, count, persons_offered, referral_rows=rows, person_rows=person_rows)
    accepted = enrollable_referrals(group)
    matching = accepted.filter(folded_match("person__search_name", words)) if words else accepted
    shown = _first(accepted, matching, referrals)
    return EnrolmentOffer(lambda: shown, matching.count(), persons_offered)


def _first_offered(group_id, service_id, institution_id):
    """The first OFFERED enrollable referrals by name, each with how many there are in all
    (`offer_count`, an init plan of the query: one round trip, and one query compiled once per
    connection and group instead of two built on every request)."""
    enrollable = enrollable_referrals_of(group_id, service_id, institution_id)
    count = enrollable.order_by().values("service_id").annotate(n=Count("*")).values("n")  # index-only
    # the persons walked in name order are first checked against the offer's persons in memory (a
    # hashed subplan): a probe into the referrals for the ~30 that match instead of ~1,000
    persons = RelatedIn("person", enrollable.values("person_id"))
    return enrollable.filter(persons).annotate(offer_count=Subquery(count))[:OFFERED]


_FIRST_OFFERED = PreparedQuery(_first_offered, plan_kept=True)


def _persons_offered(group, user, words, chosen) -> QuerySet:
    """Other persons: none until a name is typed or a person ticked (then not even the query)."""
    if not words and not chosen:
        return Person.objects.none()
    reachable = enrollable_persons(group, user)
    found = reachable.filter(folded_match("search_name", words)) if words else None
    return _first(reachable, found, chosen)
