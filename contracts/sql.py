"""SQL shapes the ORM does not write by itself, for the contracts room's read queries."""

from django.db.models import BooleanField, F, Func, Subquery


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
