"""The ids of the session user's projects come with the user's query (StaffBackend.get_user,
`support_network.access.project_ids_joined`): `joined_project_ids` runs no query of its own, gives
what the project staff table holds, a change counts from the next request, and a user loaded
otherwise gets None (its scopes keep their subquery)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from support_network.access import joined_project_ids
from support_network.backends import StaffBackend
from support_network.models import Role
from tests.support_network.factories import ProjectFactory, staff_user


@pytest.mark.django_db
def test_the_session_users_projects_come_with_the_user():
    coordinator = staff_user(Role.COORDINATOR)
    projects = [ProjectFactory(), ProjectFactory(), ProjectFactory()]
    for project in (projects[2], projects[0]):
        project.staff.add(coordinator)
    with CaptureQueriesContext(connection) as ctx:
        user = StaffBackend().get_user(coordinator.pk)
        ids = joined_project_ids(user)
    assert len(ctx.captured_queries) == 1
    assert ids == sorted([projects[0].pk, projects[2].pk])


@pytest.mark.django_db
def test_a_change_of_the_project_staff_counts_from_the_next_request():
    manager = staff_user(Role.PROJECT_MANAGER)
    project, other = ProjectFactory(), ProjectFactory()
    project.staff.add(manager)
    assert joined_project_ids(StaffBackend().get_user(manager.pk)) == [project.pk]
    other.staff.add(manager)
    project.staff.remove(manager)
    assert joined_project_ids(StaffBackend().get_user(manager.pk)) == [other.pk]
    other.staff.remove(manager)
    assert joined_project_ids(StaffBackend().get_user(manager.pk)) == []


@pytest.mark.django_db
def test_a_user_loaded_otherwise_has_no_joined_projects(django_user_model):
    coordinator = staff_user(Role.COORDINATOR)
    ProjectFactory().staff.add(coordinator)
    assert joined_project_ids(django_user_model.objects.get(pk=coordinator.pk)) is None
