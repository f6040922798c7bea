"""No 2014–2020 EFS indicators: plain counts for projects outside that fund and period (a regional
programme paid from the voivodeship's own funds, a PO KL 2007–2013 project with its own, older
monitoring). Participants, those who ended, participants with each kind of outcome, participants
supported (their supports: by hand, imported or from a referral) and hours of support (the
partners' attendance records of those referrals), in the period and cumulatively,
K / M / total. Counted from the start date on; no core-data requirement except what a number needs
(a start date; the sex for K / M)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from contracts.models import ReferralAttendance
from reporting.codes import OutcomeKind
from reporting.models import OutcomeEvent, Participation, Support
from reporting.rulesets.base import Cell, QueryConditions
from reporting.selectors.indicators import COLUMN_LABELS, COLUMNS, PERIOD, SEXES, Counts, DataGap
from support_network.models import Project, RuleSet

PARTICIPANTS, ENDED, SUPPORTED, HOURS = "PARTICIPANTS", "ENDED", "SUPPORTED", "HOURS"
OUTCOME_PREFIX = "OUTCOME_"
TOTAL = "total"


def _row_labels() -> dict[str, str]:
    labels = {PARTICIPANTS: _("Uczestnicy (rozpoczęli udział)"), ENDED: _("Uczestnicy, którzy zakończyli udział")}
    for kind in OutcomeKind:
        labels[OUTCOME_PREFIX + kind.value.upper()] = _("Uczestnicy z rezultatem: %(kind)s") % {"kind": kind.label}
    labels[SUPPORTED] = _("Uczestnicy, którzy otrzymali wsparcie")
    labels[HOURS] = _("Godziny wsparcia")
    return labels


@dataclass(frozen=True)
class Amounts:
    K: Decimal = Decimal(0)
    M: Decimal = Decimal(0)
    total: Decimal = Decimal(0)

    def as_dict(self) -> dict:
        return {key: str(value) for key, value in (("K", self.K), ("M", self.M), ("total", self.total))}


@dataclass(frozen=True)
class PlainRow:
    code: str
    name: str
    period: Counts | Amounts
    cumulative: Counts | Amounts
    unit: str = "osoby"
    target: None = None

    def column(self, key: str) -> Counts | Amounts:
        return getattr(self, key)


@dataclass(frozen=True)
class PlainTable:
    project: Project
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date
    rows: list[PlainRow]
    data_gaps: list[DataGap] = field(default_factory=list)

    def get(self, code: str) -> PlainRow:
        return next(row for row in self.rows if row.code == code)

    def as_dict(self) -> dict:
        data: dict = {
            "project": {"agreement_number": self.project.agreement_number, "title": self.project.title},
            "rule_set": RuleSet.NO_EFS_2014.value,
            "from": self.date_from.isoformat(), "to": self.date_to.isoformat(), "as_of": self.as_of.isoformat(),
        }  # fmt: skip
        for row in self.rows:
            data[row.code] = {"name": row.name, "unit": row.unit,
                              **{column: row.column(column).as_dict() for column in COLUMNS}}  # fmt: skip
        data["data_gaps"] = {"count": len(self.data_gaps),
                             "records": [{"id": gap.id, "missing": gap.missing} for gap in self.data_gaps]}  # fmt: skip
        return data


def _in(column: str, name: str, date_from: dt.date, date_to: dt.date) -> Q:
    if column == PERIOD:
        return Q(**{f"{name}__gte": date_from, f"{name}__lte": date_to})
    return Q(**{f"{name}__lte": date_to})


def _condition(code: str, column: str, date_from: dt.date, date_to: dt.date) -> Q:
    """The participations counted in row `code` (HOURS: those supported) of `column`."""
    if code == PARTICIPANTS:
        return _in(column, "start_date", date_from, date_to)
    if code == ENDED:
        return _in(column, "end_date", date_from, date_to)
    if code.startswith(OUTCOME_PREFIX) and code[len(OUTCOME_PREFIX) :].lower() in OutcomeKind.values:
        events = OutcomeEvent.objects.filter(
            _in(column, "occurred_on", date_from, date_to), participation=OuterRef("pk"),
            kind=code[len(OUTCOME_PREFIX) :].lower(), occurred_on__gte=OuterRef("start_date"),
        )  # fmt: skip
        return Q(Exists(events))
    if code in (SUPPORTED, HOURS):
        # a support (by hand, imported, or from a referral's attendance in the project's period)
        # running in the column, not ended before the participation started
        in_column = Q(start_date__lte=date_to)
        if column == PERIOD:
            in_column &= Q(end_date__gte=date_from) | Q(end_date__isnull=True, start_date__gte=date_from)
        supports = Support.objects.filter(
            in_column, Q(end_date__gte=OuterRef("start_date")) | Q(end_date__isnull=True, start_date__gte=OuterRef(
                "start_date")), participation=OuterRef("pk"),
        )  # fmt: skip
        return Q(Exists(supports))
    raise KeyError(code)


class PlainCounts(QueryConditions):
    key = RuleSet.NO_EFS_2014
    page_template = "reporting/rulesets/plain_page.html"
    pdf_template = "reporting/rulesets/plain_pdf.html"
    dashboard_template = "reporting/rulesets/plain_dashboard.html"
    reads_supports = True  # participants supported, hours

    def table(self, project, *, date_from, date_to, as_of=None) -> PlainTable:
        """One aggregate query for the persons, one for the hours, one for the gaps."""
        if date_from > date_to:
            raise ValueError("date_from after date_to")
        person_codes = [code for code in _row_labels() if code != HOURS]
        aggregates = {}
        for code in person_codes:
            for column in COLUMNS:
                condition = _condition(code, column, date_from, date_to)
                aggregates[f"{code}__{column}__{TOTAL}"] = Count("pk", filter=condition)
                for sex in SEXES:
                    aggregates[f"{code}__{column}__{sex}"] = Count("pk", filter=condition & Q(sex=sex))
        values = Participation.objects.filter(project=project).aggregate(**aggregates)
        labels = _row_labels()
        rows = [
            PlainRow(code, labels[code], **{column: Counts(**{part: values[f"{code}__{column}__{part}"]
                                                             for part in (*SEXES, TOTAL)}) for column in COLUMNS})
            for code in person_codes
        ]  # fmt: skip
        rows.append(PlainRow(HOURS, labels[HOURS], unit="godziny", **_hours(project, date_from, date_to)))
        return PlainTable(
            project=project, date_from=date_from, date_to=date_to, as_of=as_of or timezone.localdate(), rows=rows,
            data_gaps=_gaps(project, date_to),
        )  # fmt: skip

    def cells(self, table: PlainTable) -> dict[str, Cell]:
        cells = {}
        for column in COLUMNS:
            for row in table.rows:
                for part in (*SEXES, TOTAL):
                    value = getattr(row.column(column), part)
                    label = f"{row.name} · {COLUMN_LABELS[column]} · {part if part in SEXES else _('ogółem')}"
                    cells[f"{row.code}:{column}:{part}"] = Cell(label, str(value) if row.code == HOURS else value)
        return cells

    def annotated(self, project, *, date_from, date_to, as_of) -> QuerySet:
        return Participation.objects.filter(project=project)

    def cell_condition(self, key, *, date_from, date_to) -> Q | None:
        code, column, part = key.split(":")
        if code == HOURS:
            return None
        condition = _condition(code, column, date_from, date_to)
        return condition & Q(sex=part) if part in SEXES else condition

    def drilldown_codes(self) -> dict[str, str]:
        return _row_labels()

    def drilldown_condition(self, code, column, *, date_from, date_to, part) -> Q:
        if column not in COLUMNS:
            raise KeyError(column)
        return _condition(code, column, date_from, date_to)


def _hours(project, date_from: dt.date, date_to: dt.date) -> dict[str, Amounts]:
    """Hours of support of the project's participants, K / M: the attendance of the referrals that
    are supports of a participation of the project (reporting.services.referral_flow), inside the
    project's period and on or after the participation's start."""
    base = ReferralAttendance.objects.filter(
        referral__supports__participation__project=project, held_on__lte=date_to,
        held_on__gte=F("referral__supports__participation__start_date"),
        held_on__range=(project.start_date, project.end_date),
    )  # fmt: skip
    sex = "referral__supports__participation__sex"
    aggregates = {}
    for column in COLUMNS:
        in_column = Q(held_on__gte=date_from) if column == PERIOD else Q()
        aggregates[f"{column}__{TOTAL}"] = Sum("hours", filter=in_column, default=Decimal(0))
        for part in SEXES:
            aggregates[f"{column}__{part}"] = Sum("hours", filter=in_column & Q(**{sex: part}), default=Decimal(0))
    values = base.aggregate(**aggregates)
    return {column: Amounts(**{part: values[f"{column}__{part}"] for part in (*SEXES, TOTAL)}) for column in COLUMNS}


def _gaps(project, date_to: dt.date) -> list[DataGap]:
    """Participations a plain count cannot place: no start date, or no sex (K / M)."""
    qs = Participation.objects.filter(project=project).filter(Q(start_date__isnull=True) | Q(sex=""))
    qs = qs.filter(Q(start_date__isnull=True) | Q(start_date__lte=date_to))
    labels = {"start_date": str(Participation._meta.get_field("start_date").verbose_name),
              "sex": str(Participation._meta.get_field("sex").verbose_name)}  # fmt: skip
    return [
        DataGap(id=row["pk"], missing=[labels[name] for name in ("sex", "start_date") if row[name] in (None, "")])
        for row in qs.order_by("pk").values("pk", "sex", "start_date")
    ]
