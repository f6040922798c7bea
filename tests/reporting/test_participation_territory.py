"""Issue 14 item 2: the participation's Województwo, Powiat, Gmina and DEGURBA come from the TERYT
register wherever a gmina code is known (form, enrolment from the person, import); where DEGURBA is
unknown it stays blank and the participant list says so."""

import datetime as dt

import pytest
from django.urls import reverse

from families.codes import Sex
from reporting.models import Participation
from reporting.services.participation import initial_from_person
from reporting.services.validation import entry_errors
from support_network.models import GminaDegurba
from tests.families.factories import FamilyFactory, PersonFactory
from tests.reporting.factories import ParticipationFactory
from tests.reporting.test_participation_views import enrol_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def wodzislaw_degurba(db):
    return GminaDegurba.objects.create(code="2415041", degurba="2")


def test_enrolment_form_fills_the_address_from_the_chosen_gmina(login, manager, project, wodzislaw_degurba):
    url = reverse("reporting:participant_enrol", args=[project.pk]) + "?osoba=brak"
    response = login(manager).post(url + "", enrol_post(osoba="brak", gmina_teryt="2415041", county="zły powiat"))
    assert response.status_code == 302, response.content.decode()[:3000]
    p = Participation.objects.get()
    assert (p.gmina_teryt, p.voivodeship, p.county, p.gmina, p.degurba) == (
        "2415041", "śląskie", "wodzisławski", "Wodzisław Śląski", "2")  # fmt: skip


def test_enrolment_refuses_a_gmina_code_outside_the_register(login, manager, project):
    url = reverse("reporting:participant_enrol", args=[project.pk]) + "?osoba=brak"
    response = login(manager).post(url, enrol_post(osoba="brak", gmina_teryt="2415049"))
    assert response.status_code == 200
    assert "nie ma w rejestrze TERYT" in response.content.decode()
    assert not Participation.objects.exists()


def test_enrolling_a_family_member_prefills_powiat_and_degurba(project, wodzislaw_degurba):
    family = FamilyFactory(project=project, gmina_teryt="2415041")
    person = PersonFactory(family=family)
    data = initial_from_person(person, project=project, today=project.start_date)
    assert (data["voivodeship"], data["county"], data["gmina"], data["degurba"]) == (
        "śląskie", "wodzisławski", "Wodzisław Śląski", "2")  # fmt: skip


def test_a_file_row_with_names_only_gets_the_code_and_degurba(project, wodzislaw_degurba):
    """What the import checks each row with (reporting/importing/rows.py -> entry_errors)."""
    values = {"first_name": "Jan", "last_name": "Nowak", "no_pesel": True, "sex": Sex.MALE,
              "birth_date": dt.date(1980, 1, 1), "start_date": project.start_date, "voivodeship": "ŚLĄSKIE",
              "county": "wodzisławski", "gmina": "Wodzisław Śląski", "degurba": ""}  # fmt: skip
    assert entry_errors(values, project=project, today=project.end_date, strict=True) == {}
    assert (values["gmina_teryt"], values["voivodeship"], values["degurba"]) == ("2415041", "śląskie", "2")


def test_participant_list_says_which_participations_have_no_degurba(login, manager, project):
    known = ParticipationFactory(project=project, degurba="2")
    unknown = ParticipationFactory(project=project, degurba="")
    client = login(manager)
    html = client.get(reverse("reporting:participant_list", args=[project.pk])).content.decode()
    assert "Uczestnicy bez DEGURBA: 1" in html
    filtered = client.get(reverse("reporting:participant_list", args=[project.pk]) + "?stan=no_degurba")
    assert unknown.last_name in filtered.content.decode()
    assert known.last_name not in filtered.content.decode()
