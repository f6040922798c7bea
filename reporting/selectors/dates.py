"""Date arithmetic inside SQL, so that measurement windows stay part of one aggregate query.

`AddMonths(end_date, 3)` is "the same day of the month three months later, the last day of that
month when the day does not exist" (EFS_RULES.md §5: 31 Jan -> 30 Apr, 30 Nov -> 28/29 Feb).
PostgreSQL's `date + interval 'N months'` clamps exactly like that; SQLite's `date(x, '+N months')`
overflows into the next month instead, so there it is capped at the last day of the target month.
"""

from django.db.models import DateField, Func, IntegerField, Value

# SQLite: the smaller of "N months later" (which may overflow) and "last day of the target month".
SQLITE_ADD_MONTHS = (
    "min(date(%(expr)s, '+' || %(n)s || ' months'), "
    "date(%(expr)s, 'start of month', '+' || (%(n)s + 1) || ' months', '-1 day'))"
)


class _DateShift(Func):
    """A date moved by a whole number (months or days) — the SQL is each database's own."""

    output_field = DateField()
    arity = 2

    def __init__(self, expression, amount: int, **extra):
        super().__init__(expression, Value(int(amount), output_field=IntegerField()), **extra)

    def _operands(self, compiler):
        """(date SQL, its params, amount SQL, its params)."""
        expr_sql, expr_params = compiler.compile(self.source_expressions[0])
        n_sql, n_params = compiler.compile(self.source_expressions[1])
        return expr_sql, tuple(expr_params), n_sql, tuple(n_params)


class AddMonths(_DateShift):
    def as_postgresql(self, compiler, connection, **extra_context):
        expr_sql, expr_params, n_sql, n_params = self._operands(compiler)
        return f"(({expr_sql}) + make_interval(months => ({n_sql})::integer))::date", (*expr_params, *n_params)

    def as_sqlite(self, compiler, connection, **extra_context):
        expr_sql, expr_params, n_sql, n_params = self._operands(compiler)
        sql = SQLITE_ADD_MONTHS % {"expr": expr_sql, "n": n_sql}
        # the template uses each argument twice
        return sql, (*expr_params, *n_params, *expr_params, *n_params)


class AddDays(_DateShift):
    def as_postgresql(self, compiler, connection, **extra_context):
        expr_sql, expr_params, n_sql, n_params = self._operands(compiler)
        return f"(({expr_sql}) + {n_sql}::integer)", (*expr_params, *n_params)  # date + integer = date

    def as_sqlite(self, compiler, connection, **extra_context):
        expr_sql, expr_params, n_sql, n_params = self._operands(compiler)
        return f"date({expr_sql}, '+' || {n_sql} || ' days')", (*expr_params, *n_params)
