"""The project manager's queue of outcomes proposed from referrals, and the start-date confirmation
on the participation page (issue 13 items 1–2)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from contracts.models import Referral, ReferralAttendance, ReferralOutcome, ReferralStatus
from reporting.codes import EmploymentForm
from reporting.models import OutcomeEvent, OutcomeProposal, ProposalStatus
from tests.families.factories import PersonFactory
from tests.reporting.factories_indicators import ParticipationFactory
from tests.support_network.factories import ServiceFactory

pytestmark = pytest.mark.django_db
QUEUE = reverse("reporting:outcome_queue")
DECIDE = reverse("reporting:outcome_decide")


def _proposed(project, partner, n=1, start=dt.date(2018, 3, 1)):
    """n participations of `project`, each with a referral attended in April 2018 and an employment
    recorded by the partner: n proposals."""
    service = ServiceFactory()
    parts = []
    for _ in range(n):
        person = PersonFactory()
        parts.append(ParticipationFactory(project=project, person=person, start_date=start))
        referral = Referral.objects.create(
            person=person, service=service, institution=service.provider, created_by=partner, reason="r",
            status=ReferralStatus.IN_PROGRESS, sent_at=timezone.now(), answer_due=timezone.localdate(),
        )  # fmt: skip
        ReferralAttendance.objects.create(referral=referral, held_on=dt.date(2018, 4, 3), hours=4, recorded_by=partner)
        ReferralOutcome.objects.create(
            referral=referral, recorded_by=partner, employed=True, employer="Firma",
            employment_start=dt.date(2018, 6, 1), employment_form=EmploymentForm.CONTRACT,
            employment_fte=Decimal("0.50"), employment_months=3,
        )  # fmt: skip
    return parts


@pytest.mark.parametrize("n", [1, 12])
def test_queue_lists_the_managers_proposals_in_constant_queries(project, manager, partner, login, n,
                                                                django_assert_max_num_queries):  # fmt: skip
    _proposed(project, partner, n)
    client = login(manager)
    with django_assert_max_num_queries(12):
        body = client.get(QUEUE).content.decode()
    assert body.count('name="row_confirm"') == n and "Firma" in body and "skierowanie nr" in body


def test_queue_is_scoped_to_the_managers_projects(project, other_project, manager, partner, login):
    _proposed(other_project, partner)
    body = login(manager).get(QUEUE).content.decode()
    assert 'name="row_confirm"' not in body
    foreign = OutcomeProposal.objects.get()
    login(manager).post(DECIDE, {"row_confirm": str(foreign.pk)})
    assert not OutcomeEvent.objects.exists()


def test_one_click_confirm_and_bulk_reject(project, manager, partner, login):
    first, *rest = _proposed(project, partner, 3)
    client = login(manager)
    one = OutcomeProposal.objects.get(participation=first)
    response = client.post(DECIDE, {"row_confirm": str(one.pk)})
    assert response.status_code == 302
    assert OutcomeEvent.objects.get().participation == first
    client.post(DECIDE, {"row_confirm": str(one.pk)})  # a second click: still one
    assert OutcomeEvent.objects.count() == 1
    others = [str(p.pk) for p in OutcomeProposal.objects.filter(participation__in=rest)]
    client.post(DECIDE, {"action": "reject", "ids": others})
    assert set(OutcomeProposal.objects.values_list("status", flat=True)) == {ProposalStatus.CONFIRMED,
                                                                             ProposalStatus.REJECTED}  # fmt: skip
    assert OutcomeEvent.objects.count() == 1


@pytest.mark.parametrize("data", [{}, {"action": "confirm"}, {"action": "x", "ids": ["1"]}, {"row_confirm": "²"},
                                  {"action": "confirm", "ids": ["abc", "99999999999999999999"]}])  # fmt: skip
def test_bad_decisions_get_a_message_never_a_500(manager, login, data):
    response = login(manager).post(DECIDE, data, follow=True)
    assert response.status_code == 200 and "Zaznacz co najmniej jeden rezultat" in response.content.decode()


def test_participation_page_shows_pending_start_and_the_flag(project, manager, partner, login):
    (part,) = _proposed(project, partner, start=dt.date(2018, 5, 1))  # attendance in April: before the start
    part.refresh_from_db()
    assert part.proposed_start_date == dt.date(2018, 4, 3)
    client = login(manager)
    url = reverse("reporting:participant_detail", args=[part.pk])
    body = client.get(url).content.decode()
    assert 'id="start-pending"' in body and 'id="proposals-pending"' in body
    response = client.post(reverse("reporting:participant_confirm_start", args=[part.pk]),
                           {"lock_version": str(part.lock_version)})  # fmt: skip
    assert response.status_code == 302
    part.refresh_from_db()
    assert (part.start_date, part.proposed_start_date) == (dt.date(2018, 4, 3), None)
    proposal = OutcomeProposal.objects.get()
    client.post(DECIDE, {"row_confirm": str(proposal.pk)})
    ReferralOutcome.objects.filter(referral=proposal.referral).update(employment_months=12)
    ReferralOutcome.objects.get(referral=proposal.referral).save()  # the partner edits the source
    body = client.get(url).content.decode()
    assert "zmieniony u źródła po potwierdzeniu" in body and "ze skierowania nr" in body
    assert "zmieniony u źródła po potwierdzeniu" in client.get(QUEUE).content.decode()


def test_a_stale_start_confirmation_is_refused(project, manager, partner, login):
    (part,) = _proposed(project, partner, start=dt.date(2018, 5, 1))
    part.refresh_from_db()
    response = login(manager).post(reverse("reporting:participant_confirm_start", args=[part.pk]),
                                   {"lock_version": str(part.lock_version - 1 or 99)}, follow=True)  # fmt: skip
    part.refresh_from_db()
    assert response.status_code == 200 and part.start_date == dt.date(2018, 5, 1)


@pytest.mark.parametrize("n", [1, 10])
def test_participation_page_queries_do_not_grow_with_proposals(project, manager, partner, login, n,
                                                               django_assert_max_num_queries):  # fmt: skip
    (part,) = _proposed(project, partner)
    referral = Referral.objects.get()
    outcome = ReferralOutcome.objects.get()
    outcome.progress_categories, outcome.progress_on = "abcdefgh"[:n], dt.date(2018, 5, 1)
    outcome.save()
    from reporting.services.referral_flow import outcome_proposals_confirm

    outcome_proposals_confirm(ids=list(OutcomeProposal.objects.filter(referral=referral).values_list("pk", flat=True)),
                              by=manager)  # fmt: skip
    client = login(manager)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("reporting:participant_detail", args=[part.pk])).status_code == 200


def test_the_queue_shows_one_page_of_25_with_the_shared_pager(project, manager, partner, login):
    """A regional project has thousands of pending proposals (about 2,000 at scale XL): one page of
    the shared size, the rest behind the pager, each proposal on exactly one page."""
    _proposed(project, partner, 27)
    client = login(manager)
    first = client.get(QUEUE).content.decode()
    second = client.get(QUEUE, {"strona": 2}).content.decode()
    assert first.count('name="row_confirm"') == 25 and second.count('name="row_confirm"') == 2
    ids = {pk for body in (first, second) for pk in re.findall(r'name="row_confirm" value="(\d+)"', body)}
    assert len(ids) == 27 and "strona=2" in first
