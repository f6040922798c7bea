"""The SL2014 layout both ways: official files in (both "W tym" columns, XLSX and cp1250 CSV),
header checks before any row, the at-risk answer missing = a data gap, the business columns =
the EFS-grant employment outcome, and the product's own export back to identical indicators."""

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from core.crypto import keyed_hash
from families.codes import LabourStatus, LabourStatusDetail, Sex
from families.pesel import make_pesel
from reporting.codes import EmploymentForm, OutcomeKind
from reporting.importing import layout as L
from reporting.importing.export_row import ClaimPeriod
from reporting.models import OutcomeEvent, Participation, Support, SupportSource
from reporting.selectors.indicators import data_gaps, project_indicators
from reporting.services.import_export import export_rows
from reporting.services.participant_import import ImportRejected, participants_import
from tests.reporting.factories import OutcomeEventFactory, ParticipationFactory
from tests.reporting.roundtrip import export_bytes, export_then_import
from tests.reporting.test_export import rich_project

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"


def import_file(project, path: Path, by=None):
    with path.open("rb") as fileobj:
        return participants_import(project=project, fileobj=fileobj, filename=path.name, by=by)


def refused(project, data: bytes, filename="u.csv") -> list[str]:
    with pytest.raises(ImportRejected) as exc:
        participants_import(project=project, fileobj=io.BytesIO(data), filename=filename, by=None)
    return [str(e) for e in exc.value.errors]


def csv_bytes(headers: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


# --- official files in ------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["sl2014_official.xlsx", "sl2014_official_cp1250.csv"])
def test_an_official_sl2014_file_imports_both_w_tym_columns_by_position(project, name):
    summary = import_file(project, FILES / name)
    assert (summary.participations, summary.supports) == (3, 4)
    first = Participation.objects.get(pesel_hash=keyed_hash("80010100116"))
    assert first.last_name == "Żółkiewski" and first.employer == "" and first.degurba == "2"
    assert first.labour_status == LabourStatus.UNEMPLOYED_REGISTERED
    assert first.labour_status_detail == LabourStatusDetail.LONG_TERM_UNEMPLOYED  # the first "W tym"
    supports = list(first.supports.values_list("form", "form_detail", "start_date", "end_date", "source"))
    assert supports == [  # the second "W tym", one value per support form
        ("szkolenie/kurs", "kurs zawodowy", dt.date(2017, 3, 1), dt.date(2017, 5, 31), SupportSource.IMPORT),
        ("doradztwo/konsultacje", "doradztwo zawodowe", dt.date(2017, 4, 10), dt.date(2017, 6, 30),
         SupportSource.IMPORT),
    ]  # fmt: skip
    pupil = Participation.objects.get(pesel_hash=keyed_hash("02221001514"))
    assert pupil.planned_education_end == dt.date(2018, 6, 22)
    assert pupil.labour_status_detail == LabourStatusDetail.LEARNING


@pytest.mark.parametrize("name", ["sl2014_official.xlsx", "sl2014_official_cp1250.csv"])
def test_an_official_file_without_the_at_risk_column_makes_data_gaps_never_no(project, name):
    summary = import_file(project, FILES / name)
    assert set(Participation.objects.values_list("at_risk", flat=True)) == {None}
    assert any("Osoba zagrożona ubóstwem" in warning for warning in summary.warnings)
    gaps = data_gaps(project)
    assert len(gaps) == 3 and all("zagrożona ubóstwem lub wykluczeniem społecznym" in g.missing for g in gaps)
    report = project_indicators(project, date_from=project.start_date, date_to=project.end_date)
    # nobody is counted as "not at risk": not counted at all until the answer is given
    assert report.get("OUT_UNEMPLOYED").cumulative.total == 0


def test_the_business_columns_are_the_efs_grant_employment_outcome(project):
    import_file(project, FILES / "sl2014_official.xlsx")
    grantee = Participation.objects.get(pesel_hash=keyed_hash("95031523408"))
    (event,) = grantee.outcomes.all()
    assert (event.kind, event.employment_form, event.occurred_on) == (
        OutcomeKind.EMPLOYMENT, EmploymentForm.BUSINESS_EFS_GRANT, dt.date(2017, 12, 4))  # fmt: skip
    assert (event.grant_amount, event.pkd) == (Decimal("23000.00"), "47.91.Z")


def test_the_export_writes_one_grant_twice_and_the_import_reads_it_back_as_one_record(project, empty_project):
    p = ParticipationFactory(project=project, start_date=dt.date(2017, 3, 1), end_date=dt.date(2017, 9, 30),
                             completed_as_planned=True)  # fmt: skip
    OutcomeEventFactory(participation=p, occurred_on=dt.date(2017, 10, 2), fte=None, planned_months=12,
                        employment_form=EmploymentForm.BUSINESS_EFS_GRANT, grant_amount=Decimal("23500.50"),
                        pkd="56.10.A")  # fmt: skip
    row = dict(zip(L.HEADERS, list(export_rows(project))[1], strict=True))
    assert row[L.H_EMP_DATE] == row[L.H_BUSINESS_DATE] == dt.date(2017, 10, 2)
    assert (row[L.H_BUSINESS_AMOUNT], row[L.H_BUSINESS_PKD]) == (Decimal("23500.50"), "56.10.A")
    for fmt in ("xlsx", "csv"):
        OutcomeEvent.objects.filter(participation__project=empty_project).delete()
        Participation.objects.filter(project=empty_project).delete()
        export_then_import(project, empty_project, fmt)
        (event,) = OutcomeEvent.objects.filter(participation__project=empty_project)
        assert (event.grant_amount, event.pkd, event.planned_months) == (Decimal("23500.50"), "56.10.A", 12)


# --- header checks before any row -------------------------------------------------------------


def test_a_hyphen_instead_of_an_en_dash_names_the_nearest_known_header(project):
    headers = [*L.REQUIRED_HEADERS, "Rezultat: zatrudnienie - data"]
    errors = refused(project, csv_bytes(headers, [["Jan"] * len(headers)]))
    assert errors == ["wiersz 1, Rezultat: zatrudnienie - data: nieznana kolumna – czy chodzi o „Rezultat: "
                      "zatrudnienie – data”? Popraw nagłówek (liczy się każdy znak, np. półpauza „–” zamiast "
                      "łącznika „-”)."]  # fmt: skip


def test_a_missing_required_column_is_refused_before_any_row_is_read(project):
    headers = [h for h in L.REQUIRED_HEADERS if h != L.H_EDUCATION]
    errors = refused(project, csv_bytes(headers, [["zły wiersz"] * len(headers)]))
    assert errors == ["wiersz 1, Wykształcenie: brak wymaganej kolumny."]  # no row was checked


def test_header_spellings_of_real_files_are_accepted_but_a_third_w_tym_is_not(project):
    headers = ["Imię", "Nazwisko", "Pesel", "brak  pesel", "Płeć", "Wykształcenie", "Data rozpoczęcia udziału w "
               "projekcie", "Status osoby na rynku pracy w chwili przystąpienia do projektu", "w tym", "Zatrudniony w:",
               "Rodzaj przyznanego wsparcia", "W tym", "W tym"]  # fmt: skip
    errors = refused(project, csv_bytes(headers, []))
    assert errors == ["wiersz 1, W tym: kolumna występuje w pliku za wiele razy."]


def test_a_single_w_tym_after_the_support_form_is_the_support_detail(project):
    pesel = make_pesel(dt.date(1980, 1, 1), 7, Sex.MALE)
    headers = [*L.REQUIRED_HEADERS, L.H_AT_RISK, "Rodzaj przyznanego wsparcia", "W tym",
               "Data rozpoczęcia udziału we wsparciu"]  # fmt: skip
    values = {L.H_FIRST_NAME: "Jan", L.H_LAST_NAME: "Nowak", L.H_PESEL: pesel, L.H_NO_PESEL: "Nie",
              L.H_SEX: "mężczyzna", L.H_EDUCATION: "gimnazjalne (ISCED 2)", L.H_START: "2017-03-01",
              L.H_STATUS: "osoba bierna zawodowo", L.H_AT_RISK: "Tak"}  # fmt: skip
    row = [values.get(h, "") for h in headers[:-3]] + ["staż/praktyka", "staż zawodowy", "2017-03-02"]
    participants_import(project=project, fileobj=io.BytesIO(csv_bytes(headers, [row])), filename="u.csv", by=None)
    p = Participation.objects.get()
    assert p.labour_status_detail == "" and p.supports.get().form_detail == "staż zawodowy"


def test_a_support_outside_the_participation_is_refused_with_its_column(project):
    headers = [*L.REQUIRED_HEADERS, L.H_SUPPORT_FORM, L.H_SUPPORT_START]
    row = ["Jan", "Nowak", make_pesel(dt.date(1980, 1, 1), 7, Sex.MALE), "Nie", "mężczyzna", "gimnazjalne (ISCED 2)",
           "2017-03-01", "osoba bierna zawodowo", "szkolenie/kurs", "2017-02-01"]  # fmt: skip
    errors = refused(project, csv_bytes(headers, [row]))
    assert errors == ["wiersz 2, Data rozpoczęcia udziału we wsparciu: Wsparcie nie może się zacząć przed "
                      "rozpoczęciem udziału w projekcie (01.03.2017)."]  # fmt: skip
    assert not Support.objects.exists()


# --- our own export back in: identical indicators ---------------------------------------------


def indicator_numbers(project) -> dict:
    """Every number of the report (ids left out: they differ between projects)."""
    report = project_indicators(project, date_from=dt.date(2017, 1, 1), date_to=dt.date(2017, 12, 31),
                                as_of=dt.date(2018, 6, 1)).as_dict()  # fmt: skip
    numbers = {code: {k: v for k, v in value.items() if k != "pending_ids"} | {"pending": len(value["pending_ids"])}
               if isinstance(value, dict) and "pending_ids" in value else value
               for code, value in report.items() if code not in ("project", "data_gaps")}  # fmt: skip
    numbers["data_gaps"] = sorted(tuple(r["missing"]) for r in report["data_gaps"]["records"])
    return numbers


def richer_project(project):
    rich_project(project)
    first = Participation.objects.filter(project=project).order_by("pk").first()
    Support.objects.create(participation=first, form="szkolenie/kurs", form_detail="kurs | zawodowy",
                           start_date=first.start_date, end_date=first.start_date + dt.timedelta(days=30))  # fmt: skip
    Support.objects.create(participation=first, form="doradztwo", start_date=first.start_date)
    OutcomeEventFactory(participation=first, occurred_on=dt.date(2017, 12, 1), fte=None, planned_months=None,
                        employment_form=EmploymentForm.BUSINESS_EFS_GRANT, grant_amount=Decimal("20000"), pkd="47.91.Z",
                        evidence="umowa\nz PUP")  # fmt: skip
    Participation.objects.filter(pk=first.pk).update(planned_education_end=dt.date(2019, 6, 30))


@pytest.mark.parametrize(("fmt", "options"), [("xlsx", {}), ("csv", {}), ("csv", {"encoding": "cp1250"})])
def test_our_export_imports_back_to_identical_indicators(project, empty_project, fmt, options):
    richer_project(project)
    data = export_bytes(project, fmt, **options)
    participants_import(project=empty_project, fileobj=io.BytesIO(data), filename=f"u.{fmt}", by=None)
    assert indicator_numbers(empty_project) == indicator_numbers(project)
    assert indicator_numbers(project)["OUT_AROPE"]["cumulative"]["total"] > 0  # the comparison is not of zeros
    original = Participation.objects.filter(project=project).order_by("pk").first()
    copied = Participation.objects.get(project=empty_project, pesel_hash=original.pesel_hash)
    assert list(copied.supports.values_list("form", "form_detail")) == [("szkolenie/kurs", "kurs / zawodowy"),
                                                                        ("doradztwo", "")]  # fmt: skip
    assert copied.planned_education_end == dt.date(2019, 6, 30)


# --- files that open well ---------------------------------------------------------------------


def test_xlsx_has_date_cells_a_frozen_filtered_header_widths_and_pesel_as_text(project):
    rich_project(project)
    sheet = openpyxl.load_workbook(io.BytesIO(export_bytes(project, "xlsx"))).active
    header = [c.value for c in sheet[1]]
    assert header.count("W tym") == 2
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}4"
    start = sheet.cell(2, header.index(L.H_START) + 1)
    assert start.is_date and start.value.date() == dt.date(2017, 3, 1) and start.number_format == "yyyy-mm-dd"
    pesel = sheet.cell(2, header.index(L.H_PESEL) + 1)
    assert pesel.data_type == "s" and len(pesel.value) == 11 and pesel.number_format == "@"
    age = sheet.cell(2, header.index(L.H_AGE) + 1)
    assert age.data_type == "n"
    last_name = sheet.column_dimensions[sheet.cell(1, header.index(L.H_LAST_NAME) + 1).column_letter]
    assert 15 <= last_name.width <= 60


def test_csv_has_one_physical_line_per_record_with_a_bom_and_semicolons(project):
    rich_project(project)
    first = Participation.objects.order_by("pk").first()
    OutcomeEventFactory(participation=first, occurred_on=dt.date(2017, 10, 9), evidence="linia 1\nlinia 2\r\nlinia 3")
    data = export_bytes(project, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[-1] == "" and len(lines) - 1 == 1 + 3  # header + 3 records, nothing else
    assert "linia 1 linia 2 linia 3" in lines[1] and lines[0].count(";") == len(L.FILE_HEADERS) - 1


def test_csv_for_older_excel_is_windows_1250_without_a_bom(project):
    ParticipationFactory(project=project, last_name="Źdźbło-Łęcka", first_name="Doğan Жанна")
    data = export_bytes(project, "csv", encoding="cp1250")
    assert not data.startswith(b"\xef\xbb\xbf")
    text = data.decode("cp1250")
    # "ğ" has no cp1250 code: its base letter; a Cyrillic letter has none: "?"
    assert "Źdźbło-Łęcka" in text and "Dogan ?????" in text


def test_a_claim_period_export_fills_wniosek_za_okres_and_keeps_the_period_s_participants(project):
    inside = ParticipationFactory(project=project, start_date=dt.date(2017, 2, 1))
    later = ParticipationFactory(project=project, start_date=dt.date(2017, 8, 1))
    ended_before = ParticipationFactory(project=project, start_date=dt.date(2017, 1, 5), end_date=dt.date(2017, 1, 31),
                                        completed_as_planned=True)  # fmt: skip
    result_in_period = ParticipationFactory(project=project, start_date=dt.date(2017, 1, 5),
                                            end_date=dt.date(2017, 1, 31), completed_as_planned=True)  # fmt: skip
    OutcomeEventFactory(participation=result_in_period, occurred_on=dt.date(2017, 2, 20))
    period = ClaimPeriod(dt.date(2017, 2, 1), dt.date(2017, 6, 30))
    rows = [dict(zip(L.HEADERS, row, strict=True)) for row in list(export_rows(project, period=period))[1:]]
    assert {r[L.H_ID] for r in rows} == {inside.pk, result_in_period.pk}
    assert {later.pk, ended_before.pk}.isdisjoint(r[L.H_ID] for r in rows)
    assert rows[0][L.H_CLAIM_PERIOD] == "2017-02-01 – 2017-06-30"
    assert rows[0][L.H_AGREEMENT] == project.agreement_number and rows[0][L.H_BENEFICIARY] == project.leader.name


def test_the_export_page_offers_the_options_and_refuses_half_a_period(login, manager, project):
    client = login(manager)
    url = reverse("reporting:participant_export", args=[project.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Wniosek za okres" in page.content.decode()
    bad = client.get(url, {"format": "xlsx", "date_from": "2017-01-01"})
    assert bad.status_code == 400 and "Podaj oba końce okresu wniosku albo żaden." in bad.content.decode()
    ParticipationFactory(project=project, last_name="Łęcka")
    response = client.get(url, {"format": "csv", "encoding": "cp1250", "date_from": "2017-01-01",
                                "date_to": "2017-12-31"})  # fmt: skip
    assert response["Content-Type"] == "text/csv; charset=cp1250"
    text = b"".join(response.streaming_content).decode("cp1250")
    assert "Łęcka" in text and "2017-01-01 – 2017-12-31" in text
    entry = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(project.pk)).latest("pk")
    expected = {"export": "participants", "format": "csv", "period": "2017-01-01 – 2017-12-31", "encoding": "cp1250"}
    assert entry.additional_data.items() >= expected.items()  # beside the page, path and records (core.access_log)
