"""Contract numbers come from the OPS register when the contract is signed; the page and the PDF show
the number once, and the place of signing in the locative ("w Wodzisławiu Śląskim")."""

import datetime as dt
import subprocess

import pytest
from django.urls import reverse

from contracts.services import social_contracts as services
from support_network.registers import NumberKind, NumberRegister
from tests.contracts.factories import make_contract

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def test_a_draft_has_no_number_and_signing_gives_the_registers_next(family, head, social_worker, mops):
    NumberRegister.objects.create(institution=mops, kind=NumberKind.CONTRACT, pattern="KS/{nr}/{rok}")
    first = make_contract(family=family, person=head, worker=social_worker)
    second = make_contract(family=family, person=head, worker=social_worker)
    assert first.number == "" and str(first) == f"#{first.pk}"
    services.contract_sign(contract=second, signed_on=TODAY, by=social_worker)
    services.contract_sign(contract=first, signed_on=TODAY, by=social_worker)
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.number, first.number) == (f"KS/1/{TODAY.year}", f"KS/2/{TODAY.year}")  # in the order of signing


def test_a_refused_contract_takes_no_number(family, head, social_worker):
    refused = make_contract(family=family, person=head, worker=social_worker)
    services.contract_refuse(contract=refused, refused_on=TODAY, reason="Odmowa", by=social_worker)
    signed = make_contract(family=family, person=head, worker=social_worker, signed=True)
    refused.refresh_from_db()
    assert refused.number == "" and signed.number == f"KS/{TODAY.year}/001"


def test_a_number_carried_over_from_paper_stays_at_signing(family, head, social_worker):
    contract = services.contract_create(
        family=family,
        fields={
            "kind": "A", "person": head, "concluded_on": TODAY, "period_start": TODAY,
            "period_end": TODAY + dt.timedelta(days=90), "causes": "x", "main_goal": "y",
        },
        goals=[{"text": "Cel"}],
        actions=[{"description": "Działanie", "owner": "client", "deadline": TODAY}],
        by=social_worker,
        number="KS/PAPIER/7",
    )  # fmt: skip
    assert services.contract_sign(contract=contract, signed_on=TODAY, by=social_worker).number == "KS/PAPIER/7"


def test_the_page_shows_the_number_once_in_the_heading(family, head, social_worker, login):
    contract = make_contract(family=family, person=head, worker=social_worker, signed=True)
    html = login(social_worker).get(reverse("contracts:contract_detail", args=[contract.pk])).content.decode()
    assert f"Kontrakt socjalny nr {contract.number}</h1>" in html
    assert html.count("Kontrakt socjalny Kontrakt socjalny") == 0


def test_the_pdf_has_the_number_and_the_place_in_the_locative(family, head, social_worker, mops, login, tmp_path):
    mops.locality, mops.locality_locative = "Wodzisław Śląski", "Wodzisławiu Śląskim"
    mops.save()
    contract = make_contract(family=family, person=head, worker=social_worker, signed=True)
    response = login(social_worker).get(reverse("contracts:contract_pdf", args=[contract.pk]))
    path = tmp_path / "k.pdf"
    path.write_bytes(response.content)
    text = " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout.split())
    assert f"KONTRAKT SOCJALNY nr {contract.number}" in text
    assert "w Wodzisławiu Śląskim pomiędzy" in text


def test_without_the_locative_the_place_is_still_correct_polish(mops):
    mops.locality, mops.locality_locative = "Wodzisław Śląski", ""
    assert mops.place_phrase == "w miejscowości Wodzisław Śląski"
    mops.locality_locative = "Wodzisławiu Śląskim"
    assert mops.place_phrase == "w Wodzisławiu Śląskim"
