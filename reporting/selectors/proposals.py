"""The queue of outcomes proposed from partners' referral outcomes (reporting.services.referral_flow):
what a project manager still has to confirm or reject, and confirmed ones changed at the source."""

from django.db.models import Q, QuerySet

from reporting.access import MANAGE_ROLES, reporting_projects_visible_to
from reporting.models import OutcomeProposal, ProposalStatus
from support_network.access import has_role

TO_DECIDE = Q(status=ProposalStatus.PROPOSED) | Q(status=ProposalStatus.CONFIRMED, source_changed=True)


def proposals_to_decide(user, *, project=None) -> QuerySet[OutcomeProposal]:
    """The proposals of the projects the user manages that wait for a decision, in a fixed number of
    queries (the referral, its service and the partner who recorded it come along)."""
    if not has_role(user, *MANAGE_ROLES):
        return OutcomeProposal.objects.none()
    projects = reporting_projects_visible_to(user)
    if project is not None:
        projects = projects.filter(pk=project.pk)
    return (
        OutcomeProposal.objects.filter(TO_DECIDE, participation__project__in=projects.values("pk"))
        .select_related("participation__project", "referral__service__provider", "recorded_by", "event")
        .order_by("participation__project_id", "recorded_at", "pk")
    )
