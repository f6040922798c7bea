"""Validation of every row of a participant file before anything is saved."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from reporting.codes import Degurba, EmploymentForm, OutcomeKind
from reporting.importing import layout as L
from reporting.importing import values as V
from reporting.importing.headers import match_headers
from reporting.importing.values import ValueRefused
from reporting.models import Participation
from reporting.services.validation import (
    CONTROL_CHARS,
    RECORD_FIELDS,
    entry_errors,
    exit_errors,
    grant_errors,
    outcome_errors,
    support_errors,
)


@dataclass(frozen=True, order=True)
class RowError:
    row: int
    column_index: int
    column: str
    message: str

    def __str__(self):
        where = _("wiersz %(row)d") % {"row": self.row}
        return f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass
class ValidRow:
    number: int
    values: dict
    outcomes: list = field(default_factory=list)
    supports: list = field(default_factory=list)


class _Row:
    """Collects the values and errors of one row."""

    def __init__(self, number: int, cells: dict[str, str], column_index: dict[str, int]):
        self.number, self.cells, self.column_index = number, cells, column_index
        self.errors: list[RowError] = []

    def error(self, header: str, message: str) -> None:
        self.errors.append(RowError(self.number, self.column_index.get(header, 999), header, message))

    def text(self, header: str) -> str:
        return self.cells.get(header, "")

    def date(self, header: str) -> dt.date | None:
        return self._read(header, V.parse_date)

    def yes_no(self, header: str) -> bool | None:
        return self._read(header, V.yes_no)

    def coded(self, header: str, choices) -> str:
        return self._read(header, lambda text: V.coded(text, choices)) or ""

    def _read(self, header: str, parse):
        """The cell read by `parse` (None when empty or refused: the refusal is reported)."""
        text = self.text(header)
        if not text:
            return None
        try:
            return parse(text)
        except ValueRefused as refused:
            self.error(header, refused.message)
            return None


def check_headers(headers: list[str]) -> tuple[dict[str, int], list[RowError]]:
    """(column key -> position, errors) for the header row: see reporting/importing/headers.py."""
    index, problems = match_headers(headers)
    return index, [RowError(1, p.position, p.column, p.message) for p in problems]


def validate_row(number: int, cells: list[str], index: dict[str, int], *, project, today) -> tuple[ValidRow, list]:
    row = _Row(number, _stripped_cells(cells, index), index)
    _refuse_control_chars(row)
    values = _entry_values(row)
    _report(row, entry_errors(values, project=project, today=today, strict=True))
    end_date, completed = row.date(L.H_END), row.yes_no(L.H_COMPLETED)
    exit_values = {"end_date": end_date, "completed_as_planned": completed,
                   "early_exit_reason": values.pop("early_exit_reason", "")}  # fmt: skip
    if end_date or completed is not None or exit_values["early_exit_reason"]:
        _report(row, exit_errors(exit_values, start_date=values.get("start_date"), today=today))
    values.update(exit_values)
    outcomes = _outcomes(row, start_date=values.get("start_date"), end_date=end_date, today=today)
    outcomes = _business(row, outcomes, start_date=values.get("start_date"), end_date=end_date, today=today)
    supports = _supports(row, start_date=values.get("start_date"), end_date=end_date, today=today)
    checked = ValidRow(number, values, outcomes, supports)
    return checked, row.errors


def _stripped_cells(cells: list[str], index: dict[str, int]) -> dict[str, str]:
    """The row's cells by header, stripped (multi-line outcome cells keep their lines)."""
    by_header = {header: cells[position] if position < len(cells) else "" for header, position in index.items()}
    for header, text in by_header.items():
        if header not in L.MULTI_VALUE_HEADERS or not text.strip():
            by_header[header] = text.strip()
    return by_header


def _refuse_control_chars(row: _Row) -> None:
    """A cell with control characters is reported and emptied."""
    for header, text in row.cells.items():
        if header in L.DERIVED_HEADERS:
            continue
        multi = header in L.MULTI_VALUE_HEADERS
        bad = CONTROL_CHARS.sub("", text.replace("\n", "")) != text.replace("\n", "") if multi \
            else bool(CONTROL_CHARS.search(text))  # fmt: skip
        if bad:
            row.error(header, _("niedozwolone znaki sterujące (np. NUL albo nowa linia)."))
            row.cells[header] = ""


def _report(row: _Row, errors: dict[str, str]) -> None:
    """The record's validation errors, each on its column unless that cell has an error already."""
    failed_headers = {e.column for e in row.errors}
    for field_name, message in errors.items():
        header = L.HEADER_OF_FIELD.get(field_name, field_name)
        if header not in failed_headers:
            row.error(header, message)


def _entry_values(row: _Row) -> dict:
    """The entry fields of the participation record, as the form would receive them."""
    kind = row.text(L.H_KIND)
    if kind and kind.lower() != L.INDIVIDUAL:
        row.error(L.H_KIND, _("obsługiwani są tylko uczestnicy indywidualni („indywidualny”)."))
    if filled := [c.key for c in L.INSTITUTION_COLUMNS if row.text(c.key)]:
        row.error(filled[0], _("obsługiwani są tylko uczestnicy indywidualni – blok uczestników "
                               "instytucjonalnych ma być pusty."))  # fmt: skip
    values: dict = {field: "" for field in RECORD_FIELDS}
    for header, field_name in L.TEXT_COLUMNS.items():
        values[field_name] = row.text(header)
    for header, (field_name, choices) in L.CODED_COLUMNS.items():
        values[field_name] = row.coded(header, choices)
    pesel = row.text(L.H_PESEL).replace(" ", "")
    if pesel.isdigit() and 9 <= len(pesel) < 11:  # a PESEL stored as a number lost its leading zeros
        pesel = pesel.zfill(11)
    values["pesel"] = pesel
    values["no_pesel"] = bool(row.yes_no(L.H_NO_PESEL))
    values["birth_date"] = row.date(L.H_BIRTH_DATE)
    values["start_date"] = row.date(L.H_START)
    values["at_risk"] = row.yes_no(L.H_AT_RISK)
    values["planned_education_end"] = row.date(L.H_EDUCATION_END)
    degurba = row.text(L.H_DEGURBA)
    if degurba:
        values["degurba"] = degurba if degurba in Degurba.values else row.coded(L.H_DEGURBA, Degurba)
    return values  # Województwo, Powiat, Gmina, DEGURBA: from the TERYT register in entry_errors


def _outcomes(row: _Row, *, start_date, end_date, today) -> list[dict]:
    outcomes = []
    for kind, columns in L.OUTCOME_COLUMNS:
        date_header = columns[0][0]
        date_cell = row.text(date_header)
        if not date_cell:
            if any(row.text(header) for header, _key in columns[1:]):
                row.error(date_header, _("podano szczegóły rezultatu bez jego daty."))
            continue
        count = len(L.split_values(date_cell))
        lines = _outcome_lines(row, columns, count)
        header_of_key = {key: header for header, key in columns}
        for i in range(count):
            suffix = f" ({i + 1})" if count > 1 else ""
            values: dict = {"kind": kind}
            ok = True
            for header, key in columns:
                values[key], valid = _outcome_value(row, header + suffix, key, lines[key][i])
                ok = ok and valid
            if not ok:
                continue
            for key, message in outcome_errors(values, start_date=start_date, end_date=end_date, today=today).items():
                row.error(header_of_key.get(key, date_header) + suffix, message)
            outcomes.append(values)
    return outcomes


def _outcome_lines(row: _Row, columns, count: int) -> dict[str, list[str]]:
    """Each column's cell split into one line per outcome date (a cell with another count is an error)."""
    lines = {}
    for header, key in columns:
        cell = row.text(header)
        if count == 1 and key == "progress_categories":
            cell = cell.replace("\n", ",")  # one event: several categories, one per line
        split = L.split_values(cell) or [""] * count
        if len(split) != count:
            row.error(header, _("liczba wierszy w komórce (%(got)d) nie zgadza się z liczbą dat (%(want)d).") % {
                "got": len(split), "want": count})  # fmt: skip
            split = [""] * count
        lines[key] = [part.strip() for part in split]
    return lines


def _outcome_value(row: _Row, header: str, key: str, text: str) -> tuple[object, bool]:
    """One outcome line's value for `key` and whether it was valid (an invalid one is reported)."""
    try:
        if key == "occurred_on":
            return (V.parse_date(text) if text else None), True
        if key in L.OUTCOME_CODES:
            return (V.coded(text, L.OUTCOME_CODES[key]) if text else ""), True
        if key == "progress_categories":
            return V.progress_categories(text), True
    except ValueRefused as refused:
        row.error(header, refused.message)
        return None, False
    return text, True


def _group_dates(row: _Row, header: str, texts: list[str]) -> list:
    """The dates of a repeatable column (None for a blank value); a bad one is reported."""
    dates = []
    for i, text in enumerate(texts):
        try:
            dates.append(V.parse_date(text) if text else None)
        except ValueError as exc:  # ValueRefused names the accepted notations
            where = header + (f" ({i + 1})" if len(texts) > 1 else "")
            row.error(where, str(exc))
            dates.append(None)
    return dates


def _supports(row: _Row, *, start_date, end_date, today) -> list[dict]:
    """The support forms (one value per form in each of the four columns)."""
    first, *_rest = L.SUPPORT_COLUMNS
    count = len(L.split_values(row.text(first[0])))
    if not count:
        if any(row.text(header) for header, _key in L.SUPPORT_COLUMNS[1:]):
            row.error(first[0], _("podano daty lub „w tym” wsparcia bez jego rodzaju."))
        return []
    lines = _outcome_lines(row, L.SUPPORT_COLUMNS, count)
    header_of = {key: header for header, key in L.SUPPORT_COLUMNS}
    starts = _group_dates(row, L.H_SUPPORT_START, lines["start_date"])
    ends = _group_dates(row, L.H_SUPPORT_END, lines["end_date"])
    supports = []
    for i in range(count):
        values = {"form": lines["form"][i], "form_detail": lines["form_detail"][i], "start_date": starts[i],
                  "end_date": ends[i]}  # fmt: skip
        suffix = f" ({i + 1})" if count > 1 else ""
        for key, message in support_errors(values, start_date=start_date, end_date=end_date, today=today).items():
            row.error(header_of[key] + suffix, message)
        supports.append(values)
    return supports


def _business(row: _Row, outcomes: list[dict], *, start_date, end_date, today) -> list[dict]:
    """The SL2014 business columns are the EFS-grant employment outcome seen another way: a
    business dated like such an outcome of the outcome columns completes it, otherwise it becomes one."""
    count = len(L.split_values(row.text(L.H_BUSINESS_DATE)))
    if not count:
        if row.text(L.H_BUSINESS_AMOUNT) or row.text(L.H_BUSINESS_PKD):
            row.error(L.H_BUSINESS_DATE, _("podano kwotę lub PKD działalności bez daty jej założenia."))
        return outcomes
    lines = _outcome_lines(row, L.BUSINESS_COLUMNS, count)
    dates = _group_dates(row, L.H_BUSINESS_DATE, lines["occurred_on"])
    grants = [o for o in outcomes if o["kind"] == OutcomeKind.EMPLOYMENT
              and o.get("employment_form") == EmploymentForm.BUSINESS_EFS_GRANT]  # fmt: skip
    header_of = {key: header for header, key in L.BUSINESS_COLUMNS}
    for i in range(count):
        suffix = f" ({i + 1})" if count > 1 else ""
        grant = next((o for o in grants if o["occurred_on"] == dates[i]), None)
        if grant is None:
            grant = {"kind": OutcomeKind.EMPLOYMENT, "occurred_on": dates[i], "evidence": "", "fte": None,
                     "employment_form": EmploymentForm.BUSINESS_EFS_GRANT, "planned_months": None}  # fmt: skip
            grant.update(grant_amount=lines["grant_amount"][i], pkd=lines["pkd"][i])
            errors = outcome_errors(grant, start_date=start_date, end_date=end_date, today=today)
            outcomes.append(grant)
        else:
            grant.update(grant_amount=lines["grant_amount"][i], pkd=lines["pkd"][i])
            grants.remove(grant)  # each outcome stands for one business
            errors = {}
            grant_errors(grant, errors)
        for key, message in errors.items():
            row.error(header_of.get(key, L.H_BUSINESS_DATE) + suffix, message)
    return outcomes


def validate_rows(headers: list[str], rows, *, project, today) -> tuple[list[ValidRow], list[RowError]]:
    """Check every row (and the file as a whole: duplicates within it, people without a PESEL already
    in the project). Returns the rows without errors and every error (a row's errors never stop
    the check of the others)."""
    index, errors = check_headers(headers)
    if errors:
        return [], errors
    valid: list[ValidRow] = []
    seen_pesel: dict[str, int] = {}
    seen_identity: dict[tuple, int] = {}
    for number, cells in rows:
        checked, row_errors = validate_row(number, cells, index, project=project, today=today)
        errors.extend(row_errors)
        values = checked.values
        if values["pesel"] and not any(e.column == L.H_PESEL for e in row_errors):
            if (first := seen_pesel.setdefault(values["pesel"], number)) != number:
                errors.append(RowError(number, index[L.H_PESEL], L.H_PESEL,
                                       _("ten sam PESEL jest już w wierszu %(row)d.") % {"row": first}))  # fmt: skip
        elif values["no_pesel"] and values.get("birth_date"):
            identity = (values["first_name"].lower(), values["last_name"].lower(), values["birth_date"])
            if (first := seen_identity.setdefault(identity, number)) != number:
                errors.append(
                    RowError(
                        number,
                        index[L.H_LAST_NAME],
                        L.H_LAST_NAME,
                        _("ta sama osoba (imię, nazwisko, data urodzenia) jest już w wierszu %(row)d.")
                        % {"row": first},
                    )
                )
        if not row_errors:
            valid.append(checked)
    # a PESEL already in the project is an update (the import service matches it); a person without
    # a PESEL cannot be matched safely, so the same name and birth date is refused
    existing = Participation.objects.filter(project=project)
    taken_identities = {
        (first.lower(), last.lower(), born)
        for first, last, born in existing.filter(no_pesel=True).values_list("first_name", "last_name", "birth_date")
    } if seen_identity else set()  # fmt: skip
    for identity in sorted(set(seen_identity) & taken_identities, key=seen_identity.__getitem__):
        errors.append(RowError(seen_identity[identity], index[L.H_LAST_NAME], L.H_LAST_NAME,
                               _("ta osoba (bez numeru PESEL) jest już uczestnikiem projektu.")))  # fmt: skip
    return valid, sorted(errors)
