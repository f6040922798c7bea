"""Issue 14 item 2: the TERYT TERC register ships with the app, a newer official file and the
DEGURBA classification load by command, a gmina code is checked against the register and fills
Województwo, Powiat, Gmina and DEGURBA."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from support_network.models import GminaDegurba, TerytLevel, TerytUnit, teryt_validator
from support_network.territory import (
    degurba_load,
    fill_address,
    gmina_address,
    gmina_code_from_names,
    search_gminas,
)

pytestmark = pytest.mark.django_db
HEADER = "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n"


def test_the_shipped_register_is_loaded_by_migrate():
    gminas = TerytUnit.objects.filter(level=TerytLevel.GMINA, code__regex=r"[123]$")
    assert gminas.count() == 2477
    assert TerytUnit.objects.filter(level=TerytLevel.COUNTY).count() == 380
    assert TerytUnit.objects.filter(level=TerytLevel.VOIVODESHIP).count() == 16
    assert gmina_address("2415041").gmina == "Wodzisław Śląski"


def test_a_code_of_the_right_format_but_not_in_the_register_is_refused():
    teryt_validator("2415041")
    with pytest.raises(ValidationError, match="nie ma w rejestrze"):
        teryt_validator("2415049")
    with pytest.raises(ValidationError, match="7 cyfr"):
        teryt_validator("24150")


def test_a_gmina_code_fills_the_address_of_a_dict_and_of_an_object():
    GminaDegurba.objects.create(code="2415041", degurba="2")
    values = {"degurba": ""}
    assert fill_address(values, "2415041")
    assert values == {"voivodeship": "śląskie", "county": "wodzisławski", "gmina": "Wodzisław Śląski", "degurba": "2"}

    class Record:
        degurba = "3"

    record = Record()
    assert fill_address(record, "3061011")  # no DEGURBA known for Kalisz: the given class is kept
    assert (record.voivodeship, record.county, record.gmina) == ("wielkopolskie", "Kalisz", "Kalisz")
    assert record.degurba == "3"
    assert not fill_address(values, "2415049")


def test_the_part_of_an_urban_rural_gmina_takes_the_gminas_class():
    GminaDegurba.objects.create(code="3027033", degurba="3")
    assert gmina_address("3027034").degurba == "3"


def test_names_from_a_file_find_the_one_gmina_they_mean():
    assert gmina_code_from_names(voivodeship="ŚLĄSKIE", county="wodzisławski", gmina="wodzislaw slaski") == "2415041"
    # Sochaczew is both a town gmina and a rural gmina of the same powiat: ambiguous, no guess
    assert gmina_code_from_names(voivodeship="mazowieckie", county="sochaczewski", gmina="Sochaczew") is None


def test_search_finds_gminas_by_name_without_diacritics_with_powiat_and_voivodeship():
    found = {g.code: g for g in search_gminas("wodzisl")}
    assert found["2415041"].label == "Wodzisław Śląski (gmina miejska), pow. wodzisławski, woj. śląskie"
    assert found["2602092"].label == "Wodzisław (gmina wiejska), pow. jędrzejowski, woj. świętokrzyskie"


def test_a_newer_register_adds_renames_and_retires_units(tmp_path):
    newer = tmp_path / "TERC_Urzedowy_2024-01-01.csv"
    newer.write_text(
        HEADER
        + "24;;;;ŚLĄSKIE;województwo;2024-01-01\n24;15;;;wodzisławski;powiat;2024-01-01\n"
        + "24;15;04;1;Wodzisław Śl.;gmina miejska;2024-01-01\n24;15;10;2;Nowa Gmina;gmina wiejska;2024-01-01\n",
        encoding="cp1250",
    )
    out = io.StringIO()
    call_command("load_teryt", str(newer), stdout=out)
    assert "dodano 1" in out.getvalue()
    assert gmina_address("2415102").gmina == "Nowa Gmina"
    assert gmina_address("2415041").gmina == "Wodzisław Śl."
    kalisz = TerytUnit.objects.get(code="3061011")
    assert not kalisz.in_force  # gone from the newer file, still readable for old records
    teryt_validator("3061011")
    assert not search_gminas("Kalisz")


def test_a_file_that_is_not_terc_is_refused_with_a_polish_message(tmp_path):
    bad = tmp_path / "x.csv"
    bad.write_text("a;b\n1;2\n")
    with pytest.raises(CommandError, match="To nie jest plik TERC"):
        call_command("load_teryt", str(bad), stdout=io.StringIO())
    assert TerytUnit.objects.filter(in_force=True).count() > 4000


def test_degurba_loads_from_a_eurostat_style_csv(tmp_path):
    path = tmp_path / "degurba.csv"
    path.write_text("CNTR_CODE,LAU CODE,LAU NAME NATIONAL,DGURBA\nPL,2415041,Wodzisław Śląski,2\n"
                    "PL,201011,Bolesławiec,2\nDE,09162000,München,1\nPL,2415049,Nieistniejąca,3\n",
                    encoding="cp1250")  # fmt: skip
    out = io.StringIO()
    call_command("load_degurba", str(path), stdout=out)
    assert dict(GminaDegurba.objects.values_list("code", "degurba")) == {"2415041": "2", "0201011": "2"}
    assert "pominięto kodów spoza rejestru: 1" in out.getvalue()


def test_degurba_loads_from_xlsx_and_refuses_an_unknown_class(tmp_path):
    book = Workbook()
    book.active.append(["LAU_ID", "DEGURBA"])
    book.active.append(["3027011", 2])
    path = tmp_path / "degurba.xlsx"
    book.save(path)
    call_command("load_degurba", str(path), stdout=io.StringIO())
    assert GminaDegurba.objects.get(code="3027011").degurba == "2"
    bad = tmp_path / "bad.csv"
    bad.write_text("KOD;DEGURBA\n3027011;4\n")
    with pytest.raises(CommandError, match="dozwolone 1, 2 albo 3"):
        call_command("load_degurba", str(bad), stdout=io.StringIO())


def test_degurba_load_skips_codes_outside_the_register():
    assert degurba_load([("2415041", "2"), ("9999999", "1")], source="test") == {"loaded": 1, "unknown": 1}


def test_the_picker_lists_matching_gminas_and_describes_the_chosen_one(login, social_worker):
    client = login(social_worker)
    url = "/siec/teryt/gminy/?pole=gmina_teryt&for=id_gmina_teryt&gmina_teryt="
    html = client.get(url + "wodzis").content.decode()
    assert '<option value="2415041">Wodzisław Śląski (gmina miejska), pow. wodzisławski, woj. śląskie</option>' in html
    assert 'id="id_gmina_teryt-desc"' in html and 'hx-swap-oob="true"' in html
    chosen = client.get(url + "2415041").content.decode()
    assert "pow. wodzisławski, woj. śląskie" in chosen and "<option" not in chosen
    assert client.get("/siec/teryt/gminy/?pole=x&for=<script>").status_code == 400


def test_control_characters_never_reach_the_database(login, social_worker):
    assert search_gminas("Wodz\x00isław") == search_gminas("Wodzisław")
    assert gmina_code_from_names(voivodeship="\x00", county="", gmina="Wodz\x00isław Śląski") == "2415041"
    response = login(social_worker).get("/siec/teryt/gminy/?pole=q&for=id_q&q=Wod%00z")
    assert response.status_code == 200
