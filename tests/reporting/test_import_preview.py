"""Issue 14 items 3 (values) and 4 (preview before commit), issue 11 finding 5 (hostile files):
each trap of the issue with the normalised value or the clear message."""

import csv
import datetime as dt
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from families.codes import Sex
from families.pesel import make_pesel
from reporting.importing import layout as L
from reporting.importing import reader
from reporting.importing.template import template_xlsx
from reporting.importing.values import ValueRefused, coded, parse_date, progress_categories, yes_no
from reporting.models import OutcomeEvent, ParticipantUpload, Participation, ParticipationAmendment
from reporting.services.participant_import import (
    ImportSummary,
    participants_import,
    participants_preview,
    summary_message,
)
from tests.reporting.test_import import csv_file, row, xlsx_file

pytestmark = pytest.mark.django_db


def preview(project, fileobj, filename="u.csv", by=None):
    return participants_preview(project=project, fileobj=fileobj, filename=filename, by=by)


def messages(result) -> list[str]:
    return [str(e) for e in result.errors]


# --- values: normalised where unambiguous ---------------------------------------------------------


@pytest.mark.parametrize("typed", ["wyższe (ISCED 5-8)", "wyższe (ISCED 5–8)", "WYŻSZE (isced 5 - 8)",
                                   "wyzsze (ISCED 5-8)", "wyższe", "ISCED 5-8", "wyższe (ISCED 5—8)"])  # fmt: skip
def test_education_label_with_a_hyphen_or_any_dash_is_read(project, typed):
    result = preview(project, csv_file([row(1, **{L.H_EDUCATION: typed})]))
    assert not result.errors, messages(result)
    participants_import(project=project, fileobj=csv_file([row(1, **{L.H_EDUCATION: typed})]), by=None)
    assert Participation.objects.get().education == "isced5_8"


@pytest.mark.parametrize(("typed", "sex"), [("K", "K"), ("k", "K"), ("M", "M"), ("Kobieta", "K"),
                                            ("MĘŻCZYZNA", "M"), ("mezczyzna", "M")])  # fmt: skip
def test_sex_as_k_m_or_words_in_any_case(typed, sex):
    from families.codes import Sex as SexCodes

    assert coded(typed, SexCodes) == sex


@pytest.mark.parametrize(("typed", "value"), [("Tak", True), ("TAK", True), ("t", True), ("T", True),
                                              ("nie", False), ("N", False), ("n", False), ("PRAWDA", True),
                                              ("FAŁSZ", False)])  # fmt: skip
def test_yes_no_in_any_spelling(typed, value):
    assert yes_no(typed) is value


@pytest.mark.parametrize("typed", ["b, c", "b,c", "b; c", "b\nc", "B) , c)", "b) wzmocnienie motywacji do pracy\nc"])
def test_several_progress_categories_in_one_cell(typed):
    assert progress_categories(typed) == ["b", "c"]


def test_categories_one_per_line_make_one_event_with_two_categories(project):
    file = csv_file([row(1, **{L.H_END: "2017-06-30", L.H_COMPLETED: "Tak", L.H_PROG_DATE: "2017-06-01",
                               L.H_PROG_CATEGORY: "b\nc", L.H_PROG_EVIDENCE: "opinia"})])  # fmt: skip
    participants_import(project=project, fileobj=file, by=None)
    assert sorted(OutcomeEvent.objects.values_list("progress_category", flat=True)) == ["b", "c"]


@pytest.mark.parametrize("typed", ["01/03/2017", "1.3.2017", "01-03-2017", "2017-03-01", "2017-03-01 00:00:00",
                                   "42795"])  # fmt: skip
def test_dates_in_polish_iso_and_excel_serial_notation(typed):
    assert parse_date(typed) == dt.date(2017, 3, 1)


@pytest.mark.parametrize("typed", ["03/31/2017", "2018", "1.3.17", "31.02.2017", "jutro"])
def test_an_unreadable_date_names_the_accepted_notations(typed):
    with pytest.raises(ValueRefused, match="oczekiwano DD.MM.RRRR, DD/MM/RRRR, RRRR-MM-DD"):
        parse_date(typed)


def test_xlsx_date_cells_and_serial_numbers_are_dates(project):
    file = xlsx_file([row(1, **{L.H_START: dt.datetime(2017, 3, 1)}), row(2, **{L.H_START: 42795})])
    participants_import(project=project, fileobj=file, filename="u.xlsx", by=None)
    assert set(Participation.objects.values_list("start_date", flat=True)) == {dt.date(2017, 3, 1)}


def test_a_refused_value_shows_the_allowed_values_and_the_nearest(project):
    result = preview(project, csv_file([row(1, **{L.H_EDUCATION: "wyższe (ISCED 5/8)"})]))
    (message,) = messages(result)
    assert "dozwolone: „niższe niż podstawowe (ISCED 0)”;" in message
    assert "Czy chodziło o „wyższe (ISCED 5–8)”?" in message


@pytest.mark.parametrize("encoding", ["cp1250", "utf-8", "utf-8-sig"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_in_excel_polish_encoding_or_utf8_with_either_separator(project, encoding, delimiter):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(L.HEADERS)
    writer.writerow([row(1, **{L.H_FIRST_NAME: "Żaneta Łucja"}).get(h, "") for h in L.HEADERS])
    result = preview(project, io.BytesIO(out.getvalue().encode(encoding)))
    assert not result.errors, messages(result)
    assert result.info.delimiter == delimiter
    participants_import(project=project, fileobj=io.BytesIO(out.getvalue().encode(encoding)), by=None)
    assert Participation.objects.get().first_name == "Żaneta Łucja"


# --- preview ---------------------------------------------------------------------------------------


def test_an_outcome_before_the_start_refuses_its_row_not_the_preview_of_the_others(project):
    early = row(2, **{L.H_SEEK_DATE: "2017-01-01", L.H_SEEK_KIND: "rejestracja w PUP"})
    result = preview(project, csv_file([row(1), early, row(3)]))
    assert result.refused_rows == [3]
    assert [p.row for p in result.of("create")] == [2, 4]
    assert any("nie może być wcześniejsza niż data rozpoczęcia" in m for m in messages(result))
    assert not result.can_commit and not Participation.objects.exists()


def test_preview_lists_creates_updates_gaps_and_the_indicator_effect_and_saves_nothing(project, manager):
    participants_import(project=project, fileobj=csv_file([row(5)]), by=manager)
    known = Participation.objects.get()
    file = csv_file([row(1, **{L.H_EDUCATION: "", L.H_AT_RISK: ""}), row(5, **{L.H_EDUCATION: "policealne (ISCED 4)"})])
    result = preview(project, file, by=manager)
    assert [p.row for p in result.of("create")] == [2]
    (update,) = result.of("update")
    assert (update.row, update.participation_id, update.changes) == (3, known.pk, ["wykształcenie"])
    assert {p.row: p.gaps for p in result.gaps} == {
        2: ["wykształcenie", "zagrożona ubóstwem lub wykluczeniem społecznym"]
    }
    effect = {i.code: (i.before, i.after) for i in result.indicators}
    assert effect["DATA_GAPS"] == ("0", "1")
    assert effect["OUT_LOWQUAL"] == ("1 (K 0, M 1)", "0 (K 0, M 0)")  # ISCED 2 -> 4; the new row has a gap
    assert Participation.objects.count() == 1 and not ParticipationAmendment.objects.exists()
    participants_import(project=project, fileobj=csv_file([row(5, **{L.H_EDUCATION: "policealne (ISCED 4)"})]),
                        by=manager, filename="u.csv")  # fmt: skip
    known.refresh_from_db()
    assert known.education == "isced4"
    amendment = ParticipationAmendment.objects.get()
    assert (amendment.field, amendment.reason, amendment.by) == ("education", "Import z pliku „u.csv”", manager)


def test_an_exported_file_is_unchanged_on_re_import(project, manager):
    from tests.reporting.roundtrip import export_bytes

    participants_import(project=project, fileobj=csv_file([row(1), row(2)]), by=manager)
    again = preview(project, io.BytesIO(export_bytes(project, "xlsx")), filename="u.xlsx", by=manager)
    assert not again.errors and [p.action for p in again.plans] == ["unchanged", "unchanged"]
    assert not any(i.changed for i in again.indicators)


def test_the_page_keeps_the_upload_for_the_commit_and_cancel_forgets_it(login, manager, project):
    client = login(manager)
    url = reverse("reporting:participant_import", args=[project.pk])
    response = client.post(url, {"file": SimpleUploadedFile("u.csv", csv_file([row(1)]).getvalue())})
    upload = ParticipantUpload.objects.get()
    assert response.url.endswith(f"/{upload.token}/")
    assert make_pesel(dt.date(1980, 1, 1), 1, Sex.MALE).encode() not in bytes(upload.content)  # stored encrypted
    page = client.get(response.url).content.decode()
    assert "1 nowy uczestnik" in page and "Zatwierdź import" in page
    client.post(response.url + "anuluj/")
    assert not ParticipantUpload.objects.exists() and not Participation.objects.exists()
    assert client.post(response.url + "zatwierdz/").status_code == 302 and not Participation.objects.exists()


def test_another_manager_of_the_project_cannot_see_or_commit_someone_elses_upload(login, manager, mops, project):
    from support_network.models import Role
    from tests.support_network.factories import staff_user

    response = login(manager).post(reverse("reporting:participant_import", args=[project.pk]),
                                   {"file": SimpleUploadedFile("u.csv", csv_file([row(1)]).getvalue())})  # fmt: skip
    other = staff_user(Role.PROJECT_MANAGER, mops, username="kierownik2")
    project.staff.add(other)
    client = login(other)
    assert client.get(response.url).status_code == 302  # "this preview no longer exists"
    client.post(response.url + "zatwierdz/")
    client.post(response.url + "anuluj/")
    assert ParticipantUpload.objects.count() == 1 and not Participation.objects.exists()


def test_the_template_has_headers_validation_lists_and_an_example_that_imports(project, manager):
    data = template_xlsx()
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    sheet = workbook["Uczestnicy"]
    # the official header row: both "W tym" columns, read back by position
    assert [c.value for c in sheet[1]] == L.FILE_HEADERS
    assert L.FILE_HEADERS.count("W tym") >= 2
    assert len(sheet.data_validations.dataValidation) >= 8
    assert sheet.freeze_panes == "A2"
    result = preview(project, io.BytesIO(data), filename="wzor.xlsx", by=manager)
    assert not result.errors and len(result.of("create")) == 1, messages(result)


def test_command_previews_without_commit_and_exits_non_zero_when_anything_is_refused(project, tmp_path):
    path = tmp_path / "u.csv"
    path.write_bytes(csv_file([row(1), row(2, **{L.H_SEX: "x"})]).getvalue())
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="Import odrzucony: 1 błąd."):
        call_command("import_participants", str(path), "--project", project.agreement_number, stdout=out, stderr=err)
    assert "Odrzucone wiersze: 1" in out.getvalue() and "wiersz 3, Płeć: nieznana wartość „x”" in err.getvalue()
    assert not Participation.objects.exists()


@pytest.mark.parametrize(("n", "text"), [(1, "Zaimportowano 1 uczestnika"), (2, "Zaimportowano 2 uczestników"),
                                         (5, "dodano 5 rezultatów"), (3, "dodano 3 rezultaty"),
                                         (22, "zaktualizowano 22 uczestnictwa")])  # fmt: skip
def test_plurals_of_the_summary(n, text):
    with translation.override("pl"):
        assert text in summary_message(ImportSummary(n, n, n, n, 0))


@pytest.mark.parametrize(("n", "text"), [(1, "Import odrzucony: 1 błąd."), (3, "Import odrzucony: 3 błędy."),
                                         (5, "Import odrzucony: 5 błędów.")])  # fmt: skip
def test_plurals_of_the_refusal(project, tmp_path, n, text):
    path = tmp_path / "u.csv"
    path.write_bytes(csv_file([row(i, **{L.H_SEX: "x"}) for i in range(1, n + 1)]).getvalue())
    with translation.override("pl"), pytest.raises(CommandError) as refused:
        call_command("import_participants", str(path), "--project", project.agreement_number,
                     stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
    assert text in str(refused.value)


# --- hostile files (issue 11, finding 5) ----------------------------------------------------------


def test_a_decompression_bomb_is_refused_from_the_zip_directory_before_inflating(project, monkeypatch):
    from bench.xlsx_bomb import bomb_bytes

    data = bomb_bytes(300 * 1024 * 1024)
    assert len(data) < 2 * 1024 * 1024
    monkeypatch.setattr(reader.openpyxl, "load_workbook", lambda *a, **k: pytest.fail("parsed a bomb"))
    result = preview(project, io.BytesIO(data), filename="bomba.xlsx")
    (message,) = messages(result)
    assert message.startswith("wiersz 1: Plik XLSX odrzucono przed rozpakowaniem: po rozpakowaniu 300 MB")


def test_a_zip_with_thousands_of_entries_is_refused(project):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for i in range(reader.MAX_XLSX_ENTRIES + 1):
            zf.writestr(f"x/{i}.xml", b"")
    (message,) = messages(preview(project, io.BytesIO(out.getvalue()), filename="u.xlsx"))
    assert "plików w archiwum" in message


def test_a_declared_sheet_size_of_xfd1048576_does_not_pad_rows(project):
    data = xlsx_file([row(1)]).getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', content)
            zf.writestr(item, content)
    headers, rows = reader.read_rows(io.BytesIO(out.getvalue()), "u.xlsx")
    assert len(headers) <= reader.MAX_COLUMNS and all(len(cells) <= reader.MAX_COLUMNS for _n, cells in rows)


def test_the_time_limit_stops_an_import_with_a_message(project, monkeypatch):
    deadline = reader.Deadline(5)
    deadline.ends = 0  # already past
    result = participants_preview(project=project, fileobj=csv_file([row(1)]), by=None, deadline=deadline)
    assert "limit czasu" in messages(result)[0]


def test_an_expired_upload_is_gone_for_its_page_and_purged_by_the_task(login, manager, project):
    from django.utils import timezone

    from reporting.tasks import purge_participant_uploads

    client = login(manager)
    response = client.post(reverse("reporting:participant_import", args=[project.pk]),
                           {"file": SimpleUploadedFile("u.csv", csv_file([row(1)]).getvalue())})  # fmt: skip
    ParticipantUpload.objects.update(expires_at=timezone.now())
    assert client.get(response.url).status_code == 302
    assert client.post(response.url + "zatwierdz/").status_code == 302 and not Participation.objects.exists()
    assert purge_participant_uploads() == 1 and not ParticipantUpload.objects.exists()


def test_too_many_shared_strings_are_refused_before_openpyxl_builds_them(project, monkeypatch):
    monkeypatch.setattr(reader, "MAX_SHARED_STRINGS", 3)
    data = xlsx_file([row(1)]).getvalue()
    out = io.BytesIO()
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' + b"<si><t>x</t></si>" * 4
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for item in source.infolist():
            zf.writestr(item, source.read(item.filename))
        zf.writestr("xl/sharedStrings.xml", sst + b"</sst>")
    (message,) = messages(preview(project, io.BytesIO(out.getvalue()), filename="u.xlsx"))
    assert "ma 4 różnych tekstów (najwyżej 3)" in message
