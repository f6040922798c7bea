"""The SQL of the indicator engine (EFS_RULES.md §2–5), generated once per database.

One pass: every participation of the project, once, with its *flags* (core data complete, started
or ended in the period, AROPE, unemployed, ..., an outcome inside its window), where the outcome
flags come from the project's outcome events pre-aggregated per participation (one GROUP BY over
the events joined to their participation's dates) and LEFT JOINed. No subquery runs per row.

A *condition* is a tuple of flag names that must all hold ("!name": the flag must not hold); the
rules of reporting/selectors/indicators.py are written in them. The same conditions become the
counts (`counts`: the rows grouped by their flags, then one SUM per condition over those few
groups, per sex), the ids of a drill-down (`ids_sql`) and the members of several conditions at once
(`members`), so a number and the list behind it cannot disagree.

The SQL text depends only on the database (date arithmetic); the project, the period, the report
date and the project's windows are parameters. Each text is built once per process and reused.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from django.db import connection

from families.codes import LOW_QUALIFICATION, UNEMPLOYED, Answer, LabourStatus, LabourStatusDetail
from reporting.codes import EmploymentForm, OutcomeKind
from reporting.dates import add_months
from reporting.models import OutcomeEvent, Participation
from reporting.selectors.dates import add_days_sql, add_months_sql

Condition = tuple[str, ...]
PARAM = re.compile(r"%\((\w+)\)s")


def _lit(value) -> str:
    """A code-list constant as an SQL literal (only codes, never user input)."""
    text = str(value)
    if not re.fullmatch(r"[A-Za-z0-9_]+", text):
        raise ValueError(text)
    return f"'{text}'"


def _in(values: Iterable) -> str:
    return "(" + ", ".join(_lit(value) for value in values) + ")"


def _participation_flags(vendor: str, alias: str = "p") -> dict[str, str]:
    """Flags read from the participation itself, `p` (or `alias`) (EFS_RULES.md §1–3)."""
    p = alias
    unemployed = f"{p}.labour_status IN {_in(UNEMPLOYED)}"
    long_term = _lit(LabourStatusDetail.LONG_TERM_UNEMPLOYED)
    return {
        # core data and a start date; the at-risk answer is core: blank = data gap, never "no"
        "complete": f"{p}.sex <> '' AND {p}.birth_date IS NOT NULL AND {p}.education <> '' AND {p}.labour_status <> ''"
        f" AND {p}.start_date IS NOT NULL AND {p}.at_risk IS NOT NULL",
        "started_period": f"{p}.start_date >= %(date_from)s AND {p}.start_date <= %(date_to)s",
        "started_cumulative": f"{p}.start_date <= %(date_to)s",
        "ended_period": f"{p}.end_date >= %(date_from)s AND {p}.end_date <= %(date_to)s",
        "ended_cumulative": f"{p}.end_date <= %(date_to)s",
        "arope": f"{p}.at_risk = TRUE",
        "unemployed": unemployed,
        "long_term_unemployed": f"{unemployed} AND {p}.labour_status_detail = {long_term}",
        "inactive": f"{p}.labour_status = {_lit(LabourStatus.INACTIVE)}",
        "unemployed_or_inactive": f"{p}.labour_status IN {_in((*UNEMPLOYED, LabourStatus.INACTIVE))}",
        "disabled": f"{p}.disability = {_lit(Answer.YES)}",  # "Odmowa podania informacji" does not count
        "low_qualification": f"{p}.education IN {_in(LOW_QUALIFICATION)}",
        "under_25": f"{p}.age_at_start < 25",
        "aged_50_plus": f"{p}.age_at_start >= 50",
        # end + N months >= as_of, as a comparison of the end date with the first end date whose window
        # reaches the report date (`Window.values`): no month arithmetic per participation
        "effect_window_open": f"{p}.end_date >= %(effect_open_from)s",
    }  # fmt: skip


def _event_flags(vendor: str) -> dict[str, str]:
    """Flags of the participation's outcome events `e` (its participation: `q`). §4: events dated
    before the start date never count; "up to 4 weeks" = end + N days, inclusive. §5: up to 3
    months after leaving (same day of month, clamped to the month's end)."""
    result_end = add_days_sql(vendor, "q.end_date", "%(result_days)s")
    effect_end = add_months_sql(vendor, "q.end_date", "%(effect_months)s")

    def dated(kind, since: str, until: str) -> str:
        return f"e.kind = {_lit(kind)} AND e.occurred_on >= {since} AND e.occurred_on <= {until}"

    qualifying = (
        f"(e.employment_form = {_lit(EmploymentForm.CONTRACT)} AND e.fte >= 0.5 AND e.planned_months >= 3)"
        f" OR (e.employment_form = {_lit(EmploymentForm.CIVIL)} AND e.planned_months >= 3)"
        f" OR e.employment_form = {_lit(EmploymentForm.BUSINESS)}"
    )
    return {
        "qualification_in_window": dated(OutcomeKind.QUALIFICATION, "q.start_date", result_end),
        "job_seeking_in_window": dated(OutcomeKind.JOB_SEEKING, "q.end_date", result_end),
        "employment_in_window": dated(OutcomeKind.EMPLOYMENT, "q.start_date", result_end),
        "progress_in_effect_window": dated(OutcomeKind.SOCIAL_PROGRESS, "q.start_date", effect_end),
        "school_in_effect_window": dated(OutcomeKind.EDUCATION, "q.start_date", effect_end),
        # §5: a business started with an EFS grant leaves the KEZ denominator whatever its date
        "efs_grant_business": f"e.kind = {_lit(OutcomeKind.EMPLOYMENT)}"
        f" AND e.employment_form = {_lit(EmploymentForm.BUSINESS_EFS_GRANT)}",
        "qualifying_job_in_effect_window": f"{dated(OutcomeKind.EMPLOYMENT, 'q.start_date', effect_end)}"
        f" AND ({qualifying})",
    }  # fmt: skip


PARTICIPATION_FLAGS = tuple(_participation_flags("postgresql"))
EVENT_FLAGS = tuple(_event_flags("postgresql"))
FLAGS = (*PARTICIPATION_FLAGS, *EVENT_FLAGS)


# For the counts each flag is one bit of an integer `flags` (22 flags: well inside 31 bits).
BIT = {name: 1 << i for i, name in enumerate(FLAGS)}


def _bit(name: str, sql: str) -> str:
    return f"(CASE WHEN {sql} THEN {BIT[name]} ELSE 0 END)"  # a NULL test counts as false


def _rows(vendor: str, *, packed: bool = False, scope: Condition = ()) -> str:
    """Every participation of the project once: id, sex and every flag (true or false, never null).
    `scope` (`event_scope`): participation flags; only the events of the participations having all
    of them are aggregated, the event flags of the others read false.
    `packed`: the flags as one integer `flags` (a bit per flag that holds; an event flag's bit is
    the MAX over the participation's events, so the sum of those maxima sets each bit at most once)
    for the counts, which then group and compare one value per row instead of 22 columns.
    The SQL is made of the code's own names and constants; every value is a parameter."""
    participations, events = Participation._meta.db_table, OutcomeEvent._meta.db_table
    event_flags, participation_flags = _event_flags(vendor), _participation_flags(vendor)
    scoped = "".join(f" AND ({_participation_flags(vendor, 'q')[flag]})" for flag in scope)
    if packed:
        bits = [_bit(name, sql) for name, sql in participation_flags.items()]
        columns = [" + ".join([*bits, "COALESCE(ev.flags, 0)"]) + " AS flags"]
        pre_aggregated = [" + ".join(f"MAX{_bit(name, sql)}" for name, sql in event_flags.items()) + " AS flags"]
    else:
        columns = [f"COALESCE(({sql}), FALSE) AS {name}" for name, sql in participation_flags.items()]
        columns += [f"COALESCE(ev.{name}, 0) = 1 AS {name}" for name in event_flags]
        pre_aggregated = [f"MAX(CASE WHEN {sql} THEN 1 ELSE 0 END) AS {name}" for name, sql in event_flags.items()]
    return "\n".join([
        "SELECT p.id AS id, p.sex AS sex,",
        "  " + ",\n  ".join(columns),
        f"FROM {participations} p",
        "LEFT JOIN (",
        "  SELECT e.participation_id AS participation_id,",
        "    " + ",\n    ".join(pre_aggregated),
        f"  FROM {events} e INNER JOIN {participations} q ON q.id = e.participation_id",
        f"  WHERE q.project_id = %(project)s{scoped}",
        "  GROUP BY e.participation_id",
        ") ev ON ev.participation_id = p.id",
        "WHERE p.project_id = %(project)s",
    ])  # fmt: skip


def _checked(condition: Condition) -> Condition:
    for flag in condition:
        if flag.removeprefix("!") not in FLAGS:
            raise KeyError(flag)
    return condition


# a flag that holds only with another: started or ended in the period = on or before its end
IMPLIED = {"started_period": "started_cumulative", "ended_period": "ended_cumulative"}


def event_scope(conditions: Iterable[Condition]) -> Condition:
    """The participation flags that every condition reading an event flag requires. Aggregating
    the events of only the participations having them all gives the same answer to every
    condition: one that reads no event flag ignores them, one that reads any is false outside the
    scope whatever the events say. At XL the effectiveness conditions' scope (complete, ended, at
    risk, window open) holds for a tenth of the project's participations, and the events of the
    others were aggregated for nothing (docs/performance/reporting.md, the indicator engine)."""
    reading = [
        {*c, *(IMPLIED[f] for f in c if f in IMPLIED)}
        for c in map(_checked, conditions)
        if any(f.removeprefix("!") in EVENT_FLAGS for f in c)
    ]
    if not reading:
        return ()
    required = set.intersection(*reading)
    return tuple(flag for flag in PARTICIPATION_FLAGS if flag in required)


def condition_sql(condition: Condition, alias: str = "r") -> str:
    terms = [f"NOT {alias}.{flag[1:]}" if flag.startswith("!") else f"{alias}.{flag}" for flag in _checked(condition)]
    return " AND ".join(terms) if terms else "1 = 1"


def packed_condition_sql(condition: Condition, alias: str = "g") -> str:
    """`condition` over the packed `flags`: every flag's bit set, every "!" flag's bit clear."""
    tested = sum(BIT[name] for name in {flag.removeprefix("!") for flag in _checked(condition)})
    required = sum(BIT[name] for name in {flag for flag in condition if not flag.startswith("!")})
    return f"({alias}.flags & {tested}) = {required}"


@dataclass(frozen=True)
class Statement:
    """SQL with positional placeholders and the names of its parameters, in order."""

    sql: str
    names: tuple[str, ...]

    @classmethod
    def of(cls, sql: str) -> Statement:
        return cls(PARAM.sub("%s", sql), tuple(PARAM.findall(sql)))

    def params(self, values: dict) -> list:
        return [values[name] for name in self.names]


@dataclass(frozen=True)
class Window:
    """The parameters of the row source."""

    project_id: int
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date
    result_days: int
    effect_months: int

    def values(self) -> dict:
        adapt = connection.ops.adapt_datefield_value
        return {
            "project": self.project_id, "date_from": adapt(self.date_from), "date_to": adapt(self.date_to),
            "as_of": adapt(self.as_of), "result_days": self.result_days, "effect_months": self.effect_months,
            "effect_open_from": adapt(effect_open_from(self.as_of, self.effect_months)),
        }  # fmt: skip


def effect_open_from(as_of: dt.date, months: int) -> dt.date:
    """The first end date whose effectiveness window (end + `months`, EFS_RULES.md §5) reaches
    `as_of`. Adding months never moves a later date before an earlier one, so the window of an end
    date is open on `as_of` exactly when the end date is on or after this one: the search starts
    below the answer (`months` and 40 days back) and walks up day by day."""
    day = add_months(as_of, -months) - dt.timedelta(days=40)
    while add_months(day, months) < as_of:
        day += dt.timedelta(days=1)
    return day


@cache
def _counts_statement(vendor: str, conditions: tuple[Condition, ...]) -> Statement:
    sums = ",\n  ".join(f"SUM(CASE WHEN {packed_condition_sql(c)} THEN g.n ELSE 0 END)" for c in conditions)
    rows = _rows(vendor, packed=True, scope=event_scope(conditions))
    groups = f"SELECT r.sex, r.flags, COUNT(*) AS n FROM (\n{rows}\n) r GROUP BY r.sex, r.flags"  # noqa: S608
    return Statement.of(f"SELECT g.sex,\n  {sums}\nFROM ({groups}) g\nGROUP BY g.sex")


def counts(window: Window, conditions: Sequence[Condition]) -> dict[str, list[int]]:
    """Per sex (the participation's `sex` value), the number of participations meeting each condition,
    in one query: the rows grouped by sex and their packed flags (about a thousand groups at scale
    L), each condition a sum over those groups."""
    statement = _counts_statement(connection.vendor, tuple(conditions))
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params(window.values()))
        return {row[0]: [int(value or 0) for value in row[1:]] for row in cursor.fetchall()}


@cache
def ids_statement(vendor: str, condition: Condition) -> Statement:
    """The ids of the participations meeting `condition` (for `pk__in` of a drill-down)."""
    rows = _rows(vendor, scope=event_scope([condition]))
    sql = f"SELECT r.id FROM (\n{rows}\n) r WHERE {condition_sql(condition)}"  # noqa: S608 - see _rows
    return Statement.of(sql)


@cache
def _members_statement(vendor: str, conditions: tuple[Condition, ...]) -> Statement:
    bits = " + ".join(f"(CASE WHEN {condition_sql(c)} THEN {1 << i} ELSE 0 END)" for i, c in enumerate(conditions))
    matches = " OR ".join(f"({condition_sql(c)})" for c in conditions)
    rows = _rows(vendor, scope=event_scope(conditions))
    sql = f"SELECT r.id, r.sex, {bits} FROM (\n{rows}\n) r WHERE {matches} ORDER BY r.id"  # noqa: S608
    return Statement.of(sql)


def members(window: Window, conditions: Sequence[Condition]) -> list[list[tuple[int, str]]]:
    """For each condition, the (id, sex) of the participations meeting it, ordered by id, in one
    query (each row: its id, its sex and a bit per condition it meets)."""
    conditions = tuple(conditions)
    found: list[list[tuple[int, str]]] = [[] for _ in conditions]
    if not conditions:
        return found
    if len(conditions) > 62:
        raise ValueError("at most 62 conditions per query")
    statement = _members_statement(connection.vendor, conditions)
    by_mask: dict[int, list[tuple[int, str]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params(window.values()))
        for pk, sex, mask in cursor.fetchall():
            by_mask[int(mask)].append((pk, sex))
    for mask, rows in by_mask.items():
        for i in range(len(conditions)):
            if mask >> i & 1:
                found[i].extend(rows)
    for rows in found:
        rows.sort()
    return found
