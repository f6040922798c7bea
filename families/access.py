"""Who sees which families and persons. Deny by default; out of scope = 404 (scoped querysets).

- social worker, MGI member: families assigned to them or to one of their teams;
- coordinator, project manager, auditor: families of the projects they are staff of
  (the auditor read-only; see `can_edit_family`);
- partner staff, administrator, no membership: no family data at all.
"""

from django.db.models import Q

from families.models import Family, Person
from support_network.access import CASEWORK_ROLES, PROJECT_ROLES, membership_of
from support_network.models import Project, Role, Team


def families_visible_to(user):
    membership = membership_of(user)
    if membership is None or not user.is_active:
        return Family.objects.none()
    if membership.role in CASEWORK_ROLES:
        teams = Team.objects.filter(members=user).values("pk")
        return Family.objects.filter(Q(social_worker=user) | Q(team__in=teams))
    if membership.role in PROJECT_ROLES:
        return Family.objects.filter(project__in=Project.objects.filter(staff=user).values("pk"))
    return Family.objects.none()


def persons_visible_to(user):
    """Members of visible families (persons without a family are reached through their
    project participation, in the reporting room)."""
    return Person.objects.filter(family__in=families_visible_to(user).values("pk"))


def can_edit_family(user, family) -> bool:
    """Casework (visits, diagnoses, members) is written by the caseworkers in scope and by the
    project's coordinator; managers and auditors read."""
    membership = membership_of(user)
    if membership is None:
        return False
    if membership.role not in (*CASEWORK_ROLES, Role.COORDINATOR):
        return False
    return families_visible_to(user).filter(pk=family.pk).exists()
