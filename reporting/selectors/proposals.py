"""The queue of outcomes proposed from partners' referral outcomes (reporting.services.referral_flow):
what a project manager still has to confirm or reject, and confirmed ones changed at the source."""

from django.db.models import Q, QuerySet

from core.crypto import encrypted_fields
from reporting.access import MANAGE_ROLES, reporting_projects_visible_to
from reporting.models import OutcomeProposal, Participation, ProposalStatus
from support_network.access import has_role

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


def queue_rows(page_rows: QuerySet[OutcomeProposal]) -> list[OutcomeProposal]:
    """One page of `proposals_to_decide` (a sliced queryset) with the participant, the project, the
    referral, its service and partner and who recorded it, in one query: the page's ids are chosen
    first (a subquery with its LIMIT), so PostgreSQL joins the six tables for those 25 rows only,
    not for every pending proposal before sorting them; the participant's encrypted fields, which
    the queue does not show, are not read (nor decrypted)."""
    return list(
        OutcomeProposal.objects.filter(pk__in=page_rows.values("pk"))
        .select_related("participation__project", "referral__service__provider", "recorded_by")
        .defer(*(f"participation__{name}" for name in encrypted_fields(Participation)))
        .order_by(*QUEUE_ORDER)
    )
