"""Fast inserts for the load generator: PostgreSQL's COPY instead of bulk_create.

bulk_create builds one huge INSERT per batch and runs every field's Python preparation; at scale XL
(ten times L: millions of rows) that alone would take longer than the 15 minutes the issue allows.
Two ways in:

- `copy_rows(model, columns, rows)`: tuples of database-ready values for the named columns (attnames,
  e.g. `family_id`); every other column gets its field's default, prepared once. For the big, plain
  tables (visits, attendance, events, audit entries). No encrypted or derived column may be named.
- `copy_objects(model, objs)`: model instances (made with `build`, a cheaper `Model(**values)`),
  each field prepared as `save()` prepares it
  (`pre_save` fills the PESEL hash and the folded search name, `get_db_prep_save` encrypts), except
  that an `auto_now(_add)` date set on the instance is kept (bulk_create would stamp "now").

Both take their primary keys from a block reserved on the table's sequence (`reserve_ids`), so the
caller knows the ids without reading them back, and set `obj.pk` on instances.
"""

from collections.abc import Iterable, Sequence

from django.db import connection, models
from django.db.models.base import ModelState
from django.utils import timezone
from psycopg.copy import QueuedLibpqWriter

from core.crypto import EncryptedTextField

_BLANKS: dict = {}


def _blank(model) -> tuple[dict, list, dict]:
    """The model's constant defaults by attname, its callable ones, and its field names -> attnames."""
    if model not in _BLANKS:
        fields = model._meta.concrete_fields
        constant = {f.attname: f.get_default() for f in fields if not (f.has_default() and callable(f.default))}
        called = [(f.attname, f.default) for f in fields if f.has_default() and callable(f.default)]
        names = {f.name: f.attname for f in fields} | {f.attname: f.attname for f in fields}
        _BLANKS[model] = constant, called, names
    return _BLANKS[model]


def build(model, **values):
    """What `model(**values)` makes (fields by name or attname, a related object by its field's
    name: its id is stored and the object cached), without Model.__init__'s per-field work: the
    generator makes a million instances at XL, and __init__ was its slowest Python."""
    constant, called, names = _blank(model)
    obj = model.__new__(model)
    state = obj.__dict__
    state.update(constant)
    for attname, default in called:
        state[attname] = default()
    obj._state = ModelState()
    for name, value in values.items():
        attname = names.get(name)
        if attname is None:
            raise TypeError(f"{model.__name__} has no field {name!r}")
        if attname != name:  # a related object
            state[attname] = None if value is None else value.pk
            obj._state.fields_cache[name] = value
        else:
            state[name] = value
    return obj


def reserve_ids(model, count: int) -> list[int]:
    """`count` consecutive ids from the table's sequence (nobody else writes during the load)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, count],
        )
        last = cursor.fetchone()[0]
    return list(range(last - count + 1, last + 1))


def _copy(cursor, sql: str):
    """COPY whose data a second thread sends: PostgreSQL parses and stores one block while Python
    formats the next (with the default writer Python waits for the server at every flush)."""
    return cursor.cursor.copy(sql, writer=QueuedLibpqWriter(cursor.cursor))


def _defaults(model, named: set[str]) -> tuple[list[str], list]:
    """The other concrete columns and their prepared defaults (auto_now(_add) dates: now)."""
    now = timezone.now()
    columns, values = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.attname in named:
            continue
        if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
            value = now
        else:
            value = field.get_default()
        columns.append(field.column)
        values.append(field.get_db_prep_save(value, connection))
    return columns, values


def copy_rows(model, columns: Sequence[str], rows: Iterable[Sequence], *, with_ids: bool = False) -> list[int] | int:
    """COPY `rows` (tuples for `columns`) into the model's table. With `with_ids` the rows get ids
    reserved here (returned, in order); else the table's identity gives them. Returns the ids or
    the count."""
    opts = model._meta
    rest, rest_values = _defaults(model, set(columns))
    names = [opts.get_field(c).column for c in columns]
    rows = list(rows) if with_ids else rows
    ids = reserve_ids(model, len(rows)) if with_ids else []  # type: ignore[arg-type]
    head = ["id"] if with_ids else []
    quoted = ", ".join(connection.ops.quote_name(name) for name in head + names + rest)
    sql = f"COPY {connection.ops.quote_name(opts.db_table)} ({quoted}) FROM STDIN"
    tail = tuple(rest_values)
    count = 0
    with connection.cursor() as cursor, _copy(cursor, sql) as copy:
        if with_ids:
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row((pk, *row, *tail))
        else:
            for row in rows:
                copy.write_row((*row, *tail))
                count += 1
    return ids if with_ids else count


RAW_TYPES = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.DateField,
             models.TimeField, models.DecimalField, models.ForeignKey)  # fmt: skip


def _plan(model) -> list[tuple[str, str, models.Field]]:
    """Per column: "stamp" (an auto_now(_add) date: the instance's, else now), "raw" (the attribute
    as it is: psycopg adapts it), "choice" (an encrypted answer of a few choices: each value is
    encrypted once and its token reused — load data only: equal answers then have equal tokens) or
    "prep" (what save() does: pre_save, then get_db_prep_save)."""
    plan = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        auto = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        plain = type(field).pre_save in (
            models.Field.pre_save,
            models.DateField.pre_save,
            models.DateTimeField.pre_save,
        )
        prep_save = type(field).get_db_prep_save
        raw = plain and (
            isinstance(field, models.ForeignKey)
            or (isinstance(field, RAW_TYPES) and prep_save is models.Field.get_db_prep_save)
        )
        choice = isinstance(field, EncryptedTextField) and bool(field.choices)
        plan.append((field.attname, "stamp" if auto else "raw" if raw else "choice" if choice else "prep", field))
    return plan


def copy_objects(model, objs: list[models.Model]) -> list[models.Model]:
    """COPY model instances (see the module docstring); sets their pk. Returns `objs`."""
    plan = _plan(model)
    for obj, pk in zip(objs, reserve_ids(model, len(objs)), strict=True):
        obj.pk = pk
    now = timezone.now()
    tokens: dict[tuple[str, str], str] = {}
    quoted = ", ".join(connection.ops.quote_name(name) for name in ["id", *(f.column for _, _, f in plan)])
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({quoted}) FROM STDIN"
    with connection.cursor() as cursor, _copy(cursor, sql) as copy:
        for obj in objs:
            values = [obj.pk]
            state = obj.__dict__
            for attname, mode, field in plan:
                if mode == "raw":
                    values.append(state[attname])
                elif mode == "choice":
                    key = (attname, state[attname])
                    if key not in tokens:
                        tokens[key] = field.get_db_prep_save(state[attname], connection)
                    values.append(tokens[key])
                elif mode == "stamp":
                    if state.get(attname) is None:
                        state[attname] = now
                    values.append(state[attname])
                else:
                    values.append(field.get_db_prep_save(field.pre_save(obj, add=True), connection))
            copy.write_row(values)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = "default"
    return objs
