"""The caseload page's queries on PostgreSQL without the ORM building and compiling them on every
request (docs/performance/casework.md): building the scoped, annotated, filtered and sorted
queryset and compiling its count, its page, the areas and the projects of the filter cost more than
running them.

The request's conditions (the user's scope from `families_visible_to`, then the filter's) are the
only part compiled per request: a WHERE over `families_family` alone, as the ORM writes it. The
page's SELECT (the columns, the related objects, the head's name and the number of members) is
compiled once per order and per connection with a stand-in where the conditions go; each request
puts its conditions in place of the stand-in. The count, the areas and the projects are fixed SQL
around the same conditions. Model objects are made from the rows as Django makes them
(`core.prepared.read_rows`).

Anything else (SQLite, a scope with joins, a search, which orders by its ranking) goes through the
ORM as before: `rows_of(...)` and `options_of(...)` answer either way."""

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections
from django.db.models import BooleanField, Expression, Model, QuerySet

from core.prepared import RowLayout, read_rows, row_layout
from families.models import Family, FamilyStatus
from support_network.models import Project

_COUNT = 'SELECT COUNT(*) FROM "families_family" WHERE {where}'
# A caseworker's page: their few hundred families are read once (a bitmap OR of the worker's and the
# teams' indexes) into a CTE that stands in for the table in the compiled SELECT (a CTE's name hides
# the table's), then sorted and counted there. Over the table, PostgreSQL walked `family_open_due`
# in the page's order and dropped about 2,000 other families to find the first 25 (4-5x slower).
_FEW = 'WITH "families_family" AS MATERIALIZED (SELECT * FROM "families_family" WHERE {where}) '
_STAND_IN = "caseload_conditions_7f3c1e"  # where the request's conditions go in the compiled SELECT
_FROM = ' FROM "families_family" '  # the page's FROM (the columns' subqueries read other tables)


class _Conditions(Expression):
    """The stand-in for the request's conditions in a SELECT compiled once (a WHERE term)."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection):
        return _STAND_IN, []


@dataclass(frozen=True)
class Where:
    """A compiled WHERE over `families_family` (no joins): its SQL and parameters; `empty` when
    no family can match (the ORM raised EmptyResultSet: an empty scope)."""

    sql: str
    params: tuple
    empty: bool = False

    def __and__(self, other: "Where") -> "Where":
        if self.empty or other.empty:
            return _EMPTY
        return Where(f"({self.sql}) AND ({other.sql})", (*self.params, *other.params))


_EMPTY = Where("FALSE", (), empty=True)
_ALL = Where("TRUE", ())


def compiled_where(families: QuerySet) -> Where | None:
    """The WHERE of `families` (a filtered `Family` queryset) compiled on its own, or None when it
    cannot stand alone (not PostgreSQL, a join, a slice)."""
    query = families.query
    connection = connections[families.db]
    joined = [alias for alias in query.alias_map if query.alias_refcount[alias]]
    if connection.vendor != "postgresql" or len(joined) > 1 or query.is_sliced:
        return None
    try:
        sql, params = query.get_compiler(connection=connection).compile(query.where)
    except EmptyResultSet:
        return _EMPTY
    return Where(sql or "TRUE", tuple(params))


def _run(families_db: str, sql: str, params) -> list[tuple]:
    with connections[families_db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# One probe of the index `family_area` per distinct area (a "skip scan", which PostgreSQL 15 does not
# do by itself): the next area after the last one found, among the families of the scope. A
# DISTINCT read all 20,000 families of a coordinator's projects on every caseload page.
_AREAS_SQL = """
WITH RECURSIVE caseload_areas(area) AS (
    SELECT (SELECT area FROM families_family WHERE ({where}) AND area > '' ORDER BY area LIMIT 1)
    UNION ALL
    SELECT (SELECT area FROM families_family WHERE ({where}) AND area > caseload_areas.area ORDER BY area LIMIT 1)
    FROM caseload_areas WHERE caseload_areas.area IS NOT NULL
)
SELECT area FROM caseload_areas WHERE area IS NOT NULL
"""

# The filter's options in one round trip: the projects that have a family in the scope, by title,
# each row carrying the scope's areas (an init plan, run once). A caseworker's scope (a few hundred
# families) gives its projects by reading its families once (`= ANY(ARRAY(...))`, an init plan);
# a project scope (most families) by one probe per project (`IN`, a semi join): the other way
# round, a caseworker's probe of a project walked its 1,300 families without one of theirs (1.6 ms
# against 0.3) and a coordinator's read would take 20,000 families.
_OPTIONS_SQL = (
    'SELECT {columns}, ARRAY({areas}) FROM "support_network_project" '
    'WHERE "support_network_project"."id" {among} ORDER BY "support_network_project"."title"'
)
# what an option shows (its value and `str(project)`): the objects are made with only these, the
# other fields deferred (a RawQuerySet of every column cost more than the query)
_OPTION_FIELDS = [f.attname for f in Project._meta.concrete_fields if f.attname in ("id", "title", "short_name")]
_OPTION_COLUMNS = ", ".join(f'"support_network_project"."{name}"' for name in _OPTION_FIELDS)
_AMONG_FEW = '= ANY(ARRAY(SELECT DISTINCT "families_family"."project_id" FROM "families_family" WHERE {where}))'
_AMONG_MANY = 'IN (SELECT "families_family"."project_id" FROM "families_family" WHERE {where})'


def areas_in(where: Where, *, using: str = "default") -> list[str]:
    """The distinct non-empty areas of the families matching `where`, in order."""
    if where.empty:
        return []
    return [row[0] for row in _run(using, _AREAS_SQL.format(where=where.sql), [*where.params, *where.params])]


def options_in(where: Where, *, few: bool, using: str = "default") -> tuple[list[Project], list[str]]:
    """The projects of the families matching `where` by title, and their distinct non-empty areas
    in order; `few`: a caseworker's scope (see `_OPTIONS_SQL`)."""
    if where.empty:
        return [], []
    among = (_AMONG_FEW if few else _AMONG_MANY).format(where=where.sql)
    sql = _OPTIONS_SQL.format(columns=_OPTION_COLUMNS, areas=_AREAS_SQL.format(where=where.sql), among=among)
    rows = _run(using, sql, [*where.params, *where.params, *where.params])
    if not rows:  # families without a project only: no row carries the areas
        return [], areas_in(where, using=using)
    fields = len(_OPTION_FIELDS)
    return [Project.from_db(using, _OPTION_FIELDS, row[:fields]) for row in rows], list(rows[0][fields])


class _Compiled(NamedTuple):
    select: str  # the SELECT's columns
    select_params: tuple
    head: str  # from the FROM up to the stand-in
    tail: str  # after it (the ORDER BY)
    head_params: tuple
    tail_params: tuple
    layout: RowLayout


class PreparedPage:
    """`build(families)` -> the page's queryset (columns, related objects, annotations, order) over
    `families`; compiled once per order key and connection, then run with a request's WHERE."""

    def __init__(self, build, *, using: str = "default"):
        self.build = build
        self.using = using
        self._attribute = f"_prepared_page_{id(self)}"

    def count(self, where: Where) -> int:
        if where.empty:
            return 0
        return _run(self.using, _COUNT.format(where=where.sql), where.params)[0][0]

    def rows(self, where: Where, order_key, order: tuple, *, limit: int, offset: int, few=False) -> list[Model]:
        """The families matching `where` in `order` (`order_key` names it), `limit` from `offset`."""
        return self.rows_and_count(where, order_key, order, limit=limit, offset=offset, counted=False, few=few)[0]

    def rows_and_count(self, where: Where, order_key, order: tuple, *, limit: int, offset: int, counted=True,
                       few=False):  # fmt: skip
        """`rows(...)` and, when `counted`, the number of all the families matching `where` in the
        same round trip (an init plan; None when no row came back to carry it). `few`: `where` is a
        caseworker's scope (see `_FEW`)."""
        if where.empty or limit <= 0:
            return [], (0 if counted else None)
        compiled = self._compiled(order_key, order)
        # a caseworker's families are read into the CTE first; the SELECT and its count read them all
        prefix, conditions = (_FEW.format(where=where.sql), _ALL) if few else ("", where)
        select, params = compiled.select, [*(where.params if few else ()), *compiled.select_params]
        if counted:  # the count as the last column: the ORDER BY may name columns by their position
            select = f"{select}, ({_COUNT.format(where=conditions.sql)})"
            params += conditions.params
        sql = f"{prefix}{select}{compiled.head}({conditions.sql}){compiled.tail} LIMIT %s OFFSET %s"
        params += [*compiled.head_params, *conditions.params, *compiled.tail_params, limit, offset]
        rows = _run(self.using, sql, params)
        total = rows[0][-1] if counted and rows else None
        if counted:
            rows = [row[:-1] for row in rows]
        return read_rows(compiled.layout, rows, self.using), total

    def _compiled(self, order_key, order: tuple) -> _Compiled:
        """The compiled SELECT of this order on this connection (kept on it: its converters belong to it)."""
        kept = connections[self.using].__dict__.setdefault(self._attribute, {})
        if order_key not in kept:
            kept[order_key] = self._compile(order)
        return kept[order_key]

    def _compile(self, order: tuple) -> _Compiled:
        queryset = self.build(Family.objects.using(self.using).filter(_Conditions())).order_by(*order)
        compiler = queryset.query.get_compiler(using=self.using)
        sql, params = compiler.as_sql()  # fills compiler.select, klass_info, annotation_col_map
        if sql.count(_STAND_IN) != 1 or "%%" in sql or not sql.startswith("SELECT "):
            raise ImproperlyConfigured("PreparedPage: a plain SELECT holding the conditions once, no literal %")
        head, tail = sql.split(_STAND_IN)
        if head.count(_FROM) != 1:
            raise ImproperlyConfigured("PreparedPage: the query must read families_family once")
        columns_sql, head = head[: head.index(_FROM)], head[head.index(_FROM) :]
        before, columns_before = head.count("%s"), columns_sql.count("%s")
        return _Compiled(
            select=columns_sql,
            select_params=tuple(params[:columns_before]),
            head=head,
            tail=tail,
            head_params=tuple(params[columns_before : columns_before + before]),
            tail_params=tuple(params[columns_before + before :]),
            layout=row_layout(queryset, compiler),
        )


class PreparedRows:
    """The page's rows for the pager (`count()` and a slice), from a `PreparedPage`; each family
    gets `is_overdue` as `families.selectors.caseload` annotates it. The pager counts first, then
    slices: the count reads the page asked for (`number`, of `per_page` rows) in the same round
    trip, and the slice of that page is served from it (another page, e.g. the last one for a
    number past the end, or no row to carry the count: a query of its own)."""

    def __init__(self, page: PreparedPage, where: Where, order_key, order: tuple, *, today: dt.date,
                 number: int, per_page: int, few: bool = False):  # fmt: skip
        self.page, self.where, self.order_key, self.order, self.today = page, where, order_key, order, today
        self.few = few  # a caseworker's scope (`PreparedPage.rows_and_count`)
        self._first = (max(number, 1) - 1) * per_page, per_page
        self._read: tuple[int, list[Model]] | None = None  # (offset, rows) read with the count
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            offset, limit = self._first
            rows, total = self.page.rows_and_count(self.where, self.order_key, self.order, limit=limit, offset=offset,
                                                   few=self.few)  # fmt: skip
            if total is None:
                total = self.page.count(self.where)
            else:
                self._read = offset, rows
            self._count = total
        return self._count

    def __getitem__(self, bounds: slice) -> list[Model]:
        start, stop = bounds.start or 0, bounds.stop
        if self._read is not None and self._read[0] == start and stop - start <= self._first[1]:
            rows = self._read[1][: stop - start]
        else:
            limit = stop - start
            rows = self.page.rows(self.where, self.order_key, self.order, limit=limit, offset=start, few=self.few)
        for family in rows:
            due = family.next_visit_due
            family.is_overdue = due is not None and due < self.today and family.status != FamilyStatus.CLOSED
        return rows
