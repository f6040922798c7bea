"""Who may see and do what in the contracts room. Deny by default; out of scope = 404.

Referrals follow the person, social contracts and family programmes follow the family
(families.access): caseworkers see those of their caseload, coordinators/managers/auditors those
of their projects' families, partner staff only the referrals addressed to their institution.
"""

from django.db.models import Q

from contracts.models import FamilyProgramme, Referral, SessionGroup, SocialContract
from contracts.models.referrals import INBOX_STATUSES
from contracts.sql import InSubquery
from families.access import families_visible_to, family_in_scope, persons_visible_to
from support_network.access import CASEWORK_ROLES, PROJECT_ROLES, has_role, membership_of, project_ids_of
from support_network.models import Role

# --- referrals -------------------------------------------------------------------------------
#  - social worker, MGI member: referrals of the persons in their caseload, and those they wrote;
#  - coordinator, project manager, auditor: referrals of the persons of their projects (read);
#  - partner staff: referrals addressed to their institution, drafts excluded (the inbox) -
#    and never anything else of the person than the referral itself needs;
#  - administrator, no membership: nothing.


def referrals_visible_to(user):
    membership = membership_of(user)
    if membership is None or not user.is_active:
        return Referral.objects.none()
    if membership.role in CASEWORK_ROLES:
        persons = persons_visible_to(user).values("pk")
        return Referral.objects.filter(Q(InSubquery("person_id", persons)) | Q(created_by=user))
    if membership.role in PROJECT_ROLES:
        return Referral.objects.filter(person__in=persons_visible_to(user).values("pk"))
    if membership.role == Role.PARTNER_STAFF:
        return referral_inbox_of(user)
    return Referral.objects.none()


def referral_inbox_of(user):
    """Referrals addressed to the partner's institution (what its inbox lists)."""
    membership = membership_of(user)
    if membership is None or not user.is_active or membership.role != Role.PARTNER_STAFF:
        return Referral.objects.none()
    return Referral.objects.filter(institution_id=membership.institution_id, status__in=INBOX_STATUSES)


def can_refer(user) -> bool:
    membership = membership_of(user)
    return membership is not None and user.is_active and membership.role in CASEWORK_ROLES


def can_refer_person(user, person) -> bool:
    """Write a referral for `person`: a caseworker whose caseload holds the person."""
    return can_refer(user) and persons_visible_to(user).filter(pk=person.pk).exists()


def can_send(user, referral) -> bool:
    """The sender's side (send, withdraw from the waiting list, discard a draft): caseworkers who
    see the referral (its person is in their caseload, or they wrote it). Checked here, not only by
    the page's scoped fetch, because the services apply the same rule."""
    return can_refer(user) and referrals_visible_to(user).filter(pk=referral.pk).exists()


def can_answer(user, referral) -> bool:
    """The partner's side: staff of the institution the referral is addressed to."""
    membership = membership_of(user)
    return (
        membership is not None
        and user.is_active
        and membership.role == Role.PARTNER_STAFF
        and membership.institution_id == referral.institution_id
    )


def can_drop(user, referral) -> bool:
    """Either side may stop a referral (the person resigned or stopped attending)."""
    return can_answer(user, referral) or can_send(user, referral)


def is_partner_view(user) -> bool:
    membership = membership_of(user)
    return membership is not None and membership.role == Role.PARTNER_STAFF


# --- social contracts -------------------------------------------------------------------------


def contracts_visible_to(user):
    return SocialContract.objects.filter(family__in=families_visible_to(user).values("pk"))


def can_write_contracts_for(user, family) -> bool:
    """A kontrakt socjalny is concluded and run by a social worker of the family's caseload."""
    if not has_role(user, Role.SOCIAL_WORKER):
        return False
    return family_in_scope(user, family)


def can_manage_contract(user, contract) -> bool:
    """Sign, amend, close the contract and record its evaluations: the family's social worker."""
    return can_write_contracts_for(user, contract.family)


# --- family programmes ------------------------------------------------------------------------


def programmes_visible_to(user):
    """The programmes of the families the user sees (families.access). A project scope (coordinator,
    manager, auditor: the families of their projects) filters by the project the programme stores
    (a copy of its family's) in the list of the user's projects, instead of a subquery over every
    family of those projects (docs/performance/programmes.md)."""
    project_ids = programme_project_ids(user)
    if project_ids is not None:
        return FamilyProgramme.objects.filter(project_id__in=project_ids)
    return FamilyProgramme.objects.filter(family__in=families_visible_to(user).values("pk"))


def programme_project_ids(user) -> list[int] | None:
    """The projects whose programmes the user sees when the scope is by project (coordinator,
    manager, auditor); None when it is by the families the user sees."""
    membership = membership_of(user)
    if membership is not None and user.is_active and membership.role in PROJECT_ROLES:
        return project_ids_of(user)
    return None


def can_write_programmes_for(user, family) -> bool:
    """MGI members and social workers with the family in their caseload draft and revise."""
    if not has_role(user, *CASEWORK_ROLES):
        return False
    return family_in_scope(user, family)


def can_write_programme(user, programme) -> bool:
    """Revise and submit the programme: the caseworkers of its family."""
    return can_write_programmes_for(user, programme.family)


def can_edit_programme(user, programme) -> bool:
    return programme.is_editable and can_write_programme(user, programme)


def is_programme_coordinator(user, programme) -> bool:
    """A coordinator who is staff of the family's project."""
    if not has_role(user, Role.COORDINATOR):
        return False
    project_id = programme.family.project_id
    return project_id is not None and user.projects.filter(pk=project_id).exists()


def can_run_programme(user, programme) -> bool:
    """Start and complete the programme: its caseworkers and the project's coordinator."""
    return can_write_programmes_for(user, programme.family) or is_programme_coordinator(user, programme)


def can_decide_programme(user, programme) -> bool:
    """Approve or return: a coordinator of the project who did not write the programme."""
    return programme.created_by_id != user.pk and is_programme_coordinator(user, programme)


# --- group sessions -----------------------------------------------------------------------------
#  - partner staff: the groups their institution runs (they enrol, record attendance, print);
#  - coordinator, project manager, auditor: the groups of their projects (read only);
#  - caseworkers see their families' attendance on the referral, not the group.


def groups_visible_to(user):
    institution_id = groups_institution_of(user)
    if institution_id is not None:
        return SessionGroup.objects.filter(institution_id=institution_id)
    membership = membership_of(user)
    if membership is not None and user.is_active and membership.role in PROJECT_ROLES:
        return SessionGroup.objects.filter(project__staff=user)
    return SessionGroup.objects.none()


def groups_institution_of(user) -> int | None:
    """The institution whose groups are all the groups `user` sees (partner staff); None for any
    other user. The group page checks it against the group's own instead of filtering by it."""
    membership = membership_of(user)
    if membership is None or not user.is_active or membership.role != Role.PARTNER_STAFF:
        return None
    return membership.institution_id


def can_run_groups(user) -> bool:
    return has_role(user, Role.PARTNER_STAFF)


def can_run_group(user, group) -> bool:
    """Enrol, record attendance, attach the signed list: staff of the institution running it."""
    membership = membership_of(user)
    return can_run_groups(user) and membership is not None and membership.institution_id == group.institution_id
