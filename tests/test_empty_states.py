"""Every list tells an empty state what to do next (issue 12, wall 1): where the next step is
taken and a link there, in the words of the role that sees the list."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CASELOAD = reverse("families:caseload")
CATALOGUE = reverse("support_network:catalogue")


@pytest.mark.parametrize(
    ("url", "step"),
    [
        (reverse("contracts:contract_list"), "„Nowy kontrakt socjalny”"),
        (reverse("contracts:programme_list"), "„Nowy program rodzinny”"),
    ],
)
def test_an_empty_plan_list_leads_to_the_family_page(client, social_worker, url, step):
    client.force_login(social_worker)
    html = client.get(url).content.decode()
    assert step in html and f'href="{CASELOAD}"' in html


def test_a_workers_empty_referral_list_names_the_button_and_the_catalogue(client, social_worker):
    client.force_login(social_worker)
    html = client.get(reverse("contracts:referral_sent")).content.decode()
    assert "„Skieruj do usługi”" in html and f'href="{CATALOGUE}"' in html


def test_a_partners_empty_inbox_says_where_referrals_come_from(client, partner):
    client.force_login(partner)
    html = client.get(reverse("contracts:referral_inbox")).content.decode()
    assert "każde nowe pojawi się tutaj" in html and "„Skieruj do usługi”" not in html


def test_an_empty_caseload_offers_a_new_family_or_clearing_the_filter(client, social_worker):
    client.force_login(social_worker)
    assert "„Nowa rodzina”" in client.get(CASELOAD).content.decode()
    filtered = client.get(CASELOAD, {"status": "closed"}).content.decode()
    assert "Pokaż wszystkie rodziny" in filtered
