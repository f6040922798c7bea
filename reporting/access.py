"""Who sees and does what in the reporting room. Deny by default; out of scope = 404.

- project manager: the participations of the projects they are staff of; enrols, corrects,
  records exits and outcomes, imports and exports;
- coordinator: the same participations, read-only;
- auditor: the same participations, read-only (time-boxed through the membership), may export;
- everybody else (social workers, MGI, partners, administrators): nothing here (403 on the pages).
"""

from families.access import can_see_special_categories
from reporting.models import Participation
from support_network.access import has_role, membership_of, projects_visible_to
from support_network.models import Project, Role

READ_ROLES = (Role.PROJECT_MANAGER, Role.COORDINATOR, Role.AUDITOR)
MANAGE_ROLES = (Role.PROJECT_MANAGER,)
EXPORT_ROLES = (Role.PROJECT_MANAGER, Role.AUDITOR)


def reporting_projects_visible_to(user):
    """Projects whose participation records the user may read."""
    membership = membership_of(user)
    if membership is None or not user.is_active or membership.role not in READ_ROLES:
        return Project.objects.none()
    return projects_visible_to(user)


def participations_visible_to(user):
    return Participation.objects.filter(project__in=reporting_projects_visible_to(user).values("pk"))


def can_manage_project(user, project) -> bool:
    """Writes on the project's participation records (and its reports): its project managers."""
    if not has_role(user, *MANAGE_ROLES):
        return False
    return reporting_projects_visible_to(user).filter(pk=project.pk).exists()


def can_export_participants(user, project) -> bool:
    """The export carries the disability and minority answers: whom the one special-category rule
    allows for the project (`families.access.can_see_special_categories`: its manager and auditor)."""
    if not has_role(user, *EXPORT_ROLES):
        return False
    return (
        can_see_special_categories(user, project) and reporting_projects_visible_to(user).filter(pk=project.pk).exists()
    )
