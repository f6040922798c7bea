"""reporting.selectors.proposals.queue_page: the queue's rows and count from the queries compiled once
per connection are what the ORM's `proposals_to_decide` and `queue_rows` give, on any page."""

import pytest
from django.urls import reverse

from reporting.models import OutcomeProposal, ProposalStatus
from reporting.selectors.proposals import proposals_to_decide, queue_page, queue_rows
from tests.reporting.test_outcome_queue import _proposed

pytestmark = pytest.mark.django_db
QUEUE = reverse("reporting:outcome_queue")
SHOWN = ("pk", "participation_id", "kind", "occurred_on", "status", "source_changed", "recorded_at")


def _shown(rows) -> list[tuple]:
    return [
        (*(getattr(r, name) for name in SHOWN), r.participation.last_name, r.participation.project.title,
         r.referral.service.provider.name, r.recorded_by.username)
        for r in rows
    ]  # fmt: skip


def test_the_pages_are_the_orms(project, other_project, manager, partner):
    _proposed(project, partner, 27)
    _proposed(other_project, partner, 2)  # not the manager's
    waiting = proposals_to_decide(manager)
    decided = list(waiting.values_list("pk", flat=True)[:3])
    OutcomeProposal.objects.filter(pk__in=decided).update(status=ProposalStatus.REJECTED)  # out of the queue
    for number in (1, 2, 0, -1):
        source = queue_page(manager, number)
        assert source.count() == waiting.count() == 24
    for start in (0, 25):
        assert _shown(queue_page(manager, 1)[start : start + 25]) == _shown(queue_rows(waiting[start : start + 25]))
    source = queue_page(manager, 3)
    assert source.count() == 24 and source[0:0] == []  # page 3 is empty: counted by a query of its own


def test_no_waiting_proposal_and_no_manager(project, manager, partner, coordinator):
    assert queue_page(manager, 1).count() == 0
    _proposed(project, partner, 1)
    assert queue_page(coordinator, 1) == []


def test_the_last_page_for_a_number_past_the_end(project, manager, partner, login):
    _proposed(project, partner, 27)
    body = login(manager).get(QUEUE, {"strona": "99999"}).content.decode()
    assert body.count('name="row_confirm"') == 2


@pytest.mark.parametrize("number", ["abc", "0", "-3", "1e9", "９", "99999999999999999999", "\x00"])
def test_bad_page_numbers_give_a_page_never_a_500(project, manager, partner, login, number):
    _proposed(project, partner, 2)
    response = login(manager).get(QUEUE, {"strona": number})
    assert response.status_code == 200 and response.content.decode().count('name="row_confirm"') == 2
