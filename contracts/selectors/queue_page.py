"""The coordinator's queue in one round trip on PostgreSQL: the shown page of each of its two lists,
each list's length and the pages' rows (docs/performance/programmes.md).

The page read each list's page of ids with its length (`counted_page`), then the rows of both pages
(`queue_pages`): three round trips. Here the two pages of ids (as the selector's querysets write
them, with the user's scope: compiled per request) become a `WITH queue_page AS (…)` in front of the
rows' query, which reads the programmes of that list and carries each one's list, place, list length
and overdue actions; the rows' query itself is compiled once per connection, its rows read as
`core.prepared` reads them. A page that does not come back (past the end of its list, a number
below 1) and SQLite go the usual way (`None`)."""

from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BigIntegerField, BooleanField, Count, Expression, Window

from contracts.models import FamilyProgramme
from contracts.selectors.pages import _MAX_PAGE, CountedPage
from contracts.selectors.programmes import queue_rows
from core.prepared import RowLayout, read_rows, row_layout

# the CTE of the two pages' entries: (list, place, pk, total, overdue), one part per list
_WITH = "WITH queue_page AS ({awaiting} UNION ALL {overdue}) {rows}"
_PART = (
    "SELECT {kind} AS list, ROW_NUMBER() OVER (ORDER BY {order}) AS place, s.c0 AS pk, s.total, {overdue} AS overdue "
    "FROM ({page}) AS s({columns}, total)"
)
_ROWS_OF_PAGE = '"contracts_familyprogramme"."id" IN (SELECT pk FROM queue_page)'
_ENTRY = '(SELECT q.{name} FROM queue_page q WHERE q.pk = "contracts_familyprogramme"."id")'
_FIELDS = ("list", "place", "total", "overdue")  # what each row carries of its page entry
_AWAITING, _OVERDUE = 0, 1


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
    params: tuple
    layout: RowLayout


def _compile(using: str) -> _Compiled:
    queryset = queue_rows(FamilyProgramme.objects.using(using).filter(_InPage())).annotate(
        **{f"queue_{name}": _Entry(name) for name in _FIELDS}
    )
    compiler = queryset.query.get_compiler(using=using)
    sql, params = compiler.as_sql()  # fills compiler.select, klass_info, annotation_col_map
    return _Compiled(sql, tuple(params), row_layout(queryset, compiler))


def _compiled(connection) -> _Compiled:
    """The rows' query compiled on this connection (kept on it: its converters belong to it)."""
    compiled = connection.__dict__.get("_queue_page_rows")
    if compiled is None:
        compiled = connection.__dict__["_queue_page_rows"] = _compile(connection.alias)
    return compiled


def _part(rows, offset: int, per_page: int, kind: int, overdue: str | None) -> tuple[str, list] | None:
    """One list's page of ids as a part of the CTE: its entries numbered in the list's order (the
    queryset's own `order_by`, plain field names), with the list's length; None for another order."""
    order = list(rows.query.order_by)
    if not order or not all(isinstance(name, str) for name in order):
        return None
    names = [name.lstrip("-") for name in order]
    fields = list(dict.fromkeys(["pk", *names, *([overdue] if overdue else [])]))
    page = rows.annotate(total=Window(Count("*"))).values_list(*fields, "total")[offset : offset + per_page]
    try:
        sql, params = page.query.sql_with_params()
    except EmptyResultSet:  # nothing to read (not a coordinator): the usual way answers
        return None
    by = ", ".join(f"s.c{fields.index(name.lstrip('-'))}{' DESC' if name.startswith('-') else ''}" for name in order)
    part = _PART.format(
        kind=kind,
        order=by,
        overdue=f"s.c{fields.index(overdue)}" if overdue else "NULL::bigint",
        page=sql,
        columns=", ".join(f"c{i}" for i in range(len(fields))),
    )
    return part, list(params)


def queue_pages_counted(queue, awaiting_number, overdue_number, per_page: int, *, using=DEFAULT_DB_ALIAS):
    """(awaiting page, overdue page) as `CountedPage`s of rows (`queue_rows`' objects, the overdue
    ones with `overdue_actions`), read in one query; None when this cannot tell (not PostgreSQL, a
    page number the pager reads otherwise, a page past the end of its list): the caller pages as
    usual."""
    connection = connections[using]
    numbers = (awaiting_number, overdue_number)
    if connection.vendor != "postgresql" or not all(n is not None and 1 <= n <= _MAX_PAGE for n in numbers):
        return None
    offsets = [(n - 1) * per_page for n in numbers]
    parts = [
        _part(queue.awaiting, offsets[0], per_page, _AWAITING, None),
        _part(queue.overdue, offsets[1], per_page, _OVERDUE, "overdue_actions"),
    ]
    if None in parts:
        return None
    compiled = _compiled(connection)
    sql = _WITH.format(awaiting=parts[0][0], overdue=parts[1][0], rows=compiled.sql)  # type: ignore[index]
    params = [*parts[0][1], *parts[1][1], *compiled.params]  # type: ignore[index]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    return _pages(read_rows(compiled.layout, found, using), numbers, offsets)


def _pages(rows: list, numbers, offsets) -> tuple[CountedPage, CountedPage] | None:
    lists: tuple[list, list] = ([], [])
    for row in sorted(rows, key=lambda row: (row.queue_list, row.queue_place)):
        lists[row.queue_list].append(row)
    pages = []
    for entries, number, offset in zip(lists, numbers, offsets, strict=True):
        if not entries:
            if number != 1:  # past the end: the pager counts and shows the last page
                return None
            pages.append(CountedPage([], 0, 0))
            continue
        for row in entries:
            if row.queue_list == _OVERDUE:
                row.overdue_actions = row.queue_overdue
        pages.append(CountedPage(entries, entries[0].queue_total, offset))
    return pages[0], pages[1]
