"""SQL shapes the ORM does not write by itself, for the contracts room's read queries."""

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, F, Func, Model, Subquery

from core.prepared import MARKER, PreparedGet


class InSubquery(Func):
    """`column IN (subquery)`, written for PostgreSQL as `column = ANY(ARRAY(subquery))`: the
    subquery becomes an init plan whose result is an index condition, so `… OR created_by = X`
    is a bitmap OR of two indexes instead of a filter on every row (docs/performance.md)."""

    output_field = BooleanField()  # a condition: usable in filter() and Q()

    def __init__(self, column: str, queryset):
        super().__init__(F(column), Subquery(queryset.order_by()))

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, arg_joiner=" IN ", template="(%(expressions)s)", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, arg_joiner=" = ANY(ARRAY", template="(%(expressions)s))", **extra_context
        )


class IdIn(Func):
    """`column = ANY(%s)` with the values as one array parameter (PostgreSQL): the SQL is the same
    whatever the number of values, so a query built on it can be compiled once (`PreparedRows`)."""

    output_field = BooleanField()

    def __init__(self, column: str, values):
        super().__init__(F(column))
        self.values = values

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql} = ANY(%s)", (*params, self.values)


class PreparedRows(PreparedGet):
    """The rows of a list of ids from a query compiled once per connection (`core.prepared`): the
    query is built by `build(marker)` with `IdIn("id", marker)`; each call runs it with the ids.
    Compiling the lists' row query (four joins, two correlated subqueries) cost more than running it."""

    def __init__(self, build, *, using=DEFAULT_DB_ALIAS):
        super().__init__(build, None, marker=[MARKER], using=using)  # type: ignore[arg-type]  # no field: ids

    def rows(self, ids: list[int]) -> list[Model]:
        connection = connections[self.using]
        compiled = self._compiled(connection)
        params = list(compiled.params)
        params[compiled.position] = [int(pk) for pk in ids]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return self._objects(compiled, rows)
