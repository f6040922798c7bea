"""A list's page for `core.pagination.paginate` from two queries compiled once per connection
(`core.prepared.PreparedQuery`): building and compiling a list's page query and its COUNT with
the ORM cost more CPU than PostgreSQL running them (docs/performance/reporting.md).

    ROWS = PreparedQuery(lambda project_id, order, offset: page_rows(project_id, order, offset))
    COUNT = PreparedQuery(lambda project_id, order: rows_of(project_id).values(n=counted()))
    page = paginate(request, PreparedPage(ROWS, COUNT, project.pk, (order,), asked_number(request)), PAGE_SIZE)

The rows' query holds `PAGE_SIZE` rows from its offset (the last part of its shape) and carries the
count of all the rows as `page_total` (a scalar subquery: an init plan, run once)."""

from django.db.models import F, Func, IntegerField

from core.pagination import PAGE_PARAM, PAGE_SIZE
from core.prepared import PreparedQuery


def counted() -> Func:
    """COUNT(pk) as a plain function, not an aggregate: the ORM adds no GROUP BY, so a `values()`
    of it is one row counting them all (also as a subquery)."""
    return Func(F("pk"), function="COUNT", output_field=IntegerField())


def asked_number(request) -> int:
    """The page number the request asks for (`?strona=`), 1 for anything but a whole number; the
    pager still validates it (a number past the end gives the last page)."""
    asked = request.GET.get(PAGE_PARAM, "").strip()
    return int(asked) if asked.isascii() and asked.isdigit() and len(asked) < 10 else 1


class PreparedPage:
    """The rows for the pager (`count()` and one slice of at most `PAGE_SIZE`): `count()` reads the
    page asked for (`number`) with the count in one round trip, and the pager's slice of that page is
    served from it; another slice (the last page for a number past the end) or no row to carry the
    count (an empty page) is a query of its own."""

    def __init__(self, rows: PreparedQuery, total: PreparedQuery, value, shape: tuple, number: int, *,
                 total_shape: tuple | None = None):  # fmt: skip
        """`shape`: the rows' query's shape but the offset; `total_shape`: the count's (by default the same)."""
        self.rows, self.total, self.value, self.shape = rows, total, value, shape
        self.total_shape = shape if total_shape is None else total_shape
        self.offset = (max(number, 1) - 1) * PAGE_SIZE
        self._read: list | None = None
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            rows = self.rows.rows(self.value, *self.shape, self.offset)
            if rows:
                self._read, self._count = rows, rows[0].page_total
            else:
                self._count = self.total.rows(self.value, *self.total_shape)[0]["n"]
        return self._count

    def __getitem__(self, bounds: slice) -> list:
        start, stop = bounds.start or 0, bounds.stop
        if stop <= start:
            return []
        if stop - start > PAGE_SIZE:
            raise ValueError("PreparedPage: at most one page of rows")
        rows = self._read if self._read is not None and start == self.offset else None
        if rows is None:
            rows = self.rows.rows(self.value, *self.shape, start)
        return rows[: stop - start]
