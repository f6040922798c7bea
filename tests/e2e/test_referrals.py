"""Both sides of a referral in a real browser: the social worker refers a person to a PUP
workshop; the PUP counsellor accepts, records 12 hours and an employment outcome; the social
worker sees the outcome in the referral's history and on the person's timeline."""

import re

import pytest
from playwright.sync_api import expect

from contracts.models import Referral, ReferralStatus
from tests.contracts import referral_factories as fixtures
from tests.e2e.conftest import log_in
from tests.support_network.factories import PASSWORD

family = fixtures.family
person = fixtures.person
workshop = fixtures.workshop


def log_out(page):
    menu = page.get_by_role("button", name="Pokaż menu")
    if menu.is_visible():  # collapsed navbar on narrow screens
        menu.click()
    page.get_by_role("button", name="Wyloguj").click()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_referral_travels_to_pup_and_the_outcome_comes_back(
    desktop, live_server, social_worker, partner, person, workshop
):
    page = desktop
    # the social worker finds the workshop in the catalogue and refers Maria
    log_in(page, live_server, "pracownik", PASSWORD)
    page.goto(f"{live_server.url}/siec/katalog/?q=warsztaty")
    card = page.locator(f"#service-{workshop.pk}")
    expect(card).to_contain_text("Warsztaty z poradnictwa zawodowego")
    expect(card.locator(".places")).to_contain_text("12 z 12")
    card.get_by_role("link", name=re.compile("Skieruj osobę")).click()
    page.get_by_role("combobox", name=re.compile(r"^Osoba")).select_option(str(person.pk))
    page.get_by_label("Uzasadnienie skierowania").fill("Długotrwale bezrobotna, chce wrócić na rynek pracy.")
    page.get_by_role("button", name="Zapisz i wyślij").click()
    expect(page.get_by_role("alert")).to_contain_text("Skierowanie wysłane")
    referral = Referral.objects.get(person=person)
    assert referral.status == ReferralStatus.SENT
    expect(page.locator("#referral-person")).to_have_attribute("data-person-id", str(person.pk))
    log_out(page)

    # the PUP counsellor answers from the inbox
    log_in(page, live_server, "partner", PASSWORD)
    page.goto(f"{live_server.url}/umowy/skierowania/skrzynka/")
    page.get_by_role("link", name=f"#{referral.pk}").click()
    expect(page.locator("body")).not_to_contain_text(person.pesel)
    page.get_by_role("button", name="Przyjmij").click()
    expect(page.get_by_role("alert")).to_contain_text("Skierowanie przyjęte")
    page.get_by_label("Liczba godzin").fill("12")
    page.get_by_label("Liczba zajęć").fill("3")
    page.get_by_role("button", name="Zapisz obecność").click()
    expect(page.locator("#hours-total")).to_have_text("12")
    page.get_by_label("Podjął(ęła) zatrudnienie").check()
    page.get_by_label("Pracodawca").fill("Zakład Usług Komunalnych sp. z o.o.")
    page.get_by_label("Forma zatrudnienia").select_option(label="umowa o pracę")
    page.get_by_label("Data rozpoczęcia pracy").fill("2026-12-01")
    page.get_by_role("button", name="Zakończ realizację").click()
    expect(page.get_by_role("alert")).to_contain_text("Zapisano rezultat")
    log_out(page)

    # the social worker sees the outcome in the history of the referral
    log_in(page, live_server, "pracownik", PASSWORD)
    page.goto(f"{live_server.url}/umowy/skierowania/{referral.pk}/")
    history = page.locator("#history")
    expect(history).to_contain_text("przyjęte")
    expect(history).to_contain_text("12 godz.")
    expect(history).to_contain_text("zatrudnienie: Zakład Usług Komunalnych sp. z o.o., umowa o pracę, od 01.12.2026")
    expect(history).to_contain_text("zakończone")
    expect(page.locator("#outcome")).to_contain_text("Zakład Usług Komunalnych")

    # ... and on the person's timeline, next to the casework
    page.goto(f"{live_server.url}/rodziny/osoby/{person.pk}/")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("Skierowanie: Warsztaty z poradnictwa zawodowego")
    expect(timeline).to_contain_text("zakończone")
    expect(timeline).to_contain_text("przyjęte")
    log_out(page)

    # the partner never reaches the family file
    log_in(page, live_server, "partner", PASSWORD)
    response = page.goto(f"{live_server.url}/rodziny/osoby/{person.pk}/")
    assert response.status == 404


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_the_catalogue_fits_a_phone(phone, live_server, social_worker, workshop):
    log_in(phone, live_server, "pracownik", PASSWORD)
    phone.goto(f"{live_server.url}/siec/katalog/")
    expect(phone.locator(f"#service-{workshop.pk}")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
