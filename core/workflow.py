"""One way to write a status machine: a table of transitions beside the status enum, and one
function that applies a transition of the table to a row.

`apply_transition` opens a transaction, re-reads the row with `select_for_update`, checks who
may act and whether the row's current status allows the transition, sets the values the caller
computed, stamps the fields the table names, bumps `lock_version` when the model has one, saves
with `update_fields` and calls the event writer (the domain record) in the same transaction.

Knows no domain: statuses are plain strings, predicates are whatever the room's access module
exports, messages come from the table.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy

from core.errors import DomainError

Predicate = Callable[[Any, Any], bool]

DEFAULT_DENIED = gettext_lazy("Nie masz uprawnień do tej zmiany.")
DEFAULT_ILLEGAL = gettext_lazy("Tej zmiany nie można wykonać w obecnym stanie.")


@dataclass(frozen=True)
class Transition:
    """One edge (or several with the same target) of a status machine.

    - `source`: the statuses the transition may start from;
    - `target`: the status it leads to;
    - `who`: a predicate (user, obj) -> bool; None = no user check (a system job);
    - `stamps`: fields set when the transition happens: a relation gets the acting user, a
      DateField today's date, a DateTimeField now() (a value the caller passes wins);
    - `denied`: the message when `who` refuses the user;
    - `illegal`: the message when the row is in another status (a str, or a callable of the row);
    - `description`: one line for the generated documentation.
    """

    source: tuple[str, ...]
    target: str
    who: Predicate | None = None
    stamps: tuple[str, ...] = ()
    denied: Any = DEFAULT_DENIED
    illegal: Any = DEFAULT_ILLEGAL
    description: str = ""


Table = Mapping[str, Transition]


class LazyPredicate:
    """A predicate named by its dotted path, imported on first call. Tables sit beside the status
    enums in models modules, which load before the access modules that import those models."""

    def __init__(self, path: str):
        self.path = path
        self.__name__ = path.rsplit(".", 1)[-1]

    def __call__(self, user, obj) -> bool:
        return bool(_resolve(self.path)(user, obj))

    def __repr__(self) -> str:
        return f"LazyPredicate({self.path!r})"


@cache
def _resolve(path: str) -> Predicate:
    return import_string(path)


def predicate(path: str) -> LazyPredicate:
    return LazyPredicate(path)


def _field_names(model) -> set[str]:
    return {f.name for f in model._meta.concrete_fields}


def _auto_now_fields(model) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]


def _stamp_value(model, name: str, by, now):
    model_field = model._meta.get_field(name)
    if model_field.is_relation:
        return by
    if isinstance(model_field, models.DateTimeField):
        return now
    if isinstance(model_field, models.DateField):
        return timezone.localdate(now)
    raise TypeError(f"cannot stamp {model.__name__}.{name}")


def _message(message, obj) -> str:
    return str(message(obj) if callable(message) else message)


def check_transition(obj, transition: Transition, *, by, status_field: str = "status") -> None:
    """Raise DomainError if `by` may not act or the row's status does not allow `transition`.
    A status mismatch is a conflict (409): the page offered a step the row has moved past."""
    if transition.who is not None and (by is None or not transition.who(by, obj)):
        raise DomainError(_message(transition.denied, obj))
    if getattr(obj, status_field) not in transition.source:
        raise DomainError(_message(transition.illegal, obj), conflict=True)


def allowed_actions(obj, table: Table, *, by, status_field: str = "status") -> list[str]:
    """The actions of `table` that `by` may take on `obj` now (for buttons on a page)."""
    status = getattr(obj, status_field)
    return [
        name
        for name, t in table.items()
        if status in t.source and (t.who is None or (by is not None and t.who(by, obj)))
    ]


def apply_transition(
    obj,
    table: Table,
    action: str,
    *,
    by,
    values: Mapping[str, Any] | None = None,
    prepare: Callable[[Any], Mapping[str, Any] | None] | None = None,
    event: Callable[[Any, str], Any] | None = None,
    status_field: str = "status",
):
    """Apply `table[action]` to the row of `obj`; returns the locked, updated row.

    `prepare(row)` runs on the locked row after the table's checks: it may raise DomainError
    (a rule of the service) and may return more field values to set. `event(row, previous)`
    writes the domain record after the save, in the same transaction."""
    transition = table[action]
    model = type(obj)
    with transaction.atomic():
        row = model._default_manager.select_for_update().get(pk=obj.pk)
        check_transition(row, transition, by=by, status_field=status_field)
        updates = dict(values or {})
        if prepare is not None:
            updates.update(prepare(row) or {})
        now = timezone.now()  # one instant for every stamp of the transition
        for name in transition.stamps:
            updates.setdefault(name, _stamp_value(model, name, by, now))
        previous = getattr(row, status_field)
        updates[status_field] = transition.target
        for name, value in updates.items():
            setattr(row, name, value)
        fields = [*updates, *(f for f in _auto_now_fields(model) if f not in updates)]
        if "lock_version" in _field_names(model):
            row.lock_version += 1
            fields.append("lock_version")
        row.save(update_fields=fields)
        if event is not None:
            event(row, previous)
    return row


# --- documentation ---------------------------------------------------------------------------


def who_label(transition: Transition) -> str:
    if transition.who is None:
        return "system"
    return getattr(transition.who, "__name__", repr(transition.who))


def _state_id(status: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in status)


def mermaid(table: Table, *, initial: str | None = None, labels: Mapping[str, str] | None = None) -> str:
    """The table as a Mermaid `stateDiagram-v2` (one arrow per source status and action)."""
    labels = labels or {}
    lines = ["stateDiagram-v2"]
    states: list[str] = []
    for t in table.values():
        for status in (*t.source, t.target):
            if status not in states:
                states.append(status)
    for status in states:
        if status in labels:
            lines.append(f'    state "{labels[status]}" as {_state_id(status)}')
    if initial is not None:
        lines.append(f"    [*] --> {_state_id(initial)}")
    for action, t in table.items():
        for status in t.source:
            lines.append(f"    {_state_id(status)} --> {_state_id(t.target)}: {action}")
    return "\n".join(lines) + "\n"


def markdown_rows(table: Table, *, labels: Mapping[str, str] | None = None) -> str:
    """The table as a Markdown table: action, from, to, who may, what it stamps."""
    labels = labels or {}

    def name(status: str) -> str:
        return f"{labels[status]} (`{status}`)" if status in labels else f"`{status}`"

    lines = ["| action | from | to | who may | stamps | what |", "|---|---|---|---|---|---|"]
    for action, t in table.items():
        source = ", ".join(name(s) for s in t.source)
        stamps = ", ".join(f"`{s}`" for s in t.stamps) or "—"
        lines.append(f"| `{action}` | {source} | {name(t.target)} | `{who_label(t)}` | {stamps} | {t.description} |")
    return "\n".join(lines) + "\n"
