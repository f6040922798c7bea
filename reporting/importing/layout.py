"""The column layout of the participant file: the SL2014 individual-participant columns
(DOMAIN.md §5.1, exact Polish headers and labels) followed by documented extra columns for data
SL2014 has no column for (outcome events, at-risk flag, birth date without PESEL, early-exit reason).

Several outcome events of one kind go into one cell each, one line per event, in date order; the
columns of one kind have the same number of lines (an empty cell = no value on every line).
"""

import datetime as dt
from decimal import Decimal

from django.db import models
from django.utils import translation

from families.codes import Answer, Education, LabourStatus, LabourStatusDetail, Sex
from reporting.codes import EarlyExitReason, EmploymentForm, JobSeekingKind, OutcomeKind
from reporting.dates import result_window_end

COUNTRY = "Polska"
INDIVIDUAL = "indywidualny"
YES, NO = "Tak", "Nie"

H_COUNTRY = "Kraj"
H_KIND = "Rodzaj uczestnika"
H_INSTITUTION = "Nazwa instytucji"
H_FIRST_NAME = "Imię"
H_LAST_NAME = "Nazwisko"
H_PESEL = "PESEL"
H_NO_PESEL = "Brak PESEL"
H_SEX = "Płeć"
H_AGE = "Wiek w chwili przystąpienia do projektu"
H_EDUCATION = "Wykształcenie"
H_VOIVODESHIP = "Województwo"
H_COUNTY = "Powiat"
H_GMINA = "Gmina"
H_LOCALITY = "Miejscowość"
H_STREET = "Ulica"
H_BUILDING = "Nr budynku"
H_FLAT = "Nr lokalu"
H_POSTAL_CODE = "Kod pocztowy"
H_DEGURBA = "Obszar wg stopnia urbanizacji (DEGURBA)"
H_PHONE = "Telefon kontaktowy"
H_EMAIL = "Adres e-mail"
H_START = "Data rozpoczęcia udziału w projekcie"
H_END = "Data zakończenia udziału w projekcie"
H_STATUS = "Status osoby na rynku pracy w chwili przystąpienia do projektu"
H_STATUS_DETAIL = "W tym"
H_OCCUPATION = "Wykonywany zawód"
H_EMPLOYER = "Zatrudniony w"
H_SITUATION_1 = "Sytuacja (1) osoby w momencie zakończenia udziału w projekcie"
H_SITUATION_2 = "Sytuacja (2) osoby w momencie zakończenia udziału w projekcie"
H_YOUTH = "Inne rezultaty dotyczące osób młodych (dotyczy IZM)"
H_COMPLETED = "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką uczestnictwa"
H_MINORITY = "Osoba należąca do mniejszości narodowej lub etnicznej, migrant, osoba obcego pochodzenia"
H_HOMELESS = "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań"
H_DISABILITY = "Osoba z niepełnosprawnościami"
H_OTHER_DISADVANTAGE = "Osoba w innej niekorzystnej sytuacji społecznej"
# extra columns (documented in the README)
H_ID = "Nr uczestnictwa (wewnętrzny)"
H_BIRTH_DATE = "Data urodzenia"
H_AT_RISK = "Osoba zagrożona ubóstwem lub wykluczeniem społecznym"
H_EXIT_REASON = "Powód wcześniejszego zakończenia udziału"
H_EMP_DATE = "Rezultat: zatrudnienie – data"
H_EMP_FORM = "Rezultat: zatrudnienie – forma"
H_EMP_FTE = "Rezultat: zatrudnienie – wymiar etatu"
H_EMP_MONTHS = "Rezultat: zatrudnienie – okres (mies.)"
H_EMP_EMPLOYER = "Rezultat: zatrudnienie – pracodawca"
H_EMP_EVIDENCE = "Rezultat: zatrudnienie – dowód"
H_QUAL_DATE = "Rezultat: kwalifikacje – data"
H_QUAL_NAME = "Rezultat: kwalifikacje – nazwa"
H_QUAL_EVIDENCE = "Rezultat: kwalifikacje – dowód"
H_SEEK_DATE = "Rezultat: poszukiwanie pracy – data"
H_SEEK_KIND = "Rezultat: poszukiwanie pracy – forma"
H_SEEK_EVIDENCE = "Rezultat: poszukiwanie pracy – dowód"
H_EDU_DATE = "Rezultat: kształcenie szkolne – data"
H_EDU_EVIDENCE = "Rezultat: kształcenie szkolne – dowód"
H_PROG_CATEGORY = "Rezultat: postęp społeczny – kategoria"
H_PROG_DATE = "Rezultat: postęp społeczny – data"
H_PROG_EVIDENCE = "Rezultat: postęp społeczny – dowód"

SL2014_HEADERS = [
    H_COUNTRY, H_KIND, H_INSTITUTION, H_FIRST_NAME, H_LAST_NAME, H_PESEL, H_NO_PESEL, H_SEX, H_AGE, H_EDUCATION,
    H_VOIVODESHIP, H_COUNTY, H_GMINA, H_LOCALITY, H_STREET, H_BUILDING, H_FLAT, H_POSTAL_CODE, H_DEGURBA,
    H_PHONE, H_EMAIL, H_START, H_END, H_STATUS, H_STATUS_DETAIL, H_OCCUPATION, H_EMPLOYER, H_SITUATION_1,
    H_SITUATION_2, H_YOUTH, H_COMPLETED, H_MINORITY, H_HOMELESS, H_DISABILITY, H_OTHER_DISADVANTAGE,
]  # fmt: skip
EXTRA_HEADERS = [
    H_ID, H_BIRTH_DATE, H_AT_RISK, H_EXIT_REASON,
    H_EMP_DATE, H_EMP_FORM, H_EMP_FTE, H_EMP_MONTHS, H_EMP_EMPLOYER, H_EMP_EVIDENCE,
    H_QUAL_DATE, H_QUAL_NAME, H_QUAL_EVIDENCE,
    H_SEEK_DATE, H_SEEK_KIND, H_SEEK_EVIDENCE,
    H_EDU_DATE, H_EDU_EVIDENCE,
    H_PROG_CATEGORY, H_PROG_DATE, H_PROG_EVIDENCE,
]  # fmt: skip
HEADERS = SL2014_HEADERS + EXTRA_HEADERS
REQUIRED_HEADERS = [H_FIRST_NAME, H_LAST_NAME, H_PESEL, H_NO_PESEL, H_START]
# Written by the export, ignored by the import (derived from other columns).
DERIVED_HEADERS = {H_COUNTRY, H_INSTITUTION, H_AGE, H_SITUATION_1, H_SITUATION_2, H_YOUTH, H_ID}

# plain text columns: header -> model field
TEXT_COLUMNS = {
    H_FIRST_NAME: "first_name", H_LAST_NAME: "last_name", H_VOIVODESHIP: "voivodeship", H_COUNTY: "county",
    H_GMINA: "gmina", H_LOCALITY: "locality", H_STREET: "street", H_BUILDING: "building", H_FLAT: "flat",
    H_POSTAL_CODE: "postal_code", H_PHONE: "phone", H_EMAIL: "email", H_OCCUPATION: "occupation",
    H_EMPLOYER: "employer",
}  # fmt: skip
# coded columns: header -> (model field, TextChoices)
CODED_COLUMNS = {
    H_SEX: ("sex", Sex), H_EDUCATION: ("education", Education), H_STATUS: ("labour_status", LabourStatus),
    H_STATUS_DETAIL: ("labour_status_detail", LabourStatusDetail), H_DISABILITY: ("disability", Answer),
    H_MINORITY: ("minority", Answer), H_HOMELESS: ("homeless", Answer),
    H_OTHER_DISADVANTAGE: ("other_disadvantage", Answer), H_EXIT_REASON: ("early_exit_reason", EarlyExitReason),
}  # fmt: skip
# where a field's error is reported
HEADER_OF_FIELD = {
    **{field: header for header, field in TEXT_COLUMNS.items()},
    **{field: header for header, (field, _codes) in CODED_COLUMNS.items()},
    "pesel": H_PESEL, "no_pesel": H_NO_PESEL, "birth_date": H_BIRTH_DATE, "start_date": H_START,
    "end_date": H_END, "completed_as_planned": H_COMPLETED, "at_risk": H_AT_RISK, "degurba": H_DEGURBA,
}  # fmt: skip

# Outcome columns per kind: (kind, [(header, key)]); the first header holds the dates.
OUTCOME_COLUMNS = [
    (OutcomeKind.EMPLOYMENT, [(H_EMP_DATE, "occurred_on"), (H_EMP_FORM, "employment_form"), (H_EMP_FTE, "fte"),
                              (H_EMP_MONTHS, "planned_months"), (H_EMP_EMPLOYER, "employer"),
                              (H_EMP_EVIDENCE, "evidence")]),
    (OutcomeKind.QUALIFICATION, [(H_QUAL_DATE, "occurred_on"), (H_QUAL_NAME, "qualification_name"),
                                 (H_QUAL_EVIDENCE, "evidence")]),
    (OutcomeKind.JOB_SEEKING, [(H_SEEK_DATE, "occurred_on"), (H_SEEK_KIND, "job_seeking_kind"),
                               (H_SEEK_EVIDENCE, "evidence")]),
    (OutcomeKind.EDUCATION, [(H_EDU_DATE, "occurred_on"), (H_EDU_EVIDENCE, "evidence")]),
    (OutcomeKind.SOCIAL_PROGRESS, [(H_PROG_DATE, "occurred_on"), (H_PROG_CATEGORY, "progress_categories"),
                                   (H_PROG_EVIDENCE, "evidence")]),
]  # fmt: skip
OUTCOME_HEADERS = {header for _kind, columns in OUTCOME_COLUMNS for header, _key in columns}
OUTCOME_CODES: dict[str, type[models.TextChoices]] = {
    "employment_form": EmploymentForm,
    "job_seeking_kind": JobSeekingKind,
}

# "Sytuacja (1)/(2)" (DOMAIN.md §5.1.3): derived from the outcome events dated in [start, end + 28 days].
SITUATION_LABELS = [
    (OutcomeKind.EMPLOYMENT, "osoba pracująca (łącznie z prowadzącymi działalność na własny rachunek)"),
    (OutcomeKind.QUALIFICATION, "osoba, która uzyskała kwalifikacje"),
    (OutcomeKind.JOB_SEEKING, "osoba poszukująca pracy"),
    (OutcomeKind.EDUCATION, "osoba kształcąca się lub szkoląca się"),
]
SITUATION_OTHER = "inne"
SITUATION_NOT_APPLICABLE = "nie dotyczy"


def label(choices, value) -> str:
    """The exact Polish label of a code value ('' for no value)."""
    if not value:
        return ""
    with translation.override("pl"):
        return str(choices(value).label)


def labels_to_values(choices) -> dict[str, str]:
    """Lower-cased Polish label -> code value (the import compares case-insensitively)."""
    with translation.override("pl"):
        return {str(member.label).lower(): member.value for member in choices}


def iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def yes_no(value: bool | None) -> str:
    return "" if value is None else (YES if value else NO)


def fte_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def situations(participation, outcomes) -> tuple[str, str]:
    if participation.end_date is None or participation.start_date is None:
        return "", ""
    window_end = result_window_end(participation.end_date)
    kinds = {o.kind for o in outcomes if participation.start_date <= o.occurred_on <= window_end}
    found = [text for kind, text in SITUATION_LABELS if kind in kinds]
    return (found[0] if found else SITUATION_OTHER), (found[1] if len(found) > 1 else SITUATION_NOT_APPLICABLE)


def participation_row(participation, outcomes) -> list:
    """One participation (with its outcome events in date order) as the file's row of values."""
    p = participation
    by_kind: dict[str, list] = {}
    for outcome in outcomes:
        by_kind.setdefault(outcome.kind, []).append(outcome)
    situation_1, situation_2 = situations(p, outcomes)
    row = {
        H_COUNTRY: COUNTRY, H_KIND: INDIVIDUAL, H_INSTITUTION: "", H_PESEL: p.pesel,
        H_NO_PESEL: yes_no(p.no_pesel), H_AGE: p.age_at_start if p.age_at_start is not None else "",
        H_DEGURBA: p.degurba, H_START: iso(p.start_date), H_END: iso(p.end_date),
        H_SITUATION_1: situation_1, H_SITUATION_2: situation_2, H_YOUTH: "",
        H_COMPLETED: yes_no(p.completed_as_planned), H_ID: p.pk,
        H_BIRTH_DATE: iso(p.birth_date) if p.no_pesel or not p.pesel else "", H_AT_RISK: yes_no(p.at_risk),
    }  # fmt: skip
    for header, field in TEXT_COLUMNS.items():
        row[header] = getattr(p, field)
    for header, (field, choices) in CODED_COLUMNS.items():
        row[header] = label(choices, getattr(p, field))
    for kind, columns in OUTCOME_COLUMNS:
        events = by_kind.get(kind, [])
        for header, key in columns:
            row[header] = "\n".join(outcome_cell(event, key) for event in events)
    return [row[header] for header in HEADERS]


def outcome_cell(event, key: str) -> str:
    if key == "occurred_on":
        return iso(event.occurred_on)
    if key == "fte":
        return fte_text(event.fte)
    if key == "planned_months":
        return "" if event.planned_months is None else str(event.planned_months)
    if key == "progress_categories":
        return event.progress_category
    if key in OUTCOME_CODES:
        return label(OUTCOME_CODES[key], getattr(event, key))
    return getattr(event, key) or ""
