"""The way in: the family and person pages offer the contracts room's next steps (a social contract,
a family programme, a referral) to the users who may take them, and each offered link opens its form."""

import pytest
from django.urls import reverse

FAMILY_STEPS = ("Nowy kontrakt socjalny", "Nowy program rodzinny", "Skierowanie")


def _page(client, name, pk):
    response = client.get(reverse(name, args=[pk]))
    assert response.status_code == 200
    return response


def _offered(response) -> dict[str, str]:
    return {action.label: action.url for action in response.context["page_actions"]}


@pytest.mark.django_db
def test_social_worker_is_offered_contract_programme_and_referral_on_the_family_page(login, social_worker, family):
    client = login(social_worker)
    offered = _offered(_page(client, "families:family_detail", family.pk))
    assert offered == {
        "Nowy kontrakt socjalny": f"{reverse('contracts:contract_create')}?family={family.pk}",
        "Nowy program rodzinny": f"{reverse('contracts:programme_create')}?family={family.pk}",
        "Skierowanie": reverse("contracts:referral_create"),
    }
    for url in offered.values():
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_social_worker_is_offered_referral_and_contract_for_the_person(login, social_worker, head):
    client = login(social_worker)
    response = _page(client, "families:person_detail", head.pk)
    offered = _offered(response)
    assert offered == {
        "Skieruj do usługi": f"{reverse('contracts:referral_create')}?person={head.pk}",
        "Nowy kontrakt socjalny": f"{reverse('contracts:contract_create')}?person={head.pk}",
    }
    for label, url in offered.items():
        assert url in response.content.decode().replace("&amp;", "&"), label
        assert client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_mgi_member_drafts_programmes_but_concludes_no_contract(login, mgi_member, family):
    offered = _offered(_page(login(mgi_member), "families:family_detail", family.pk))
    assert "Nowy program rodzinny" in offered
    assert "Nowy kontrakt socjalny" not in offered


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "manager", "auditor"])
def test_readers_of_the_family_are_offered_no_step(request, login, family, head, who):
    client = login(request.getfixturevalue(who))
    assert _offered(_page(client, "families:family_detail", family.pk)) == {}
    content = _page(client, "families:person_detail", head.pk).content.decode()
    for label in (*FAMILY_STEPS, "Skieruj do usługi"):
        assert label not in content
