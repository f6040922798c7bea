"""The indicator engine (EFS_RULES.md §2–5). One selector feeds the page, the `indicators`
command, the PDF report and the dashboard.

The rules are written here as conditions over per-participation flags; reporting/selectors/
indicator_sql.py turns them into SQL: every number of a report comes from ONE query, a single pass
over the project's participations LEFT JOINed to their outcome events pre-aggregated per
participation (window ends computed in SQL), so neither the number of queries nor the work per
participation depends on the data. The drill-down lists exactly the rows matched by the same
conditions that the counts use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from django.db import connection
from django.db.models import Field, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from families.codes import Sex
from reporting.codes import (
    DEFAULT_EFFECTIVENESS_TARGETS,
    EFFECTIVENESS_INDICATORS,
    OUTPUT_INDICATORS,
    RESULT_INDICATORS,
    Indicator,
)
from reporting.models import IndicatorTarget, Participation, ProjectRules
from reporting.models.participation import CORE_FIELDS
from reporting.selectors import indicator_sql
from reporting.selectors.indicator_sql import Condition, Window
from support_network.models import Project

PERIOD = "period"
CUMULATIVE = "cumulative"
COLUMNS = (PERIOD, CUMULATIVE)
COLUMN_LABELS = {PERIOD: _("w okresie"), CUMULATIVE: _("narastająco")}
COUNT_INDICATORS = [*OUTPUT_INDICATORS, *RESULT_INDICATORS]
SEXES = (Sex.FEMALE, Sex.MALE)  # "K", "M"
# parts of an effectiveness indicator that the drill-down can list
NUMERATOR, DENOMINATOR, PENDING = "numerator", "denominator", "pending"
EFFECTIVENESS_PARTS = (NUMERATOR, DENOMINATOR, PENDING)


class EffectivenessStatus:
    MET = "met"
    NOT_MET = "not_met"
    NOT_MEASURABLE = "not_measurable"
    LABELS = {
        MET: _("osiągnięty"),
        NOT_MET: _("nieosiągnięty"),
        NOT_MEASURABLE: _("jeszcze niemierzalny"),
    }


# --- value objects -------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    K: int = 0
    M: int = 0
    total: int = 0

    def as_dict(self) -> dict:
        return {"K": self.K, "M": self.M, "total": self.total}


@dataclass(frozen=True)
class CountIndicator:
    code: str
    name: str | Promise
    target: Decimal | None
    period: Counts
    cumulative: Counts

    @property
    def is_output(self) -> bool:
        return self.code.startswith("OUT_")

    @property
    def target_percent(self) -> Decimal | None:
        """Cumulative total as a percentage of the target (EFS_RULES.md §6)."""
        return percent(self.cumulative.total, self.target)

    def column(self, key: str) -> Counts:
        return getattr(self, key)


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int
    pending: int
    target: Decimal

    @property
    def percent(self) -> Decimal | None:
        return percent(self.numerator, self.denominator)

    @property
    def status(self) -> str:
        """met / not met / not yet measurable. The exact ratio (not the rounded percent) is compared
        with the target. While participants are still inside their window the ratio can only rise
        (a late outcome adds to the numerator, a late school start removes a non-success from the
        KEZ denominator), so a ratio below the target with pending participants is "not yet
        measurable", not "not met"."""
        if self.denominator == 0:
            return EffectivenessStatus.NOT_MEASURABLE
        if Decimal(self.numerator) * 100 >= self.target * self.denominator:
            return EffectivenessStatus.MET
        if self.pending:
            return EffectivenessStatus.NOT_MEASURABLE
        return EffectivenessStatus.NOT_MET

    @property
    def status_label(self) -> str | Promise:
        return EffectivenessStatus.LABELS[self.status]

    def as_dict(self) -> dict:
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "percent": _number(self.percent),
            "percent_display": format_percent(self.percent),
            "target": _number(self.target),
            "status": self.status,
            "pending": self.pending,
        }


@dataclass(frozen=True)
class EffectivenessIndicator:
    code: str
    name: str | Promise
    target: Decimal
    period: Ratio
    cumulative: Ratio
    # who is still inside the window (cumulative column), by id: the PDF lists them; None in the
    # indicator page's table, which shows only their number (`cumulative.pending`)
    pending_ids: list[int] | None = field(default_factory=list)

    def column(self, key: str) -> Ratio:
        return getattr(self, key)


@dataclass(frozen=True)
class DataGap:
    id: int
    missing: list[str]


@dataclass(frozen=True)
class IndicatorReport:
    project: Project
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date
    rules: ProjectRules
    counts: list[CountIndicator]
    effectiveness: list[EffectivenessIndicator]
    data_gaps: list[DataGap]

    def get(self, code: str) -> CountIndicator | EffectivenessIndicator:
        rows: tuple[CountIndicator | EffectivenessIndicator, ...] = (*self.counts, *self.effectiveness)
        for row in rows:
            if row.code == code:
                return row
        raise KeyError(code)

    @property
    def outputs(self) -> list[CountIndicator]:
        return [row for row in self.counts if row.is_output]

    @property
    def results(self) -> list[CountIndicator]:
        return [row for row in self.counts if not row.is_output]

    @property
    def gaps_by_missing(self) -> list[tuple[list[str], list[int]]]:
        """The data gaps grouped by what they miss, each group's ids in order (the PDF lists them
        so: one row per group instead of one per participation)."""
        groups: dict[tuple[str, ...], list[int]] = {}
        for gap in self.data_gaps:
            groups.setdefault(tuple(gap.missing), []).append(gap.id)
        return [(list(missing), ids) for missing, ids in groups.items()]

    def as_dict(self) -> dict:
        """The JSON of the `indicators` command: keyed by the codes of EFS_RULES.md."""
        data: dict = {
            "project": {"agreement_number": self.project.agreement_number, "title": self.project.title},
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "as_of": self.as_of.isoformat(),
            "rules": {
                "result_window_days": self.rules.result_window_days,
                "effectiveness_window_months": self.rules.effectiveness_window_months,
            },
            "targets": {row.code: _number(row.target) for row in self.counts}
            | {ratio.code: _number(ratio.target) for ratio in self.effectiveness},
        }
        for row in self.counts:
            data[row.code] = {
                "name": str(row.name),
                "unit": "osoby",
                "target": _number(row.target),
                "target_percent": _number(row.target_percent),
                PERIOD: row.period.as_dict(),
                CUMULATIVE: row.cumulative.as_dict(),
            }
        for ratio in self.effectiveness:
            data[ratio.code] = {
                "name": str(ratio.name),
                "unit": "%",
                "target": _number(ratio.target),
                PERIOD: ratio.period.as_dict(),
                CUMULATIVE: ratio.cumulative.as_dict(),
                "pending_ids": ratio.pending_ids,
            }
        data["data_gaps"] = {
            "count": len(self.data_gaps),
            "records": [{"id": gap.id, "missing": gap.missing} for gap in self.data_gaps],
        }
        return data


# --- numbers -------------------------------------------------------------------------------

ONE_DECIMAL = Decimal("0.1")


def percent(numerator, denominator) -> Decimal | None:
    """numerator / denominator in percent, rounded half up to one decimal; None for a zero or
    missing denominator (shown as "—", never 0 % or an error)."""
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def format_percent(value: Decimal | None) -> str:
    """Polish display: 12,5 % — or "—" when there is no denominator."""
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",") + " %"


def _number(value: Decimal | None):
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


# --- the conditions ------------------------------------------------------------------------

# Core data (EFS_RULES.md §1) and a start date; the at-risk answer is core: blank = data gap, never
# "no". The data-gaps list filters with this Q; the counts with the flag "complete" of
# indicator_sql.py, the same test in SQL.
COMPLETE = (
    ~Q(sex="")
    & Q(birth_date__isnull=False)
    & ~Q(education="")
    & ~Q(labour_status="")
    & Q(start_date__isnull=False)
    & Q(at_risk__isnull=False)
)

# The rules as conditions: flags of reporting/selectors/indicator_sql.py that must all hold ("!": must not).
OUTPUT_CONDITIONS: dict[str, Condition] = {
    Indicator.OUT_AROPE: ("arope",),
    Indicator.OUT_UNEMPLOYED: ("unemployed",),
    Indicator.OUT_LTU: ("long_term_unemployed",),
    Indicator.OUT_INACTIVE: ("inactive",),
    Indicator.OUT_DISABLED: ("disabled",),  # "Odmowa podania informacji" does not count
    Indicator.OUT_LOWQUAL: ("low_qualification",),
    Indicator.OUT_U25: ("under_25",),
    Indicator.OUT_50PLUS: ("aged_50_plus",),
}
RESULT_CONDITIONS: dict[str, Condition] = {
    Indicator.RES_QUAL: ("arope", "qualification_in_window"),
    Indicator.RES_JOBSEEK: ("arope", "inactive", "job_seeking_in_window"),
    Indicator.RES_EMPLOYED: ("arope", "unemployed_or_inactive", "employment_in_window"),
}
KEZ_BASE: Condition = ("arope", "unemployed_or_inactive", "!school_in_effect_window", "!efs_grant_business")
EFFECTIVENESS_CONDITIONS: dict[str, tuple[Condition, str]] = {
    # code: (denominator, the flag of success on top of the denominator)
    Indicator.KES: (("arope",), "progress_in_effect_window"),
    Indicator.KEZ: (KEZ_BASE, "qualifying_job_in_effect_window"),
    Indicator.KEZ_DISABLED: ((*KEZ_BASE, "disabled"), "qualifying_job_in_effect_window"),
}


def counted_condition(code: str, column: str, part: str | None = None) -> Condition:
    """The condition that puts a participation into indicator `code` in `column` (for KES/KEZ: into
    the `part` = numerator / denominator / pending). Counts and drill-down use this one function."""
    if column not in COLUMNS:
        raise KeyError(column)
    if code in OUTPUT_CONDITIONS:
        return ("complete", f"started_{column}", *OUTPUT_CONDITIONS[code])
    if code in RESULT_CONDITIONS:
        return ("complete", f"ended_{column}", *RESULT_CONDITIONS[code])
    if code in EFFECTIVENESS_CONDITIONS:
        denominator, success = EFFECTIVENESS_CONDITIONS[code]
        base = ("complete", f"ended_{column}", *denominator)
        if part == NUMERATOR:
            return (*base, success)
        if part == PENDING:
            return (*base, f"!{success}", "effect_window_open")
        return base
    raise KeyError(code)


def engine_window(project, *, date_from: dt.date, date_to: dt.date, as_of: dt.date, rules=None) -> Window:
    """The parameters of the engine's query: the project, the period, the report date, its windows."""
    rules = rules or ProjectRules.for_project(project)
    return Window(project_id=project.pk, date_from=date_from, date_to=date_to, as_of=as_of,
                  result_days=rules.result_window_days, effect_months=rules.effectiveness_window_months)  # fmt: skip


def _targets(project) -> dict[str, Decimal]:
    return dict(IndicatorTarget.objects.filter(project=project).values_list("code", "value"))


def _core_field_labels() -> dict[str, str]:
    names = (*CORE_FIELDS, "start_date")  # concrete fields, never relations
    return {name: str(cast(Field, Participation._meta.get_field(name)).verbose_name) for name in names}


def data_gaps(project, *, date_to: dt.date | None = None) -> list[DataGap]:
    """Participations not counted in any indicator because core data (sex, birth date, education,
    labour-market status, the at-risk answer) or the start date is missing — by internal id, never
    names. With `date_to` (a report): only those that started on or before it (EFS_RULES.md §6);
    a record without a start date is always listed (nobody can tell it started later)."""
    qs = Participation.objects.filter(project=project).exclude(COMPLETE)
    if date_to is not None:
        qs = qs.filter(Q(start_date__isnull=True) | Q(start_date__lte=date_to))
    labels = _core_field_labels()
    gaps = []
    for row in qs.order_by("pk").values("pk", *CORE_FIELDS, "start_date"):
        missing = [labels[name] for name in (*CORE_FIELDS, "start_date") if row[name] in (None, "")]
        gaps.append(DataGap(id=row["pk"], missing=missing))
    return gaps


def project_indicators(
    project, *, date_from: dt.date, date_to: dt.date, as_of: dt.date | None = None, list_pending: bool = True
) -> IndicatorReport:
    """Every indicator of EFS_RULES.md for the project and the period [date_from, date_to], in the
    period and cumulatively (project start -> date_to), K / M / total. A constant number of
    queries: rules, targets, the counts, pending ids, data gaps. Without `list_pending` (the
    indicator page, which shows how many are pending, not who) the pending ids are not read:
    `pending_ids` is None and the second pass over the participations is spared."""
    if date_from > date_to:
        raise ValueError("date_from after date_to")
    as_of = as_of or timezone.localdate()
    rules = ProjectRules.for_project(project)
    targets = _targets(project)
    window = engine_window(project, date_from=date_from, date_to=date_to, as_of=as_of, rules=rules)
    values = _indicator_values(window)
    pending = _pending_ids(window) if list_pending else dict.fromkeys(PENDING_CODES)
    return IndicatorReport(
        project=project,
        date_from=date_from,
        date_to=date_to,
        as_of=as_of,
        rules=rules,
        counts=[_count_indicator(code, values, targets) for code in COUNT_INDICATORS],
        effectiveness=[
            _effectiveness_indicator(code, values, targets, pending[code]) for code in EFFECTIVENESS_INDICATORS
        ],
        data_gaps=data_gaps(project, date_to=date_to),
    )


# Every number of the report: (key, condition), built once. Count indicators: one condition per
# column (its K / M / total come from the counts per sex); KES/KEZ: one per column and part.
COUNTED: tuple[tuple[str, Condition], ...] = (
    *((f"{code}__{column}", counted_condition(code, column)) for code in COUNT_INDICATORS for column in COLUMNS),
    *(
        (f"{code}__{column}__{part}", counted_condition(code, column, part))
        for code in EFFECTIVENESS_INDICATORS
        for column in COLUMNS
        for part in EFFECTIVENESS_PARTS
    ),
)
# the participants still inside their 3-month window (cumulative column), listed by id
PENDING_CODES = tuple(EFFECTIVENESS_INDICATORS)
PENDING_CONDITIONS = tuple(counted_condition(code, CUMULATIVE, PENDING) for code in PENDING_CODES)


def _pending_ids(window: Window) -> dict:
    """Per effectiveness indicator, the ids of the participants still inside its window."""
    members = indicator_sql.members(window, PENDING_CONDITIONS)
    return {code: [pk for pk, _sex in rows] for code, rows in zip(PENDING_CODES, members, strict=True)}


def _indicator_values(window: Window) -> dict[str, int]:
    """The whole report in one query: per condition of COUNTED, the count per sex and in total."""
    per_sex = indicator_sql.counts(window, [condition for _key, condition in COUNTED])
    values = {}
    for i, (key, _condition) in enumerate(COUNTED):
        for sex in SEXES:
            values[f"{key}__{sex}"] = per_sex[sex][i] if sex in per_sex else 0
        values[f"{key}__total"] = sum(row[i] for row in per_sex.values())
    return values


def _count_indicator(code, values: dict, targets: dict) -> CountIndicator:
    return CountIndicator(
        code=code.value,
        name=code.label,
        target=targets.get(code.value),
        **{
            column: Counts(
                K=values[f"{code}__{column}__K"],
                M=values[f"{code}__{column}__M"],
                total=values[f"{code}__{column}__total"],
            )
            for column in COLUMNS
        },
    )


def _effectiveness_indicator(
    code, values: dict, targets: dict, pending_ids: list[int] | None
) -> EffectivenessIndicator:
    target = targets.get(code.value, Decimal(DEFAULT_EFFECTIVENESS_TARGETS[code]))
    ratios = {
        column: Ratio(
            numerator=values[f"{code}__{column}__{NUMERATOR}__total"],
            denominator=values[f"{code}__{column}__{DENOMINATOR}__total"],
            pending=values[f"{code}__{column}__{PENDING}__total"],
            target=target,
        )
        for column in COLUMNS
    }
    return EffectivenessIndicator(code=code.value, name=code.label, target=target, pending_ids=pending_ids, **ratios)


def counted_participations(project, condition: Condition, *, date_from: dt.date, date_to: dt.date,
                           as_of: dt.date) -> QuerySet:  # fmt: skip
    """The project's participations meeting `condition` (a drill-down), ordered by id."""
    window = engine_window(project, date_from=date_from, date_to=date_to, as_of=as_of)
    statement = indicator_sql.ids_statement(connection.vendor, condition)
    ids = RawSQL(statement.sql, statement.params(window.values()))  # noqa: S611 - generated SQL, values are parameters
    return (
        Participation.objects.filter(project=project, pk__in=ids)
        .order_by("pk")
        .only("pk", "sex", "start_date", "end_date", "age_at_start", "project_id")
    )


def indicator_drilldown(
    project, *, code: str, column: str, date_from: dt.date, date_to: dt.date, part: str | None = None,
    as_of: dt.date | None = None,
) -> QuerySet:  # fmt: skip
    """The participations counted in one number of `project_indicators` (same conditions)."""
    if column not in COLUMNS:
        raise KeyError(column)
    if code in (c.value for c in EFFECTIVENESS_INDICATORS) and part not in (*EFFECTIVENESS_PARTS, None):
        raise KeyError(part)
    condition = counted_condition(code, column, part)
    return counted_participations(project, condition, date_from=date_from, date_to=date_to,
                                  as_of=as_of or timezone.localdate())  # fmt: skip


def default_period(project, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """From the project start to today (or the project end when it is over)."""
    today = today or timezone.localdate()
    date_to = min(today, project.end_date)
    return project.start_date, max(date_to, project.start_date)
