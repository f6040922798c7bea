"""The partnership's write services check the acting user (support_network.access): agreements by
coordinators, managers and administrators within their scope, meetings by the team's members and the
project's coordinators and managers; everybody else is refused and nothing is written."""

import datetime as dt

import pytest
from django.utils import timezone

from core.errors import DomainError
from support_network.models import Agreement, AgreementStatus, Meeting, TeamKind
from support_network.services import agreement_save, meeting_save
from tests.support_network.factories import TeamFactory

pytestmark = pytest.mark.django_db


def _agreement(parties, project=None, title="Porozumienie MOPS – PUP"):
    return {"title": title, "number": "", "subject": "Współpraca", "parties": parties, "project": project,
            "status": AgreementStatus.SIGNED, "deadline": None, "signed_on": dt.date(2017, 9, 1),
            "valid_until": None, "scan": None, "notes": ""}  # fmt: skip


def _meeting(attendees):
    return {"starts_at": timezone.now(), "place": "MOPS", "agenda": "Aktywizacja", "attendees": attendees,
            "guests": "", "decisions": "", "next_meeting_at": None, "next_meeting_note": ""}  # fmt: skip


@pytest.fixture
def working_group(mops, project, social_worker, partner):
    team = TeamFactory(institution=mops, project=project, name="Grupa Robocza", kind=TeamKind.WORKING_GROUP)
    team.members.add(social_worker, partner)
    return team


def test_a_coordinator_saves_an_agreement_of_their_project(coordinator, mops, pup, project):
    agreement = agreement_save(data=_agreement([mops, pup], project), by=coordinator)
    assert agreement.created_by == coordinator and set(agreement.parties.all()) == {mops, pup}


@pytest.mark.parametrize("who", ["social_worker", "partner", "auditor", "mgi_member"])
def test_other_roles_cannot_write_agreements(request, mops, pup, who):
    with pytest.raises(DomainError, match="Porozumienia prowadzą"):
        agreement_save(data=_agreement([mops, pup]), by=request.getfixturevalue(who))
    assert not Agreement.objects.exists()


def test_an_agreement_out_of_scope_or_of_another_project_is_refused(coordinator, other_coordinator, mops, pup,
                                                                    project, other_project):  # fmt: skip
    agreement = agreement_save(data=_agreement([mops, pup], project), by=coordinator)
    with pytest.raises(DomainError, match="nie dotyczy"):
        agreement_save(data=_agreement([mops, pup], title="Zmienione"), agreement=agreement, by=other_coordinator)
    with pytest.raises(DomainError, match="projekt, w którym pracujesz"):
        agreement_save(data=_agreement([mops, pup], other_project, title="Obce"), by=coordinator)
    agreement.refresh_from_db()
    assert agreement.title == "Porozumienie MOPS – PUP" and Agreement.objects.count() == 1


def test_a_member_records_a_meeting(social_worker, partner, working_group):
    meeting = meeting_save(team=working_group, data=_meeting([social_worker, partner]), by=social_worker)
    assert meeting.created_by == social_worker and set(meeting.attendees.all()) == {social_worker, partner}


@pytest.mark.parametrize("who", ["auditor", "other_worker", "other_coordinator"])
def test_an_outsider_cannot_record_a_meeting(request, social_worker, working_group, who):
    with pytest.raises(DomainError, match="Spotkania zespołu zapisują"):
        meeting_save(team=working_group, data=_meeting([social_worker]), by=request.getfixturevalue(who))
    assert not Meeting.objects.exists()


def test_a_meeting_of_another_team_is_refused(social_worker, working_group, mops):
    other_team = TeamFactory(institution=mops, name="PZKW")
    other_team.members.add(social_worker)
    meeting = meeting_save(team=other_team, data=_meeting([social_worker]), by=social_worker)
    with pytest.raises(DomainError, match="nie należy do tego zespołu"):
        meeting_save(team=working_group, data={**_meeting([]), "place": "Inne"}, meeting=meeting, by=social_worker)
    meeting.refresh_from_db()
    assert meeting.place == "MOPS"
