"""Issue 13's journey: what happens to a person is entered once, where it happens, and reaches the
indicators with the project manager's confirmation. The social worker refers a participant to a
workshop cycle; the PUP counsellor accepts, enrols her in the group, records attendance at three
sessions and an employment outcome; the manager confirms the proposed outcome; the indicator page's
RES_EMPLOYED and the participant's SL2014 export row change. Every page passes the axe gate."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from contracts.models import Referral, ReferralStatus
from contracts.services import sessions as group_services
from reporting.importing import layout
from reporting.models import OutcomeEvent
from tests.contracts import referral_factories as fixtures
from tests.e2e.conftest import assert_accessible, log_in
from tests.e2e.test_referrals import log_out
from tests.reporting.factories_indicators import ParticipationFactory
from tests.support_network.factories import PASSWORD

family = fixtures.family
person = fixtures.person
workshop = fixtures.workshop


@pytest.fixture
def cycle(project, partner, workshop, person):
    """A project running this year, Maria's participation that ended yesterday, and a workshop cycle
    of three 4-hour sessions held in the last ten days."""
    today = timezone.localdate()
    project.start_date, project.end_date = today - dt.timedelta(days=365), today + dt.timedelta(days=365)
    project.save()
    ParticipationFactory(project=project, person=person, first_name=person.first_name, last_name=person.last_name,
                         start_date=today - dt.timedelta(days=60), end_date=today - dt.timedelta(days=1))  # fmt: skip
    group = group_services.group_create(by=partner, service=workshop, name="Warsztaty – edycja 1", project=project)
    sessions = [
        group_services.session_create(
            group=group,
            by=partner,
            held_on=today - dt.timedelta(days=days),
            starts_at=dt.time(9, 0),
            hours=Decimal(4),
            place="Sala 12, PUP",
            topic=f"Rynek pracy {n}",
            trainer_name="Anna Doradczyni",
        )  # fmt: skip
        for n, days in enumerate((10, 9, 8), start=1)
    ]
    return group, sessions


def export_row(page, live_server, project, person) -> dict:
    """The participant's row of the SL2014 export (CSV, UTF-8), as the manager downloads it."""
    response = page.request.get(f"{live_server.url}/raporty/projekty/{project.pk}/uczestnicy/eksport/"
                                "?format=csv&encoding=utf-8")  # fmt: skip
    assert response.ok
    rows = list(csv.reader(io.StringIO(response.text().lstrip("\ufeff")), delimiter=";"))
    header = rows[0]
    found = [dict(zip(header, row, strict=False)) for row in rows if person.last_name in row]
    assert len(found) == 1, found
    return found[0]


RECOUNT = re.compile(r"/wskazniki/aktualne/")


def indicator(page, live_server, project, code, *, changed: bool = False) -> str:
    """The indicator's cumulative number as the page shows it. `changed`: the project's data changed
    since the page last counted, so it first shows the last numbers, marked, while htmx asks for the
    current ones; that state is held (the request refused) long enough to check it, then let through."""
    url = f"{live_server.url}/raporty/projekty/{project.pk}/wskazniki/"
    if changed:
        page.route(RECOUNT, lambda route: route.abort())
        page.goto(url)
        expect(page.locator("#indicator-recount")).to_contain_text("Trwa przeliczanie")
        expect(page.locator("#indicator-figures")).to_have_attribute("aria-busy", "true")
        assert_accessible(page)
        page.unroute(RECOUNT)
    page.goto(url)
    expect(page.locator("#indicator-figures")).not_to_have_attribute("aria-busy", "true")
    assert_accessible(page)
    return page.locator(f'[data-value="{code}-cumulative"]').inner_text().strip()


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_referral_to_a_workshop_cycle_reaches_the_indicators_once_confirmed(
    desktop, live_server, social_worker, partner, manager, project, person, workshop, cycle
):
    page = desktop
    group, sessions = cycle
    # the social worker refers Maria to the workshop from the catalogue
    log_in(page, live_server, "pracownik", PASSWORD)
    page.goto(f"{live_server.url}/siec/katalog/?q=warsztaty")
    page.locator(f"#service-{workshop.pk}").get_by_role("link", name=re.compile("Skieruj osobę")).click()
    assert_accessible(page)
    page.get_by_role("combobox", name=re.compile(r"^Osoba")).select_option(str(person.pk))
    page.get_by_label("Uzasadnienie skierowania").fill("Długotrwale bezrobotna, chce wrócić na rynek pracy.")
    page.get_by_role("button", name="Zapisz i wyślij").click()
    expect(page.get_by_role("alert")).to_contain_text("Skierowanie wysłane")
    referral = Referral.objects.get(person=person)
    log_out(page)

    # the PUP counsellor accepts, enrols Maria in the cycle and records three sessions' attendance
    log_in(page, live_server, "partner", PASSWORD)
    page.goto(f"{live_server.url}/umowy/skierowania/{referral.pk}/")
    page.get_by_role("button", name="Przyjmij").click()
    expect(page.get_by_role("alert")).to_contain_text("Skierowanie przyjęte")
    page.goto(f"{live_server.url}/umowy/grupy/{group.pk}/")
    assert_accessible(page)
    page.get_by_label("Kowalska Maria").check()
    page.get_by_role("button", name="Zapisz do grupy").click()
    for session in sessions:
        page.goto(f"{live_server.url}/umowy/grupy/zajecia/{session.pk}/")
        assert_accessible(page)
        page.get_by_label("Kowalska Maria").check()
        page.get_by_role("button", name="Zapisz obecność").click()
        expect(page.get_by_role("alert")).to_contain_text("Zapisano obecność")
    page.goto(f"{live_server.url}/umowy/skierowania/{referral.pk}/")
    expect(page.locator("#hours-total")).to_have_text("12")
    started = (timezone.localdate() - dt.timedelta(days=2)).strftime("%d.%m.%Y")
    page.get_by_label("Podjął(ęła) zatrudnienie").check()
    page.get_by_label("Pracodawca").fill("Zakład Usług Komunalnych sp. z o.o.")
    page.get_by_label("Forma zatrudnienia").select_option(label="umowa o pracę")
    page.get_by_label("Data rozpoczęcia pracy").fill(started)
    page.get_by_label("Wymiar etatu (umowa o pracę)").fill("1")
    page.get_by_label("Planowany okres zatrudnienia (miesiące)").fill("6")
    page.get_by_role("button", name="Zakończ realizację").click()
    expect(page.get_by_role("alert")).to_contain_text("Zapisano rezultat")
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.COMPLETED
    log_out(page)

    # the manager sees the support already in the EFS record, and the outcome waiting for a decision
    log_in(page, live_server, "kierownik", PASSWORD)
    assert indicator(page, live_server, project, "RES_EMPLOYED") == "0"
    before = export_row(page, live_server, project, person)
    assert before[layout.H_SUPPORT_FORM] != ""  # the workshop is a support form without typing it
    page.goto(f"{live_server.url}/raporty/rezultaty-do-potwierdzenia/")
    assert_accessible(page)
    row = page.locator("#outcome-queue tbody tr", has_text="Zakład Usług Komunalnych")
    expect(row).to_contain_text("Maria Kowalska")
    row.get_by_role("button", name="Potwierdź").click()
    expect(page.get_by_role("alert")).to_contain_text("Potwierdzono")
    assert OutcomeEvent.objects.get().proposal.referral_id == referral.pk  # links back to its source

    assert indicator(page, live_server, project, "RES_EMPLOYED", changed=True) == "1"
    after = export_row(page, live_server, project, person)
    assert after != before
    assert started in after.values() or (timezone.localdate() - dt.timedelta(days=2)).isoformat() in after.values()
