"""The ids of the session user's teams come with the user's query (StaffBackend.get_user,
`support_network.access.team_ids_joined`): `team_ids_of` runs no query of its own, gives what the
membership table holds, and a change of the memberships counts from the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from support_network.access import team_ids_of
from support_network.backends import StaffBackend
from support_network.models import Role
from tests.support_network.factories import TeamFactory, staff_user


def _plain(user) -> list[int]:
    return sorted(user.teams.values_list("pk", flat=True))


@pytest.mark.django_db
def test_the_session_users_teams_come_with_the_user():
    worker = staff_user(Role.SOCIAL_WORKER)
    teams = [TeamFactory(), TeamFactory(), TeamFactory()]
    for team in (teams[2], teams[0]):
        team.members.add(worker)
    with CaptureQueriesContext(connection) as ctx:
        user = StaffBackend().get_user(worker.pk)
        ids = team_ids_of(user)
    assert len(ctx.captured_queries) == 1
    assert ids == _plain(worker) == sorted([teams[0].pk, teams[2].pk])


@pytest.mark.django_db
def test_a_user_without_teams_has_none_without_a_query():
    worker = staff_user(Role.SOCIAL_WORKER)
    user = StaffBackend().get_user(worker.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert team_ids_of(user) == []
    assert ctx.captured_queries == []


@pytest.mark.django_db
def test_a_changed_membership_counts_from_the_next_request():
    worker = staff_user(Role.SOCIAL_WORKER)
    team, other = TeamFactory(), TeamFactory()
    team.members.add(worker)
    assert team_ids_of(StaffBackend().get_user(worker.pk)) == [team.pk]
    other.members.add(worker)
    team.members.remove(worker)
    assert team_ids_of(StaffBackend().get_user(worker.pk)) == [other.pk]
    other.members.remove(worker)
    assert team_ids_of(StaffBackend().get_user(worker.pk)) == []


@pytest.mark.django_db
def test_a_user_loaded_otherwise_reads_its_teams(django_user_model):
    worker = staff_user(Role.SOCIAL_WORKER)
    team = TeamFactory()
    team.members.add(worker)
    user = django_user_model.objects.get(pk=worker.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert team_ids_of(user) == [team.pk]
        assert team_ids_of(user) == [team.pk]  # once per request
    assert len(ctx.captured_queries) == 1
