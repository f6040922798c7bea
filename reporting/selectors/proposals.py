"""The queue of outcomes proposed from partners' referral outcomes (reporting.services.referral_flow):
what a project manager still has to confirm or reject, and confirmed ones changed at the source."""

from django.db.models import Q, QuerySet, Subquery

from core.pagination import PAGE_SIZE
from core.prepared import PreparedQuery
from reporting.access import MANAGE_ROLES, reporting_projects_visible_to
from reporting.models import OutcomeProposal, ProposalStatus
from reporting.selectors.paging import PreparedPage, counted
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


# Compiled once per connection (and page offset, `PreparedQuery`'s shape): building and compiling the
# page's query and its COUNT cost more CPU than PostgreSQL running them; its plan is kept too, as
# PostgreSQL took longer to plan its seven tables than to run it (docs/performance/reporting.md).
_QUEUE_PAGE = PreparedQuery(
    lambda user_id, offset: _rows_of(_waiting_of_manager(user_id)[offset : offset + PAGE_SIZE]).annotate(
        page_total=Subquery(_waiting_of_manager(user_id).order_by().values(n=counted()))
    ),
    plan_kept=True,
)
_QUEUE_COUNT = PreparedQuery(lambda user_id: _waiting_of_manager(user_id).order_by().values(n=counted()))


def queue_page(user, number: int) -> PreparedPage | list:
    """The rows of the outcome queue for `core.pagination.paginate`: the user's waiting proposals,
    one page of them with what the queue shows (as `queue_rows` gives them) and their count in one
    query; `number` the page asked for. Nothing for a user who manages no project."""
    if not has_role(user, *MANAGE_ROLES):
        return []
    return PreparedPage(_QUEUE_PAGE, _QUEUE_COUNT, user.pk, (), number)
