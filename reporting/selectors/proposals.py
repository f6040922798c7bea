"""The queue of outcomes proposed from partners' referral outcomes (reporting.services.referral_flow):
what a project manager still has to confirm or reject, and confirmed ones changed at the source."""

from django.db.models import F, Func, IntegerField, Q, QuerySet, Subquery

from core.pagination import PAGE_SIZE
from core.prepared_query import PreparedQuery
from reporting.access import MANAGE_ROLES, reporting_projects_visible_to
from reporting.models import OutcomeProposal, ProposalStatus
from support_network.access import has_role
from support_network.models import Project

QUEUE_ORDER = ("participation__project_id", "recorded_at", "pk")
TO_DECIDE = Q(status=ProposalStatus.PROPOSED) | Q(status=ProposalStatus.CONFIRMED, source_changed=True)


def proposals_to_decide(user, *, project=None) -> QuerySet[OutcomeProposal]:
    """The proposals of the projects the user manages that wait for a decision, in the queue's order
    (the rows alone: `queue_rows` adds what the queue shows to one page of them)."""
    if not has_role(user, *MANAGE_ROLES):
        return OutcomeProposal.objects.none()
    projects = reporting_projects_visible_to(user)
    if project is not None:
        projects = projects.filter(pk=project.pk)
    waiting = OutcomeProposal.objects.filter(TO_DECIDE, participation__project__in=projects.values("pk"))
    return waiting.order_by(*QUEUE_ORDER)


# What the queue's rows show (reporting/templatetags/outcome_queue_rows.py) and the access log reads:
# the other columns of the six tables are not read (nor turned into Python values).
QUEUE_FIELDS = (
    "participation_id", "referral_id", "kind", "progress_category", "occurred_on", "employment_form", "fte",
    "planned_months", "employer", "job_seeking_kind", "qualification_name", "status", "source_changed",
    "recorded_by_id", "recorded_at",
    "participation__first_name", "participation__last_name", "participation__project_id",
    "participation__project__title", "participation__project__short_name",
    "referral__service_id", "referral__service__name", "referral__service__provider_id",
    "referral__service__provider__name", "referral__service__provider__short_name",
    "recorded_by__username", "recorded_by__first_name", "recorded_by__last_name",
)  # fmt: skip


def queue_rows(page_rows: QuerySet[OutcomeProposal]) -> list[OutcomeProposal]:
    """One page of `proposals_to_decide` (a sliced queryset) with the participant, the project, the
    referral, its service and partner and who recorded it, in one query: the page's ids are chosen
    first (a subquery with its LIMIT), so PostgreSQL joins the six tables for those 25 rows only,
    not for every pending proposal before sorting them; only the columns the queue shows are read
    (`QUEUE_FIELDS`: not the participant's encrypted fields, nor decrypted)."""
    return list(_rows_of(page_rows))


def _rows_of(page_rows: QuerySet[OutcomeProposal]) -> QuerySet[OutcomeProposal]:
    return (
        OutcomeProposal.objects.filter(pk__in=page_rows.values("pk"))
        .select_related("participation__project", "referral__service__provider", "recorded_by")
        .only(*QUEUE_FIELDS)
        .order_by(*QUEUE_ORDER)
    )


def _waiting_of_manager(user_id) -> QuerySet[OutcomeProposal]:
    """`proposals_to_decide` of a project manager, by the user's id: the projects they are staff of
    (what `reporting_projects_visible_to` gives a manager), in the queue's order."""
    projects = Project.objects.filter(staff=user_id).values("pk")
    return OutcomeProposal.objects.filter(TO_DECIDE, participation__project__in=projects).order_by(*QUEUE_ORDER)


def _counted() -> Func:
    # COUNT as a plain function, not an aggregate: no GROUP BY is added, one row counts them all
    return Func(F("pk"), function="COUNT", output_field=IntegerField())


# Compiled once per connection (and page offset, `PreparedQuery`'s shape): building and compiling the
# page's query and its COUNT cost more CPU than PostgreSQL running them (docs/performance/reporting.md).
# The count rides in the page's query as an init plan (`waiting_total`, the same on every row).
_QUEUE_PAGE = PreparedQuery(
    lambda user_id, offset: _rows_of(_waiting_of_manager(user_id)[offset : offset + PAGE_SIZE]).annotate(
        waiting_total=Subquery(_waiting_of_manager(user_id).order_by().values(n=_counted()))
    )
)
_QUEUE_COUNT = PreparedQuery(lambda user_id: _waiting_of_manager(user_id).order_by().values(n=_counted()))


class QueuePage:
    """The manager's queue for the pager (`count()` and one slice), from the queries compiled once:
    `count()` reads the rows of the page asked for (`number`) with the count in one round trip, and
    the pager's slice of that page is served from them; another slice (a number past the end gives
    the last page) or no row to carry the count is a query of its own."""

    def __init__(self, user, number: int):
        self.user_id = user.pk
        self.offset = (max(number, 1) - 1) * PAGE_SIZE
        self._read: list[OutcomeProposal] | None = None
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            rows = _QUEUE_PAGE.rows(self.user_id, self.offset)
            if rows:
                self._read, self._count = rows, rows[0].waiting_total
            else:
                self._count = _QUEUE_COUNT.rows(self.user_id)[0]["n"]
        return self._count

    def __getitem__(self, bounds: slice) -> list[OutcomeProposal]:
        start, stop = bounds.start or 0, bounds.stop
        if stop <= start:
            return []
        if stop - start > PAGE_SIZE:
            raise ValueError("QueuePage: at most one page of rows")
        rows = self._read if self._read is not None and start == self.offset else None
        if rows is None:
            rows = _QUEUE_PAGE.rows(self.user_id, start)
        return rows[: stop - start]


def queue_page(user, number: str | None) -> "QueuePage | list":
    """The rows of the outcome queue for `core.pagination.paginate`: the user's waiting proposals,
    one page of them with what the queue shows (as `queue_rows` gives them); `number` the page asked
    for (anything but a whole number: the first). Nothing for a user who manages no project."""
    if not has_role(user, *MANAGE_ROLES):
        return []
    asked = (number or "").strip()
    return QueuePage(user, int(asked) if asked.isascii() and asked.isdigit() and len(asked) < 10 else 1)
