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
