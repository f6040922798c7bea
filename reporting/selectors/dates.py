"""Date arithmetic inside SQL, so that measurement windows stay part of one aggregate query.

`AddMonths(end_date, 3)` is "the same day of the month three months later, the last day of that
month when the day does not exist" (EFS_RULES.md §5: 31 Jan -> 30 Apr, 30 Nov -> 28/29 Feb).
PostgreSQL's `date + interval 'N months'` clamps exactly like that; SQLite's `date(x, '+N months')`
overflows into the next month instead, so there it is capped at the last day of the target month.
"""

import re
from collections.abc import Callable

from django.db.models import DateField, Func, IntegerField, Value

# SQLite: the smaller of "N months later" (which may overflow) and "last day of the target month".
SQLITE_ADD_MONTHS = (
    "min(date(%(expr)s, '+' || %(n)s || ' months'), "
    "date(%(expr)s, 'start of month', '+' || (%(n)s + 1) || ' months', '-1 day'))"
)


def add_months_sql(vendor: str, expr: str, n: str) -> str:
    """SQL of `expr` (a date) moved by `n` months, for the database `vendor` (each argument is SQL
    text: a column or a placeholder; SQLite's template repeats both)."""
    if vendor == "postgresql":
        return f"(({expr}) + make_interval(months => ({n})::integer))::date"
    if vendor == "sqlite":
        return SQLITE_ADD_MONTHS % {"expr": expr, "n": n}
    raise NotImplementedError(vendor)


def add_days_sql(vendor: str, expr: str, n: str) -> str:
    """SQL of `expr` (a date) moved by `n` days, for the database `vendor`."""
    if vendor == "postgresql":
        return f"(({expr}) + ({n})::integer)"  # date + integer = date
    if vendor == "sqlite":
        return f"date({expr}, '+' || ({n}) || ' days')"
    raise NotImplementedError(vendor)


class _DateShift(Func):
    """A date moved by a whole number (months or days) — the SQL is each database's own."""

    output_field = DateField()
    arity = 2
    template_of: Callable[[str, str, str], str]

    def __init__(self, expression, amount: int, **extra):
        super().__init__(expression, Value(int(amount), output_field=IntegerField()), **extra)

    def _shifted(self, compiler, connection):
        """The vendor's template filled with the operands' SQL, their parameters in the order the
        operands appear (SQLite's month template uses each twice)."""
        (expr_sql, expr_params), (n_sql, n_params) = (compiler.compile(arg) for arg in self.source_expressions)
        template = type(self).template_of(connection.vendor, "\x00", "\x01")
        params: list = []
        for marker in re.findall("[\x00\x01]", template):
            params += expr_params if marker == "\x00" else n_params
        return template.replace("\x00", expr_sql).replace("\x01", n_sql), tuple(params)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self._shifted(compiler, connection)

    def as_sqlite(self, compiler, connection, **extra_context):
        return self._shifted(compiler, connection)


class AddMonths(_DateShift):
    template_of = staticmethod(add_months_sql)


class AddDays(_DateShift):
    template_of = staticmethod(add_days_sql)
