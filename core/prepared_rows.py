"""The rows that share one value of a field (a record's outcomes, its supports, …) from a query
compiled once per database connection, as `core.prepared.PreparedGet` does for one row:

    OUTCOMES = PreparedFilter(lambda pk: Outcome.objects.select_related("proposal")
                              .filter(participation_id=pk).order_by("occurred_on", "pk"),
                              Outcome._meta.get_field("participation"))
    outcomes = OUTCOMES.rows(participation.pk)  # what `list(queryset)` gives

The same SQL on every database (the value is the query's parameter), so it needs no fallback;
the same rules as `PreparedGet` (one exact lookup, the marker the only parameter of its kind)."""

from django.db import connections
from django.db.models import Model

from core.prepared import PreparedGet


class PreparedFilter(PreparedGet):
    def rows(self, value) -> list[Model]:
        """The objects of the compiled query whose `field` is `value`, in the query's order, with
        what it selects (related objects, annotations)."""
        connection = connections[self.using]
        compiled = self._compiled(connection)
        params = list(compiled.params)
        params[compiled.position] = self.field.get_db_prep_value(value, connection, prepared=False)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        return self._objects(compiled, rows)
