"""A project scope (coordinator, manager, auditor) of the session's user is `project IN (<the ids
that came with the user>)` (`support_network.access.joined_project_ids`); of a user loaded otherwise
the subquery on the project staff. Both give the same families."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from families.access import families_visible_to
from support_network.backends import StaffBackend
from support_network.models import Role
from tests.families.factories import FamilyFactory
from tests.support_network.factories import ProjectFactory, staff_user


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PROJECT_MANAGER, Role.AUDITOR])
def test_a_project_scope_is_the_same_families_with_the_ids_or_the_subquery(role, django_user_model):
    user = staff_user(role)
    mine, also_mine, theirs = ProjectFactory(), ProjectFactory(), ProjectFactory()
    mine.staff.add(user)
    also_mine.staff.add(user)
    expected = {FamilyFactory(project=mine).pk, FamilyFactory(project=also_mine).pk}
    FamilyFactory(project=theirs)
    FamilyFactory(project=None)
    session_user = StaffBackend().get_user(user.pk)
    loaded_otherwise = django_user_model.objects.get(pk=user.pk)
    with_ids = set(families_visible_to(session_user).values_list("pk", flat=True))
    with_subquery = set(families_visible_to(loaded_otherwise).values_list("pk", flat=True))
    assert with_ids == with_subquery == expected


@pytest.mark.django_db
def test_a_project_scope_without_projects_sees_nothing_without_a_query():
    coordinator = staff_user(Role.COORDINATOR)
    FamilyFactory(project=ProjectFactory())
    user = StaffBackend().get_user(coordinator.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert list(families_visible_to(user)) == []
    assert ctx.captured_queries == []
