"""Who sees and does what in the reporting room. Deny by default; out of scope = 404.

- project manager: the participations of the projects they are staff of; enrols, corrects,
  records exits and outcomes, imports and exports;
- coordinator: the same participations, read-only;
- auditor: the same participations, read-only (time-boxed through the membership), may export;
- everybody else (social workers, MGI, partners, administrators): nothing here (403 on the pages).
"""

from families.access import can_see_special_categories
from reporting.models import FollowUp, FollowUpKind, Participation
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


def list_rights(user, project) -> tuple[bool, bool]:
    """(may manage, may export) the participants of a `project` fetched from
    `reporting_projects_visible_to(user)` (the participant list's), so its visibility is known:
    managing is `can_manage_project`; the export carries the disability and minority answers, so it
    is for whom the one special-category rule allows for the project
    (`families.access.can_see_special_categories`: its manager and auditor). At most one query."""
    can_manage = has_role(user, *MANAGE_ROLES)
    can_export = has_role(user, *EXPORT_ROLES) and can_see_special_categories(user, project)
    return can_manage, can_export


def record_rights(user, participation) -> tuple[bool, bool]:
    """(may manage, may see the special-category answers) for a `participation` fetched from
    `participations_visible_to(user)` (a participant's page), so its project's visibility is known
    and managing is the role alone, as in `list_rights`. At most one query."""
    return has_role(user, *MANAGE_ROLES), can_see_special_categories(user, participation)


# --- the talks one month after a job starts (employer and employee) ---
CONVERSATION_ROLES = (Role.SOCIAL_WORKER, Role.PARTNER_STAFF)


def employment_followups_visible_to(user):
    """The one-month employment follow-ups the user sees: the project's readers (manager,
    coordinator, auditor) through the participation; the family's social worker; the partner staff
    whose institution placed the person (the job is the confirmed outcome of a referral to it)."""
    followups = FollowUp.objects.filter(kind=FollowUpKind.EMPLOYMENT_1M)
    membership = membership_of(user)
    if membership is None or not user.is_active:
        return followups.none()
    if membership.role in READ_ROLES:
        return followups.filter(participation__in=participations_visible_to(user).values("pk"))
    if membership.role == Role.SOCIAL_WORKER:
        return followups.filter(participation__person__family__social_worker=user)
    if membership.role == Role.PARTNER_STAFF:
        # the job came from the institution's own referral: the confirmed outcome's proposal names it
        return followups.filter(outcome__proposal__referral__institution=membership.institution_id)
    return followups.none()


def can_record_conversation(user, followup) -> bool:
    """The worker or the partner who placed the person records the talks; the manager may too."""
    if not has_role(user, *CONVERSATION_ROLES, *MANAGE_ROLES):
        return False
    return employment_followups_visible_to(user).filter(pk=followup.pk).exists()
