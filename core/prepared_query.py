"""A read query compiled once per database connection and shape, then run with each request's value
(`core.prepared` does it for one object; this for a list of objects or of `values()` rows):

    MEMBERS = PreparedQuery(lambda family_id: Person.objects.filter(family_id=family_id).order_by("pk"))
    members = MEMBERS.rows(family.pk)  # what list(queryset) would give: model instances or dicts

    WINDOW = PreparedQuery(lambda family_id, limit: visits(family_id)[:limit])
    entries = WINDOW.rows(family.pk, 21)  # compiled once per limit (a shape: part of the SQL)

`build(marker, *shape)` builds the queryset with a marker in place of the value; every parameter of
the compiled SQL equal to the marker is the value (a query may name it several times: both parts of
a UNION ALL), and every parameter equal to the marker's text is the value's text (a value the SQL
casts, as `Cast(Value(str(marker)), JSONField())` for a JSON key's value). The row layout,
converters and related-object populators are Django's own, as its `ModelIterable` and
`ValuesIterable` use them on every query. A model queryset (with
`select_related` and annotations) or a `values()` one (also a union of them) can be prepared; one
with `prefetch_related`, known related objects or `values_list` refuses at its first use."""

from collections.abc import Callable
from typing import Any, NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators

from core.prepared import MARKER

SHAPES = 8  # compiled shapes kept per query and connection; a rarer shape is compiled for its request


class _Compiled(NamedTuple):
    sql: str
    params: tuple
    positions: tuple[tuple[int, type], ...]  # where the value goes, as the type the ORM gave the marker
    text_positions: tuple[int, ...]
    compiler: Any
    converters: dict
    names: list[str] | None  # a values() query's keys; None: model instances
    model: type[Model] | None
    init_list: list[str]
    fields: slice
    populators: list
    annotations: dict[str, int]


class PreparedQuery:
    def __init__(self, build: Callable[..., QuerySet], *, marker=MARKER, using=DEFAULT_DB_ALIAS):
        self.build = build
        self.marker = marker
        self.using = using
        self._attribute = f"_prepared_query_{id(self)}"

    def rows(self, value, *shape) -> list:
        """The query's rows for `value`: model instances (with what it selects: related objects,
        annotations) or, for a values() query, dicts."""
        connection = connections[self.using]
        compiled = self._compiled(connection, shape)
        params = list(compiled.params)
        for position, kind in compiled.positions:
            params[position] = kind(value)  # e.g. psycopg's Int8 for a bigint column
        for position in compiled.text_positions:
            params[position] = str(value)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = list(compiled.compiler.apply_converters(rows, compiled.converters))
        if compiled.names is not None:
            names = compiled.names
            return [dict(zip(names, row, strict=True)) for row in rows]
        return [self._instance(compiled, row) for row in rows]

    def _instance(self, compiled: _Compiled, row) -> Model:
        obj = compiled.model.from_db(self.using, compiled.init_list, row[compiled.fields])  # type: ignore[union-attr]
        for populator in compiled.populators:
            populator.populate(row, obj)
        for name, position in compiled.annotations.items():
            setattr(obj, name, row[position])
        return obj

    def _compiled(self, connection, shape: tuple) -> _Compiled:
        """The compiled query of this connection and shape (kept on the connection: its converters
        belong to it), at most SHAPES of them."""
        kept = connection.__dict__.setdefault(self._attribute, {})
        compiled = kept.get(shape)
        if compiled is None:
            compiled = self._compile(shape)
            if len(kept) < SHAPES:
                kept[shape] = compiled
        return compiled

    def _compile(self, shape: tuple) -> _Compiled:
        queryset = self.build(self.marker, *shape)
        iterable = getattr(queryset, "_iterable_class", None)
        if (
            iterable not in (ModelIterable, ValuesIterable)
            or getattr(queryset, "_known_related_objects", None)
            or getattr(queryset, "_prefetch_related_lookups", ())
        ):
            raise ImproperlyConfigured("PreparedQuery: a plain model or values() queryset is needed")
        query = queryset.query
        compiler = query.get_compiler(using=self.using)
        sql, params = compiler.as_sql()  # fills compiler.select, klass_info, annotation_col_map
        params = tuple(params)
        marker, text = self.marker, str(self.marker)
        positions = tuple(
            (i, type(param)) for i, param in enumerate(params) if isinstance(param, type(marker)) and param == marker
        )
        text_positions = tuple(i for i, param in enumerate(params) if isinstance(param, str) and param == text)
        if not positions and not text_positions:
            raise ImproperlyConfigured("PreparedQuery: the marker is none of the query's parameters")
        columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
        if compiler.has_composite_fields(columns):
            raise ImproperlyConfigured("PreparedQuery: composite fields are not supported")
        compiled = {
            "sql": sql,
            "params": params,
            "positions": positions,
            "text_positions": text_positions,
            "compiler": compiler,
            "converters": compiler.get_converters(columns),
        }
        if iterable is ValuesIterable:
            names = list(query.selected or [*query.extra_select, *query.values_select, *query.annotation_select])
            return _Compiled(
                **compiled, names=names, model=None, init_list=[], fields=slice(0), populators=[], annotations={}
            )
        select, klass_info = compiler.select, compiler.klass_info
        first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1]
        return _Compiled(
            **compiled,
            names=None,
            model=klass_info["model"],
            init_list=[column.target.attname for column, _sql, _alias in select[first : last + 1]],
            fields=slice(first, last + 1),
            # Django 5.2's signature (the stubs already follow 6.0, which adds fetch_mode)
            populators=get_related_populators(klass_info, select, self.using),  # type: ignore[call-arg]
            annotations=dict(compiler.annotation_col_map or {}),
        )
