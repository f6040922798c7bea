"""The main menu (config/navigation.py): few task groups per role, every entry a page the role may
open, the page shown marked with aria-current, and the compact user block with the logout."""

import re

import pytest
from django.urls import reverse

from config.navigation import EVERY_ROLE, current_url, menu_for

ROLE_FIXTURES = {
    "social_worker": "social_worker",
    "mgi_member": "mgi_member",
    "coordinator": "coordinator",
    "project_manager": "manager",
    "auditor": "auditor",
    "partner_staff": "partner",
    "administrator": "administrator",
}


def test_current_url_is_the_longest_prefix_and_home_only_itself():
    urls = ["/", "/umowy/programy/", "/umowy/programy/kolejka/", "/rodziny/"]
    assert current_url("/umowy/programy/kolejka/", urls) == "/umowy/programy/kolejka/"
    assert current_url("/umowy/programy/12/edycja/", urls) == "/umowy/programy/"
    assert current_url("/rodziny/osoby/3/", urls) == "/rodziny/"
    assert current_url("/", urls) == "/"
    assert current_url("/konto/bezpieczenstwo/", urls) is None


@pytest.mark.parametrize("role", EVERY_ROLE)
def test_every_role_gets_a_few_groups_and_one_current_entry(role):
    home, groups = menu_for(role, reverse("support_network:catalogue"))
    assert 1 <= len(groups) <= 4, "a few top-level entries"
    links = [link for group in groups for link in group.links]
    assert len({link.url for link in links}) == len(links), "an address once per role"
    assert [link.url for link in links if link.current] == [reverse("support_network:catalogue")]
    assert [group.current for group in groups].count(True) == 1
    assert not home.current


def test_no_role_no_menu():
    home, groups = menu_for(None, "/")
    assert groups == [] and home.url == "/"


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLE_FIXTURES))
def test_every_menu_entry_opens_for_its_role(role, request, login):
    user = request.getfixturevalue(ROLE_FIXTURES[role])
    client = login(user)
    _home, groups = menu_for(role, "/")
    for link in (link for group in groups for link in group.links):
        response = client.get(link.url)
        assert response.status_code in (200, 302), f"{role}: {link.label} ({link.url}) answers {response.status_code}"


@pytest.mark.django_db
def test_the_page_shown_is_marked_and_the_user_block_is_one_line(login, coordinator):
    client = login(coordinator)
    html = client.get(reverse("contracts:programme_queue")).content.decode()
    marked = re.findall(r'<a [^>]*aria-current="page"[^>]*>', html.split('<main id="main"')[0])
    assert len(marked) == 1 and f'href="{reverse("contracts:programme_queue")}"' in marked[0]
    assert 'class="nav-link dropdown-toggle active"' in html  # its group is marked too
    assert "Wyloguj" in html
    name_line = re.search(r'<span class="text-truncate">([^<]*)</span>', html)
    assert name_line and "Koordynator" in name_line.group(1) and "\n" not in name_line.group(1)
