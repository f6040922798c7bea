import csv
import datetime as dt
import io
import math
from decimal import Decimal

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.codes import EmploymentForm, JobSeekingKind, OutcomeKind
from reporting.importing import layout
from reporting.models import OutcomeEvent, Participation
from reporting.services.import_export import export_rows
from tests.reporting.factories import OutcomeEventFactory, ParticipationFactory
from tests.reporting.roundtrip import export_bytes, export_then_import, snapshot

pytestmark = pytest.mark.django_db

PROJECT_BLOCK = [
    "Numer umowy/decyzji/aneksu", "Nazwa beneficjenta", "Tytuł projektu", "Okres realizacji projektu od",
    "Okres realizacji projektu do", "Wniosek za okres",
]  # fmt: skip
SL2014_ORDER = [
    "Kraj", "Rodzaj uczestnika", "Nazwa instytucji", "Imię", "Nazwisko", "PESEL", "Brak PESEL", "Płeć",
    "Wiek w chwili przystąpienia do projektu", "Wykształcenie", "Województwo", "Powiat", "Gmina", "Miejscowość",
    "Ulica", "Nr budynku", "Nr lokalu", "Kod pocztowy", "Obszar wg stopnia urbanizacji (DEGURBA)",
    "Telefon kontaktowy", "Adres e-mail", "Data rozpoczęcia udziału w projekcie",
    "Data zakończenia udziału w projekcie", "Status osoby na rynku pracy w chwili przystąpienia do projektu",
    "W tym", "Wykonywany zawód", "Zatrudniony w", "Sytuacja (1) osoby w momencie zakończenia udziału w projekcie",
    "Sytuacja (2) osoby w momencie zakończenia udziału w projekcie",
    "Inne rezultaty dotyczące osób młodych (dotyczy IZM)",
    "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką uczestnictwa",
    "Rodzaj przyznanego wsparcia", "W tym", "Data rozpoczęcia udziału we wsparciu",
    "Data zakończenia udziału we wsparciu", "Data założenia działalności gospodarczej",
    "Kwota środków przyznanych na założenie działalności gospodarczej", "PKD założonej działalności gospodarczej",
    "Osoba należąca do mniejszości narodowej lub etnicznej, migrant, osoba obcego pochodzenia",
    "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań", "Osoba z niepełnosprawnościami",
    "Osoba w innej niekorzystnej sytuacji społecznej",
    "Planowana data zakończenia edukacji w placówce edukacyjnej, w której skorzystano ze wsparcia",
]  # fmt: skip


def rich_project(project):
    """Participations with every kind of data: exits, all outcome kinds, several events of a kind,
    no PESEL, refusals, data gaps, values that look like formulas."""
    ended = ParticipationFactory(project=project, start_date=dt.date(2017, 3, 1), end_date=dt.date(2017, 9, 30),
                                 completed_as_planned=False, early_exit_reason="employment", degurba="2",
                                 phone="+48 600 100 200", street="ul. Wilchwiańska", building="12", flat="3",
                                 voivodeship="śląskie", county="wodzisławski", gmina="Wodzisław Śląski",
                                 email="jan@example.invalid", minority="odmowa", disability="tak")  # fmt: skip
    OutcomeEventFactory(participation=ended, occurred_on=dt.date(2017, 10, 2), fte=Decimal("0.5"), planned_months=6,
                        employer="PPHU „Remont”; Kalisz", evidence="umowa z 02.10.2017")  # fmt: skip
    OutcomeEventFactory(participation=ended, occurred_on=dt.date(2017, 11, 5), employment_form=EmploymentForm.CIVIL,
                        fte=None, planned_months=3, employer="")  # fmt: skip
    OutcomeEventFactory(participation=ended, kind=OutcomeKind.QUALIFICATION, occurred_on=dt.date(2017, 9, 20),
                        qualification_name="operator wózka widłowego")  # fmt: skip
    OutcomeEventFactory(participation=ended, kind=OutcomeKind.SOCIAL_PROGRESS, occurred_on=dt.date(2017, 9, 25),
                        progress_category="b")  # fmt: skip
    OutcomeEventFactory(participation=ended, kind=OutcomeKind.SOCIAL_PROGRESS, occurred_on=dt.date(2017, 9, 25),
                        progress_category="c", evidence="")  # fmt: skip
    inactive = ParticipationFactory(project=project, pesel="", no_pesel=True, birth_date=dt.date(1999, 12, 31),
                                    sex="K", labour_status="inactive", labour_status_detail="learning",
                                    start_date=dt.date(2017, 4, 3), end_date=dt.date(2017, 12, 1),
                                    completed_as_planned=True, at_risk=False, education="")  # fmt: skip
    OutcomeEventFactory(participation=inactive, kind=OutcomeKind.JOB_SEEKING, occurred_on=dt.date(2017, 12, 10),
                        job_seeking_kind=JobSeekingKind.ACTIVE)  # fmt: skip
    OutcomeEventFactory(participation=inactive, kind=OutcomeKind.EDUCATION, occurred_on=dt.date(2017, 12, 20))
    ParticipationFactory(project=project, first_name="=HYPERLINK(\"http://zly.example\";\"x\")", last_name="@SUM(A1)",
                         occupation="-2+3", employer="+cmd", at_risk=None)  # fmt: skip


def test_headers_are_the_project_block_the_sl2014_columns_in_order_then_the_documented_extras(project):
    headers = next(export_rows(project))
    assert headers[: len(PROJECT_BLOCK)] == PROJECT_BLOCK
    assert headers[len(PROJECT_BLOCK) : len(PROJECT_BLOCK) + len(SL2014_ORDER)] == SL2014_ORDER
    assert headers[len(PROJECT_BLOCK) + len(SL2014_ORDER) :] == [column.header for column in layout.EXTRA_COLUMNS]
    assert "Rezultat: zatrudnienie – wymiar etatu" in headers


def test_values_use_the_exact_sl2014_labels(project):
    rich_project(project)
    rows = list(export_rows(project))
    header = layout.HEADERS  # the unique keys: the two "W tym" columns told apart
    by_name = {row[header.index("Nazwisko")]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    ended = next(r for r in by_name.values() if r["Data zakończenia udziału w projekcie"] == dt.date(2017, 9, 30))
    assert ended["Płeć"] == "mężczyzna" and ended["Wykształcenie"] == "gimnazjalne (ISCED 2)"
    assert ended["Status osoby na rynku pracy w chwili przystąpienia do projektu"] == (
        "osoba bezrobotna zarejestrowana w ewidencji urzędów pracy"
    )
    assert ended[layout.H_STATUS_DETAIL] == "osoba długotrwale bezrobotna" and ended["Brak PESEL"] == "Nie"
    assert ended["Osoba należąca do mniejszości narodowej lub etnicznej, migrant, osoba obcego pochodzenia"] == (
        "Odmowa podania informacji"
    )
    assert ended["Osoba z niepełnosprawnościami"] == "Tak"
    assert ended["Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką uczestnictwa"] == "Nie"
    assert ended["Rezultat: zatrudnienie – data"] == "2017-10-02 | 2017-11-05"
    assert ended["Rezultat: zatrudnienie – forma"] == "umowa o pracę | umowa cywilnoprawna"
    assert ended["Rezultat: zatrudnienie – wymiar etatu"] == "0,5 | "
    assert ended["Sytuacja (1) osoby w momencie zakończenia udziału w projekcie"].startswith("osoba pracująca")
    assert ended["Wiek w chwili przystąpienia do projektu"] == 31 and ended["Data urodzenia"] == ""
    no_pesel = next(r for r in by_name.values() if r["Brak PESEL"] == "Tak")
    assert no_pesel["Data urodzenia"] == dt.date(1999, 12, 31) and no_pesel["Płeć"] == "kobieta"


def test_csv_neutralises_formulas(project):
    rich_project(project)
    text = export_bytes(project, "csv").decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://zly.example";"x")' in cells and "'@SUM(A1)" in cells
    assert "'-2+3" in cells and "'+cmd" in cells and "'+48 600 100 200" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_xlsx_writes_formula_like_values_as_text(project):
    rich_project(project)
    sheet = openpyxl.load_workbook(io.BytesIO(export_bytes(project, "xlsx"))).active
    cells = [cell for row in sheet.iter_rows(min_row=2) for cell in row if isinstance(cell.value, str)]
    formula_like = [c for c in cells if c.value.startswith(("=", "+", "-", "@"))]
    assert {c.value for c in formula_like} >= {'=HYPERLINK("http://zly.example";"x")', "@SUM(A1)", "+cmd"}
    assert all(c.data_type == "s" for c in formula_like)  # text, never a formula


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_into_an_empty_project_gives_the_same_records(project, empty_project, manager, fmt):
    rich_project(project)
    summary = export_then_import(project, empty_project, fmt, by=manager)
    assert (
        summary.participations == 3
        and summary.outcomes == OutcomeEvent.objects.filter(participation__project=project).count()
    )
    assert snapshot(empty_project) == snapshot(project)
    assert all(p.person_id is None and p.is_frozen for p in Participation.objects.filter(project=empty_project))


def test_export_reads_in_chunks_with_a_bounded_number_of_queries(project):
    participations = Participation.objects.bulk_create(
        [ParticipationFactory.build(project=project, pesel="", no_pesel=True, last_name=f"N{i}") for i in range(2500)]
    )
    OutcomeEvent.objects.bulk_create(
        [OutcomeEventFactory.build(participation=p, occurred_on=dt.date(2017, 5, 1)) for p in participations[::5]]
    )
    chunk = 1000
    with CaptureQueriesContext(connection) as queries:
        out = io.BytesIO()
        from reporting.services.import_export import write_xlsx

        count = write_xlsx(export_rows(project, chunk_size=chunk), out)
    assert count == 2500
    # one query for the project's leader, one for the participations (a server-side cursor read chunk by
    # chunk) + one for the outcome events and one for the supports of each chunk: the number of queries
    # follows the chunks, not the rows
    assert len(queries.captured_queries) <= 2 + 2 * math.ceil(2500 / chunk)


def test_export_page_downloads_xlsx_and_leaves_an_access_entry(login, manager, project):
    rich_project(project)
    response = login(manager).get(reverse("reporting:participant_export", args=[project.pk]) + "?format=xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.max_row == 4
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS, object_pk=str(project.pk))
    assert entry.actor == manager
    assert entry.additional_data["export"] == "participants" and entry.additional_data["format"] == "xlsx"
    assert entry.additional_data["page"] == "reporting:participant_export"


def test_export_page_streams_csv(login, auditor, project):
    rich_project(project)
    response = login(auditor).get(reverse("reporting:participant_export", args=[project.pk]) + "?format=csv")
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.count("\r\n") >= 4 and "Imię" in text


def test_export_command_writes_the_file(project, tmp_path):
    from django.core.management import call_command

    rich_project(project)
    target = tmp_path / "u.xlsx"
    call_command("export_participants", "--project", project.agreement_number, "--format", "xlsx", "-o",
                 str(target), stdout=io.StringIO())  # fmt: skip
    assert openpyxl.load_workbook(target).active.max_row == 4
