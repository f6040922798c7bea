"""Roles map to Django groups with permissions; the groups are (re)built after every migrate."""

from django.contrib.auth.models import Group, Permission

from support_network.models import Role

# role -> codenames of support_network permissions (see StaffMembership.Meta.permissions)
ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.SOCIAL_WORKER: {"casework"},
    Role.MGI_MEMBER: {"casework"},
    Role.COORDINATOR: {"coordinate"},
    Role.PROJECT_MANAGER: {"manage_project"},
    Role.PARTNER_STAFF: {"answer_referrals"},
    Role.AUDITOR: {"audit"},
    Role.ADMINISTRATOR: {"administer"},
}


def sync_role_groups(**kwargs) -> None:
    """Create one group per role holding exactly its permissions (idempotent)."""
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=Role(role).label)
        perms = Permission.objects.filter(content_type__app_label="support_network", codename__in=codenames)
        group.permissions.set(perms)


def assign_role_group(user, role: str) -> None:
    """Put the user in exactly the group of their role."""
    role_groups = Group.objects.filter(name__in=[Role(r).label for r in ROLE_PERMISSIONS])
    user.groups.remove(*role_groups)
    user.groups.add(Group.objects.get(name=Role(role).label))
