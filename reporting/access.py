"""Who sees and does what in the reporting room. Deny by default; out of scope = 404.

- project manager, coordinator, auditor: participations, indicators, budget and reports of the
  projects they are staff of (`support_network.access.projects_visible_to`); the auditor reads only;
- managing (budget, targets, reports) = a project manager who is staff of the project.
"""

from reporting.models import Participation
from support_network.access import PROJECT_ROLES, has_role, membership_of, projects_visible_to
from support_network.models import Project, Role


def reporting_projects_visible_to(user):
    """Projects whose reporting pages the user may open (staff of the project in a project role)."""
    membership = membership_of(user)
    if membership is None or not user.is_active or membership.role not in PROJECT_ROLES:
        return Project.objects.none()
    return projects_visible_to(user)


def participations_visible_to(user):
    return Participation.objects.filter(project__in=reporting_projects_visible_to(user).values("pk"))


def can_manage_project(user, project) -> bool:
    if not has_role(user, Role.PROJECT_MANAGER):
        return False
    return project.staff.filter(pk=user.pk).exists()
