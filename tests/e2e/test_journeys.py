"""Every role's day in the browser at 1280, 1366 and 360 px (issue 12, wall 2 and its "Done when").

One test per role: the role logs in once, then walks its main pages (home, lists, an object page, a
form) in one context per width. On every page: no sideways scroll, "Wyloguj" reachable (behind the
navbar toggler at 360 px), the menu marks the current page, and axe-core finds no serious or
critical WCAG 2.1 A/AA violation (tests/e2e/conftest.py `assert_accessible`). On a family's or a
person's page every next step its role may take (families.actions.page_actions, i.e. the rooms'
settings.PAGE_ACTION_PROVIDERS) is a visible link, and the first one opens its form.

E2E_SHOTS=/some/dir saves the menu of each role at each width as <dir>/<role>-<width>.png.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.access_world import build_world
from tests.e2e.conftest import assert_accessible, journey_context, log_in
from tests.support_network.factories import PASSWORD

WIDTHS = (1280, 1366, 360)


@dataclass(frozen=True)
class Stop:
    name: str  # URL name
    kwargs: dict = field(default_factory=dict)  # URL kwarg -> world object name (its pk)
    query: str = ""  # "family={family2}": world object names in braces become their pks
    menu: bool = False  # a menu entry: the menu must mark it as the current page
    actions: str = ""  # "family" / "person": the page offers the role's next steps

    def url(self, world) -> str:
        path = reverse(self.name, kwargs={key: getattr(world, obj).pk for key, obj in self.kwargs.items()})
        refs = {part.strip("{}") for part in self.query.split("=") if part.startswith("{")}
        return path + ("?" + self.query.format(**{ref: getattr(world, ref).pk for ref in refs}) if self.query else "")


HOME = Stop("home", menu=True)
FAMILY = Stop("families:family_detail", {"pk": "family"}, actions="family")
JOURNEYS = {
    "social_worker": [
        HOME,
        Stop("families:caseload", menu=True),
        FAMILY,
        Stop("families:person_detail", {"pk": "head"}, actions="person"),
        Stop("families:visit_create", {"pk": "family"}),
        Stop("contracts:contract_list", menu=True),
        Stop("contracts:referral_sent", menu=True),
        Stop("contracts:reminders", menu=True),
    ],
    "colleague": [
        HOME,
        Stop("families:caseload", menu=True),
        Stop("families:family_detail", {"pk": "family2"}, actions="family"),
        Stop("contracts:programme_list", menu=True),
    ],
    "mgi_member": [
        HOME,
        Stop("families:caseload", menu=True),
        Stop("contracts:programme_list", menu=True),
        Stop("contracts:programme_detail", {"pk": "programme_in_progress"}),
        Stop("contracts:reminders", menu=True),
    ],
    "coordinator": [
        HOME,
        Stop("contracts:programme_queue", menu=True),
        Stop("contracts:programme_detail", {"pk": "programme_submitted"}),
        Stop("families:caseload", menu=True),
        Stop("families:family_detail", {"pk": "family"}),  # read only: no next steps for the coordinator
        Stop("support_network:agreement_list", menu=True),
        Stop("support_network:agreement_create"),
        Stop("reporting:project_list", menu=True),
        Stop("reporting:dashboard", {"pk": "project"}),
    ],
    "partner": [
        HOME,
        Stop("contracts:referral_inbox", menu=True),
        Stop("contracts:referral_detail", {"pk": "referral_sent"}),
        Stop("support_network:catalogue", menu=True),
    ],
    "manager": [
        HOME,
        Stop("reporting:project_list", menu=True),
        Stop("reporting:dashboard", {"pk": "project"}),
        Stop("reporting:participant_list", {"project_pk": "project"}),
        Stop("reporting:participant_detail", {"pk": "participation"}),
        Stop("reporting:participant_enrol", {"project_pk": "project"}),
        Stop("reporting:budget", {"pk": "project"}),
        Stop("reporting:followups", menu=True),
    ],
    "auditor": [
        HOME,
        Stop("reporting:project_list", menu=True),
        Stop("reporting:indicators", {"pk": "project"}),
        Stop("reporting:participant_projects", menu=True),
        Stop("contracts:contract_list", menu=True),
        Stop("families:caseload", menu=True),
        Stop("support_network:agreement_list", menu=True),
    ],
}


# the outermost elements reaching past the window's right edge (the collapsed menu left out)
_WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth && !e.closest('.collapse:not(.show)'))
  .slice(0, 3).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '.' + [...e.classList].join('.'))"""


def assert_fits(page, where: str) -> None:
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll > inner:
        widest = page.evaluate(_WIDEST)
        pytest.fail(f"{where}: the page scrolls sideways ({scroll} px in a {inner} px window): {widest}")


_SETTLED = "() => !document.querySelector('#nav').classList.contains('collapsing')"


def open_menu_if_collapsed(page) -> bool:
    toggler = page.locator(".navbar-toggler")
    if not toggler.is_visible():
        return False
    toggler.click()
    expect(page.locator("#nav")).to_have_class("navbar-collapse collapse show")
    return True


def close_menu(page) -> None:
    page.locator(".navbar-toggler").click()
    page.wait_for_function(_SETTLED)
    expect(page.locator("#nav")).not_to_have_class(re.compile(r"\bshow\b"))


def assert_logout_reachable(page, where: str) -> None:
    opened = open_menu_if_collapsed(page)
    logout = page.get_by_role("button", name="Wyloguj")
    expect(logout, f"{where}: Wyloguj").to_be_visible()
    box = logout.bounding_box()
    assert box and box["x"] + box["width"] <= page.viewport_size["width"], f"{where}: Wyloguj off-screen"
    if opened:  # put the menu away again
        close_menu(page)


def assert_current_marked(page, url: str, where: str) -> None:
    current = page.locator('#nav [aria-current="page"]')
    expect(current, f"{where}: one menu entry marked as the current page").to_have_count(1)
    assert current.get_attribute("href") == url, f"{where}: the menu marks {current.get_attribute('href')}"


def assert_next_steps(page, stop: Stop, world, user, where: str) -> str:
    """Every next step of the page is a visible link; returns the first one's address."""
    from families.actions import page_actions

    target = {stop.actions: getattr(world, stop.kwargs["pk"])}
    actions = page_actions(**target, user=user)
    assert actions, f"{where}: the role has no next step here; the journey expects some"
    for action in actions:
        link = page.locator(f'main a[href="{action.url}"]', has_text=action.label)
        expect(link.first, f"{where}: next step {action.label}").to_be_visible()
    return actions[0].url


def assert_dropdowns_work_with_keyboard(page) -> None:
    toggles = page.locator('#nav [data-bs-toggle="dropdown"]')
    if not toggles.count():
        return
    toggle = toggles.first
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.classList.contains('dropdown-item')"), "ArrowDown: no item focused"
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")


def save_menu_shot(page, role: str, width: int) -> None:
    folder = os.environ.get("E2E_SHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    opened = open_menu_if_collapsed(page)
    nav = page.locator("nav.navbar").first
    nav.screenshot(path=str(Path(folder) / f"{role}-{width}.png"))
    if opened:
        close_menu(page)


def save_open_group_shot(page, role: str, width: int) -> bool:
    """The current page's menu group opened (E2E_SHOTS): <role>-<width>-open.png."""
    folder = os.environ.get("E2E_SHOTS")
    toggle = page.locator("#nav .dropdown-toggle.active")
    if not folder or not toggle.count() or not toggle.is_visible():
        return False
    toggle.click()
    page.screenshot(
        path=str(Path(folder) / f"{role}-{width}-open.png"), clip={"x": 0, "y": 0, "width": width, "height": 280}
    )
    page.keyboard.press("Escape")
    return True


def visit(page, url: str, where: str) -> None:
    response = page.goto(url)
    assert response and response.ok, f"{where}: HTTP {response.status if response else '—'}"


def walk(page, base: str, role: str, world, user) -> None:
    width = page.viewport_size["width"]
    group_shot = False
    for stop in JOURNEYS[role]:
        url = stop.url(world)
        where = f"{role} at {width} px, {url}"
        visit(page, base + url, where)
        assert_fits(page, where)
        assert_accessible(page)
        assert_logout_reachable(page, where)
        if stop.menu:
            assert_current_marked(page, url, where)
            group_shot = group_shot or save_open_group_shot(page, role, width)
        if stop == HOME:
            save_menu_shot(page, role, width)
            if width > 992:
                assert_dropdowns_work_with_keyboard(page)
        if stop.actions:
            first = assert_next_steps(page, stop, world, user, where)
            page.locator(f'main a[href="{first}"]').first.click()
            page.wait_for_url(f"**{first}")
            assert_fits(page, f"{where} → {first}")
            assert_accessible(page)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", list(JOURNEYS))
def test_journey(role, browser, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # ten users: seconds saved
    world = build_world()
    user = world.users[role]
    storage = None
    for width in WIDTHS:
        context = journey_context(browser, width, storage_state=storage)
        page = context.new_page()
        page.set_default_timeout(15000)
        if storage is None:
            log_in(page, live_server, user.username, PASSWORD)
            storage = context.storage_state()
        walk(page, live_server.url, role, world, user)
        context.close()
