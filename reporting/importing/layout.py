"""The column layout of the participant file, defined once for the export and the import.

An export row is: the SL2014 project block, the SL2014 individual-participant block with every
column in the official order (DOMAIN.md §5.1, exact Polish headers and labels), then documented
extra columns for data SL2014 has no column for (outcome events, at-risk answer, birth date
without PESEL, early-exit reason, internal id).

Every column has a unique `key` (what the import code and its messages use) and the `header`
the file carries. They are the same except where the official file repeats a header: the two
"W tym" columns (after the labour-market status, after the support form) and the whole
institutional block. A repeated header is read by position (see reporting/importing/headers.py);
a file may also carry the unique key as its header.

Repeatable values (support forms, outcome events of one kind, businesses) go into one cell each,
separated by " | " (VALUE_SEPARATOR) in date order; the columns of one group have the same number
of values. The import also accepts line breaks between values (older exports).
"""

import functools
import re
from dataclasses import dataclass
from enum import StrEnum

from django.db import models
from django.utils import translation

from families.codes import Answer, Education, LabourStatus, LabourStatusDetail, Sex
from reporting.codes import EarlyExitReason, EmploymentForm, JobSeekingKind, OutcomeKind

COUNTRY = "Polska"
INDIVIDUAL = "indywidualny"
YES, NO = "Tak", "Nie"
VALUE_SEPARATOR = " | "
_SPLIT = re.compile(r"\s*(?:\||\r\n|\n|\r)\s*")


class Block(StrEnum):
    PROJECT = "project"
    INSTITUTION = "institution"  # read (and must be empty) on import, never written
    INDIVIDUAL = "individual"
    EXTRA = "extra"


class Cell(StrEnum):
    """How a column's values are written to XLSX (CSV writes everything as text)."""

    TEXT = "text"
    DATE = "date"  # a real date cell when the cell holds one date
    NUMBER = "number"
    IDENTIFIER = "identifier"  # digits kept as text (PESEL): never a number, never a lost zero


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    block: Block
    cell: Cell = Cell.TEXT
    width: int = 16

    def __str__(self):
        return self.key


def _col(header, block=Block.INDIVIDUAL, cell=Cell.TEXT, width=16, key=None) -> Column:
    return Column(key=key or header, header=header, block=block, cell=cell, width=width)


# --- the project block ----------------------------------------------------------------------
H_AGREEMENT = "Numer umowy/decyzji/aneksu"
H_BENEFICIARY = "Nazwa beneficjenta"
H_PROJECT_TITLE = "Tytuł projektu"
H_PROJECT_FROM = "Okres realizacji projektu od"
H_PROJECT_TO = "Okres realizacji projektu do"
H_CLAIM_PERIOD = "Wniosek za okres"
# --- the individual-participant block -------------------------------------------------------
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
W_TYM = "W tym"
H_STATUS_DETAIL = "W tym (status na rynku pracy)"  # key; the file's header is "W tym"
H_OCCUPATION = "Wykonywany zawód"
H_EMPLOYER = "Zatrudniony w"
H_SITUATION_1 = "Sytuacja (1) osoby w momencie zakończenia udziału w projekcie"
H_SITUATION_2 = "Sytuacja (2) osoby w momencie zakończenia udziału w projekcie"
H_YOUTH = "Inne rezultaty dotyczące osób młodych (dotyczy IZM)"
H_COMPLETED = "Zakończenie udziału osoby w projekcie zgodnie z zaplanowaną dla niej ścieżką uczestnictwa"
H_SUPPORT_FORM = "Rodzaj przyznanego wsparcia"
H_SUPPORT_DETAIL = "W tym (rodzaj wsparcia)"  # key; the file's header is "W tym"
H_SUPPORT_START = "Data rozpoczęcia udziału we wsparciu"
H_SUPPORT_END = "Data zakończenia udziału we wsparciu"
H_BUSINESS_DATE = "Data założenia działalności gospodarczej"
H_BUSINESS_AMOUNT = "Kwota środków przyznanych na założenie działalności gospodarczej"
H_BUSINESS_PKD = "PKD założonej działalności gospodarczej"
H_MINORITY = "Osoba należąca do mniejszości narodowej lub etnicznej, migrant, osoba obcego pochodzenia"
H_HOMELESS = "Osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań"
H_DISABILITY = "Osoba z niepełnosprawnościami"
H_OTHER_DISADVANTAGE = "Osoba w innej niekorzystnej sytuacji społecznej"
H_EDUCATION_END = "Planowana data zakończenia edukacji w placówce edukacyjnej, w której skorzystano ze wsparcia"
# --- extra columns (documented in docs/efs-reporting.md) --------------------------------------
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

D, N, ID = Cell.DATE, Cell.NUMBER, Cell.IDENTIFIER
PROJECT_COLUMNS = [
    _col(H_AGREEMENT, Block.PROJECT, width=28), _col(H_BENEFICIARY, Block.PROJECT, width=30),
    _col(H_PROJECT_TITLE, Block.PROJECT, width=30), _col(H_PROJECT_FROM, Block.PROJECT, D, 12),
    _col(H_PROJECT_TO, Block.PROJECT, D, 12), _col(H_CLAIM_PERIOD, Block.PROJECT, width=24),
]  # fmt: skip
INDIVIDUAL_COLUMNS = [
    _col(H_COUNTRY, width=10), _col(H_KIND, width=14), _col(H_INSTITUTION, width=20), _col(H_FIRST_NAME),
    _col(H_LAST_NAME, width=20), _col(H_PESEL, cell=ID, width=13), _col(H_NO_PESEL, width=8), _col(H_SEX, width=11),
    _col(H_AGE, cell=N, width=8), _col(H_EDUCATION, width=26), _col(H_VOIVODESHIP, width=18), _col(H_COUNTY, width=18),
    _col(H_GMINA, width=18), _col(H_LOCALITY, width=18), _col(H_STREET, width=20), _col(H_BUILDING, width=8),
    _col(H_FLAT, width=8), _col(H_POSTAL_CODE, width=9), _col(H_DEGURBA, width=10), _col(H_PHONE, width=15),
    _col(H_EMAIL, width=24), _col(H_START, cell=D, width=12), _col(H_END, cell=D, width=12),
    _col(H_STATUS, width=30), _col(W_TYM, width=26, key=H_STATUS_DETAIL), _col(H_OCCUPATION, width=20),
    _col(H_EMPLOYER, width=24), _col(H_SITUATION_1, width=30), _col(H_SITUATION_2, width=30), _col(H_YOUTH),
    _col(H_COMPLETED, width=12), _col(H_SUPPORT_FORM, width=30), _col(W_TYM, width=24, key=H_SUPPORT_DETAIL),
    _col(H_SUPPORT_START, cell=D, width=12), _col(H_SUPPORT_END, cell=D, width=12),
    _col(H_BUSINESS_DATE, cell=D, width=12), _col(H_BUSINESS_AMOUNT, cell=N, width=14),
    _col(H_BUSINESS_PKD, width=10), _col(H_MINORITY, width=14), _col(H_HOMELESS, width=14),
    _col(H_DISABILITY, width=14), _col(H_OTHER_DISADVANTAGE, width=14), _col(H_EDUCATION_END, cell=D, width=12),
]  # fmt: skip
EXTRA_COLUMNS = [
    _col(H_ID, Block.EXTRA, N, 10), _col(H_BIRTH_DATE, Block.EXTRA, D, 12), _col(H_AT_RISK, Block.EXTRA, width=14),
    _col(H_EXIT_REASON, Block.EXTRA, width=20),
    _col(H_EMP_DATE, Block.EXTRA, D, 12), _col(H_EMP_FORM, Block.EXTRA, width=20),
    _col(H_EMP_FTE, Block.EXTRA, width=8), _col(H_EMP_MONTHS, Block.EXTRA, width=8),
    _col(H_EMP_EMPLOYER, Block.EXTRA, width=20), _col(H_EMP_EVIDENCE, Block.EXTRA, width=24),
    _col(H_QUAL_DATE, Block.EXTRA, D, 12), _col(H_QUAL_NAME, Block.EXTRA, width=20),
    _col(H_QUAL_EVIDENCE, Block.EXTRA, width=24),
    _col(H_SEEK_DATE, Block.EXTRA, D, 12), _col(H_SEEK_KIND, Block.EXTRA, width=18),
    _col(H_SEEK_EVIDENCE, Block.EXTRA, width=24),
    _col(H_EDU_DATE, Block.EXTRA, D, 12), _col(H_EDU_EVIDENCE, Block.EXTRA, width=24),
    _col(H_PROG_CATEGORY, Block.EXTRA, width=10), _col(H_PROG_DATE, Block.EXTRA, D, 12),
    _col(H_PROG_EVIDENCE, Block.EXTRA, width=24),
]  # fmt: skip
# The institutional-participant block of the official file (between the project block and the
# individual one). We have no institutional participants: an import reads it only to check it is empty.
INSTITUTION_COLUMNS = [
    _col(header, Block.INSTITUTION, key=f"Instytucja: {key or header}")
    for header, key in [
        (H_COUNTRY, None), (H_INSTITUTION, None), ("NIP", None), ("Brak NIP", None), ("Typ instytucji", None),
        (W_TYM, "W tym (typ instytucji)"), (H_VOIVODESHIP, None), (H_COUNTY, None), (H_GMINA, None),
        (H_LOCALITY, None), (H_STREET, None), (H_BUILDING, None), (H_FLAT, None), (H_POSTAL_CODE, None),
        (H_DEGURBA, None), (H_PHONE, None), (H_EMAIL, None), (H_START, None), (H_END, None),
        ("Czy wsparciem zostali objęci pracownicy instytucji", None), (H_SUPPORT_FORM, None),
        (W_TYM, H_SUPPORT_DETAIL), (H_SUPPORT_START, None), (H_SUPPORT_END, None),
    ]
]  # fmt: skip
INSTITUTION_ONLY_HEADERS = {"NIP", "Brak NIP", "Typ instytucji", "Czy wsparciem zostali objęci pracownicy instytucji"}

EXPORT_COLUMNS = PROJECT_COLUMNS + INDIVIDUAL_COLUMNS + EXTRA_COLUMNS
ALL_COLUMNS = PROJECT_COLUMNS + INSTITUTION_COLUMNS + INDIVIDUAL_COLUMNS + EXTRA_COLUMNS
COLUMN_BY_KEY = {column.key: column for column in ALL_COLUMNS}
assert len(COLUMN_BY_KEY) == len(ALL_COLUMNS), "column keys must be unique"

# Unique column names in the export's order (a file may use them as headers); FILE_HEADERS is the
# header row the export writes (the official one, "W tym" twice).
HEADERS = [column.key for column in EXPORT_COLUMNS]
FILE_HEADERS = [column.header for column in EXPORT_COLUMNS]
PROJECT_HEADERS = [column.key for column in PROJECT_COLUMNS]
# A file without one of these is refused before any row is read: identity and the core data
# (EFS_RULES.md §1). The at-risk column is not required: real SL2014 files do not have it, and a
# missing answer is a data gap (never "no"), reported by header_warnings.
REQUIRED_HEADERS = [H_FIRST_NAME, H_LAST_NAME, H_PESEL, H_NO_PESEL, H_SEX, H_EDUCATION, H_START, H_STATUS]
# Written by the export, ignored by the import (derived from other columns or from the project).
DERIVED_HEADERS = {
    H_COUNTRY, H_INSTITUTION, H_AGE, H_SITUATION_1, H_SITUATION_2, H_YOUTH, H_ID, *PROJECT_HEADERS,
    *(column.key for column in INSTITUTION_COLUMNS),
}  # fmt: skip

# plain text columns: key -> model field
TEXT_COLUMNS = {
    H_FIRST_NAME: "first_name", H_LAST_NAME: "last_name", H_VOIVODESHIP: "voivodeship", H_COUNTY: "county",
    H_GMINA: "gmina", H_LOCALITY: "locality", H_STREET: "street", H_BUILDING: "building", H_FLAT: "flat",
    H_POSTAL_CODE: "postal_code", H_PHONE: "phone", H_EMAIL: "email", H_OCCUPATION: "occupation",
    H_EMPLOYER: "employer",
}  # fmt: skip
# coded columns: key -> (model field, TextChoices)
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
    "planned_education_end": H_EDUCATION_END,
}  # fmt: skip

# Outcome columns per kind: (kind, [(key, value key)]); the first column holds the dates.
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
# Support forms (reporting.models.Support): the first column decides how many there are.
SUPPORT_COLUMNS = [(H_SUPPORT_FORM, "form"), (H_SUPPORT_DETAIL, "form_detail"), (H_SUPPORT_START, "start_date"),
                   (H_SUPPORT_END, "end_date")]  # fmt: skip
# A business started with an EFS grant: the employment outcome of that form (one record, two views).
BUSINESS_COLUMNS = [(H_BUSINESS_DATE, "occurred_on"), (H_BUSINESS_AMOUNT, "grant_amount"), (H_BUSINESS_PKD, "pkd")]
BUSINESS_FORM = EmploymentForm.BUSINESS_EFS_GRANT
# Columns whose cell may hold several values
MULTI_VALUE_HEADERS = OUTCOME_HEADERS | {key for key, _f in SUPPORT_COLUMNS} | {key for key, _f in BUSINESS_COLUMNS}


def split_values(cell: str) -> list[str]:
    """The values of a repeatable cell (" | " or line breaks between them); [] for an empty cell."""
    if not cell.strip():
        return []
    return [part.strip() for part in _SPLIT.split(cell.strip())]


def label(choices, value) -> str:
    """The exact Polish label of a code value ('' for no value). The labels of each code list are
    read once per process (the export called `translation.override` for every cell)."""
    if not value:
        return ""
    found = _polish_labels(choices).get(str(getattr(value, "value", value)))
    if found is not None:
        return found
    with translation.override("pl"):
        return str(choices(value).label)  # not a member: raises ValueError as before


@functools.cache
def _polish_labels(choices) -> dict[str, str]:
    with translation.override("pl"):
        return {str(member.value): str(member.label) for member in choices}


def labels_to_values(choices) -> dict[str, str]:
    """Lower-cased Polish label -> code value (the import compares case-insensitively)."""
    with translation.override("pl"):
        return {str(member.label).lower(): member.value for member in choices}
