"""A read query that every request runs (the session's user with its membership) compiled once per
database connection, then run with the request's value: compiling the ORM query cost more than
running it (docs/performance.md).

    USER = PreparedGet(lambda pk: User.objects.select_related("profile").filter(pk=pk), User._meta.pk)
    user = USER.get(user_id)  # the object as `queryset.get()` builds it, or None

The queryset is built once with a marker in place of the value; the compiled SQL, its row layout,
converters and related-object populators are Django's own (`ModelIterable` does the same with
them on every query). Only an exact lookup on one field, with no other parameter equal to the
marker (an integer by default: pass `marker=` for another kind of field), can be prepared this
way; anything else refuses at its first use."""

from collections.abc import Callable
from typing import Any, NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Field, Model, QuerySet
from django.db.models.query import get_related_populators

MARKER = -2_019_283_746  # an integer no row has, within a 32-bit column's range (out of it, no SQL)


class _Compiled(NamedTuple):
    sql: str
    params: tuple
    position: int
    compiler: Any
    converters: dict
    model: type[Model]
    init_list: list[str]
    fields: slice
    populators: list
    annotations: dict[str, int]


class PreparedGet:
    def __init__(self, build: Callable[[Any], QuerySet], field: Field, *, marker=MARKER, using=DEFAULT_DB_ALIAS):
        self.build = build
        self.marker = marker
        self.field = field
        self.using = using
        self._attribute = f"_prepared_get_{id(self)}"

    def get(self, value) -> Model | None:
        """The object whose `field` is `value` (None when there is none), with what the query
        selects: related objects, annotations."""
        connection = connections[self.using]
        compiled = self._compiled(connection)
        params = list(compiled.params)
        params[compiled.position] = self.field.get_db_prep_value(value, connection, prepared=False)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchmany(2)
        return self._objects(compiled, rows)[0] if len(rows) == 1 else None

    def _objects(self, compiled: _Compiled, rows: list) -> list[Model]:
        """The model instances of fetched rows, as Django's `ModelIterable` builds them: converters,
        related objects, annotations (also the subclasses' lists: PreparedFilter, PreparedRows)."""
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
        objects = []
        for row in rows:
            obj = compiled.model.from_db(self.using, compiled.init_list, row[compiled.fields])
            for populator in compiled.populators:
                populator.populate(row, obj)
            for name, position in compiled.annotations.items():
                setattr(obj, name, row[position])
            objects.append(obj)
        return objects

    def _compiled(self, connection) -> _Compiled:
        """The compiled query of this connection (kept on it: its converters belong to it)."""
        compiled = connection.__dict__.get(self._attribute)
        if compiled is None:
            compiled = connection.__dict__[self._attribute] = self._compile()
        return compiled

    def _compile(self) -> _Compiled:
        queryset = self.build(self.marker)
        if getattr(queryset, "_known_related_objects", None) or queryset.query.is_sliced:
            raise ImproperlyConfigured("PreparedGet: a plain filtered queryset is needed")
        compiler = queryset.query.get_compiler(using=self.using)
        sql, params = compiler.as_sql()  # fills compiler.select, klass_info, annotation_col_map
        params = tuple(params)
        if params.count(self.marker) != 1:
            raise ImproperlyConfigured("PreparedGet: the marker must be the query's one parameter of its kind")
        select, klass_info = compiler.select, compiler.klass_info
        columns = [column for column, _sql, _alias in select[: compiler.col_count]]
        if compiler.has_composite_fields(columns):
            raise ImproperlyConfigured("PreparedGet: composite fields are not supported")
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1]
        return _Compiled(
            sql=sql,
            params=params,
            position=params.index(self.marker),
            compiler=compiler,
            converters=compiler.get_converters(columns),
            model=klass_info["model"],
            init_list=[column.target.attname for column, _sql, _alias in select[first : last + 1]],
            fields=slice(first, last + 1),
            # Django 5.2's signature (the stubs already follow 6.0, which adds fetch_mode)
            populators=get_related_populators(klass_info, select, self.using),  # type: ignore[call-arg]
            annotations=dict(compiler.annotation_col_map or {}),
        )
