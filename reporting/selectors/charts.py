"""The charts of the dashboard and the PDF report (same SVG in both), built from selector data
with the generic helpers of support_network/charts.py."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core import charts
from reporting.selectors.indicators import format_percent


def indicator_progress_chart(report) -> str:
    """Cumulative value of every output/result indicator against its target."""
    items = [(row.code, float(row.cumulative.total), float(row.target or 0)) for row in report.counts]
    return charts.progress_chart(
        _("Postęp wskaźników (narastająco / wartość docelowa)"), items, label_width=130, value_width=130
    )


def effectiveness_chart(report) -> str:
    """KES/KEZ percentages (cumulative) against their target percentages."""
    items = [(row.code, float(row.cumulative.percent or 0)) for row in report.effectiveness]
    labels = [
        f"{format_percent(row.cumulative.percent)} ({_('cel')} {row.target:.0f} %)" for row in report.effectiveness
    ]
    return charts.bar_chart(
        _("Efektywność narastająco (%) i wartość docelowa"), items, max_value=100, value_labels=labels,
        label_width=130, value_width=160,
    )  # fmt: skip


def budget_chart(summary) -> str:
    items = [(line.category[:40], float(line.spent), float(line.planned)) for line in summary.lines]
    return charts.progress_chart(_("Wykorzystanie budżetu (wydano / plan)"), items, label_width=220, value_width=160)


def enrolment_chart(months: list[tuple[str, int]], target: int) -> str:
    labels = [label for label, _ in months]
    values = [value for _, value in months]
    return charts.column_chart(
        _("Uczestnicy zrekrutowani narastająco wobec planu"), labels, values,
        target=[target] * len(months) if target else None,
    )  # fmt: skip
