"""What every rule set (one per value of support_network.models.RuleSet) provides.

A rule set turns a project's participations into the table of numbers its funder asks for. Each
number is a *cell* with a stable key; the cells are what a submitted report freezes and what the
reconciliation compares (reporting/services/submissions.py), and `members` says which
participations each cell counts, so a difference can be traced to them. Pages, the PDF and the
dashboard include the set's own templates. Adding a set = one subclass registered in
reporting/rulesets/__init__.py; the existing sets stay untouched. A set whose cells are Q objects
on a queryset subclasses `QueryConditions`, which derives the members and the drill-down from them.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.utils import timezone


@dataclass(frozen=True)
class Cell:
    label: str
    value: int | str  # a count of persons, or a decimal amount as text (hours)


class RuleSetEngine(ABC):
    key: ClassVar[str]
    page_template: ClassVar[str]  # the tables on the indicator page (context: report, project, query)
    pdf_template: ClassVar[str]  # the tables in the PDF report (context: report, charts)
    # lists too long for a table's cell, at the PDF report's end (same context); "" = none
    pdf_appendix_template: ClassVar[str] = ""
    dashboard_template: ClassVar[str]  # the indicator cards of the project dashboard
    has_targets: ClassVar[bool] = False  # the set's numbers have targets and windows to set
    reads_supports: ClassVar[bool] = False  # the numbers count supports (their edits change them)

    @abstractmethod
    def table(self, project, *, date_from: dt.date, date_to: dt.date, as_of: dt.date | None = None) -> Any:
        """The report's numbers for [date_from, date_to] and cumulatively to date_to; has
        `data_gaps`, `date_from`, `date_to`, `as_of` and `as_dict()`."""

    def page_table(self, project, *, date_from: dt.date, date_to: dt.date) -> Any:
        """The table the indicator page and the dashboard show (cached, reporting.selectors.
        indicator_cache): `table`, unless the set can leave out what only its PDF lists."""
        return self.table(project, date_from=date_from, date_to=date_to)

    @abstractmethod
    def cells(self, table) -> dict[str, Cell]:
        """Every reported number by its stable key (periodic pending counts excluded: they follow
        the calendar, not the data)."""

    @abstractmethod
    def drilldown_codes(self) -> dict[str, str]:
        """Row code -> label, for the rows the drill-down page lists."""

    @abstractmethod
    def members(self, project, keys, *, date_from: dt.date, date_to: dt.date, as_of: dt.date) -> dict[str, set[int]]:
        """The participations counted in each of `keys`, in one query (keys that are no count of
        persons are left out)."""

    @abstractmethod
    def drilldown(self, project, *, code: str, column: str, date_from, date_to, part=None, as_of=None) -> QuerySet:
        """The participations behind one number of the page, ordered by id (KeyError for an
        unknown row)."""

    def dashboard_context(self, table) -> dict:
        """Extra context (charts) of the dashboard and the PDF."""
        return {}


class QueryConditions(RuleSetEngine):
    """A rule set whose cells are Q objects on an annotated queryset of the project's participations."""

    @abstractmethod
    def annotated(self, project, *, date_from: dt.date, date_to: dt.date, as_of: dt.date) -> QuerySet:
        """The project's participations with whatever the cell conditions refer to."""

    @abstractmethod
    def cell_condition(self, key: str, *, date_from: dt.date, date_to: dt.date) -> Q | None:
        """The participations counted in the cell (None: the cell is not a count of persons)."""

    @abstractmethod
    def drilldown_condition(self, code: str, column: str, *, date_from, date_to, part: str | None) -> Q:
        """The participations behind one number of the page (KeyError for an unknown row)."""

    def members(self, project, keys, *, date_from: dt.date, date_to: dt.date, as_of: dt.date) -> dict[str, set[int]]:
        """The participations counted in each of `keys`, in one query (a flag per cell)."""
        conditions = {key: self.cell_condition(key, date_from=date_from, date_to=date_to) for key in keys}
        conditions = {key: q for key, q in conditions.items() if q is not None}
        found: dict[str, set[int]] = {key: set() for key in conditions}
        if not conditions:
            return found
        names = {f"cell_{i}": key for i, key in enumerate(conditions)}
        flags = {name: ExpressionWrapper(conditions[key], output_field=BooleanField()) for name, key in names.items()}
        any_cell = Q()
        for q in conditions.values():
            any_cell |= q
        qs = self.annotated(project, date_from=date_from, date_to=date_to, as_of=as_of)
        for row in qs.filter(any_cell).annotate(**flags).values("pk", *flags):
            for name, key in names.items():
                if row[name]:
                    found[key].add(row["pk"])
        return found

    def drilldown(self, project, *, code: str, column: str, date_from, date_to, part=None, as_of=None) -> QuerySet:
        condition = self.drilldown_condition(code, column, date_from=date_from, date_to=date_to, part=part)
        as_of = as_of or timezone.localdate()
        return (
            self.annotated(project, date_from=date_from, date_to=date_to, as_of=as_of)
            .filter(condition)
            .order_by("pk")
            .only("pk", "sex", "start_date", "end_date", "age_at_start", "project_id")
        )
