"""One participation as a row of the participant file (the layout: reporting/importing/layout.py).

Values keep their type: dates stay `datetime.date` and numbers stay numbers, so the XLSX writer
stores real date and number cells; the CSV writer turns them into ISO dates and decimal commas.
A repeatable cell with several values is text (values joined by layout.VALUE_SEPARATOR).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from reporting.codes import OutcomeKind
from reporting.dates import result_window_end
from reporting.importing import layout as L

# "Sytuacja (1)/(2)" (DOMAIN.md §5.1.3): derived from the outcome events dated in [start, end + 28 days].
SITUATION_LABELS = [
    (OutcomeKind.EMPLOYMENT, "osoba pracująca (łącznie z prowadzącymi działalność na własny rachunek)"),
    (OutcomeKind.QUALIFICATION, "osoba, która uzyskała kwalifikacje"),
    (OutcomeKind.JOB_SEEKING, "osoba poszukująca pracy"),
    (OutcomeKind.EDUCATION, "osoba kształcąca się lub szkoląca się"),
]
SITUATION_OTHER = "inne"
SITUATION_NOT_APPLICABLE = "nie dotyczy"


@dataclass(frozen=True)
class ClaimPeriod:
    """The period of a payment claim ("Wniosek za okres"), both days included."""

    date_from: dt.date
    date_to: dt.date

    def __str__(self):
        return f"{self.date_from.isoformat()} – {self.date_to.isoformat()}"


def project_block(project, period: ClaimPeriod | None) -> dict:
    """The project columns, the same on every row (the beneficiary is the project's leader)."""
    return {
        L.H_AGREEMENT: project.agreement_number, L.H_BENEFICIARY: project.leader.name,
        L.H_PROJECT_TITLE: project.title, L.H_PROJECT_FROM: project.start_date, L.H_PROJECT_TO: project.end_date,
        L.H_CLAIM_PERIOD: str(period) if period else "",
    }  # fmt: skip


def yes_no(value: bool | None) -> str:
    return "" if value is None else (L.YES if value else L.NO)


def fte_text(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f").replace(".", ",")


def amount_text(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f").replace(".", ",")


def one_line(text: str) -> str:
    """A value inside a repeatable cell: no separator, no line break."""
    return " ".join(text.replace("|", "/").split())


def joined(values: list):
    """The cell of a repeatable column: the value itself when there is one (a date stays a date)."""
    if not values:
        return ""
    if len(values) == 1:
        return values[0]
    return L.VALUE_SEPARATOR.join(v.isoformat() if isinstance(v, dt.date) else str(v) for v in values)


def situations(participation, outcomes) -> tuple[str, str]:
    if participation.end_date is None or participation.start_date is None:
        return "", ""
    window_end = result_window_end(participation.end_date)
    kinds = {o.kind for o in outcomes if participation.start_date <= o.occurred_on <= window_end}
    found = [text for kind, text in SITUATION_LABELS if kind in kinds]
    return (found[0] if found else SITUATION_OTHER), (found[1] if len(found) > 1 else SITUATION_NOT_APPLICABLE)


def participation_row(participation, outcomes, supports=(), *, project_values: dict | None = None) -> list:
    """One participation (with its outcome events and supports in date order) as the file's row."""
    p = participation
    situation_1, situation_2 = situations(p, outcomes)
    row = {
        **(project_values or dict.fromkeys(L.PROJECT_HEADERS, "")),
        L.H_COUNTRY: L.COUNTRY, L.H_KIND: L.INDIVIDUAL, L.H_INSTITUTION: "", L.H_PESEL: p.pesel,
        L.H_NO_PESEL: yes_no(p.no_pesel), L.H_AGE: p.age_at_start if p.age_at_start is not None else "",
        L.H_DEGURBA: p.degurba, L.H_START: p.start_date or "", L.H_END: p.end_date or "",
        L.H_SITUATION_1: situation_1, L.H_SITUATION_2: situation_2, L.H_YOUTH: "",
        L.H_COMPLETED: yes_no(p.completed_as_planned), L.H_EDUCATION_END: p.planned_education_end or "",
        L.H_ID: p.pk, L.H_BIRTH_DATE: (p.birth_date or "") if p.no_pesel or not p.pesel else "",
        L.H_AT_RISK: yes_no(p.at_risk),
    }  # fmt: skip
    for header, field in L.TEXT_COLUMNS.items():
        row[header] = getattr(p, field)
    for header, (field, choices) in L.CODED_COLUMNS.items():
        row[header] = L.label(choices, getattr(p, field))
    row.update(_outcome_cells(outcomes))
    row.update(_support_cells(supports))
    row.update(_business_cells(outcomes))
    return [row[key] for key in L.HEADERS]


NO_OUTCOME_CELLS = dict.fromkeys(L.OUTCOME_HEADERS, "")  # joined([]) of every outcome column
NO_SUPPORT_CELLS = dict.fromkeys((L.H_SUPPORT_FORM, L.H_SUPPORT_DETAIL, L.H_SUPPORT_START, L.H_SUPPORT_END), "")


def _outcome_cells(outcomes) -> dict:
    by_kind: dict[str, list] = {}
    for outcome in outcomes:
        by_kind.setdefault(outcome.kind, []).append(outcome)
    cells = dict(NO_OUTCOME_CELLS)  # most participations have few kinds of outcome, or none
    for kind, columns in L.OUTCOME_COLUMNS:
        if events := by_kind.get(kind):
            for header, key in columns:
                cells[header] = joined([outcome_value(event, key) for event in events])
    return cells


def _support_cells(supports) -> dict:
    if not supports:
        return NO_SUPPORT_CELLS
    return {
        L.H_SUPPORT_FORM: joined([one_line(s.form) for s in supports]),
        L.H_SUPPORT_DETAIL: joined([one_line(s.form_detail) for s in supports]),
        L.H_SUPPORT_START: joined([s.start_date for s in supports]),
        L.H_SUPPORT_END: joined([s.end_date or "" for s in supports]),
    }


def _business_cells(outcomes) -> dict:
    """The SL2014 business columns: the same EFS-grant employment events, another view."""
    grants = [o for o in outcomes if o.kind == OutcomeKind.EMPLOYMENT and o.employment_form == L.BUSINESS_FORM]
    if not grants:
        return NO_BUSINESS_CELLS
    amounts = [o.grant_amount for o in grants]
    return {
        L.H_BUSINESS_DATE: joined([o.occurred_on for o in grants]),
        L.H_BUSINESS_AMOUNT: amounts[0] if len(amounts) == 1 and amounts[0] is not None
        else joined([amount_text(a) for a in amounts]),
        L.H_BUSINESS_PKD: joined([o.pkd for o in grants]),
    }  # fmt: skip


NO_BUSINESS_CELLS = dict.fromkeys((L.H_BUSINESS_DATE, L.H_BUSINESS_AMOUNT, L.H_BUSINESS_PKD), "")


def outcome_value(event, key: str):
    if key == "occurred_on":
        return event.occurred_on
    if key == "fte":
        return fte_text(event.fte)
    if key == "planned_months":
        return "" if event.planned_months is None else str(event.planned_months)
    if key == "progress_categories":
        return event.progress_category
    if key in L.OUTCOME_CODES:
        return L.label(L.OUTCOME_CODES[key], getattr(event, key))
    return one_line(getattr(event, key) or "")
