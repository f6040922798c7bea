"""Who sees which families and persons. Deny by default; out of scope = 404 (scoped querysets).

- social worker, MGI member: families assigned to them or to one of their teams; they write the
  casework (families, members, visits, diagnoses, assessments);
- coordinator, project manager, auditor: families of the projects they are staff of, read-only;
  a coordinator also merges duplicate person records and sees the change history;
- partner staff, administrator, no membership: no family data at all.
"""

from django.db.models import Q

from families.models import Family, Person
from support_network.access import (
    CASEWORK_ROLES,
    PROJECT_ROLES,
    has_role,
    joined_project_ids,
    membership_of,
    team_ids_of,
)
from support_network.models import Project, Role

# Roles that have a caseload page ("Moje rodziny"); everybody else gets 403 there.
CASELOAD_ROLES = (*CASEWORK_ROLES, *PROJECT_ROLES)


def families_visible_to(user):
    membership = membership_of(user)
    if membership is None or not user.is_active:
        return Family.objects.none()
    if membership.role in CASEWORK_ROLES:
        # the team ids are resolved first: `worker = X OR team IN (list)` is a bitmap OR of two
        # indexes, where `OR team IN (SELECT ...)` scanned every family (docs/performance.md)
        teams = team_ids_of(user)
        if not teams:
            return Family.objects.filter(social_worker=user)
        return Family.objects.filter(Q(social_worker=user) | Q(team_id__in=teams))
    if membership.role in PROJECT_ROLES:
        # the session's user brings its project ids: `project IN (list)` is planned and counted
        # without the staff join (docs/performance/casework.md); a user loaded otherwise: the subquery
        projects = joined_project_ids(user)
        if projects is None:
            return Family.objects.filter(project__in=Project.objects.filter(staff=user).values("pk"))
        return Family.objects.filter(project_id__in=projects)
    return Family.objects.none()


def scope_shape(user) -> tuple | None:
    """What the SQL of `families_visible_to(user)` depends on besides the user's id: the role and,
    for a caseworker, the team ids; None where that scope is empty. A query compiled once per shape
    (`families.selectors.family_for_page`) builds the scope for a stand-in user of that shape
    (`support_network.access.stand_in_user`) and takes the user's id as a value."""
    membership = membership_of(user)
    if membership is None or not user.is_active:
        return None
    if membership.role in CASEWORK_ROLES:
        return membership.role, tuple(team_ids_of(user))
    if membership.role in PROJECT_ROLES:
        return membership.role, ()
    return None


def read_in_scope(user, family) -> bool:
    """Whether this request read `family` through `families_visible_to(user)`
    (`families.selectors.family_for_page` marks it); never a query. Then everything scoped through
    the family's visibility (its members, their referrals, its contracts and programmes) is visible
    to `user` without the scope's subqueries: the timeline's providers filter by the family alone."""
    return getattr(family, "_read_in_scope_of", None) == user.pk


def family_in_scope(user, family) -> bool:
    """Whether `family` is among `families_visible_to(user)`. A family the page read through that
    scope in this request (`read_in_scope`) needs no second query: the family page asks this four
    times (its actions and the other rooms' next steps)."""
    if read_in_scope(user, family):
        return True
    return families_visible_to(user).filter(pk=family.pk).exists()


def persons_visible_to(user):
    """Members of visible families (persons without a family are reached through their
    project participation, in the reporting room)."""
    return Person.objects.filter(family__in=families_visible_to(user).values("pk"))


def can_create_family(user) -> bool:
    return has_role(user, *CASEWORK_ROLES)


def can_edit_family(user, family) -> bool:
    """Casework (the family, its members, visits, diagnoses, assessments) is written by the
    caseworkers in scope; coordinators, managers and auditors read."""
    if not has_role(user, *CASEWORK_ROLES):
        return False
    return family_in_scope(user, family)


def can_see_special_categories(user, obj) -> bool:
    """The one rule for special-category answers (disability, health, addiction, domestic violence,
    minority, homelessness, other disadvantage, and the art. 7 reasons that reveal them,
    `families.codes.SENSITIVE_REASONS`): they are seen by those who collect or report them, on every
    page, form, export and template that shows them.

    - a person or a family (the family file): the family's caseworkers (`can_edit_family`);
    - an EFS record (a participation, or a project for its export: anything with a `project`): the
      project's manager and auditor, who report them to the managing authority.

    Coordinators, partner staff, administrators and anybody out of scope: never."""
    if isinstance(obj, Person):
        return can_edit_family(user, obj.family)
    if isinstance(obj, Family):
        return can_edit_family(user, obj)
    project = obj if isinstance(obj, Project) else getattr(obj, "project", None)
    if project is None or not has_role(user, Role.PROJECT_MANAGER, Role.AUDITOR):
        return False
    return Project.objects.filter(staff=user, pk=project.pk).exists()


def can_merge_persons(user) -> bool:
    """A coordinator merges two records of the same person (within the families they see)."""
    return has_role(user, Role.COORDINATOR)


def can_see_change_history(user) -> bool:
    """The diff history of families and persons is shown to coordinators."""
    return has_role(user, Role.COORDINATOR)
