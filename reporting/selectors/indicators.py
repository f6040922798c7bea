"""The indicator engine (EFS_RULES.md §2–5). One selector feeds the page, the `indicators`
command, the PDF report and the dashboard.

Every number is a conditional COUNT in ONE aggregate query over the project's participations;
the outcome windows are EXISTS subqueries against window ends computed in SQL (AddDays /
AddMonths), so the number of queries does not depend on the number of participations. The
drill-down lists exactly the rows matched by the same Q objects that the counts use.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, Field, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from families.codes import LOW_QUALIFICATION, UNEMPLOYED, Answer, LabourStatus, LabourStatusDetail, Sex
from reporting.codes import (
    DEFAULT_EFFECTIVENESS_TARGETS,
    EFFECTIVENESS_INDICATORS,
    OUTPUT_INDICATORS,
    RESULT_INDICATORS,
    EmploymentForm,
    Indicator,
    OutcomeKind,
)
from reporting.models import IndicatorTarget, OutcomeEvent, Participation, ProjectRules
from reporting.models.participation import CORE_FIELDS
from reporting.selectors.dates import AddDays, AddMonths
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
    pending_ids: list[int] = field(default_factory=list)

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

# Core data (EFS_RULES.md §1) and a start date; the at-risk answer is core: blank = data gap, never "no".
COMPLETE = (
    ~Q(sex="")
    & Q(birth_date__isnull=False)
    & ~Q(education="")
    & ~Q(labour_status="")
    & Q(start_date__isnull=False)
    & Q(at_risk__isnull=False)
)
AROPE = Q(at_risk=True)
UNEMPLOYED_Q = Q(labour_status__in=UNEMPLOYED)
INACTIVE_Q = Q(labour_status=LabourStatus.INACTIVE)
DISABLED_Q = Q(disability=Answer.YES)  # "Odmowa podania informacji" does not count

OUTPUT_CONDITIONS: dict[str, Q] = {
    Indicator.OUT_AROPE: AROPE,
    Indicator.OUT_UNEMPLOYED: UNEMPLOYED_Q,
    Indicator.OUT_LTU: UNEMPLOYED_Q & Q(labour_status_detail=LabourStatusDetail.LONG_TERM_UNEMPLOYED),
    Indicator.OUT_INACTIVE: INACTIVE_Q,
    Indicator.OUT_DISABLED: DISABLED_Q,
    Indicator.OUT_LOWQUAL: Q(education__in=LOW_QUALIFICATION),
    Indicator.OUT_U25: Q(age_at_start__lt=25),
    Indicator.OUT_50PLUS: Q(age_at_start__gte=50),
}
RESULT_CONDITIONS: dict[str, Q] = {
    Indicator.RES_QUAL: AROPE & Q(qualification_in_window=True),
    Indicator.RES_JOBSEEK: AROPE & INACTIVE_Q & Q(job_seeking_in_window=True),
    Indicator.RES_EMPLOYED: AROPE & (UNEMPLOYED_Q | INACTIVE_Q) & Q(employment_in_window=True),
}
KEZ_BASE = AROPE & (UNEMPLOYED_Q | INACTIVE_Q) & Q(school_in_effect_window=False) & Q(efs_grant_business=False)
EFFECTIVENESS_CONDITIONS: dict[str, tuple[Q, Q]] = {
    # code: (denominator, numerator condition on top of the denominator)
    Indicator.KES: (AROPE, Q(progress_in_effect_window=True)),
    Indicator.KEZ: (KEZ_BASE, Q(qualifying_job_in_effect_window=True)),
    Indicator.KEZ_DISABLED: (KEZ_BASE & DISABLED_Q, Q(qualifying_job_in_effect_window=True)),
}
QUALIFYING_EMPLOYMENT = (
    Q(employment_form=EmploymentForm.CONTRACT, fte__gte=Decimal("0.5"), planned_months__gte=3)
    | Q(employment_form=EmploymentForm.CIVIL, planned_months__gte=3)
    | Q(employment_form=EmploymentForm.BUSINESS)
)


def _events(kind, *, since: str, until: str, extra: Q | None = None):
    """Outcome events of the outer participation of `kind`, dated in [since, until] (both are
    names of fields/annotations of the outer row)."""
    qs = OutcomeEvent.objects.filter(
        participation=OuterRef("pk"), kind=kind, occurred_on__gte=OuterRef(since), occurred_on__lte=OuterRef(until)
    )
    return Exists(qs.filter(extra) if extra is not None else qs)


def annotated_participations(project, rules: ProjectRules, *, as_of: dt.date) -> QuerySet:
    """The project's participations with their windows and outcome flags, computed in SQL."""
    return (
        Participation.objects.filter(project=project)
        .annotate(
            result_window_end=AddDays(F("end_date"), rules.result_window_days),
            effect_window_end=AddMonths(F("end_date"), rules.effectiveness_window_months),
        )
        .annotate(
            # §4: events dated before the start date never count; "up to 4 weeks" = end + N days inclusive
            qualification_in_window=_events(OutcomeKind.QUALIFICATION, since="start_date", until="result_window_end"),
            job_seeking_in_window=_events(OutcomeKind.JOB_SEEKING, since="end_date", until="result_window_end"),
            employment_in_window=_events(OutcomeKind.EMPLOYMENT, since="start_date", until="result_window_end"),
            # §5: up to 3 months after leaving (same day of month, clamped to the month's end)
            progress_in_effect_window=_events(
                OutcomeKind.SOCIAL_PROGRESS, since="start_date", until="effect_window_end"
            ),
            school_in_effect_window=_events(OutcomeKind.EDUCATION, since="start_date", until="effect_window_end"),
            # §5: a business started with an EFS grant leaves the KEZ denominator whatever its date
            efs_grant_business=Exists(
                OutcomeEvent.objects.filter(
                    participation=OuterRef("pk"),
                    kind=OutcomeKind.EMPLOYMENT,
                    employment_form=EmploymentForm.BUSINESS_EFS_GRANT,
                )
            ),  # fmt: skip
            qualifying_job_in_effect_window=_events(
                OutcomeKind.EMPLOYMENT, since="start_date", until="effect_window_end", extra=QUALIFYING_EMPLOYMENT
            ),
            effect_window_open=ExpressionWrapper(Q(effect_window_end__gte=as_of), output_field=BooleanField()),
        )
    )


def _started_in(column: str, date_from: dt.date, date_to: dt.date) -> Q:
    if column == PERIOD:
        return Q(start_date__gte=date_from, start_date__lte=date_to)
    return Q(start_date__lte=date_to)


def _ended_in(column: str, date_from: dt.date, date_to: dt.date) -> Q:
    if column == PERIOD:
        return Q(end_date__gte=date_from, end_date__lte=date_to)
    return Q(end_date__lte=date_to)


def counted_condition(code: str, column: str, date_from: dt.date, date_to: dt.date, part: str | None = None) -> Q:
    """The Q that puts a participation into indicator `code` in `column` (for KES/KEZ: into the
    `part` = numerator / denominator / pending). Counts and drill-down use this one function."""
    if code in OUTPUT_CONDITIONS:
        return COMPLETE & _started_in(column, date_from, date_to) & OUTPUT_CONDITIONS[code]
    if code in RESULT_CONDITIONS:
        return COMPLETE & _ended_in(column, date_from, date_to) & RESULT_CONDITIONS[code]
    if code in EFFECTIVENESS_CONDITIONS:
        denominator, success = EFFECTIVENESS_CONDITIONS[code]
        base = COMPLETE & _ended_in(column, date_from, date_to) & denominator
        if part == NUMERATOR:
            return base & success
        if part == PENDING:
            return base & ~success & Q(effect_window_open=True)
        return base
    raise KeyError(code)


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
    project, *, date_from: dt.date, date_to: dt.date, as_of: dt.date | None = None
) -> IndicatorReport:
    """Every indicator of EFS_RULES.md for the project and the period [date_from, date_to], in the
    period and cumulatively (project start -> date_to), K / M / total. A constant number of
    queries: rules, targets, one aggregate, pending ids, data gaps."""
    if date_from > date_to:
        raise ValueError("date_from after date_to")
    as_of = as_of or timezone.localdate()
    rules = ProjectRules.for_project(project)
    targets = _targets(project)
    qs = annotated_participations(project, rules, as_of=as_of)
    values = qs.aggregate(**_indicator_aggregates(date_from, date_to))
    pending_ids = _pending_ids(qs, date_from, date_to)
    return IndicatorReport(
        project=project,
        date_from=date_from,
        date_to=date_to,
        as_of=as_of,
        rules=rules,
        counts=[_count_indicator(code, values, targets) for code in COUNT_INDICATORS],
        effectiveness=[
            _effectiveness_indicator(code, values, targets, pending_ids[code.value])
            for code in EFFECTIVENESS_INDICATORS
        ],
        data_gaps=data_gaps(project, date_to=date_to),
    )


def _indicator_aggregates(date_from: dt.date, date_to: dt.date) -> dict:
    """One Count per indicator, column and sex (count indicators) or part (effectiveness): the whole
    report in one aggregate query."""
    aggregates = {}
    for code in COUNT_INDICATORS:
        for column in COLUMNS:
            condition = counted_condition(code, column, date_from, date_to)
            aggregates[f"{code}__{column}__total"] = Count("pk", filter=condition)
            for sex in SEXES:
                aggregates[f"{code}__{column}__{sex}"] = Count("pk", filter=condition & Q(sex=sex))
    for code in EFFECTIVENESS_INDICATORS:
        for column in COLUMNS:
            for part in EFFECTIVENESS_PARTS:
                condition = counted_condition(code, column, date_from, date_to, part)
                aggregates[f"{code}__{column}__{part}"] = Count("pk", filter=condition)
    return aggregates


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


def _pending_ids(qs, date_from: dt.date, date_to: dt.date) -> dict[str, list[int]]:
    """Per effectiveness indicator, the participants still inside their 3-month window (cumulative
    column), in one query."""
    pending_flags = {
        f"pending_{code.value}": ExpressionWrapper(
            counted_condition(code, CUMULATIVE, date_from, date_to, PENDING), output_field=BooleanField()
        )
        for code in EFFECTIVENESS_INDICATORS
    }
    any_pending = Q()
    for code in EFFECTIVENESS_INDICATORS:
        any_pending |= counted_condition(code, CUMULATIVE, date_from, date_to, PENDING)
    pending_ids: dict[str, list[int]] = {code.value: [] for code in EFFECTIVENESS_INDICATORS}
    for row in qs.filter(any_pending).annotate(**pending_flags).order_by("pk").values("pk", *pending_flags):
        for code in EFFECTIVENESS_INDICATORS:
            if row[f"pending_{code.value}"]:
                pending_ids[code.value].append(row["pk"])
    return pending_ids


def _effectiveness_indicator(code, values: dict, targets: dict, pending_ids: list[int]) -> EffectivenessIndicator:
    target = targets.get(code.value, Decimal(DEFAULT_EFFECTIVENESS_TARGETS[code]))
    ratios = {
        column: Ratio(
            numerator=values[f"{code}__{column}__{NUMERATOR}"],
            denominator=values[f"{code}__{column}__{DENOMINATOR}"],
            pending=values[f"{code}__{column}__{PENDING}"],
            target=target,
        )
        for column in COLUMNS
    }
    return EffectivenessIndicator(code=code.value, name=code.label, target=target, pending_ids=pending_ids, **ratios)


def indicator_drilldown(
    project, *, code: str, column: str, date_from: dt.date, date_to: dt.date, part: str | None = None,
    as_of: dt.date | None = None,
) -> QuerySet:  # fmt: skip
    """The participations counted in one number of `project_indicators` (same conditions)."""
    if column not in COLUMNS:
        raise KeyError(column)
    if code in (c.value for c in EFFECTIVENESS_INDICATORS) and part not in (*EFFECTIVENESS_PARTS, None):
        raise KeyError(part)
    as_of = as_of or timezone.localdate()
    rules = ProjectRules.for_project(project)
    condition = counted_condition(code, column, date_from, date_to, part)
    return (
        annotated_participations(project, rules, as_of=as_of)
        .filter(condition)
        .order_by("pk")
        .only("pk", "sex", "start_date", "end_date", "age_at_start", "project_id")
    )


def default_period(project, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """From the project start to today (or the project end when it is over)."""
    today = today or timezone.localdate()
    date_to = min(today, project.end_date)
    return project.start_date, max(date_to, project.start_date)
