"""Validation of participation data shared by the forms, the services and the import.

Each function takes plain values (so the import can check a row before any record exists) and
returns {field: message}; the caller decides where a message goes (next to a form field, or
"wiersz 7, PESEL: …" in an import report).
"""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import cast

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from families.codes import LABOUR_DETAIL_FOR, LabourStatus, Sex
from families.pesel import birth_date_from_pesel, sex_from_pesel, validate_pesel
from reporting.codes import EmploymentForm, JobSeekingKind, OutcomeKind, ProgressCategory
from reporting.models import OutcomeEvent, Participation
from support_network.territory import fill_address, gmina_code_from_names

OLDEST_BIRTH_DATE = dt.date(1900, 1, 1)
MAX_AGE_AT_START = 110
MAX_PLANNED_MONTHS = 600
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")
POSTAL_CODE = re.compile(r"^\d{2}-\d{3}$")
PKD = re.compile(r"^\d{2}\.\d{2}\.[A-Z]$")
MAX_GRANT_AMOUNT = Decimal("1000000")
SUPPORT_TEXT_LENGTH = 200

# Every value of the participation record a user or a file can set (age is derived).
IDENTITY_FIELDS = ("first_name", "last_name", "pesel", "no_pesel", "sex", "birth_date")
ADDRESS_FIELDS = ("gmina_teryt", "voivodeship", "county", "gmina", "locality", "street", "building", "flat",
                  "postal_code", "degurba", "phone", "email")  # fmt: skip
ENTRY_DATA_FIELDS = ("start_date", "education", "labour_status", "labour_status_detail", "occupation", "employer",
                     "disability", "minority", "homeless", "other_disadvantage", "at_risk",
                     "planned_education_end")  # fmt: skip
# Record fields whose "no value" is None (dates, the at-risk answer), not "".
NULLABLE_FIELDS = ("birth_date", "start_date", "at_risk", "planned_education_end")
RECORD_FIELDS = IDENTITY_FIELDS + ADDRESS_FIELDS + ENTRY_DATA_FIELDS
EXIT_FIELDS = ("end_date", "completed_as_planned", "early_exit_reason")


def text_error(value: str, max_length: int) -> str | None:
    if CONTROL_CHARS.search(value):
        return _("Niedozwolone znaki sterujące (np. NUL, nowa linia).")
    if len(value) > max_length:
        message = ngettext(
            "Za długa wartość: najwyżej %(max)d znak (jest %(len)d).",
            "Za długa wartość: najwyżej %(max)d znaków (jest %(len)d).",
            max_length,
        )
        return message % {"max": max_length, "len": len(value)}
    return None


def _max_length(name: str) -> int:
    field = cast(Field, Participation._meta.get_field(name))
    assert field.max_length is not None, name  # only the record's text fields are checked for length
    return field.max_length


def entry_errors(values: dict, *, project, today: dt.date | None = None, strict: bool = False) -> dict[str, str]:
    """Check (and complete) the entry data of one participation in `project`.

    With a PESEL, birth date and sex are derived from it (EFS_RULES.md §1); they are entered only
    with "Brak PESEL". `strict` (the import) refuses a given birth date or sex that differs from the
    PESEL instead of overwriting it. Mutates `values` with the derived data.
    """
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    _text_errors(values, errors)
    _identity_errors(values, errors, strict=strict)
    _date_errors(values, errors, project=project, today=today)
    _labour_errors(values, errors)
    _contact_errors(values, errors)
    _territory_errors(values, errors)
    return errors


def _text_errors(values: dict, errors: dict) -> None:
    """Trim every text of the record, refuse control characters and overlong values; names are required."""
    for field in RECORD_FIELDS:
        value = values.get(field)
        if isinstance(value, str):
            values[field] = value = value.strip()
            if message := text_error(value, _max_length(field)):
                errors[field] = message
    for field in ("first_name", "last_name"):
        if not values.get(field) and field not in errors:
            errors[field] = _("To pole jest wymagane.")


def _identity_errors(values: dict, errors: dict, *, strict: bool) -> None:
    """PESEL or "Brak PESEL"; with a PESEL the birth date and sex come from it."""
    pesel, no_pesel = values.get("pesel") or "", bool(values.get("no_pesel"))
    if no_pesel and pesel:
        errors["pesel"] = _("Zaznaczono „Brak PESEL” – usuń numer PESEL albo odznacz to pole.")
    elif not no_pesel and not pesel:
        errors.setdefault("pesel", _("Podaj PESEL albo zaznacz „Brak PESEL”."))
    elif pesel and "pesel" not in errors:
        _derive_from_pesel(values, errors, pesel, strict=strict)
    if no_pesel:
        if not values.get("birth_date"):
            errors["birth_date"] = _("Bez numeru PESEL podaj datę urodzenia.")
        if not values.get("sex"):
            errors["sex"] = _("Bez numeru PESEL podaj płeć.")
    if values.get("sex") and values["sex"] not in Sex.values:
        errors["sex"] = _("Nieznana wartość płci.")


def _derive_from_pesel(values: dict, errors: dict, pesel: str, *, strict: bool) -> None:
    try:
        validate_pesel(pesel)
    except ValidationError as exc:
        errors["pesel"] = exc.messages[0]
        return
    derived = {"birth_date": birth_date_from_pesel(pesel), "sex": sex_from_pesel(pesel)}
    for field, value in derived.items():
        if strict and values.get(field) and values[field] != value:
            errors[field] = (_("Data urodzenia nie zgadza się z numerem PESEL.") if field == "birth_date"
                             else _("Płeć nie zgadza się z numerem PESEL."))  # fmt: skip
        values[field] = value


def _date_errors(values: dict, errors: dict, *, project, today: dt.date) -> None:
    """A possible birth date; a start date within the project, not in the future, after the birth."""
    birth_date, start_date = values.get("birth_date"), values.get("start_date")
    if birth_date and (birth_date > today or birth_date < OLDEST_BIRTH_DATE):
        errors["birth_date"] = _("Niemożliwa data urodzenia.")
    if not start_date:
        errors["start_date"] = _("Podaj datę rozpoczęcia udziału (datę pierwszego wsparcia).")
        return
    if start_date > today:
        errors["start_date"] = _("Data rozpoczęcia udziału nie może być w przyszłości.")
    elif not project.start_date <= start_date <= project.end_date:
        errors["start_date"] = _("Data rozpoczęcia udziału poza okresem realizacji projektu (%(from)s – %(to)s).") % {
            "from": project.start_date.strftime("%d.%m.%Y"),
            "to": project.end_date.strftime("%d.%m.%Y"),
        }
    if birth_date and "birth_date" not in errors:
        if birth_date > start_date:
            errors["birth_date"] = _("Data urodzenia jest późniejsza niż data rozpoczęcia udziału.")
        elif _age_at_start(birth_date, start_date) > MAX_AGE_AT_START:
            errors["birth_date"] = _("Niemożliwy wiek w chwili przystąpienia do projektu.")


def _age_at_start(birth_date: dt.date, start_date: dt.date) -> int:
    age = Participation(birth_date=birth_date, start_date=start_date).compute_age_at_start()
    assert age is not None  # both dates are given
    return age


def _labour_errors(values: dict, errors: dict) -> None:
    status, detail = values.get("labour_status"), values.get("labour_status_detail")
    if detail and not status:
        errors["labour_status_detail"] = _("Podaj najpierw status na rynku pracy.")
    elif detail and status in LabourStatus.values and detail not in LABOUR_DETAIL_FOR[LabourStatus(status)]:
        errors["labour_status_detail"] = _("Ta wartość „w tym” nie pasuje do wybranego statusu na rynku pracy.")


def _territory_errors(values: dict, errors: dict) -> None:
    """A gmina code must be in the TERYT register, and fills Województwo, Powiat, Gmina and DEGURBA
    from it. Without a code, names that point to exactly one gmina of the register (as an SL2014
    file gives them) find its code; other names stay as typed, DEGURBA as given."""
    code = values.get("gmina_teryt") or ""
    if {"gmina_teryt", "voivodeship", "county", "gmina"} & set(errors):  # e.g. control characters
        return
    if code:
        if not fill_address(values, code):
            errors["gmina_teryt"] = _("Kodu %(code)s nie ma w rejestrze TERYT (TERC) – wybierz gminę z listy.") % {
                "code": code
            }
        return
    found = gmina_code_from_names(voivodeship=values.get("voivodeship") or "", county=values.get("county") or "",
                                  gmina=values.get("gmina") or "")  # fmt: skip
    if found:
        values["gmina_teryt"] = found
        fill_address(values, found)


def _contact_errors(values: dict, errors: dict) -> None:
    postal_code = values.get("postal_code")
    if postal_code and "postal_code" not in errors and not POSTAL_CODE.match(postal_code):
        errors["postal_code"] = _("Kod pocztowy w formacie NN-NNN.")
    email = values.get("email")
    if email and "email" not in errors:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Niepoprawny adres e-mail.")


def _date_after_start_error(day, *, start_date, today, missing, before_start, future) -> str | None:
    """The message for a date (of an exit, of an outcome) that is missing, before the start of the
    participation or in the future; None when it is fine."""
    if not day:
        return missing
    if start_date and day < start_date:
        return before_start % {"d": start_date.strftime("%d.%m.%Y")}
    if day > today:
        return future
    return None


def exit_errors(values: dict, *, start_date: dt.date | None, today: dt.date | None = None) -> dict[str, str]:
    """End date >= start date and not in the future; completed Tak/Nie; a reason exactly when Nie."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if message := _date_after_start_error(
        values.get("end_date"), start_date=start_date, today=today,
        missing=_("Podaj datę zakończenia udziału."),
        before_start=_("Data zakończenia nie może być wcześniejsza niż data rozpoczęcia udziału (%(d)s)."),
        future=_("Data zakończenia nie może być w przyszłości."),
    ):  # fmt: skip
        errors["end_date"] = message
    completed = values.get("completed_as_planned")
    if completed is None:
        errors["completed_as_planned"] = _("Wskaż, czy udział zakończył się zgodnie ze ścieżką (Tak/Nie).")
    elif completed is False and not values.get("early_exit_reason"):
        errors["early_exit_reason"] = _("Podaj powód wcześniejszego zakończenia (podjęcie pracy też jest powodem).")
    elif completed is True:
        values["early_exit_reason"] = ""
    return errors


def parse_fte(raw) -> Decimal:
    """'0,5', '0.5', '1', Decimal('0.50') -> Decimal; ValueError on anything else."""
    if isinstance(raw, Decimal):
        return raw
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise ValueError(raw) from None
    if not value.is_finite():
        raise ValueError(raw)
    return value


# The details an outcome of each kind keeps; the others are blanked.
OUTCOME_DETAILS = {
    OutcomeKind.EMPLOYMENT: {"employment_form", "fte", "planned_months", "employer", "grant_amount", "pkd"},
    OutcomeKind.QUALIFICATION: {"qualification_name"},
    OutcomeKind.JOB_SEEKING: {"job_seeking_kind"},
    OutcomeKind.EDUCATION: set(),
    OutcomeKind.SOCIAL_PROGRESS: {"progress_categories"},
}
OUTCOME_BLANKS: dict[str, object] = {
    "employment_form": "", "fte": None, "planned_months": None, "employer": "", "qualification_name": "",
    "job_seeking_kind": "", "progress_categories": [], "grant_amount": None, "pkd": "",
}  # fmt: skip


def outcome_errors(values: dict, *, start_date, end_date=None, today: dt.date | None = None) -> dict[str, str]:
    """Check one outcome (before it exists). Clears the details that do not belong to its kind and
    turns `progress_categories` into a sorted list without repeats."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    kind = values.get("kind")
    if kind not in OutcomeKind.values:
        return {"kind": _("Wybierz rodzaj rezultatu.")}
    if message := _date_after_start_error(
        values.get("occurred_on"), start_date=start_date, today=today,
        missing=_("Podaj datę rezultatu."),
        before_start=_("Data rezultatu nie może być wcześniejsza niż data rozpoczęcia udziału (%(d)s)."),
        future=_("Data rezultatu nie może być w przyszłości."),
    ):  # fmt: skip
        errors["occurred_on"] = message
    for field, max_length in (("evidence", 500), ("employer", 200), ("qualification_name", 200)):
        value = (values.get(field) or "").strip()
        values[field] = value
        if message := text_error(value, max_length):
            errors[field] = message
    keep = OUTCOME_DETAILS[OutcomeKind(kind)]
    values.update({field: blank for field, blank in OUTCOME_BLANKS.items() if field not in keep})
    if kind == OutcomeKind.EMPLOYMENT:
        _employment_errors(values, errors)
    elif kind == OutcomeKind.JOB_SEEKING:
        if values.get("job_seeking_kind") not in JobSeekingKind.values:
            errors["job_seeking_kind"] = _("Wskaż: rejestracja w PUP albo aktywne poszukiwanie pracy.")
    elif kind == OutcomeKind.SOCIAL_PROGRESS:
        _progress_errors(values, errors)
    return errors


def _employment_errors(values: dict, errors: dict) -> None:
    form = values.get("employment_form")
    if form not in EmploymentForm.values:
        errors["employment_form"] = _("Wybierz formę zatrudnienia.")
    _fte_errors(values, errors, form)
    _planned_months_errors(values, errors, form)
    grant_errors(values, errors)


def _fte_errors(values: dict, errors: dict, form) -> None:
    """The FTE of an employment contract: 0 < fte <= 1 with two decimals; no FTE for other forms."""
    fte = values.get("fte")
    if form != EmploymentForm.CONTRACT:
        if fte not in (None, ""):
            errors["fte"] = _("Wymiar etatu podaje się tylko dla umowy o pracę.")
        else:
            values["fte"] = None
        return
    if fte in (None, ""):
        errors["fte"] = _("Dla umowy o pracę podaj wymiar etatu (np. 0,5 albo 1).")
        return
    try:
        fte = values["fte"] = parse_fte(fte)
    except ValueError:
        errors["fte"] = _("Wymiar etatu to liczba, np. 0,5 albo 1.")
        return
    if not Decimal("0") < fte <= Decimal("1"):
        errors["fte"] = _("Wymiar etatu musi być większy od 0 i nie większy niż 1.")
    elif int(fte.as_tuple().exponent) < -2:  # finite here, so the exponent is an int
        errors["fte"] = _("Wymiar etatu podaj z dokładnością do 0,01.")


def _planned_months_errors(values: dict, errors: dict, form) -> None:
    """Planned months (1–600), required for a contract of employment or a civil-law contract."""
    months = values.get("planned_months")
    if months in (None, ""):
        values["planned_months"] = None
        if form in (EmploymentForm.CONTRACT, EmploymentForm.CIVIL):
            errors["planned_months"] = _("Podaj planowany okres zatrudnienia w miesiącach.")
        return
    try:
        months = values["planned_months"] = int(str(months).strip())
    except ValueError:
        errors["planned_months"] = _("Okres zatrudnienia to liczba całkowita miesięcy.")
        return
    if not 1 <= months <= MAX_PLANNED_MONTHS:
        errors["planned_months"] = _("Okres zatrudnienia: od 1 do %(max)d miesięcy.") % {"max": MAX_PLANNED_MONTHS}


def parse_amount(raw) -> Decimal:
    """'23 000,00', '23000.5', 23000, Decimal -> Decimal; ValueError on anything else."""
    if isinstance(raw, Decimal):
        return raw
    text = str(raw).replace("\u00a0", "").replace(" ", "").replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(raw) from None
    if not value.is_finite():
        raise ValueError(raw)
    return value


def grant_errors(values: dict, errors: dict) -> None:
    """The business columns of SL2014 (amount of the grant, PKD) belong to an employment of form
    "działalność gospodarcza z dotacji EFS" only: the same record, never a second one."""
    amount, pkd = values.get("grant_amount"), (values.get("pkd") or "").strip().upper()
    values["pkd"] = pkd
    if amount in (None, ""):
        values["grant_amount"] = amount = None
    if values.get("employment_form") != EmploymentForm.BUSINESS_EFS_GRANT:
        if amount is not None or pkd:
            errors["grant_amount" if amount is not None else "pkd"] = _(
                "Kwotę dotacji i PKD podaje się tylko dla działalności gospodarczej z dotacji EFS."
            )
        return
    if amount is not None:
        try:
            amount = values["grant_amount"] = parse_amount(amount)
        except ValueError:
            errors["grant_amount"] = _("Kwota to liczba złotych, np. 23 000,00.")
        else:
            if not Decimal("0") < amount <= MAX_GRANT_AMOUNT or int(amount.as_tuple().exponent) < -2:
                errors["grant_amount"] = _("Kwota: więcej niż 0 i najwyżej 1 000 000,00 zł, z groszami.")
    if pkd and not PKD.match(pkd):
        errors["pkd"] = _("PKD w formacie NN.NN.X, np. 47.91.Z.")


def support_errors(values: dict, *, start_date, end_date, today: dt.date | None = None) -> dict[str, str]:
    """A support form of a participation that started on `start_date` (and ended on `end_date`):
    the form is required, its dates lie within the participation and not in the future."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    for field in ("form", "form_detail"):
        values[field] = (values.get(field) or "").strip()
        if message := text_error(values[field], SUPPORT_TEXT_LENGTH):
            errors[field] = message
    if not values["form"] and "form" not in errors:
        errors["form"] = _("Podaj rodzaj przyznanego wsparcia.")
    first, last = values.get("start_date"), values.get("end_date")
    latest = min(today, end_date) if end_date else today
    if not first:
        errors["start_date"] = _("Podaj datę rozpoczęcia udziału we wsparciu.")
    elif start_date and first < start_date:
        errors["start_date"] = _("Wsparcie nie może się zacząć przed rozpoczęciem udziału w projekcie (%(d)s).") % {
            "d": start_date.strftime("%d.%m.%Y")}  # fmt: skip
    elif first > latest:
        errors["start_date"] = _("Wsparcie nie może się zacząć po zakończeniu udziału ani w przyszłości.")
    if last and first and last < first:
        errors["end_date"] = _("Data zakończenia wsparcia nie może być wcześniejsza niż data rozpoczęcia.")
    elif last and last > latest:
        errors["end_date"] = _("Wsparcie nie może się skończyć po zakończeniu udziału ani w przyszłości.")
    return errors


def _progress_errors(values: dict, errors: dict) -> None:
    categories = sorted(set(values.get("progress_categories") or []))
    values["progress_categories"] = categories
    if not categories:
        errors["progress_categories"] = _("Wybierz co najmniej jedną kategorię postępu (a–h).")
    elif not set(categories) <= set(ProgressCategory.values):
        errors["progress_categories"] = _("Nieznana kategoria postępu (dozwolone a–h).")


OUTCOME_FIELDS = [f.name for f in OutcomeEvent._meta.get_fields()
                  if f.concrete and f.name not in {"id", "participation", "created_by", "created_at"}]  # fmt: skip
