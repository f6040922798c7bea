"""Read queries compiled once per database connection, then run with each request's value: building
and compiling the ORM query (its joins, its SQL) cost more than running it (docs/performance.md).
One compile path and one run path, with four front doors:

    USER = PreparedGet(lambda pk: User.objects.select_related("profile").filter(pk=pk), User._meta.pk)
    user = USER.get(user_id)  # the object as `queryset.get()` builds it, or None

    OUTCOMES = PreparedFilter(lambda pk: Outcome.objects.filter(participation_id=pk).order_by("pk"),
                              Outcome._meta.get_field("participation"))
    outcomes = OUTCOMES.rows(participation.pk)  # what `list(queryset)` gives

    PAGE = PreparedRows(lambda marker: Referral.objects.filter(IdIn("id", marker)))
    rows = PAGE.rows(page_ids)  # the rows of a list of ids, passed as one array parameter

    WINDOW = PreparedQuery(lambda family_id, limit: visits(family_id)[:limit])
    entries = WINDOW.rows(family.pk, 21)  # model instances or values() dicts, compiled once per limit

    SCOPED = PreparedQuery(lambda pk, user_id: Family.objects.filter(pk=pk, social_worker_id=user_id),
                           marker=(MARKER, MARKER - 1))
    family = SCOPED.rows((pk, user.pk))  # several values: a tuple of markers, a tuple of values

`build(marker, *shape)` builds the queryset with a marker in place of the value. Every parameter of
the compiled SQL equal to the marker (and of its type) is the value; every one equal to the marker's
text is the value's text (a value the SQL casts, as `Cast(Value(str(marker)), JSONField())`). A
shape is what changes the SQL itself (a LIMIT): SHAPES of them are kept per query and connection, a
rarer one is compiled for its request. The row layout, converters and related-object populators are
Django's own, as its `ModelIterable` and `ValuesIterable` use them on every query; the compiled
query is kept on the connection because its converters belong to it.

What can be prepared (anything else refuses with ImproperlyConfigured at its first use): a model
queryset (with `select_related` and annotations) or a `values()` one, also a union of them; not
`prefetch_related`, known related objects, `values_list` or composite fields. The marker must be
one of the parameters; `PreparedGet`, `PreparedFilter` and `PreparedRows` take exactly one value
parameter (an exact lookup on one field, or the ids' array) and no slice. The default marker is an
integer no row has: pass `marker=` for another kind of field. `PreparedQuery` also takes a tuple of
markers (`build(*markers, *shape)`), each a parameter of the compiled SQL, and its `rows` then a tuple
of as many values.

`plan_kept=True` (PostgreSQL, not behind a pooler in transaction mode: `DATABASE_POOLED`; elsewhere it
changes nothing): the query's plan is kept too, for a
query that PostgreSQL plans longer than it runs (many joins: the outcome queue's page). The compiled
SQL is prepared on the server once per connection and shape (`PREPARE`, sent with the first
`EXECUTE` in one round trip, so a request's queries are as many as before), with every parameter
but the value written in as the client-side binding writes it, so that its generic plan still
matches partial indexes; each run is then `EXECUTE name(value)`. Django's cursor binds on the
client and psycopg never prepares (`prepare_threshold` is None), so nothing else changes on the
connection; a statement outlives a rollback, as PostgreSQL keeps it for the session. A value with an
integer beyond 32 bits (a URL's id out of range) runs as without `plan_kept`: the statement types
its parameters by their columns and would fail where the ORM's query finds no row."""

import functools
import inspect
import itertools
import re
from collections.abc import Callable
from typing import Any, NamedTuple

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import BooleanField, F, Field, Func, Model, QuerySet, signals
from django.db.models.base import ModelState
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators
from django.db.models.query_utils import DeferredAttribute

MARKER = -2_019_283_746  # an integer no row has, within a 32-bit column's range (out of it, no SQL)
SHAPES = 8  # compiled shapes kept per query and connection
_numbers = itertools.count()  # not id(): a collected query's id is reused, its compiled SQL is still kept
_statement_numbers = itertools.count()  # each PREPARE a new name: one that failed half-way is never reused
_PLACEHOLDER = re.compile(r"%%|%s")


class IdIn(Func):
    """`column = ANY(%s)` with the values as one array parameter (PostgreSQL): the SQL is the same
    whatever the number of values, so a query built on it can be compiled once (`PreparedRows`)."""

    output_field = BooleanField()

    def __init__(self, column: str, values):
        super().__init__(F(column))
        self.values = values

    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]  # no function/template
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql} = ANY(%s)", (*params, self.values)


class RowLayout(NamedTuple):
    """How a compiled query's rows become what `list(queryset)` gives (Django's own converters and
    related-object populators, as `ModelIterable` and `ValuesIterable` use them); also for a page
    query whose SQL is assembled around the ORM's (`families.caseload_sql`, the queue's one query)."""

    compiler: Any
    converters: dict
    names: list[str] | None  # a values() query's keys; None: model instances
    model: type[Model] | None
    init_list: list[str]
    fields: slice
    populators: list
    annotations: dict[str, int]


def row_layout(queryset: QuerySet, compiler) -> RowLayout:
    """The layout of `queryset`'s rows, from its compiler after `as_sql()` (which fills its select,
    klass_info and annotation_col_map)."""
    columns = [column for column, _sql, _alias in compiler.select[: compiler.col_count]]
    if compiler.has_composite_fields(columns):
        raise ImproperlyConfigured("composite fields are not supported")
    converters = compiler.get_converters(columns)
    if queryset._iterable_class is ValuesIterable:
        query = queryset.query
        names = list(query.selected or [*query.extra_select, *query.values_select, *query.annotation_select])
        return RowLayout(compiler, converters, names, None, [], slice(0), [], {})
    select, klass_info = compiler.select, compiler.klass_info
    first, last = klass_info["select_fields"][0], klass_info["select_fields"][-1]
    return RowLayout(
        compiler,
        converters,
        names=None,
        model=klass_info["model"],
        init_list=[column.target.attname for column, _sql, _alias in select[first : last + 1]],
        fields=slice(first, last + 1),
        # Django 5.2's signature (the stubs already follow 6.0, which adds fetch_mode)
        populators=get_related_populators(klass_info, select, compiler.using),  # type: ignore[call-arg]
        annotations=dict(compiler.annotation_col_map or {}),
    )


def read_rows(layout: RowLayout, rows: list, using: str) -> list:
    """The fetched rows as `list(queryset)` gives them: dicts of a values() query, otherwise model
    instances with their related objects and annotations."""
    if layout.converters:
        rows = list(layout.compiler.apply_converters(rows, layout.converters))
    if layout.names is not None:
        names = layout.names
        return [dict(zip(names, row, strict=True)) for row in rows]
    model = layout.model
    new = _maker(model, layout.init_list, using)  # type: ignore[arg-type]
    populators: list[tuple[Any, Callable[[tuple], Model] | None]] = [  # None: nested, Django's own
        (populator, None if populator.related_populators else _maker(populator.model_cls, populator.init_list, using))
        for populator in layout.populators
    ]
    objects = []
    for row in rows:
        obj = new(row[layout.fields])
        for populator, make in populators:
            if make is None:
                populator.populate(row, obj)
            else:
                _populate(populator, make, row, obj)
        for name, position in layout.annotations.items():
            setattr(obj, name, row[position])
        objects.append(obj)
    return objects


def _populate(populator, make: Callable[[tuple], Model], row: tuple, from_obj: Model) -> None:
    """`RelatedPopulator.populate` of a related object without related objects of its own, the
    instance built by `make`."""
    values = (
        populator.reorder_for_init(row)
        if populator.reorder_for_init
        else row[populator.cols_start : populator.cols_end]
    )
    obj = None if values[populator.pk_idx] is None else make(values)
    populator.local_setter(from_obj, obj)
    if obj is not None:
        populator.remote_setter(obj, from_obj)


def _maker(model: type[Model], names: list[str], using: str) -> Callable[[tuple], Model]:
    """How a row's values (of the fields `names`, in the model's order) become an instance: what
    `Model.from_db` builds, its `__dict__` filled straight away when nothing can tell the difference
    (no `pre_init`/`post_init` receiver, Django's own `__init__` and `from_db`, fields whose
    descriptors only read `__dict__`). `Model.__init__` walks every field of the model, a deferred
    one too; a queue page of 50 rows with their family and author built 150 instances that way."""
    if not _plain(model) or signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return lambda values: model.from_db(using, names, values)

    def make(values) -> Model:
        obj = model.__new__(model)
        state = obj._state = ModelState()
        state.adding = False
        state.db = using
        obj.__dict__.update(zip(names, values, strict=True))
        return obj

    return make


@functools.cache
def _plain(model: type[Model]) -> bool:
    """Whether `model`'s instances are `__dict__`s of their fields' values and a state, with no
    code of the model's own run when Django builds them."""
    return (
        model.__init__ is Model.__init__
        and model.from_db.__func__ is Model.from_db.__func__  # type: ignore[attr-defined]
        and all(
            type(inspect.getattr_static(model, field.attname, None)) in _PLAIN_DESCRIPTORS
            for field in model._meta.concrete_fields
        )
    )


_PLAIN_DESCRIPTORS = (DeferredAttribute, ForeignKeyDeferredAttribute)


class _Compiled(NamedTuple):
    sql: str
    params: tuple
    # where each value goes (the parameter's index, the type the ORM gave its marker, the value's index)
    positions: tuple[tuple[int, type, int], ...]
    text_positions: tuple[tuple[int, int], ...]  # (the parameter's index, the value's index)
    layout: RowLayout


def _plan_body(compiled: _Compiled, raw_connection) -> tuple[str, tuple[int, ...]]:
    """The compiled SQL for a `PREPARE`: where the value goes `$1`, `$2`…, every other parameter
    written in as psycopg's client-side binding writes it (Django's default), its `%` doubled as the
    `EXECUTE` that comes with it is bound too; and the value's positions in the order of the `$n`."""
    from psycopg.sql import Literal  # noqa: PLC0415 - PostgreSQL only

    places = tuple(sorted({position for position, *_ in compiled.positions} | {p for p, _k in compiled.text_positions}))
    index, numbers = itertools.count(), itertools.count(1)

    def place(match: re.Match) -> str:
        if match.group() == "%%":
            return "%%"
        position = next(index)
        if position in places:
            return f"${next(numbers)}"
        return Literal(compiled.params[position]).as_string(raw_connection).replace("%", "%%")

    return _PLACEHOLDER.sub(place, compiled.sql), places


def _statements(connection) -> dict:
    """The statements prepared on this connection's current database session, by query and shape
    (forgotten when Django opens a new session)."""
    kept = connection.__dict__.get("_prepared_statements")
    if kept is None or kept[0] is not connection.connection:
        kept = connection.__dict__["_prepared_statements"] = (connection.connection, {})
    return kept[1]


def _positions(params: tuple, markers: tuple) -> tuple[tuple, tuple]:
    """Where each marker sits among the compiled parameters: as itself (of its type), and as its text
    (a value the SQL casts); a text marker is found as itself only."""
    positions, text_positions = [], []
    for k, marker in enumerate(markers):
        text = None if isinstance(marker, str) else str(marker)
        found = [(i, type(p), k) for i, p in enumerate(params) if isinstance(p, type(marker)) and p == marker]
        texts = [(i, k) for i, p in enumerate(params) if isinstance(p, str) and p == text]
        if not found and not texts:
            raise ImproperlyConfigured("the marker is none of the query's parameters")
        positions += found
        text_positions += texts
    return tuple(positions), tuple(text_positions)


def _compile(queryset: QuerySet, markers: tuple, using: str) -> _Compiled:
    """The compiled SQL of `queryset`, where the marker sits in it and how its rows become results."""
    iterable = getattr(queryset, "_iterable_class", None)
    if (
        iterable not in (ModelIterable, ValuesIterable)
        or getattr(queryset, "_known_related_objects", None)
        or getattr(queryset, "_prefetch_related_lookups", ())
    ):
        raise ImproperlyConfigured("a plain model or values() queryset is needed")
    compiler = queryset.query.get_compiler(using=using)
    sql, params = compiler.as_sql()  # fills compiler.select, klass_info, annotation_col_map
    params = tuple(params)
    positions, text_positions = _positions(params, markers)
    return _Compiled(sql, params, positions, text_positions, row_layout(queryset, compiler))


def _fits(value) -> bool:
    """Whether every integer of `value` (a value, or a tuple or list of them) fits a 32-bit column: a
    kept plan types its parameters by their columns, where a larger one fails (`integer out of
    range`) instead of finding no row as the client-side binding's wider type does (a URL's id)."""
    if isinstance(value, (tuple, list)):
        return all(_fits(item) for item in value)
    return not isinstance(value, int) or -(2**31) <= value < 2**31


def _plans_kept_on(connection) -> bool:
    """Whether `plan_kept` keeps plans on this connection: PostgreSQL, not behind a pooler in
    transaction mode (`DISABLE_SERVER_SIDE_CURSORS`, Django's switch for one, set by
    `DATABASE_POOLED`), where the next statement may reach a session without the prepared one."""
    return connection.vendor == "postgresql" and not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")


class _Prepared:
    """The compiled query of each connection and shape, and its run with a value."""

    def __init__(self, build: Callable[..., QuerySet], *, marker=MARKER, using=DEFAULT_DB_ALIAS,
                 plan_kept: bool = False):  # fmt: skip
        self.build = build
        self.marker = marker
        self._several = isinstance(marker, tuple)  # a tuple of markers: build(*markers), a tuple of values
        self._markers = marker if self._several else (marker,)
        self.using = using
        self.plan_kept = plan_kept
        self._attribute = f"_prepared_{next(_numbers)}"

    def _run(self, value, shape: tuple = (), size: int | None = None) -> list:
        """The results for `value` (at most `size` rows fetched when it is given)."""
        connection = connections[self.using]
        compiled, kept = self._compiled(connection, shape)
        if kept and self.plan_kept and _plans_kept_on(connection) and _fits(value):
            return self._run_kept_plan(connection, compiled, shape, value, size)
        values = value if self._several else (value,)
        params = list(compiled.params)
        for position, kind, k in compiled.positions:
            params[position] = self._param(values[k], kind, connection)
        for position, k in compiled.text_positions:
            params[position] = str(values[k])
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall() if size is None else cursor.fetchmany(size)
        return read_rows(compiled.layout, rows, self.using)

    def _run_kept_plan(self, connection, compiled: _Compiled, shape: tuple, value, size: int | None) -> list:
        """`_run` through the statement prepared on the server (`plan_kept`): prepared with the
        first run on the connection's session, in the same round trip."""
        values = value if self._several else (value,)
        kinds = {position: (kind, k) for position, kind, k in compiled.positions}
        texts = dict(compiled.text_positions)
        with connection.cursor() as cursor:  # opens the session if need be
            statements = _statements(connection)
            name, places = statements.get((self._attribute, shape)) or (None, ())
            first, body = name is None, ""
            if first:
                body, places = _plan_body(compiled, connection.connection)
                name = f"_prepared_plan_{next(_statement_numbers)}"
            run = f"EXECUTE {name}({', '.join(['%s'] * len(places))})"
            params = [
                self._param(values[kinds[p][1]], kinds[p][0], connection) if p in kinds else str(values[texts[p]])
                for p in places
            ]
            cursor.execute(f"PREPARE {name} AS {body};\n{run}" if first else run, params)
            if first:
                cursor.nextset()  # the EXECUTE's rows
                statements[(self._attribute, shape)] = (name, places)
            rows = cursor.fetchall() if size is None else cursor.fetchmany(size)
        return read_rows(compiled.layout, rows, self.using)

    def _param(self, value, kind: type, connection) -> Any:
        """The value as the query's parameter: of the type the ORM gave the marker (e.g. psycopg's
        Int8 for a bigint column); a value already of that type (a date) as it is."""
        return value if type(value) is kind else kind(value)

    def _compiled(self, connection, shape: tuple) -> tuple[_Compiled, bool]:
        """The compiled query of `shape`, and whether it is kept (a rarer shape is not)."""
        kept = connection.__dict__.setdefault(self._attribute, {})
        compiled = kept.get(shape)
        if compiled is None:
            compiled = self._compile(shape)
            if len(kept) >= SHAPES:
                return compiled, False
            kept[shape] = compiled
        return compiled, True

    def _compile(self, shape: tuple) -> _Compiled:
        queryset = self.build(*self._markers, *shape)
        try:
            compiled = _compile(queryset, self._markers, self.using)
        except ImproperlyConfigured as refused:
            raise ImproperlyConfigured(f"{type(self).__name__}: {refused}") from None
        self._check(queryset, compiled)
        return compiled

    def _check(self, queryset: QuerySet, compiled: _Compiled) -> None:
        """Refuses what this front door cannot run (nothing more than `_compile` refuses here)."""


class PreparedQuery(_Prepared):
    def rows(self, value, *shape) -> list:
        """The query's rows for `value`: model instances (with what it selects: related objects,
        annotations) or, for a values() query, dicts."""
        return self._run(value, shape)


class _OneValue(_Prepared):
    """A query with the value as exactly one parameter and no slice."""

    def _check(self, queryset: QuerySet, compiled: _Compiled) -> None:
        if queryset.query.is_sliced or self._several:
            raise ImproperlyConfigured(f"{type(self).__name__}: a plain filtered queryset of one value is needed")
        if len(compiled.positions) != 1 or compiled.text_positions:
            raise ImproperlyConfigured(
                f"{type(self).__name__}: the marker must be the query's one parameter of its kind"
            )


class PreparedGet(_OneValue):
    def __init__(self, build: Callable[[Any], QuerySet], field: Field, *, marker=MARKER, using=DEFAULT_DB_ALIAS,
                 plan_kept: bool = False):  # fmt: skip
        super().__init__(build, marker=marker, using=using, plan_kept=plan_kept)
        self.field = field

    def get(self, value) -> Model | None:
        """The object whose `field` is `value` (None when there is none, or more than one), with
        what the query selects: related objects, annotations."""
        objects = self._run(value, size=2)
        return objects[0] if len(objects) == 1 else None

    def _param(self, value, kind: type, connection) -> Any:
        return self.field.get_db_prep_value(value, connection, prepared=False)


class PreparedFilter(PreparedGet):
    def rows(self, value) -> list[Model]:
        """The objects whose `field` is `value`, in the query's order, with what it selects."""
        return self._run(value)


class PreparedRows(_OneValue):
    """The rows of a list of ids: the query is built by `build(marker)` with `IdIn(column, marker)`;
    each call runs it with the ids as one array parameter."""

    def __init__(self, build: Callable[[Any], QuerySet], *, using=DEFAULT_DB_ALIAS, plan_kept: bool = False):
        super().__init__(build, marker=[MARKER], using=using, plan_kept=plan_kept)

    def rows(self, ids: list[int]) -> list[Model]:
        return self._run(ids)

    def _param(self, value, kind: type, connection) -> Any:
        return [int(pk) for pk in value]
