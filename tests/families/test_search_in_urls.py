"""Finding 6 of issue 11: a PESEL searched on the caseload, participant-list or enrolment page never
lands in a URL (redirects, pager links, links of the page) nor back in the page."""

import re

import pytest
from django.urls import reverse

from families.models import FamilyStatus
from tests.families.factories import FamilyFactory, PersonFactory
from tests.reporting.factories import ParticipationFactory

pytestmark = pytest.mark.django_db


def assert_nowhere(response, pesel: str) -> None:
    assert pesel not in response.get("Location", "")
    assert pesel not in response.content.decode()


def search(client, url: str, data: dict):
    """POST the search form; returns (redirect, page it leads to)."""
    redirect = client.post(url, data)
    assert redirect.status_code == 302
    return redirect, client.get(redirect["Location"])


def test_caseload_search_by_pesel_keeps_it_out_of_every_url(login, social_worker, family):
    pesel = family.members.order_by("pk").first().pesel
    client = login(social_worker)
    url = reverse("families:caseload")
    redirect, page = search(client, url, {"q": pesel, "status": FamilyStatus.ACTIVE})
    assert_nowhere(redirect, pesel)
    assert re.search(r"szukaj=[\w-]+", redirect["Location"]) and "status=active" in redirect["Location"]
    assert page.status_code == 200 and list(page.context["page"].object_list) == [family]
    assert_nowhere(page, pesel)
    assert 'name="szukaj"' in page.content.decode()  # the hidden token keeps the search on a filter change
    kept, again = search(client, url, {"q": "", "szukaj": page.context["search_token"], "project": family.project_id})
    assert kept["Location"].count("szukaj=") == 1 and f"project={family.project_id}" in kept["Location"]
    assert list(again.context["page"].object_list) == [family]


def test_an_old_link_with_the_pesel_is_redirected_to_a_token(login, social_worker, family):
    pesel = family.members.order_by("pk").first().pesel
    response = login(social_worker).get(reverse("families:caseload"), {"q": pesel})
    assert response.status_code == 302 and "szukaj=" in response["Location"]
    assert_nowhere(response, pesel)


def test_pager_links_carry_the_token_not_the_text(login, social_worker, family, mops, project, team):
    for n in range(30):
        FamilyFactory(institution=mops, project=project, team=team, social_worker=social_worker,
                      case_number=f"FS/2017/{100 + n}")  # fmt: skip
    client = login(social_worker)
    _redirect, page = search(client, reverse("families:caseload"), {"q": "FS/2017"})
    links = re.findall(r'href="(\?[^"]*)"', page.content.decode())
    assert links and all("szukaj=" in link and "q=" not in link for link in links)
    second = client.get(reverse("families:caseload") + links[-1].replace("&amp;", "&"))
    assert second.status_code == 200 and second.context["page"].number == 2
    assert second.context["page"].paginator.count == 31


def test_a_token_is_worth_nothing_in_another_session(client, login, social_worker, colleague, family):
    pesel = family.members.order_by("pk").first().pesel
    redirect, _page = search(login(social_worker), reverse("families:caseload"), {"q": pesel})
    client.logout()
    other = login(colleague).get(redirect["Location"])
    assert other.status_code == 200 and other.context["search_token"] == ""
    assert other.context["filter"].form.data["q"] == ""


def test_participant_list_search_by_pesel(login, manager, project):
    participation = ParticipationFactory(project=project)
    ParticipationFactory(project=project)
    client = login(manager)
    url = reverse("reporting:participant_list", kwargs={"project_pk": project.pk})
    redirect, page = search(client, url, {"q": participation.pesel, "stan": "active"})
    assert_nowhere(redirect, participation.pesel) and "stan=active" in redirect["Location"]
    assert list(page.context["page"].object_list) == [participation]
    assert_nowhere(page, participation.pesel)


def test_enrolment_search_by_pesel(login, manager, project, family):
    person = family.members.order_by("pk").first()
    PersonFactory(family=family)
    url = reverse("reporting:participant_enrol", kwargs={"project_pk": project.pk})
    redirect, page = search(login(manager), url, {"q": person.pesel})
    assert_nowhere(redirect, person.pesel)
    assert list(page.context["persons"].object_list) == [person]
    assert_nowhere(page, person.pesel)


@pytest.mark.parametrize("text", ["x" * 10_000, "a\x00b", "😀\u202eą" * 50, "=cmd|' /C calc'!A0", "   "])
def test_a_hostile_search_text_gives_a_page(login, social_worker, family, text):
    redirect, page = search(login(social_worker), reverse("families:caseload"), {"q": text, "status": "<x>"})
    assert page.status_code == 200
