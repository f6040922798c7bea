"""The social worker's day on a phone: find a family, log a visit, see it on the timeline; a worker
of another MOPS cannot open that family."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.families.factories import FamilyFactory, PersonFactory
from tests.support_network.factories import PASSWORD


@pytest.fixture
def wilk_family(mops, project, team, social_worker):
    family = FamilyFactory(institution=mops, project=project, team=team, social_worker=social_worker,
                           case_number="FS/2017/007")  # fmt: skip
    PersonFactory(family=family, first_name="Maria", last_name="Wilkowska")
    FamilyFactory(institution=mops, team=team, social_worker=social_worker, case_number="FS/2017/008")
    return family


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_social_worker_logs_a_visit_on_a_phone(phone, live_server, social_worker, wilk_family, other_worker):
    page = phone
    log_in(page, live_server, "pracownik", PASSWORD)
    page.get_by_role("link", name="Otwórz listę").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moje rodziny")

    page.get_by_label("Szukaj", exact=True).fill("wilkowska")
    page.get_by_role("button", name="Pokaż", exact=True).click()
    rows = page.locator("#caseload tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("FS/2017/007")
    rows.first.get_by_role("link", name="Zapisz wizytę").click()

    page.get_by_label("Data*", exact=True).fill("2024-05-06")
    page.get_by_label("Godzina").fill("09:30")
    page.get_by_label("Rodzaj*", exact=True).select_option("home")
    page.get_by_label("Maria Wilkowska").check()
    page.get_by_label("Przebieg i ustalenia").fill("Rozmowa o szkoleniu zawodowym w PUP.")
    page.get_by_label("Termin kolejnej wizyty").fill("2024-05-20")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("button", name="Zapisz wizytę").click()

    expect(page.get_by_role("alert")).to_contain_text("Zapisano wizytę")
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text("06.05.2024 09:30")
    expect(timeline).to_contain_text("wizyta w domu rodziny")
    expect(timeline).to_contain_text("kolejna wizyta: 20.05.2024")
    family_url = page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    stranger = page.context.browser.new_context(viewport={"width": 360, "height": 740}, locale="pl-PL")
    other = stranger.new_page()
    log_in(other, live_server, "obcy", PASSWORD)
    response = other.goto(family_url)
    assert response.status == 404
    stranger.close()
