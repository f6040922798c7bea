"""Browser journeys: real Chromium (Debian's /usr/bin/chromium) driven by Playwright."""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM calls in the same test as Playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium (done by .ci/run)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def phone(browser):
    """A page in a 360 px wide phone viewport."""
    context = browser.new_context(viewport=PHONE, locale="pl-PL", timezone_id="Europe/Warsaw")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="pl-PL", timezone_id="Europe/Warsaw")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def authenticator_code(username: str) -> str:
    """The current code of the user's authenticator app, which is created (confirmed) if the user
    has none: what the person would read from their phone. The device's last used step is cleared,
    so a second login within the same 30 seconds is not refused as a replayed code."""
    from django.contrib.auth import get_user_model
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from support_network import mfa

    user = get_user_model().objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="e2e", confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return mfa.current_code(device)


def log_in(page, live_server, username, password):
    """Logs in as a person does: the password, then the code of the authenticator app. The session
    is fully verified afterwards."""
    code = authenticator_code(username)
    page.goto(f"{live_server.url}/konto/logowanie/")
    page.get_by_label("Nazwa użytkownika").fill(username)
    page.get_by_label("Hasło").fill(password)
    page.get_by_role("button", name="Zaloguj").click()
    page.wait_for_url("**/konto/weryfikacja/**")
    page.get_by_label("Kod").fill(code)
    page.get_by_role("button", name="Potwierdź").click()
    page.wait_for_url(lambda url: "/konto/weryfikacja/" not in url)
