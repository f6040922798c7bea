"""Destructive and irreversible actions of the contracts room confirm first (issue 12, wall 5):
the first POST shows what will happen, with the real counts and names; only the second POST
(confirmed=1) acts. Works without JavaScript."""

import pytest
from django.urls import reverse

from contracts.models import ProgrammeStatus, Referral
from contracts.services.referrals import referral_create
from tests.contracts.factories import make_contract, make_programme

pytestmark = pytest.mark.django_db


def test_approving_says_how_many_referrals_go_to_which_partner(
    family, mgi_member, coordinator, service, second_service, login
):
    programme = make_programme(family=family, author=mgi_member, services=[service, second_service], submit=True)
    client = login(coordinator)
    url = reverse("contracts:programme_decide", args=[programme.pk])
    page = client.post(url, {"decision": "approve", "version": 1, "comment": "OK"})
    assert page.status_code == 200
    assert f"2 skierowania zostaną wysłane do {service.provider}" in page.text
    assert 'name="comment" value="OK"' in page.text and 'name="confirmed" value="1"' in page.text
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.SUBMITTED and not Referral.objects.exists()
    client.post(url, {"decision": "approve", "version": 1, "comment": "OK", "confirmed": "1"})
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.APPROVED and Referral.objects.count() == 2


def test_approving_a_programme_without_catalogue_actions_says_nothing_is_sent(family, mgi_member, coordinator, login):
    programme = make_programme(family=family, author=mgi_member, submit=True)
    page = login(coordinator).post(
        reverse("contracts:programme_decide", args=[programme.pk]), {"decision": "approve", "version": 1}
    )
    assert "żadne skierowanie nie zostanie wysłane" in page.text


def test_returning_needs_no_confirm_step(family, mgi_member, coordinator, login):
    programme = make_programme(family=family, author=mgi_member, submit=True)
    login(coordinator).post(
        reverse("contracts:programme_decide", args=[programme.pk]),
        {"decision": "return", "version": 1, "comment": "Popraw"},
    )
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.RETURNED


def test_deleting_a_draft_referral_confirms_with_its_service(family, social_worker, service, login):
    referral = referral_create(person=family.members.first(), service=service, by=social_worker, reason="Praca")
    client = login(social_worker)
    url = reverse("contracts:referral_delete", args=[referral.pk])
    page = client.post(url)
    assert page.status_code == 200 and service.name in page.text and f"nr {referral.pk}" in page.text
    assert Referral.objects.filter(pk=referral.pk).exists()
    assert client.post(url, {"confirmed": "1"}).status_code == 302
    assert not Referral.objects.filter(pk=referral.pk).exists()


def test_closing_a_contract_page_says_what_stays_undone(family, social_worker, login):
    contract = make_contract(family=family, person=family.members.first(), worker=social_worker, signed=True)
    undone = contract.actions.filter(done_on__isnull=True).count()
    page = login(social_worker).get(reverse("contracts:contract_close", args=[contract.pk])).text
    assert "zostanie zamknięty na stałe" in page
    if undone:
        assert f"{undone} działani" in page
