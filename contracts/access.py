"""Who may see and do what with social contracts and family programmes. Deny by default.

Visibility follows the family (families.access.families_visible_to): caseworkers see the
contracts and programmes of their families, coordinators/managers/auditors those of the
families of their projects, partner staff nothing (→ 404).
"""

from contracts.models import FamilyProgramme, SocialContract
from families.access import families_visible_to
from support_network.access import CASEWORK_ROLES, has_role
from support_network.models import Role

# --- social contracts -------------------------------------------------------------------------


def contracts_visible_to(user):
    return SocialContract.objects.filter(family__in=families_visible_to(user).values("pk"))


def can_write_contracts_for(user, family) -> bool:
    """A kontrakt socjalny is concluded and run by a social worker of the family's caseload."""
    if not has_role(user, Role.SOCIAL_WORKER):
        return False
    return families_visible_to(user).filter(pk=family.pk).exists()


def can_manage_contract(user, contract) -> bool:
    return can_write_contracts_for(user, contract.family)


# --- family programmes ------------------------------------------------------------------------


def programmes_visible_to(user):
    return FamilyProgramme.objects.filter(family__in=families_visible_to(user).values("pk"))


def can_write_programmes_for(user, family) -> bool:
    """MGI members and social workers with the family in their caseload draft and revise."""
    if not has_role(user, *CASEWORK_ROLES):
        return False
    return families_visible_to(user).filter(pk=family.pk).exists()


def can_edit_programme(user, programme) -> bool:
    return programme.is_editable and can_write_programmes_for(user, programme.family)


def is_programme_coordinator(user, programme) -> bool:
    """A coordinator who is staff of the family's project."""
    if not has_role(user, Role.COORDINATOR):
        return False
    project_id = programme.family.project_id
    return project_id is not None and user.projects.filter(pk=project_id).exists()


def can_decide_programme(user, programme) -> bool:
    """Approve or return: a coordinator of the project who did not write the programme."""
    return programme.created_by_id != user.pk and is_programme_coordinator(user, programme)
