import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from families.codes import Sex
from families.pesel import make_pesel
from reporting.importing import layout as L
from reporting.models import FollowUp, OutcomeEvent, Participation
from reporting.services.participant_import import ImportRejected, participants_import
from tests.reporting.factories import ParticipationFactory

pytestmark = pytest.mark.django_db


def row(n=1, **overrides):
    values = {
        L.H_KIND: "indywidualny", L.H_FIRST_NAME: "Jan", L.H_LAST_NAME: f"Kowalski{n}",
        L.H_PESEL: make_pesel(dt.date(1980, 1, 1), n, Sex.MALE), L.H_NO_PESEL: "Nie", L.H_SEX: "mężczyzna",
        L.H_EDUCATION: "gimnazjalne (ISCED 2)", L.H_START: "2017-03-01",
        L.H_STATUS: "osoba bezrobotna zarejestrowana w ewidencji urzędów pracy",
        L.H_STATUS_DETAIL: "osoba długotrwale bezrobotna", L.H_DISABILITY: "Nie",
        L.H_MINORITY: "Odmowa podania informacji",
        L.H_HOMELESS: "Nie", L.H_OTHER_DISADVANTAGE: "Nie", L.H_AT_RISK: "Tak", L.H_POSTAL_CODE: "62-800",
        L.H_LOCALITY: "Kalisz",
    }  # fmt: skip
    values.update(overrides)
    return values


def csv_file(rows, delimiter=";", headers=None) -> io.BytesIO:
    headers = headers or L.HEADERS
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(headers)
    for values in rows:
        writer.writerow([values.get(h, "") for h in headers])
    return io.BytesIO(out.getvalue().encode("utf-8"))


def xlsx_file(rows, headers=None) -> io.BytesIO:
    headers = headers or L.HEADERS
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append([values.get(h) for h in headers])
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    return out


def rejected(project, fileobj, filename="u.csv"):
    with pytest.raises(ImportRejected) as exc:
        participants_import(project=project, fileobj=fileobj, filename=filename, by=None)
    return [str(e) for e in exc.value.errors]


def test_a_valid_file_imports_every_row_confirmed_without_a_person(project):
    summary = participants_import(by=None, project=project, fileobj=csv_file([row(1), row(2)]), filename="u.csv")
    assert summary.participations == 2
    participations = Participation.objects.filter(project=project)
    assert all(p.is_frozen and p.person_id is None and p.age_at_start == 37 for p in participations)


def test_one_bad_row_rejects_the_whole_file_with_row_numbered_errors(project):
    rows = [row(1), row(2), row(3, **{L.H_PESEL: "80010100011"})]
    errors = rejected(project, csv_file(rows))
    assert errors == ["wiersz 4, PESEL: Niepoprawna cyfra kontrolna numeru PESEL."]
    assert not Participation.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({L.H_START: "31.02.2017"}, "Data rozpoczęcia udziału w projekcie: niepoprawna data"),
        ({L.H_START: "2016-12-31"}, "poza okresem realizacji projektu"),
        ({L.H_EDUCATION: "średnie"}, "Wykształcenie: nieznana wartość „średnie”; dozwolone: „niższe niż podstawowe"),
        ({L.H_DISABILITY: "może"}, "Osoba z niepełnosprawnościami: nieznana wartość"),
        ({L.H_AT_RISK: "Tk"}, "dozwolone: „Tak”; „Nie”. Czy chodziło o „Tak”? Można też T/N."),
        ({L.H_SEX: "kobieta"}, "Płeć: Płeć nie zgadza się z numerem PESEL."),
        ({L.H_STATUS_DETAIL: "osoba ucząca się"}, "W tym (status na rynku pracy): Ta wartość „w tym” nie pasuje"),
        ({L.H_KIND: "pracownik lub przedstawiciel instytucji/podmiotu"}, "tylko uczestnicy indywidualni"),
        ({L.H_PESEL: "", L.H_NO_PESEL: "Tak"}, "Data urodzenia: Bez numeru PESEL podaj datę urodzenia."),
        ({L.H_END: "2017-02-01", L.H_COMPLETED: "Tak"}, "nie może być wcześniejsza niż data rozpoczęcia"),
        ({L.H_END: "2017-05-01", L.H_COMPLETED: "Nie"}, "Powód wcześniejszego zakończenia udziału: Podaj powód"),
        (
            {L.H_EMP_DATE: "2017-05-01", L.H_EMP_FORM: "umowa o pracę", L.H_EMP_FTE: "1,5", L.H_EMP_MONTHS: "6"},
            "Rezultat: zatrudnienie – wymiar etatu: Wymiar etatu musi być większy od 0",
        ),
        (
            {L.H_EMP_DATE: "2017-05-01\n2017-06-01", L.H_EMP_FORM: "umowa o pracę"},
            "liczba wierszy w komórce (1) nie zgadza się z liczbą dat (2)",
        ),
        ({L.H_PROG_DATE: "2017-05-01", L.H_PROG_CATEGORY: "z"}, "nieznana kategoria „z”"),
        ({L.H_QUAL_NAME: "ECDL"}, "podano szczegóły rezultatu bez jego daty"),
        ({L.H_SEEK_DATE: "2017-01-01", L.H_SEEK_KIND: "rejestracja w PUP"}, "nie może być wcześniejsza"),
        ({L.H_FIRST_NAME: "A" * 10_000}, "Imię: Za długa wartość"),
        ({L.H_LAST_NAME: "Nowak\x00"}, "Nazwisko: niedozwolone znaki sterujące"),
    ],
)
def test_every_kind_of_bad_value_is_reported_with_row_and_column(project, overrides, expected):
    errors = rejected(project, csv_file([row(1, **overrides)]))
    assert any(expected in e and e.startswith("wiersz 2,") for e in errors), errors
    assert not Participation.objects.exists()


def test_duplicates_within_the_file_are_refused_and_a_known_pesel_needs_an_amendment_author(project):
    ParticipationFactory(project=project, pesel=make_pesel(dt.date(1980, 1, 1), 5, Sex.MALE))
    errors = rejected(project, csv_file([row(1), row(2), row(1), row(5)]))
    assert "wiersz 4, PESEL: ten sam PESEL jest już w wierszu 2." in errors
    assert any(e.startswith("wiersz 5: ta osoba jest już uczestnikiem projektu") for e in errors), errors


def test_missing_required_column_is_reported(project):
    errors = rejected(project, csv_file([row(1)], headers=[h for h in L.HEADERS if h != L.H_PESEL]))
    assert errors == ["wiersz 1, PESEL: brak wymaganej kolumny."]


@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_delimiter_is_detected(project, delimiter):
    summary = participants_import(by=None, project=project, fileobj=csv_file([row(1)], delimiter=delimiter))
    assert summary.participations == 1


def test_polish_dates_and_case_insensitive_labels_are_accepted(project):
    participants_import(
        by=None, project=project, fileobj=csv_file([row(1, **{L.H_START: "01.03.2017", L.H_DISABILITY: "TAK"})])
    )
    p = Participation.objects.get()
    assert p.start_date == dt.date(2017, 3, 1) and p.disability == "tak"


def test_xlsx_with_a_pesel_stored_as_a_number_and_date_cells(project):
    pesel = make_pesel(dt.date(2001, 7, 14), 3, Sex.FEMALE)  # starts with 0: a number loses it
    values = row(1, **{L.H_PESEL: int(pesel), L.H_SEX: "", L.H_START: dt.datetime(2017, 3, 1)})
    participants_import(by=None, project=project, fileobj=xlsx_file([values]), filename="u.xlsx")
    p = Participation.objects.get()
    assert p.pesel == pesel and p.sex == Sex.FEMALE and p.start_date == dt.date(2017, 3, 1)


def test_outcome_columns_create_events_and_follow_ups(project):
    values = row(1, **{
        L.H_END: "2017-09-30", L.H_COMPLETED: "Nie", L.H_EXIT_REASON: "podjęcie zatrudnienia",
        L.H_EMP_DATE: "2017-10-01", L.H_EMP_FORM: "umowa o pracę", L.H_EMP_FTE: "1", L.H_EMP_MONTHS: "12",
        L.H_EMP_EMPLOYER: "Zakład Usług Komunalnych", L.H_PROG_DATE: "2017-09-01\n2017-09-15",
        L.H_PROG_CATEGORY: "b\nc) zwiększenie pewności siebie i wiary we własne umiejętności",
    })  # fmt: skip
    summary = participants_import(by=None, project=project, fileobj=csv_file([values]))
    assert (summary.outcomes, summary.followups) == (3, 3)
    assert sorted(OutcomeEvent.objects.values_list("kind", "progress_category")) == [
        ("employment", ""),
        ("social_progress", "b"),
        ("social_progress", "c"),
    ]
    assert FollowUp.objects.filter(kind="employment_1m", due_on=dt.date(2017, 11, 1)).exists()


def test_garbage_files_are_refused_with_a_message(project):
    assert rejected(project, io.BytesIO(b"PK\x03\x04garbage"), "u.xlsx")[0].startswith("wiersz 1:")
    # Excel's default Polish CSV (Windows-1250) is read: its headers are recognised, what is missing is named
    assert "wiersz 1, PESEL: brak wymaganej kolumny." in rejected(
        project, io.BytesIO("Imię;Nazwisko\nżółw".encode("cp1250"))
    )
    assert "kodowania" in rejected(project, io.BytesIO(b"Imi\x81;Nazwisko\n\x98"))[0]  # neither UTF-8 nor cp1250
    assert "pusty" in rejected(project, io.BytesIO(b""))[0]
    assert "żadnego wiersza" in rejected(project, csv_file([]))[0]


hostile = st.one_of(
    st.text(max_size=60), st.just("A" * 10_000), st.just("=HYPERLINK(\"http://x\")"), st.just("@SUM(A1)"),
    st.just("Ala\x00ma"), st.just("+48 600"), st.just("-1"), st.just("2017-02-30"), st.just("\n\n"),
)  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cells=st.dictionaries(st.sampled_from(L.HEADERS), hostile, max_size=12), as_xlsx=st.booleans())
def test_hostile_cells_never_crash_and_never_half_save(project, cells, as_xlsx):
    values = row(1, **cells)
    try:
        fileobj = xlsx_file([values]) if as_xlsx else csv_file([values])
    except Exception:  # noqa: BLE001 - openpyxl itself refuses some control characters: nothing to import
        return
    before = Participation.objects.count()
    try:
        participants_import(by=None, project=project, fileobj=fileobj, filename="u.xlsx" if as_xlsx else "u.csv")
    except ImportRejected as exc:
        assert exc.errors and Participation.objects.count() == before
    else:
        Participation.objects.filter(project=project).delete()


def test_formula_cells_are_stored_as_plain_text(project):
    participants_import(
        by=None, project=project, fileobj=csv_file([row(1, **{L.H_FIRST_NAME: "'=1+1", L.H_PHONE: "'+48 600"})])
    )
    p = Participation.objects.get()
    assert p.first_name == "=1+1" and p.phone == "+48 600"  # our own neutralising apostrophe is undone


def test_command_imports_or_exits_non_zero_printing_errors(project, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(csv_file([row(1)]).getvalue())
    bad.write_bytes(csv_file([row(2), row(3, **{L.H_PESEL: "123"})]).getvalue())
    stderr = io.StringIO()
    with pytest.raises(CommandError, match="Nie zapisano żadnego wiersza"):
        call_command("import_participants", str(bad), "--project", project.agreement_number, stderr=stderr)
    assert "wiersz 3, PESEL: PESEL musi mieć dokładnie 11 cyfr." in stderr.getvalue()
    assert not Participation.objects.exists()
    out = io.StringIO()
    call_command("import_participants", str(good), "--project", project.agreement_number, stdout=out)
    assert "Nowi uczestnicy: 1" in out.getvalue() and "nic nie zapisano" in out.getvalue()
    assert not Participation.objects.exists()  # without --commit: a preview only
    out = io.StringIO()
    call_command("import_participants", str(good), "--project", project.agreement_number, "--commit", stdout=out)
    assert "Zaimportowano 1 uczestnika, zaktualizowano 0 uczestnictw" in out.getvalue()
    assert Participation.objects.count() == 1


def test_import_page_shows_a_summary_or_the_row_errors(login, manager, project):
    client = login(manager)
    url = reverse("reporting:participant_import", args=[project.pk])
    bad = SimpleUploadedFile("u.csv", csv_file([row(1, **{L.H_START: "jutro"}), row(2)]).getvalue())
    preview = client.post(url, {"file": bad}, follow=True)
    page = preview.content.decode()
    assert "niepoprawna data" in page and "1 wiersz odrzucony" in page and "1 nowy uczestnik" in page
    assert "Zatwierdź import" not in page  # all or nothing: a refused row blocks the commit
    good = SimpleUploadedFile("u.csv", csv_file([row(1), row(2)]).getvalue())
    preview = client.post(url, {"file": good})
    assert preview.status_code == 302 and not Participation.objects.exists()
    response = client.post(preview.url + "zatwierdz/", follow=True)
    assert "Zaimportowano 2 uczestników" in response.content.decode()
    assert Participation.objects.count() == 2


def test_import_page_refuses_other_file_types_and_garbage_without_a_500(login, manager, project):
    client = login(manager)
    url = reverse("reporting:participant_import", args=[project.pk])
    assert client.post(url, {"file": SimpleUploadedFile("u.pdf", b"%PDF")}).status_code == 422
    response = client.post(url, {"file": SimpleUploadedFile("u.xlsx", b"\x00\xff" * 100)})
    assert response.status_code == 422 and not Participation.objects.exists()
    assert "Nie można odczytać pliku XLSX" in response.content.decode()


def test_import_page_file_size_limit(login, manager, project, monkeypatch):
    from reporting.forms import participants as forms

    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", 100)
    response = login(manager).post(
        reverse("reporting:participant_import", args=[project.pk]),
        {"file": SimpleUploadedFile("u.csv", csv_file([row(1)]).getvalue())},
    )
    assert "za duży" in response.content.decode() and not Participation.objects.exists()
