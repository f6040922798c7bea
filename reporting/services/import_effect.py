"""The effect of an import on the project's indicators, before → after, for the preview.

The "after" numbers come from the indicator engine itself (`project_indicators`, never the cache)
run on the import applied inside a transaction that is always rolled back: the preview shows
exactly what the commit would produce, by the same rules, and leaves nothing behind.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from reporting.selectors.indicators import IndicatorReport, default_period, format_percent, project_indicators


@dataclass
class IndicatorChange:
    code: str
    name: str
    before: str
    after: str

    @property
    def changed(self) -> bool:
        return self.before != self.after


class _RolledBack(Exception):
    def __init__(self, report: IndicatorReport):
        super().__init__("rolled back")
        self.report = report


def _shown(report: IndicatorReport) -> dict[str, tuple[str, str]]:
    """Cumulative value of every indicator as displayed: "12 (K 5, M 7)" or "12,5 % (1/8)"."""
    shown: dict[str, tuple[str, str]] = {}
    for count in report.counts:
        counts = count.cumulative
        shown[count.code] = (str(count.name), f"{counts.total} (K {counts.K}, M {counts.M})")
    for ratio_row in report.effectiveness:
        ratio = ratio_row.cumulative
        shown[ratio_row.code] = (
            str(ratio_row.name),
            f"{format_percent(ratio.percent)} ({ratio.numerator}/{ratio.denominator})",
        )
    shown["DATA_GAPS"] = (_("Braki danych"), str(len(report.data_gaps)))
    return shown


def indicator_effect(project, *, today: dt.date, apply: Callable[[], object]) -> list[IndicatorChange]:
    date_from, date_to = default_period(project, today)
    before = project_indicators(project, date_from=date_from, date_to=date_to, as_of=today)
    try:
        with transaction.atomic():
            apply()
            raise _RolledBack(project_indicators(project, date_from=date_from, date_to=date_to, as_of=today))
    except _RolledBack as rolled_back:
        after = rolled_back.report
    old, new = _shown(before), _shown(after)
    return [IndicatorChange(code, name, text, new[code][1]) for code, (name, text) in old.items()]
