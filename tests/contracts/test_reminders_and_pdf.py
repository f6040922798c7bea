"""Reminders (in-app list, daily e-mail sent once) and the PDF for signature."""

import datetime as dt
import subprocess

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from contracts.selectors.social_contracts import reminders_for
from contracts.services import social_contracts as services
from contracts.tasks import send_contract_reminders
from tests.contracts.factories import make_contract

pytestmark = pytest.mark.django_db

START = dt.date(2024, 3, 1)  # evaluation on START + 60 = 30.04.2024; actions on 15.03 and 31.03


@pytest.fixture
def contract(family, head, social_worker):
    with time_machine.travel(dt.datetime(2024, 3, 1, 9, 0), tick=False):
        contract = make_contract(family=family, person=head, worker=social_worker, today=START)
        services.contract_sign(contract=contract, signed_on=START, by=social_worker)
    return contract


def run_task_on(day):
    with time_machine.travel(dt.datetime.combine(day, dt.time(6, 30)), tick=False):
        return send_contract_reminders.delay().get()


def test_deadline_eight_days_ahead_is_not_yet_reminded(contract):
    assert run_task_on(dt.date(2024, 3, 6)) == 0  # first action 15.03 is 9 days ahead
    assert run_task_on(dt.date(2024, 3, 7)) == 0  # 8 days ahead
    assert mail.outbox == []


def test_deadline_seven_days_ahead_is_e_mailed_once(contract, social_worker):
    assert run_task_on(dt.date(2024, 3, 8)) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [social_worker.email]
    assert "15.03.2024" in message.body and "31.03.2024" not in message.body
    assert contract.person.last_name not in message.body  # no personal data in e-mails
    assert run_task_on(dt.date(2024, 3, 8)) == 0
    assert run_task_on(dt.date(2024, 3, 9)) == 0
    assert len(mail.outbox) == 1
    assert run_task_on(dt.date(2024, 3, 24)) == 1  # the second action (31.03) enters the window
    assert "31.03.2024" in mail.outbox[1].body


def test_evaluation_dates_are_reminded_and_held_ones_are_not(contract):
    run_task_on(dt.date(2024, 3, 24))  # both actions
    assert run_task_on(dt.date(2024, 4, 22)) == 0
    assert run_task_on(dt.date(2024, 4, 23)) == 1
    assert "30.04.2024" in mail.outbox[-1].body


def test_done_actions_and_closed_contracts_get_no_reminders(contract, social_worker):
    action = contract.actions.get(deadline=dt.date(2024, 3, 15))
    with time_machine.travel(dt.datetime(2024, 3, 5, 10, 0), tick=False):
        services.action_mark_done(action=action, done_on=dt.date(2024, 3, 5), by=social_worker)
        services.contract_close(
            contract=contract,
            status="terminated_other",
            closed_on=dt.date(2024, 3, 5),
            reason="Wyjazd",
            ratings={g.pk: {"achievement": "not_achieved"} for g in contract.goals.all()},
            by=social_worker,
        )
    assert run_task_on(dt.date(2024, 4, 29)) == 0
    assert mail.outbox == []


def test_in_app_list_shows_overdue_and_upcoming_items(contract, social_worker, colleague):
    items = reminders_for(social_worker, today=dt.date(2024, 3, 20))
    assert [(i.kind, i.due_on, i.overdue) for i in items] == [
        ("action", dt.date(2024, 3, 15), True),
        ("action", dt.date(2024, 3, 31), False),
    ]
    assert reminders_for(colleague, today=dt.date(2024, 3, 20)) == []


def test_reminders_page_lists_my_items(contract, social_worker, login, django_assert_max_num_queries):
    client = login(social_worker)
    with time_machine.travel(dt.datetime(2024, 3, 20, 10, 0), tick=False), django_assert_max_num_queries(10):
        response = client.get(reverse("contracts:reminders"))
    assert response.status_code == 200
    assert "15.03.2024" in response.text and "po terminie" in response.text


def pdf_text(tmp_path, data):
    path = tmp_path / "kontrakt.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_for_signature_contains_parties_goals_and_the_art_11_clause(family, head, social_worker, login, tmp_path):
    child = family.members.exclude(pk=head.pk).get()
    contract = make_contract(
        family=family,
        person=head,
        worker=social_worker,
        goals=["Zdobycie uprawnień operatora wózka widłowego", "Spłata zadłużenia czynszowego"],
    )
    contract.covered_members.add(child)
    response = login(social_worker).get(reverse("contracts:contract_pdf", args=[contract.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(tmp_path, response.content).split())
    assert "KONTRAKT SOCJALNY" in text and "Część I A" in text
    assert "Grażyna Żółkiewska" in text and head.pesel in text
    assert "Łukasz Żółkiewski" in text and child.pesel in text
    assert "Zdobycie uprawnień operatora wózka widłowego" in text
    assert "Spłata zadłużenia czynszowego" in text
    assert "art. 11 ust. 2" in text and "podpis pracownika socjalnego" in text


def test_pdf_of_type_b_has_part_i_b_and_unemployment_causes(family, head, social_worker, login, tmp_path):
    contract = make_contract(
        family=family,
        person=head,
        worker=social_worker,
        kind="B",
        unemployment_causes="Brak doświadczenia zawodowego",
        pup_referral="PUP-W/2024/77",
    )
    response = login(social_worker).get(reverse("contracts:contract_pdf", args=[contract.pk]))
    text = " ".join(pdf_text(tmp_path, response.content).split())
    assert "Część I B" in text and "Brak doświadczenia zawodowego" in text and "PUP-W/2024/77" in text
