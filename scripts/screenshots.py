"""Screenshots of issue 12's seven walls in a running product with the demo data of `seed_demo`.

    python scripts/screenshots.py http://127.0.0.1:8102 docs/screenshots/issue-12 --label after
    python scripts/screenshots.py http://127.0.0.1:8101 docs/screenshots/issue-12 --label before

Run it once against the product before issue 12 (label `before`) and once against the current one
(label `after`), each served by `runserver` with DEBUG on and a fresh `seed_demo` (the demo objects
have the same ids in both; the wall 7 step sends and accepts one referral, so a second run finds
the lists no longer empty). Chromium headless (/usr/bin/chromium or $CHROMIUM), no network beyond
the base URL. The demo users log in as a person does: password, then the authenticator code, which
the verification page shows for demo accounts while DEBUG is on.

Each shot is saved as <folder>/wallN-<what>-<label>.png (256 colours when it would be large);
what each one measured (page width and height, options of a select, where "Wyloguj" ends) is
printed as one JSON line per shot. Where the old product has no such page (no confirm step, no
idle warning), the shot shows what the user saw instead: the page with the one-click button.
"""

import argparse
import io
import json
import sys
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from scripts.chromium import CHROMIUM, LAUNCH_ARGS  # noqa: E402 - the same browser as the e2e tests

PASSWORD = "Demo-haslo-2024!"  # noqa: S105 - README's demo password (config.settings.DEMO_PASSWORD), DEBUG only
DESKTOP, PHONE = 1280, 360
MAX_PNG = 60_000  # bytes: a larger shot is stored with 256 colours (the folder stays small)

# demo objects of seed_demo (the same ids before and after issue 12)
FAMILY = 1  # FS/2017/001, Anna Nowak's family (pracownik, Fachowa siła)
HEAD = 1  # Anna Nowak
ASSESSED_PERSON = 114  # Halina Olszewska (pracownik.kalisz): initial and final competence assessment
HISTORY_FAMILY = 13  # ST/2014/01 (Turek), the coordinator's: created, edited and programmed by the seed
PARTICIPATION = 1  # Fachowa siła's first participant, with three EFS outcomes (kierownik)
PROGRAMME_SUBMITTED = 1  # Turek's programme waiting for the coordinator's decision
CONTRACT_ACTIVE = 21  # an active social contract of MOPS Wodzisław (pracownik)
PARTNER_SUFFIX = "– PUP Wodzisław Śl."  # the institution of the demo login `partner`

MEASURE = """() => ({scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  scrollHeight: document.documentElement.scrollHeight})"""
SCROLL_PAST_FILTERS = """() => { const form = document.querySelector('main form');
  if (form) window.scrollTo(0, form.getBoundingClientRect().bottom + window.scrollY - 8); }"""
LOGOUT_RIGHT = """() => { const b = [...document.querySelectorAll('button, a')]
  .find(e => e.textContent.trim() === 'Wyloguj'); if (!b) return null;
  const r = b.getBoundingClientRect(); return Math.round(r.right); }"""


def fewer_colours(png: bytes) -> bytes:
    """The same picture as a 256-colour PNG: a screen of text and flat colours loses nothing visible."""
    from PIL import Image  # noqa: PLC0415 - Pillow comes with WeasyPrint; only large shots need it

    out = io.BytesIO()
    Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256).save(out, format="PNG", optimize=True)
    return out.getvalue()


class Shooter:
    def __init__(self, browser, base: str, folder: Path, label: str):
        self.browser = browser
        self.base = base.rstrip("/")
        self.folder = folder
        self.label = label
        self.sessions: dict[str, dict] = {}  # username -> storage state after login

    # --- contexts and login -----------------------------------------------------------------
    def page(self, username: str | None, width: int, *, fresh: bool = False) -> Page:
        height = 740 if width <= PHONE else 900
        state = None if fresh or username is None else self.sessions.get(username)
        context = self.browser.new_context(
            viewport={"width": width, "height": height},
            locale="pl-PL",
            timezone_id="Europe/Warsaw",
            reduced_motion="reduce",
            storage_state=state,
        )
        page = context.new_page()
        page.set_default_timeout(20000)
        if username and state is None:
            self.log_in(page, username)
            self.sessions[username] = context.storage_state()
        return page

    def log_in(self, page: Page, username: str) -> None:
        """Password, then the authenticator code the DEBUG verification page shows. A code is
        accepted once: a second login within the same 30 s waits for the next code."""
        page.goto(f"{self.base}/konto/logowanie/")
        page.get_by_label("Nazwa użytkownika").fill(username)
        page.get_by_label("Hasło").fill(PASSWORD)
        page.get_by_role("button", name="Zaloguj").click()
        page.wait_for_url(lambda url: "/konto/logowanie/" not in url)
        if "/konto/weryfikacja/" not in page.url:
            return  # a product from before the second factor
        for _attempt in range(3):
            page.get_by_label("Kod").fill(page.locator("#demo-code").inner_text())
            page.get_by_role("button", name="Potwierdź").click()
            page.wait_for_load_state()
            if "/konto/weryfikacja/" not in page.url:
                return
            time.sleep(31 - time.time() % 30)
            page.goto(page.url)  # a GET: reloading would post the used code again
        raise RuntimeError(f"{username}: the second factor was not accepted")

    def go(self, page: Page, path: str) -> None:
        response = page.goto(self.base + path)
        if not response or not response.ok:
            raise RuntimeError(f"{path}: HTTP {response.status if response else '—'}")

    # --- saving -----------------------------------------------------------------------------
    def shot(self, page: Page, wall: int, what: str, *, full_page: bool = False, element=None, **facts) -> None:
        path = self.folder / f"wall{wall}-{what}-{self.label}.png"
        target = element if element is not None else page
        options = {} if element is not None else {"full_page": full_page}
        data = target.screenshot(**options)
        if len(data) > MAX_PNG:
            data = fewer_colours(data)
        path.write_bytes(data)
        measured = page.evaluate(MEASURE)
        print(json.dumps({"file": path.name, "url": page.url.removeprefix(self.base), **measured, **facts}))

    # --- the walls --------------------------------------------------------------------------
    def wall1_next_actions(self) -> None:
        page = self.page("pracownik", DESKTOP)
        self.go(page, f"/rodziny/{FAMILY}/")
        self.shot(page, 1, "family-page")
        self.go(page, f"/rodziny/osoby/{HEAD}/")
        self.shot(page, 1, "person-page")
        self.go(page, "/umowy/skierowania/")  # pracownik has sent no referral in the demo: empty list
        self.shot(page, 1, "empty-referrals")
        page.context.close()

    def wall2_menu(self) -> None:
        for username, role, width, path in (
            ("koordynator", "coordinator", 1280, "/umowy/programy/kolejka/"),
            ("kierownik", "manager", 1280, "/raporty/projekty/"),
            ("audytor", "auditor", 1366, "/raporty/projekty/"),
        ):
            page = self.page(username, width)
            self.go(page, path)
            self.shot(page, 2, f"menu-{role}-{width}", logout_right=page.evaluate(LOGOUT_RIGHT))
            group = page.locator("#nav .dropdown-toggle.active")  # the grouped menu (after issue 12)
            if group.count():
                group.first.click()
                page.wait_for_timeout(300)
                self.shot(page, 2, f"menu-{role}-{width}-open")
            page.context.close()

    def wall3_field_work(self) -> None:
        page = self.page("pracownik", DESKTOP)
        page.clock.install()  # the page's timers run on a clock the script moves forward
        self.go(page, f"/rodziny/{FAMILY}/wizyty/nowa/")
        page.locator("textarea[name=notes]").fill("Rozmowa o szkoleniu zawodowym w PUP, matka zainteresowana kursem.")
        page.wait_for_timeout(500)
        page.clock.fast_forward("27:30")  # 27.5 minutes without a request: 2.5 minutes to the idle logout
        page.clock.run_for(1000)
        page.wait_for_timeout(500)
        self.shot(page, 3, "idle-warning", idle_minutes=27.5)
        page.context.close()

        page = self.page("pracownik", DESKTOP)
        self.go(page, f"/rodziny/{FAMILY}/wizyty/nowa/")
        page.locator("textarea[name=notes]").fill("Rozmowa o szkoleniu zawodowym w PUP, matka zainteresowana kursem.")
        page.wait_for_timeout(1500)  # the draft is saved as the user types (after issue 12)
        kept = [c for c in page.context.cookies() if c["name"] != "sessionid"]
        page.context.clear_cookies()  # the session expired on the server: its cookie is worthless
        page.context.add_cookies(kept)
        page.get_by_role("button", name="Zapisz wizytę").click()
        page.wait_for_url("**/konto/logowanie/**")
        self.log_in(page, "pracownik")
        self.go(page, f"/rodziny/{FAMILY}/wizyty/nowa/")
        page.wait_for_timeout(500)
        note = page.locator("textarea[name=notes]").input_value()
        self.shot(page, 3, "visit-after-relogin", note_kept=bool(note))
        page.context.close()

    def wall4_phone(self) -> None:
        page = self.page("partner", PHONE)
        self.go(page, "/siec/katalog/")
        page.evaluate(SCROLL_PAST_FILTERS)
        self.shot(page, 4, "catalogue-360")
        page.context.close()

        page = self.page("pracownik.kalisz", PHONE)
        self.go(page, f"/rodziny/osoby/{ASSESSED_PERSON}/")
        chart = page.locator("figure svg, .assessment-chart svg, svg").first
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        self.shot(page, 4, "competence-chart-360", chart_width=round(box["width"]) if box else None)
        page.context.close()

        page = self.page("pracownik", PHONE)
        self.go(page, f"/umowy/kontrakty/nowy/?family={FAMILY}")
        self.shot(page, 4, "contract-form-360", full_page=True)
        self.go(page, "/umowy/skierowania/nowe/")
        options = page.locator("select[name=person] option").count()
        search = page.locator("#id_person-szukaj, input[type=search][aria-controls=id_person]")
        if search.count():
            search.first.fill("nowak")
            page.wait_for_timeout(300)
        self.shot(page, 4, "person-picker-360", person_options=options, searchable=bool(search.count()))
        page.context.close()

    def wall5_confirm(self) -> None:
        """The old product acts on the first click: its shot shows the button, never presses it."""
        page = self.page("kierownik", DESKTOP)
        self.go(page, f"/raporty/uczestnicy/{PARTICIPATION}/")
        delete = page.locator("main form[action*='/rezultaty/'] button", has_text="Usuń").first
        if self.label == "before":
            delete.scroll_into_view_if_needed()
            self.shot(page, 5, "outcome-delete")
        else:
            delete.click()
            page.wait_for_load_state()
            self.shot(page, 5, "outcome-delete")
        page.context.close()

        page = self.page("koordynator", DESKTOP)
        self.go(page, f"/umowy/programy/{PROGRAMME_SUBMITTED}/")
        approve = page.locator("main form[action$='/decyzja/'] button", has_text="Zatwierdź").first
        if self.label == "before":
            approve.scroll_into_view_if_needed()
            self.shot(page, 5, "programme-approve")
        else:
            approve.click()
            page.wait_for_load_state()
            self.shot(page, 5, "programme-approve")
        page.context.close()

        page = self.page("pracownik", DESKTOP)
        self.go(page, f"/umowy/kontrakty/{CONTRACT_ACTIVE}/zakonczenie/")
        self.shot(page, 5, "contract-close")
        page.context.close()

    def wall6_history(self) -> None:
        page = self.page("koordynator", DESKTOP)
        self.go(page, f"/rodziny/{HISTORY_FAMILY}/")
        section = page.locator("section[aria-labelledby=history-h]")
        section.scroll_into_view_if_needed()
        self.shot(page, 6, "change-history", history_height=round(section.bounding_box()["height"]))
        page.context.close()

    def wall7_notifications(self) -> None:
        """pracownik sends a referral to PUP Wodzisław, `partner` accepts it; then the referrer's home."""
        page = self.page("pracownik", DESKTOP)
        self.go(page, "/umowy/skierowania/nowe/")
        page.locator("select[name=person]").select_option(label="Nowak Anna (ur. 1975)")
        services = page.locator("select[name=service] option").all_inner_texts()
        page.locator("select[name=service]").select_option(
            label=next(s for s in services if s.endswith(PARTNER_SUFFIX))
        )
        page.locator("textarea[name=reason]").fill(
            "Poradnictwo zawodowe przed szkoleniem, osoba długotrwale bezrobotna."
        )
        page.get_by_role("button", name="Zapisz i wyślij").click()
        page.wait_for_load_state()
        if page.url.endswith("/nowe/"):
            raise RuntimeError("the referral was not sent: " + page.locator("main").inner_text()[:300])
        referral = page.url.removeprefix(self.base)  # the referral's page
        page.context.close()

        page = self.page("partner", DESKTOP)
        self.go(page, referral)
        page.locator("textarea[name=note]").fill("Pierwsze spotkanie z doradcą w poniedziałek o 9:00, pokój 12.")
        page.get_by_role("button", name="Przyjmij", exact=True).click()
        page.wait_for_load_state()
        page.context.close()

        page = self.page("pracownik", DESKTOP)
        self.go(page, "/")
        self.shot(page, 7, "home")
        if self.label == "after":
            self.go(page, "/siec/powiadomienia/")
            self.shot(page, 7, "notification-list")
        page.context.close()


WALLS = {
    1: Shooter.wall1_next_actions,
    2: Shooter.wall2_menu,
    3: Shooter.wall3_field_work,
    4: Shooter.wall4_phone,
    5: Shooter.wall5_confirm,
    6: Shooter.wall6_history,
    7: Shooter.wall7_notifications,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the running product, e.g. http://127.0.0.1:8102")
    parser.add_argument("folder", type=Path, help="where the PNG files go")
    parser.add_argument("--label", choices=("before", "after"), required=True)
    parser.add_argument("--walls", default="1,2,3,4,5,6,7", help="comma-separated wall numbers")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        shooter = Shooter(browser, args.base, args.folder, args.label)
        for wall in (int(n) for n in args.walls.split(",")):
            WALLS[wall](shooter)
        browser.close()


if __name__ == "__main__":
    main()
