"""`support_network.access.projects_of` reads the user's projects by a query compiled once per
connection: the same projects, in the same order (title, then id), with every field, as the ORM's
query; one query per request (cached on the user), none for a second ask."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from support_network.access import project_ids_of, projects_of
from support_network.models import Project, Role
from tests.support_network.factories import ProjectFactory, staff_user

User = get_user_model()


def _fields(project) -> dict:
    return {key: value for key, value in vars(project).items() if not key.startswith("_")}


@pytest.mark.django_db
def test_the_users_projects_are_the_orms_by_title_then_id():
    coordinator, other = staff_user(Role.COORDINATOR), staff_user(Role.COORDINATOR)
    projects = [ProjectFactory(title=title) for title in ("Żagiel", "Alfa", "Alfa", "Beta")]
    for project in projects[:3]:
        project.staff.add(coordinator)
    projects[3].staff.add(other)
    for staff in (coordinator, other, coordinator):  # compiled on the first call, reused after
        user = User.objects.get(pk=staff.pk)  # a new request's user: nothing cached
        with CaptureQueriesContext(connection) as ctx:
            found = projects_of(user)
            assert projects_of(user) is found and project_ids_of(user) == sorted(p.pk for p in found)
        expected = list(Project.objects.filter(staff=user).order_by("title", "pk"))
        assert [_fields(p) for p in found] == [_fields(p) for p in expected] and found
        assert len(ctx.captured_queries) == 1
    assert [p.title for p in projects_of(User.objects.get(pk=coordinator.pk))] == ["Alfa", "Alfa", "Żagiel"]


@pytest.mark.django_db
def test_a_user_of_no_project_has_none():
    assert projects_of(staff_user(Role.SOCIAL_WORKER)) == []
