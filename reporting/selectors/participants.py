"""Read queries of the participant pages, scoped to the user (reporting.access)."""

import datetime as dt
from types import SimpleNamespace

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, QueryDict

from core.crypto import keyed_hashes
from core.pagination import PAGE_SIZE
from core.prepared import PreparedFilter, PreparedQuery
from core.sorting import SORT_PARAM, Sorting, sort_rows
from core.text import fold, fold_words, folded_match
from families.access import persons_visible_to
from reporting.access import READ_ROLES, participations_visible_to, reporting_projects_visible_to
from reporting.models import (
    FollowUp,
    OutcomeEvent,
    OutcomeProposal,
    Participation,
    ParticipationAmendment,
    ReportSubmission,
    Support,
)
from reporting.selectors.paging import PreparedPage, counted
from reporting.selectors.proposals import TO_DECIDE
from reporting.services.followups import open_followups
from support_network.access import has_role, ids_joined
from support_network.models import Project

_BIGINT = 2**63  # ids beyond a bigint match no row (and cannot be the query's parameter)
LIST_FIELDS = ("pk", "project_id", "person_id", "first_name", "last_name", "sex", "birth_date", "start_date",
               "end_date", "age_at_start", "education", "labour_status", "entry_confirmed_at",
               "completed_as_planned", "degurba")  # fmt: skip


def projects_with_participants(user):
    """The user's projects with participant counts (one query)."""
    return (
        reporting_projects_visible_to(user)
        .annotate(
            participants=Count("participations", distinct=True),
            active=Count("participations", filter=Q(participations__end_date__isnull=True), distinct=True),
        )
        .order_by("-start_date", "title")
    )


def _count_of(rows: QuerySet) -> Coalesce:
    """How many of `rows` (filtered on `participation=OuterRef("pk")`) belong to the row: a
    correlated subquery, which PostgreSQL evaluates only for the rows of the page after the ORDER
    BY and LIMIT (a COUNT over joins grouped the whole project's rows before sorting them)."""
    counted = rows.order_by().values("participation").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _listed(participations: QuerySet) -> QuerySet:
    """The list's columns of `participations`, with the counts of outcomes and open follow-ups, in
    the list's own order."""
    mine = OuterRef("pk")
    return (
        participations.only(*LIST_FIELDS)
        .annotate(outcome_count=_count_of(OutcomeEvent.objects.filter(participation=mine)),
                  open_followups=_count_of(FollowUp.objects.filter(participation=mine, done_on__isnull=True)))
        .order_by("last_name", "first_name", "pk")
    )  # fmt: skip


def _in_state(qs: QuerySet, state: str) -> QuerySet:
    """The list's "Pokaż" filter (an unknown value: all)."""
    if state == "active":
        return qs.filter(end_date__isnull=True)
    if state == "ended":
        return qs.filter(end_date__isnull=False)
    if state == "gaps":
        return qs.filter(Q(sex="") | Q(birth_date__isnull=True) | Q(education="") | Q(labour_status="")
                         | Q(at_risk__isnull=True))  # fmt: skip
    if state == "no_degurba":  # the export leaves DEGURBA blank: gmina unknown to the DEGURBA table
        return qs.filter(degurba="")
    return qs


def participant_list(user, project, *, q: str = "", state: str = ""):
    """Participations of `project` for the list page: one query for any number of rows (plus the
    paginator's count, which leaves the per-row counts out). No sensitive answers are selected."""
    qs = _listed(participations_visible_to(user).filter(project=project))
    q = (q or "").strip()[:100].replace("\x00", "")
    if q:
        if q.isascii() and q.isdigit():
            qs = qs.filter(Q(pesel_hash__in=keyed_hashes(q)) | Q(pk=int(q[:18])))
        else:  # every word in the folded name: no case, no diacritics ("SZYMANSKA" finds "Szymańska")
            qs = qs.filter(folded_match("search_name", fold_words(q, 4)))
    return _in_state(qs, state)


PARTICIPANT_SORT: dict[str, str | tuple[str, ...]] = {
    "nr": "pk",
    "nazwisko": ("last_name", "first_name"),
    "plec": "sex",
    "wiek": "age_at_start",
    "rozpoczecie": "start_date",
    "zakonczenie": "end_date",
    "status": "labour_status",
    "rezultaty": "outcome_count",
}
STATES = ("active", "ended", "gaps", "no_degurba")


def _sorted(rows: QuerySet, key: str, descending: bool) -> QuerySet:
    """`rows` in the order `core.sorting.sort_rows` gives them for `?sortuj=[-]key` (its one rule)."""
    wanted = QueryDict(mutable=True)
    wanted[SORT_PARAM] = f"-{key}" if descending else key
    return sort_rows(SimpleNamespace(GET=wanted), rows, PARTICIPANT_SORT)[0]


def _of_project(project_id, state: str) -> QuerySet:
    return _in_state(Participation.objects.filter(project_id=project_id), state)


# A page of the list (no search) from queries compiled once per connection, order, filter and offset
# (`reporting.selectors.paging`): building and compiling them cost more CPU than running them.
_LIST_PAGE = PreparedQuery(
    lambda project_id, key, descending, state, offset: _sorted(
        _listed(_of_project(project_id, state)), key, descending
    ).annotate(page_total=Subquery(_of_project(project_id, state).order_by().values(n=counted())))[
        offset : offset + PAGE_SIZE
    ]
)
_LIST_COUNT = PreparedQuery(lambda project_id, state: _of_project(project_id, state).order_by().values(n=counted()))


def participant_page(project, *, state: str, sorting: Sorting, number: int) -> PreparedPage:
    """The rows of the participant list without a search, for `core.pagination.paginate`: what
    `participant_list` gives for `project` (a project of the user's: all its participations are the
    user's too), `state` and `sorting`, one page (`number`) and its count in one query."""
    state = state if state in STATES else ""
    shape = (sorting.key, sorting.descending, state)
    return PreparedPage(_LIST_PAGE, _LIST_COUNT, project.pk, shape, number, total_shape=(state,))


def _without_degurba() -> Coalesce:
    without = (
        Participation.objects.filter(project=OuterRef("pk"), degurba="")
        .order_by()
        .values("project")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(without, output_field=IntegerField()), Value(0))


def _staff_ids(project_ref: str) -> Subquery:
    """The ids of the staff of the project `project_ref` names, joined by commas (`JoinedIds`)."""
    return ids_joined(Project.staff.through, "project_id", "user_id", project_ref)


def _reads(user, project_staff: str | None) -> bool:
    """Whether the user reads the records of a project whose staff ids are `project_staff`: the
    reading roles' scope is the projects they are staff of (`reporting_projects_visible_to`)."""
    return has_role(user, *READ_ROLES) and str(user.pk) in (project_staff or "").split(",")


# The list's project by its id with its staff, compiled once per connection (`_RECORD` below).
_PROJECT = PreparedQuery(
    lambda pk: Project.objects.filter(pk=pk).annotate(
        without_degurba=_without_degurba(), project_staff=_staff_ids("pk")
    ),
    plan_kept=True,  # planned ~0.3 ms, run ~0.1 ms (docs/performance/frame.md)
)


def project_for_list(user, pk: int):
    """The project of a participant list, from the projects whose records the user reads (404
    otherwise), with how many of its participations have no DEGURBA class (`without_degurba`, a
    data-quality note): the project is the user's, so all its participations are too, and the count
    is a subquery of the project's query rather than a query of its own."""
    found = _PROJECT.rows(pk) if 0 < pk < _BIGINT else []
    if not found or not _reads(user, found[0].project_staff):
        raise Http404
    return found[0]


def _for_page(participations: QuerySet) -> QuerySet:
    return participations.select_related("project", "person", "entry_confirmed_by", "created_by").annotate(
        proposals_waiting=_count_of(OutcomeProposal.objects.filter(TO_DECIDE, participation=OuterRef("pk")))
    )


# The record by its id with its project's staff (the ids joined), compiled once per connection:
# building and compiling the five-table query cost more CPU than running it, and PostgreSQL planning it
# longer than running it (its plan is kept). The user's scope is then checked on the row
# (`participation_for_page`).
_RECORD = PreparedQuery(
    lambda pk: _for_page(Participation.objects.filter(pk=pk)).annotate(project_staff=_staff_ids("project_id")),
    plan_kept=True,
)


def participation_for_page(user, pk: int):
    """One participation the user reads (`participations_visible_to`; Participation.DoesNotExist
    otherwise) with the header of its page: project, person, who confirmed the entry data and how
    many proposals from referrals wait for a decision (`proposals_waiting`). Its lists come from
    `page_lists`. The readers' scope is the projects they are staff of (`projects_visible_to` for
    the reading roles), so the record's project's staff ids tell it."""
    found = _RECORD.rows(pk) if 0 < pk < _BIGINT else []
    if not found or not _reads(user, found[0].project_staff):
        raise Participation.DoesNotExist
    return found[0]


def _of_participation(model, queryset) -> PreparedFilter:
    """`queryset`'s rows of one participation, compiled once per connection (compiling these five
    queries cost more than running them: docs/performance.md), their plans kept (planning one took
    PostgreSQL longer than running it)."""
    return PreparedFilter(
        lambda pk: queryset.filter(participation_id=pk), model._meta.get_field("participation"), plan_kept=True
    )


PAGE_LISTS = {
    "outcomes": _of_participation(OutcomeEvent, OutcomeEvent.objects.select_related("proposal")
                                  .order_by("occurred_on", "pk")),
    "supports": _of_participation(Support, Support.objects.select_related("placement").order_by("start_date", "pk")),
    "amendments": _of_participation(ParticipationAmendment, ParticipationAmendment.objects.select_related("by")
                                    .order_by("-at", "-pk")),
    "followups": _of_participation(FollowUp, FollowUp.objects.select_related("done_by", "outcome")
                                   .order_by("due_on", "pk")),
}  # fmt: skip


_COUNTED = ReportSubmission.counted.through
_CLAIMS = PreparedFilter(
    lambda pk: (
        _COUNTED.objects.filter(participation_id=pk)
        .select_related("reportsubmission")
        .only("participation_id", "reportsubmission__claim_number")
        .order_by("reportsubmission__claim_date", "reportsubmission_id")
    ),
    _COUNTED._meta.get_field("participation"),
    plan_kept=True,
)


def claims_of(participation) -> list[str]:
    """The numbers of the submitted claims whose report counted `participation`, as
    `reporting.selectors.submissions.claims_counting` gives them for one record (its page)."""
    rows = _CLAIMS.rows(participation.pk)
    return [row.reportsubmission.claim_number for row in rows]  # type: ignore[attr-defined]  # the m2m's through


def page_lists(participation) -> dict[str, list]:
    """The lists of a participation's page (outcomes, supports, amendments, follow-ups), one query
    each, for a participation already read through the user's scope (`participation_for_page`)."""
    return {name: prepared.rows(participation.pk) for name, prepared in PAGE_LISTS.items()}


def persons_for_enrolment(user, project, *, q: str = ""):
    """Persons of the project's families the user sees, marked when already enrolled."""
    enrolled = Participation.objects.filter(project=project, person=OuterRef("pk"))
    qs = (
        persons_visible_to(user).filter(family__project=project)
        .select_related("family")
        .only("pk", "first_name", "last_name", "birth_date", "family__case_number", "family__locality")
        .annotate(enrolled=Exists(enrolled))
        .order_by("last_name", "first_name", "pk")
    )  # fmt: skip
    q = (q or "").strip()[:100].replace("\x00", "")
    if q:
        if q.isdigit():  # a whole PESEL, by its keyed hash (PESELs are encrypted), or a case number
            qs = qs.filter(Q(pesel_hash__in=keyed_hashes(q)) | Q(family__case_number__icontains=q))
        else:  # every word in the folded name (Person.search_name) or the case number
            for word in q.split()[:4]:
                qs = qs.filter(Q(search_name__contains=fold(word)) | Q(family__case_number__icontains=word))
    return qs


def followups_to_do(user, *, today: dt.date, project=None):
    participations = participations_visible_to(user)
    if project is not None:
        participations = participations.filter(project=project)
    return open_followups(participations=participations.values("pk"), today=today).select_related("participation")
