"""The participation, follow-up and import services check the acting user (reporting.access): only
the project's managers write; everybody else is refused with a DomainError and nothing is written."""

import datetime as dt

import pytest

from core.errors import DomainError
from reporting.models import FollowUp, OutcomeEvent, Participation, ParticipationAmendment
from reporting.services import followups as followup_services
from reporting.services import participation as services
from reporting.services.participant_import import participants_import
from tests.reporting.factories import ParticipationFactory
from tests.reporting.test_import import csv_file, row
from tests.reporting.test_participation_services import employment, entry

pytestmark = pytest.mark.django_db
READ_ONLY = ["coordinator", "auditor", "social_worker", "partner", "administrator", "other_coordinator"]


@pytest.fixture
def participation(project, manager):
    return services.participation_enrol(project=project, data=entry(), by=manager)


@pytest.mark.parametrize("who", READ_ONLY)
def test_only_the_projects_manager_enrols(request, project, who):
    with pytest.raises(DomainError, match="tylko kierownik projektu"):
        services.participation_enrol(project=project, data=entry(), by=request.getfixturevalue(who))
    assert not Participation.objects.exists()


def test_a_manager_of_another_project_is_refused(other_project, manager):
    other_project.start_date = dt.date(2017, 1, 1)
    other_project.save()
    with pytest.raises(DomainError, match="tylko kierownik projektu"):
        services.participation_enrol(project=other_project, data=entry(), by=manager)
    assert not Participation.objects.exists()


@pytest.mark.parametrize("who", READ_ONLY)
def test_an_outsider_cannot_correct_record_an_exit_or_an_outcome(request, participation, who):
    user = request.getfixturevalue(who)
    with pytest.raises(DomainError, match="tylko kierownik projektu"):
        services.participation_amend(participation=participation, changes={"first_name": "Anna"}, reason="błąd",
                                     by=user)  # fmt: skip
    with pytest.raises(DomainError, match="tylko kierownik projektu"):
        services.participation_record_exit(participation=participation, end_date=dt.date(2017, 6, 30),
                                           completed_as_planned=True, by=user)  # fmt: skip
    with pytest.raises(DomainError, match="tylko kierownik projektu"):
        services.outcome_record(participation=participation, values=employment(), by=user)
    participation.refresh_from_db()
    assert participation.first_name == "Maria" and participation.end_date is None
    assert not ParticipationAmendment.objects.exists() and not OutcomeEvent.objects.exists()
    assert not FollowUp.objects.exists()


def test_an_auditor_cannot_delete_an_outcome_or_complete_a_follow_up(participation, manager, auditor):
    [event] = services.outcome_record(participation=participation, values=employment(), by=manager)
    followup = FollowUp.objects.get(outcome=event)
    with pytest.raises(DomainError, match="tylko kierownik projektu"):
        services.outcome_delete(outcome=event, by=auditor)
    with pytest.raises(DomainError, match="tylko kierownik projektu"):
        followup_services.followup_complete(followup=followup, done_on=dt.date(2018, 2, 20), note="pracuje",
                                            by=auditor)  # fmt: skip
    assert OutcomeEvent.objects.filter(pk=event.pk).exists()
    followup.refresh_from_db()
    assert followup.done_on is None and followup.done_by is None


@pytest.mark.parametrize("who", ["auditor", "coordinator"])
def test_the_import_is_refused_to_a_read_only_role(request, project, who):
    ParticipationFactory(project=project, start_date=dt.date(2017, 10, 1))
    with pytest.raises(DomainError, match="tylko kierownik projektu"):
        participants_import(project=project, fileobj=csv_file([row(1)]), filename="u.csv",
                            by=request.getfixturevalue(who))  # fmt: skip
    assert Participation.objects.count() == 1
