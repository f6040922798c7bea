"""Field work is not lost (issue 12, wall 3): a visit note typed before the session expired is
restored after logging in again; an explicit logout deletes the draft (shared computers)."""

import pytest
from django.contrib.sessions.models import Session
from django.db.models import F
from playwright.sync_api import expect

from contracts.models import SocialContract
from tests.contracts.factories import make_contract
from tests.e2e.conftest import log_in
from tests.families.factories import FamilyFactory, PersonFactory
from tests.support_network.factories import PASSWORD

NOTE = "Rozmowa o szkoleniu zawodowym w PUP, matka zainteresowana kursem."
HAS_DRAFT = "() => Object.keys(localStorage).some(k => k.startsWith('draft:'))"


@pytest.fixture
def visit_url(live_server, mops, project, team, social_worker):
    family = FamilyFactory(institution=mops, project=project, team=team, social_worker=social_worker)
    PersonFactory(family=family, first_name="Maria", last_name="Wilkowska")
    return f"{live_server.url}/rodziny/{family.pk}/wizyty/nowa/"


def type_note(page, visit_url):
    page.goto(visit_url)
    expect(page.locator(".draft-note")).to_contain_text("tylko na tym urządzeniu")
    page.get_by_label("Przebieg i ustalenia").fill(NOTE)
    page.wait_for_function(HAS_DRAFT)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_visit_note_survives_the_session_expiry_and_comes_back_after_login(desktop, live_server, visit_url):
    page = desktop
    log_in(page, live_server, "pracownik", PASSWORD)
    type_note(page, visit_url)
    Session.objects.all().delete()  # the session expired while the worker was typing
    page.get_by_role("button", name="Zapisz wizytę").click()
    page.wait_for_url("**/konto/logowanie/**")

    log_in(page, live_server, "pracownik", PASSWORD)
    page.goto(visit_url)
    notice = page.locator(".draft-restored")
    expect(notice).to_contain_text("Przywrócono niezapisany szkic z")
    expect(page.get_by_label("Przebieg i ustalenia")).to_have_value(NOTE)

    notice.get_by_role("button", name="Odrzuć szkic").click()
    expect(page.get_by_label("Przebieg i ustalenia")).to_have_value("")
    assert not page.evaluate(HAS_DRAFT)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_explicit_logout_deletes_the_draft(desktop, live_server, visit_url):
    page = desktop
    log_in(page, live_server, "pracownik", PASSWORD)
    type_note(page, visit_url)
    page.get_by_role("button", name="Wyloguj").click()
    page.wait_for_url("**/konto/logowanie/**")
    assert not page.evaluate(HAS_DRAFT)

    log_in(page, live_server, "pracownik", PASSWORD)
    page.goto(visit_url)
    expect(page.get_by_label("Przebieg i ustalenia")).to_have_value("")
    expect(page.locator(".draft-restored")).to_have_count(0)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_idle_warning_offers_to_stay_signed_in(desktop, live_server, visit_url, settings):
    settings.SESSION_IDLE_TIMEOUT = 120  # seconds: the warning comes after one second
    settings.SESSION_WARN_BEFORE = 119
    page = desktop
    log_in(page, live_server, "pracownik", PASSWORD)
    page.goto(visit_url)
    stay = page.get_by_role("button", name="Pozostań zalogowany")
    expect(stay).to_be_visible()
    expect(stay).to_be_focused()
    with page.expect_response("**/konto/sesja/przedluz/") as answer:
        page.keyboard.press("Enter")  # the focus is on the button: the keyboard is enough
    assert answer.value.status == 200
    expect(stay).to_be_hidden()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_draft_restored_on_an_edit_form_is_checked_against_the_version_it_was_typed_on(
    desktop, live_server, mops, project, team, social_worker
):
    """The draft keeps the version of the record it was typed against: if a colleague saved the
    contract in between, the restored draft ends on the "changed in the meantime" page."""
    family = FamilyFactory(institution=mops, project=project, team=team, social_worker=social_worker)
    head = PersonFactory(family=family, first_name="Maria", last_name="Wilkowska")
    contract = make_contract(family=family, person=head, worker=social_worker)
    page = desktop
    log_in(page, live_server, "pracownik", PASSWORD)
    page.goto(f"{live_server.url}/umowy/kontrakty/{contract.pk}/edycja/")
    page.locator("[name=resources]").fill("Wsparcie sąsiadki przy opiece nad dziećmi.")
    page.wait_for_function(HAS_DRAFT)
    Session.objects.all().delete()  # the session expired while the worker was typing
    SocialContract.objects.filter(pk=contract.pk).update(  # meanwhile a colleague saved the contract
        resources="Zmiana kolegi.", lock_version=F("lock_version") + 1
    )

    log_in(page, live_server, "pracownik", PASSWORD)
    page.goto(f"{live_server.url}/umowy/kontrakty/{contract.pk}/edycja/")
    expect(page.locator(".draft-restored")).to_contain_text("Przywrócono niezapisany szkic z")
    expect(page.locator("[name=resources]")).to_have_value("Wsparcie sąsiadki przy opiece nad dziećmi.")
    page.locator("form[data-draft] [type=submit]").first.click()
    expect(page.locator("#stale-heading")).to_have_text("Zmieniono w międzyczasie")
    assert SocialContract.objects.get(pk=contract.pk).resources == "Zmiana kolegi."  # nothing overwritten
