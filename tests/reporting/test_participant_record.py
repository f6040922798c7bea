"""reporting.selectors.participants.participation_for_page and project_for_list: the record of a
participant's page and the list's project from the queries compiled once per connection are the
ORM's, and only for those who read the project."""

import pytest
from django.http import Http404
from django.urls import reverse

from reporting.access import MANAGE_ROLES, READ_ROLES, participations_visible_to
from reporting.models import Participation
from reporting.selectors.participants import participation_for_page, project_for_list
from support_network.access import PROJECT_ROLES
from support_network.models import Role
from tests.reporting.factories import OutcomeEventFactory, ParticipationFactory
from tests.support_network.factories import staff_user

pytestmark = pytest.mark.django_db
FIELDS = ("pk", "first_name", "last_name", "pesel", "disability", "start_date", "project_id", "person_id")


def test_the_record_is_the_orms(project, manager, coordinator, auditor):
    participation = ParticipationFactory(project=project, last_name="<script>O'Brien & co</script>")
    OutcomeEventFactory(participation=participation)
    for user in (manager, coordinator, auditor):
        record = participation_for_page(user, participation.pk)
        orm = participations_visible_to(user).select_related("project", "person").get(pk=participation.pk)
        assert [getattr(record, name) for name in FIELDS] == [getattr(orm, name) for name in FIELDS]
        assert record.project.title == orm.project.title and record.proposals_waiting == 0
        assert record.person == orm.person


def test_out_of_scope_is_not_found(project, other_project, manager, social_worker, partner, mops):
    mine, foreign = ParticipationFactory(project=project), ParticipationFactory(project=other_project)
    for user, pk in ((manager, foreign.pk), (social_worker, mine.pk), (partner, mine.pk), (manager, 0),
                     (manager, -5), (manager, 2**63), (manager, 10**30)):  # fmt: skip
        with pytest.raises(Participation.DoesNotExist):
            participation_for_page(user, pk)
    unassigned = staff_user(Role.PROJECT_MANAGER, mops, username="inny")  # a manager, not of this project
    with pytest.raises(Participation.DoesNotExist):
        participation_for_page(unassigned, mine.pk)
    manager.is_active = False
    with pytest.raises(Participation.DoesNotExist):
        participation_for_page(manager, mine.pk)


def test_the_page_answers_404_out_of_scope_and_for_huge_ids(project, other_project, manager, login):
    foreign = ParticipationFactory(project=other_project)
    client = login(manager)
    mine = ParticipationFactory(project=project, last_name="<script>O'Brien & co\"</script>")
    html = client.get(reverse("reporting:participant_detail", args=[mine.pk])).content.decode()
    assert "&lt;script&gt;O&#x27;Brien &amp; co&quot;&lt;/script&gt;" in html and "<script>O'" not in html
    for pk in (foreign.pk, 2**63, 10**25):
        assert client.get(reverse("reporting:participant_detail", args=[pk])).status_code == 404


def test_the_lists_project_for_its_readers_only(project, other_project, manager, coordinator, social_worker):
    ParticipationFactory(project=project, degurba="")
    ParticipationFactory(project=project, degurba="1")
    for user in (manager, coordinator):
        found = project_for_list(user, project.pk)
        assert found == project and found.title == project.title and found.without_degurba == 1
    for user, pk in ((manager, other_project.pk), (social_worker, project.pk), (manager, 0), (manager, 2**63)):
        with pytest.raises(Http404):
            project_for_list(user, pk)


def test_the_list_answers_404_out_of_scope_and_for_huge_ids(project, other_project, manager, login):
    client = login(manager)
    for pk in (other_project.pk, 2**63, 10**25):
        assert client.get(reverse("reporting:participant_list", args=[pk])).status_code == 404


def test_the_reading_roles_scope_is_the_projects_they_are_staff_of():
    """`participation_for_page`, `project_for_list` and the outcome queue check the scope by the
    project's staff: true while every reading role is one whose projects are those it is staff of
    (`support_network.access.projects_visible_to`). A role added there must change them too."""
    assert set(READ_ROLES) | set(MANAGE_ROLES) <= set(PROJECT_ROLES)
