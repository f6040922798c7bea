"""SQL shapes the ORM does not write by itself, for the contracts room's read queries."""

from django.db.models import BooleanField, F, Func, Subquery, Value


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


class RelatedIn(Func):
    """`related.id IN (subquery)` on the related table's own join (`relation` a foreign key; the
    ORM would write `<fk column> IN …` on this table instead). PostgreSQL writes it as
    `(… IN …) IS TRUE`, which it does not turn into a join: a hashed subplan filters the related
    table's rows where they are scanned. A walk over the related rows in their index order then
    skips, by one hash probe each, the rows that would have cost a probe into this table
    (the enrolment offer: docs/performance/referrals.md)."""

    output_field = BooleanField()

    def __init__(self, relation: str, queryset):
        super().__init__(Value(None), Subquery(queryset.order_by()))
        self.relation = relation

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        resolved = super().resolve_expression(query, allow_joins, reuse, summarize, for_save)
        path = query.setup_joins([self.relation], query.get_meta(), query.get_initial_alias(), can_reuse=reuse)
        column = path.targets[0].get_col(path.joins[-1])  # the join kept: not trimmed to this table's column
        resolved.set_source_expressions([column, resolved.get_source_expressions()[1]])
        return resolved

    def as_sql(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, arg_joiner=" IN ", template="(%(expressions)s)", **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        return super().as_sql(
            compiler, connection, arg_joiner=" IN ", template="((%(expressions)s) IS TRUE)", **extra_context
        )
