"""EFS 2014–2020 (social inclusion): the SL2014 output and result indicators and KES/KEZ of
EFS_RULES.md, computed by reporting/selectors/indicators.py."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from reporting.codes import EFFECTIVENESS_INDICATORS, Indicator
from reporting.rulesets.base import Cell, RuleSetEngine
from reporting.selectors import indicator_sql
from reporting.selectors.charts import effectiveness_chart, indicator_progress_chart
from reporting.selectors.indicator_sql import Condition
from reporting.selectors.indicators import (
    COLUMN_LABELS,
    COLUMNS,
    DENOMINATOR,
    EFFECTIVENESS_PARTS,
    NUMERATOR,
    SEXES,
    IndicatorReport,
    counted_condition,
    counted_participations,
    engine_window,
    project_indicators,
)
from support_network.models import RuleSet

TOTAL = "total"
RATIO_CODES = {code.value for code in EFFECTIVENESS_INDICATORS}


def _part_labels() -> dict[str, str]:
    return {"K": "K", "M": "M", TOTAL: _("ogółem"), NUMERATOR: _("licznik"), DENOMINATOR: _("mianownik")}


class Efs2014Inclusion(RuleSetEngine):
    key = RuleSet.EFS_2014_INCLUSION
    page_template = "reporting/rulesets/efs2014_page.html"
    pdf_template = "reporting/rulesets/efs2014_pdf.html"
    pdf_appendix_template = "reporting/rulesets/efs2014_pdf_appendix.html"  # the pending ids
    dashboard_template = "reporting/rulesets/efs2014_dashboard.html"
    has_targets = True

    def table(self, project, *, date_from, date_to, as_of=None) -> IndicatorReport:
        return project_indicators(project, date_from=date_from, date_to=date_to, as_of=as_of)

    def page_table(self, project, *, date_from, date_to) -> IndicatorReport:
        """The page shows how many participants are still inside the window, not who (the PDF lists them)."""
        return project_indicators(project, date_from=date_from, date_to=date_to, list_pending=False)

    def cells(self, table: IndicatorReport) -> dict[str, Cell]:
        parts = _part_labels()
        cells: dict[str, Cell] = {}
        for column in COLUMNS:
            for row in table.counts:
                counts = row.column(column)
                for part in (*SEXES, TOTAL):
                    label = f"{row.code} · {COLUMN_LABELS[column]} · {parts[part]}"
                    cells[f"{row.code}:{column}:{part}"] = Cell(label, getattr(counts, part))
            for ratio in table.effectiveness:
                value = ratio.column(column)
                for part in (NUMERATOR, DENOMINATOR):
                    label = f"{ratio.code} · {COLUMN_LABELS[column]} · {parts[part]}"
                    cells[f"{ratio.code}:{column}:{part}"] = Cell(label, getattr(value, part))
        return cells

    def _cell(self, key: str) -> tuple[Condition, str | None]:
        """The condition of the cell `key` and the sex it keeps (None: both)."""
        code, column, part = key.split(":")
        if code in RATIO_CODES:
            return counted_condition(code, column, part), None
        return counted_condition(code, column), part if part in SEXES else None

    def members(self, project, keys, *, date_from: dt.date, date_to: dt.date, as_of: dt.date) -> dict[str, set[int]]:
        """The participations of each cell in one query: a row per participation counted in any of
        the cells' conditions (each condition once; K / M split by the row's sex)."""
        cells = {key: self._cell(key) for key in keys}
        conditions = list(dict.fromkeys(condition for condition, _sex in cells.values()))
        window = engine_window(project, date_from=date_from, date_to=date_to, as_of=as_of)
        found = dict(zip(conditions, indicator_sql.members(window, conditions), strict=True))
        return {key: {pk for pk, row_sex in found[condition] if sex is None or row_sex == sex}
                for key, (condition, sex) in cells.items()}  # fmt: skip

    def drilldown_codes(self) -> dict[str, str]:
        return {code.value: str(code.label) for code in Indicator}

    def drilldown(self, project, *, code: str, column: str, date_from, date_to, part=None, as_of=None) -> QuerySet:
        if column not in COLUMNS or code not in Indicator.values:
            raise KeyError(code)
        if code in RATIO_CODES and part not in (*EFFECTIVENESS_PARTS, None):
            raise KeyError(part)
        condition = counted_condition(code, column, part if code in RATIO_CODES else None)
        return counted_participations(project, condition, date_from=date_from, date_to=date_to,
                                      as_of=as_of or timezone.localdate())  # fmt: skip

    def dashboard_context(self, table: IndicatorReport) -> dict:
        return {"progress_chart": indicator_progress_chart(table), "effectiveness_chart": effectiveness_chart(table)}
