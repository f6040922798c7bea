"""The approval journey of a family programme in a real browser: the MGI member submits, the
coordinator returns it with a comment, the member revises and resubmits, the coordinator sees
the diff and approves, and the referrals for the catalogue actions exist."""

import re

import pytest
from playwright.sync_api import expect

from contracts.models import ProgrammeStatus, Referral
from tests.contracts import conftest as contracts_fixtures
from tests.contracts.factories import make_programme
from tests.e2e.conftest import log_in
from tests.support_network.factories import PASSWORD

# The family (with two members) and the catalogue service of the contracts tests.
family = contracts_fixtures.family
service = contracts_fixtures.service


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_programme_is_returned_revised_and_approved(
    desktop, phone, live_server, family, mgi_member, coordinator, service, partner
):
    programme = make_programme(family=family, author=mgi_member, services=[service])
    detail = f"{live_server.url}/umowy/programy/{programme.pk}/"

    # the MGI member submits the draft
    log_in(desktop, live_server, "mgi", PASSWORD)
    desktop.goto(detail)
    desktop.get_by_role("button", name="Przekaż do zatwierdzenia").click()
    expect(desktop.locator("#programme-status")).to_have_text("przekazany do zatwierdzenia")

    # the coordinator (on a phone) finds it in the queue and returns it with a comment
    log_in(phone, live_server, "koordynator", PASSWORD)
    phone.goto(f"{live_server.url}/umowy/programy/kolejka/")
    phone.get_by_role("link", name=programme.title).click()
    phone.get_by_label("Komentarz").fill("Proszę doprecyzować cel: praca na pełny etat.")
    phone.get_by_role("button", name="Zwróć do poprawy").click()
    expect(phone.locator("body")).to_contain_text("Program zwrócono do poprawy")

    # the member revises and resubmits
    desktop.goto(detail)
    expect(desktop.locator("#programme-history")).to_contain_text("Proszę doprecyzować cel")
    desktop.get_by_role("link", name="Edytuj").click()
    desktop.locator('[name="goals-0-text"]').fill("Podjęcie pracy na pełny etat przez matkę")
    desktop.get_by_role("button", name="Zapisz").click()
    expect(desktop.locator("body")).to_contain_text("Zapisano zmiany w programie")
    desktop.get_by_role("button", name="Przekaż ponownie do zatwierdzenia").click()
    expect(desktop.locator("#programme-status")).to_have_text("przekazany do zatwierdzenia")

    # the coordinator sees what changed and approves
    phone.goto(detail)
    diff = phone.locator("#version-diff")
    expect(diff).to_contain_text("zmieniono")
    expect(diff).to_contain_text("Podjęcie pracy na pełny etat przez matkę")
    expect(diff.locator("del").first).to_contain_text("Podjęcie pracy przez matkę")
    phone.get_by_role("button", name="Zatwierdź").click()
    # the confirm step says what approving sends, with the real count and partner
    expect(phone.locator("#confirm-consequences")).to_contain_text(
        f"1 skierowanie zostanie wysłane do {service.provider}"
    )
    phone.locator("#confirm-button").click()
    expect(phone).to_have_url(re.compile(r"/umowy/programy/kolejka/$"))
    phone.goto(detail)
    expect(phone.locator("#programme-status")).to_have_text("zatwierdzony")
    referrals = phone.locator("#programme-referrals")
    expect(referrals).to_contain_text(service.name)
    expect(referrals).to_contain_text(str(service.provider))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360 + 1

    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.APPROVED and programme.versions.count() == 2
    assert Referral.objects.filter(idempotency_key__startswith="programme-action-").count() == 1

    # the referral reached the partner's inbox (sent on approval)
    desktop.context.clear_cookies()
    log_in(desktop, live_server, "partner", PASSWORD)
    desktop.goto(f"{live_server.url}/umowy/skierowania/skrzynka/")
    expect(desktop.locator("main")).to_contain_text(service.name)
    referral = Referral.objects.get(idempotency_key__startswith="programme-action-")
    expect(desktop.get_by_role("link", name=f"#{referral.pk}")).to_be_visible()
