"""The coordinator's queue in one round trip on PostgreSQL: the shown page of each of its two lists,
each list's length and the pages' rows (docs/performance/programmes.md).

The page read each list's page of ids with its length (`counted_page`), then the rows of both pages
(`queue_pages`): three round trips. Here the two pages of ids become a `WITH queue_page AS (…)` in
front of the rows' query, which reads the programmes of that list and carries each one's list,
place, list length and overdue actions; its rows are read as `core.prepared` reads them. The whole
query is compiled once per connection and shape (a project filter or not, an age filter or not):
the coordinator's projects go in as one array parameter (`IdIn`), the day, the kept project and
each page's LIMIT and OFFSET as parameters. A page that does not come back (past the end of its
list, a number below 1), a queue without the projects' scope and SQLite go the usual way (`None`)."""

import datetime as dt
from typing import NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BigIntegerField, BooleanField, Count, Expression, Window
from django.utils import timezone

from contracts.models import FamilyProgramme
from contracts.selectors.programmes import OVERDUE_FIELDS, QueueScope, queue_lists, queue_rows
from core.pagination import CountedPage, counted, page_in_range
from core.prepared import MARKER, IdIn, RowLayout, read_rows, row_layout

# the CTE of the two pages' entries: (list, place, pk, total, overdue), one part per list
_WITH = "WITH queue_page AS ({awaiting} UNION ALL {overdue}) {rows}"
_PART = (
    "SELECT {kind} AS list, ROW_NUMBER() OVER (ORDER BY {order}) AS place, s.c0 AS pk, s.total, {overdue} AS overdue "
    "FROM ({page} LIMIT %s OFFSET %s) AS s({columns}, total)"
)
_ROWS_OF_PAGE = '"contracts_familyprogramme"."id" IN (SELECT pk FROM queue_page)'
_ENTRY = '(SELECT q.{name} FROM queue_page q WHERE q.pk = "contracts_familyprogramme"."id")'
_FIELDS = ("list", "place", "total", "overdue")  # what each row carries of its page entry
_AWAITING, _OVERDUE = 0, 1
_DAY = dt.date(1901, 2, 3)  # the marker of the day: no programme is that old


class _Slot(NamedTuple):
    """A parameter of the compiled query that each request gives: the scope's `name`, or a page's
    limit or offset."""

    name: str


_PROJECTS, _PROJECT, _LATE = _Slot("project_ids"), _Slot("project_id"), _Slot("late")
_LIMIT, _OFFSETS = _Slot("limit"), (_Slot("offset_awaiting"), _Slot("offset_overdue"))


class _InPage(Expression):
    """The rows' condition: a programme on one of the two pages."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection):
        return _ROWS_OF_PAGE, []


class _Entry(Expression):
    """A row's `name` of its page entry."""

    output_field = BigIntegerField()

    def __init__(self, name: str):
        super().__init__()
        self.name = name

    def as_sql(self, compiler, connection):
        return _ENTRY.format(name=self.name), []


class _Compiled(NamedTuple):
    sql: str
    params: tuple  # each a constant or a `_Slot`
    layout: RowLayout


def _compile(using: str, with_project: bool, older: bool) -> _Compiled:
    scoped = FamilyProgramme.objects.using(using).filter(IdIn("project_id", [MARKER]))
    if with_project:
        scoped = scoped.filter(project_id=MARKER)
    awaiting, overdue = queue_lists(scoped, _DAY, older=older)
    parts = [_part(awaiting, _AWAITING, "pk", None), _part(overdue, _OVERDUE, *OVERDUE_FIELDS)]
    rows = queue_rows(FamilyProgramme.objects.using(using).filter(_InPage())).annotate(
        **{f"queue_{name}": _Entry(name) for name in _FIELDS}
    )
    compiler = rows.query.get_compiler(using=using)
    sql, params = compiler.as_sql()  # fills compiler.select, klass_info, annotation_col_map
    slots = (*parts[0][1], *parts[1][1], *params)
    if not all(slot in slots for slot in (_PROJECTS, _LATE, *([_PROJECT] if with_project else []))):
        raise ImproperlyConfigured("a marker of the queue's scope is missing from its SQL")
    sql = _WITH.format(awaiting=parts[0][0], overdue=parts[1][0], rows=sql)
    return _Compiled(sql, slots, row_layout(rows, compiler))


def _compiled(connection, scope: QueueScope) -> _Compiled:
    """The query of this shape compiled on this connection (kept on it: its converters belong to it)."""
    kept = connection.__dict__.setdefault("_queue_page", {})
    # the age filter's day is taken in the current time zone, written into the SQL's parameters
    shape = (scope.project_id is not None, scope.older, timezone.get_current_timezone_name() if scope.older else "")
    compiled = kept.get(shape)
    if compiled is None:
        compiled = kept[shape] = _compile(connection.alias, *shape[:2])
    return compiled


def _part(rows, kind: int, key: str, overdue: str | None) -> tuple[str, list]:
    """One list's page of programme ids (the field `key`) as a part of the CTE: its entries
    numbered in the list's order (the queryset's own `order_by`, plain field names), with the
    list's length; its parameters with the scope's slots in place of the markers."""
    order = list(rows.query.order_by)
    if not order or not all(isinstance(name, str) for name in order):
        raise ImproperlyConfigured("the queue's lists are ordered by plain field names")
    names = [name.lstrip("-") for name in order]
    fields = list(dict.fromkeys([key, *names, *([overdue] if overdue else [])]))
    page = rows.annotate(total=Window(Count("*"))).values_list(*fields, "total")
    sql, params = page.query.sql_with_params()
    by = ", ".join(f"s.c{fields.index(name.lstrip('-'))}{' DESC' if name.startswith('-') else ''}" for name in order)
    part = _PART.format(
        kind=kind,
        order=by,
        overdue=f"s.c{fields.index(overdue)}" if overdue else "NULL::bigint",
        page=sql,
        columns=", ".join(f"c{i}" for i in range(len(fields))),
    )
    return part, [*(_slot(param) for param in params), _LIMIT, _OFFSETS[kind]]


def _slot(param):
    """The slot a marker stands for, or the constant."""
    if isinstance(param, list) and param == [MARKER]:
        return _PROJECTS
    if isinstance(param, int) and param == MARKER:
        return _PROJECT
    if isinstance(param, dt.date) and param == _DAY:
        return _LATE
    return param


def queue_pages_counted(queue, awaiting_number, overdue_number, per_page: int, *, using=DEFAULT_DB_ALIAS):
    """(awaiting page, overdue page) as `CountedPage`s of rows (`queue_rows`' objects, the overdue
    ones with `overdue_actions`), read in one query; None when this cannot tell (not PostgreSQL, a
    queue without the projects' scope, a page number the pager reads otherwise, a page past the end
    of its list): the caller pages as usual."""
    connection = connections[using]
    numbers = (awaiting_number, overdue_number)
    if connection.vendor != "postgresql" or queue.scope is None or not all(page_in_range(n) for n in numbers):
        return None
    offsets = [(n - 1) * per_page for n in numbers]
    scope = queue.scope
    values = {
        _PROJECTS: [int(pk) for pk in scope.project_ids],
        _PROJECT: scope.project_id,
        _LATE: scope.late,
        _LIMIT: per_page,
        _OFFSETS[0]: offsets[0],
        _OFFSETS[1]: offsets[1],
    }
    compiled = _compiled(connection, scope)
    params = [values[param] if isinstance(param, _Slot) else param for param in compiled.params]
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        found = cursor.fetchall()
    return _pages(read_rows(compiled.layout, found, using), numbers, offsets)


def _pages(rows: list, numbers, offsets) -> tuple[CountedPage, CountedPage] | None:
    lists: tuple[list, list] = ([], [])
    for row in sorted(rows, key=lambda row: (row.queue_list, row.queue_place)):
        lists[row.queue_list].append(row)
    for row in lists[_OVERDUE]:
        row.overdue_actions = row.queue_overdue
    pages = [
        counted(entries, entries[0].queue_total if entries else 0, number, offset)
        for entries, number, offset in zip(lists, numbers, offsets, strict=True)
    ]
    if pages[0] is None or pages[1] is None:  # past the end: the pager counts and shows the last page
        return None
    return pages[0], pages[1]
