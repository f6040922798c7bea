"""Browser journeys: real Chromium (Debian's /usr/bin/chromium) driven by Playwright."""

import os
import shutil
from pathlib import Path

import pytest

from scripts.chromium import CHROMIUM, LAUNCH_ARGS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM calls in the same test as Playwright

PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install -y chromium (done by .ci/run)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": LAUNCH_ARGS,
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


# --- the accessibility gate: axe-core (npm, package.json) on every page a journey visits ---------
AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_FAILING_IMPACTS = ("serious", "critical")
_AXE_RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.map(n => n.target.join(' '))}));
}"""


def axe_violations(page) -> list[dict]:
    """The serious and critical WCAG 2.1 A/AA violations axe-core finds on the page as shown now.
    axe is evaluated from node_modules through the DevTools protocol, which the app's CSP does not
    govern (an injected <script> tag would be blocked), so any page of any context can be checked."""
    if not AXE.exists():
        pytest.fail(f"{AXE} missing: run `npm ci` (make install does it; needs apt-get install nodejs npm)")
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    found = page.evaluate(_AXE_RUN, AXE_TAGS)
    return [v for v in found if v["impact"] in AXE_FAILING_IMPACTS]


def assert_accessible(page) -> None:
    """Fails the test on any serious or critical axe violation, naming the rule and the elements."""
    violations = axe_violations(page)
    if violations:
        lines = [f"{v['id']} ({v['impact']}: {v['help']}): {'; '.join(v['targets'][:5])}" for v in violations]
        pytest.fail(f"axe-core: WCAG 2.1 AA violations on {page.url}\n  " + "\n  ".join(lines), pytrace=False)


def journey_context(browser, width: int, *, storage_state=None):
    """A context for a journey at the given width: Polish locale, Warsaw time, the app's own CSP in
    force (axe-core is evaluated through the DevTools protocol, which the CSP does not govern)."""
    height = PHONE["height"] if width <= PHONE["width"] else 800
    return browser.new_context(
        viewport={"width": width, "height": height},
        locale="pl-PL",
        timezone_id="Europe/Warsaw",
        reduced_motion="reduce",  # Bootstrap's collapse and dropdown then open and close at once
        storage_state=storage_state,
    )
