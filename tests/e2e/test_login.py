import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import log_in
from tests.support_network.factories import PASSWORD


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_social_worker_logs_in_on_a_phone(phone, live_server, social_worker):
    log_in(phone, live_server, "pracownik", PASSWORD)
    expect(phone.get_by_role("heading", level=1)).to_contain_text("Dzień dobry")
    expect(phone.locator("body")).to_contain_text("Pracownik socjalny")
    # Bootstrap is served by the app itself (no CDN): the navbar collapses on a phone
    expect(phone.get_by_role("button", name="Pokaż menu")).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_first_login_enrols_an_authenticator_app(desktop, live_server, social_worker):
    """Finding 2: the first login asks for the second factor, with a QR code drawn on the server,
    and hands out recovery codes; a page with data comes only after that."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from support_network import mfa

    desktop.goto(f"{live_server.url}/konto/logowanie/?next=/rodziny/")
    desktop.get_by_label("Nazwa użytkownika").fill("pracownik")
    desktop.get_by_label("Hasło").fill(PASSWORD)
    desktop.get_by_role("button", name="Zaloguj").click()
    expect(desktop.get_by_role("heading", level=1)).to_contain_text("Włącz drugi składnik")
    expect(desktop.locator(".mfa-qr svg")).to_be_visible()
    desktop.goto(f"{live_server.url}/rodziny/")  # no way round it
    expect(desktop.get_by_role("heading", level=1)).to_contain_text("Włącz drugi składnik")
    device = TOTPDevice.objects.get(user=social_worker, confirmed=False)
    desktop.get_by_label("Kod").fill(mfa.current_code(device))
    desktop.get_by_role("button", name="Potwierdź").click()
    expect(desktop.locator("#recovery-codes li")).to_have_count(10)
    desktop.get_by_role("link", name="Zapisałem kody, dalej").click()
    expect(desktop.get_by_role("heading", level=1)).not_to_contain_text("drugi składnik")
    assert "/rodziny/" in desktop.url
