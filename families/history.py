"""A family's change history (django-auditlog diffs of the family, its members and its reasons) as
a person would write it: one entry per change (who, when, what), Polish field labels, values as the
pages show them (choice labels, dd.mm.rrrr dates, tak/nie, a related record by its name), hidden
values as "zmieniono (ukryte)", and no technical fields (ids, lock versions, timestamps, hashes,
search columns). A constant number of queries: the entries, then one query per kind of related
record they name (docs/security.md#change-history)."""

import datetime as dt
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import JSONField, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.crypto import EncryptedTextField, KeyedHashField
from core.prepared import PreparedQuery
from core.text import FoldedField
from families.codes import SENSITIVE_REASONS
from families.models import Family, FamilyReason, Person

SENSITIVE_LABEL = "•••"
SKIPPED = {"id", "lock_version", "created_at", "updated_at"}
ACTIONS = {
    LogEntry.Action.CREATE: gettext_lazy("utworzono"),
    LogEntry.Action.UPDATE: gettext_lazy("zmieniono"),
    LogEntry.Action.DELETE: gettext_lazy("usunięto"),
}
EMPTY = ("", None, "None", "[]")


@dataclass
class Change:
    label: str
    old: str = ""
    new: str = ""
    hidden: bool = False  # the values are not shown, only that the field changed


@dataclass
class HistoryEntry:
    timestamp: dt.datetime
    actor: str
    action: str
    object_label: str
    changes: list[Change] = field(default_factory=list)
    created: bool = False  # a new record: its values are listed without "old → new"


def _shown_field(model, name):
    """The model field a diff names, or None for a technical one (not shown)."""
    if name in SKIPPED:
        return None
    try:
        model_field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    if isinstance(model_field, KeyedHashField | FoldedField) or not getattr(model_field, "concrete", False):
        return None
    if isinstance(model_field, models.AutoField) or (model is not Family and name == "family"):
        return None
    return model_field


def _is_hidden(model, model_field) -> bool:
    return isinstance(model_field, EncryptedTextField) or (
        model is Person and model_field.name in ("foreign_document_number", *Person.SENSITIVE_FIELDS)
    )


def _pairs(entry):
    for name, values in (entry.changes_dict or {}).items():
        if isinstance(values, list | tuple):
            old, new = (list(values) + [None, None])[:2]
        else:
            old, new = None, values
        yield name, old, new


def _related_names(entries, models_by_ct) -> dict:
    """{(related model, pk as text): its name} for every foreign key value the entries name, one
    query per related model."""
    wanted: dict = {}
    for entry in entries:
        model = models_by_ct[entry.content_type_id]
        for name, old, new in _pairs(entry):
            model_field = _shown_field(model, name)
            if model_field is not None and model_field.is_relation:
                ids = wanted.setdefault(model_field.related_model, set())
                ids.update(str(v) for v in (old, new) if v not in EMPTY and str(v).isdigit())
    names = {}
    for related, ids in wanted.items():
        for obj in related._base_manager.filter(pk__in=[int(i) for i in ids]):
            label = obj.get_full_name() if hasattr(obj, "get_full_name") else ""
            names[(related, str(obj.pk))] = label or str(obj)
    return names


def _date_text(value: str) -> str:
    try:
        return dt.date.fromisoformat(value).strftime("%d.%m.%Y")
    except ValueError:
        pass
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%d.%m.%Y %H:%M")


def _value_text(model_field, value, related_names) -> str:
    """A diff's stored value as the pages show it."""
    if value in EMPTY:
        return ""
    text = str(value)
    if model_field.is_relation:
        return related_names.get((model_field.related_model, text), _("(usunięty rekord)"))
    if model_field.choices:
        return str(dict((str(k), v) for k, v in model_field.flatchoices).get(text, text))
    if isinstance(model_field, models.BooleanField):
        return _("tak") if text in ("True", "true", "1") else _("nie")
    if isinstance(model_field, models.DateField | models.DateTimeField):
        return _date_text(text)
    return text


def _reveals_special_category(model, entry) -> bool:
    """A change of a reason that reveals special-category data (`SENSITIVE_REASONS`)."""
    if model is not FamilyReason:
        return False
    codes = {str(value) for _name, *values in _pairs(entry) if _name == "code" for value in values}
    labels = {str(reason.label) for reason in SENSITIVE_REASONS}
    return bool(codes & {str(reason.value) for reason in SENSITIVE_REASONS}) or entry.object_repr in labels


def _object_label(model, entry, hidden: bool) -> str:
    if model is Family:
        return ""
    name = SENSITIVE_LABEL if hidden else entry.object_repr
    return f"{str(model._meta.verbose_name).capitalize()}: {name}"


def _changes(model, entry, related_names, *, hidden: bool) -> list[Change]:
    changes = []
    for name, old, new in _pairs(entry):
        model_field = _shown_field(model, name)
        if model_field is None or (old in EMPTY and new in EMPTY):
            continue
        label = str(model_field.verbose_name)
        if hidden or _is_hidden(model, model_field):
            changes.append(Change(label, hidden=True))
            continue
        before = _value_text(model_field, old, related_names)
        after = _value_text(model_field, new, related_names)
        if before != after:
            changes.append(Change(label, before, after))
    return changes


def _own_and_parts(family_id, limit: int, family_ct: int, member_cts: tuple, family_value=None):
    """The family's own newest changes and its members' and reasons': two ordered reads, each from
    its own index (migration 0010): with an OR of the two, PostgreSQL walked the whole log backwards
    by time once a family had many views (ACCESS entries). `family_value`: the family id as the
    members' entries' JSON holds it (by default the id itself)."""
    changes = (
        LogEntry.objects.exclude(action=LogEntry.Action.ACCESS).select_related("actor").order_by("-timestamp", "-pk")
    )
    own = changes.filter(content_type_id=family_ct, object_id=family_id)[:limit]
    value = family_id if family_value is None else family_value
    parts = changes.filter(content_type_id__in=member_cts, additional_data__family_id=value)[:limit]
    return own, parts


def _one_query(family_id, limit: int, family_ct: int, member_cts: tuple):
    """The two reads as the parts of one UNION ALL (where the database allows ordered parts:
    PostgreSQL): each part keeps its own index (a Merge Append). The family id in the JSON is cast
    from its text (`'7'::jsonb`, the same condition and index) so that a prepared query sets it."""
    own, parts = _own_and_parts(family_id, limit, family_ct, member_cts, Cast(Value(str(family_id)), JSONField()))
    return own.union(parts, all=True).order_by("-timestamp", "-pk")[:limit]


# compiled once per connection, limit and content types (docs/performance/casework.md)
_ENTRIES = PreparedQuery(_one_query, plan_kept=True)


def change_history(family, *, limit: int = 100, special: bool = False) -> list[HistoryEntry]:
    """The changes of the family, its members and its reasons, newest first. A reason that reveals
    special-category data is shown as "•••" unless `special` (the caller's
    `can_see_special_categories`); encrypted and masked values only as "zmieniono (ukryte)"."""
    models_by_ct = {ContentType.objects.get_for_model(m).pk: m for m in (Family, Person, FamilyReason)}
    family_ct, *member_cts = models_by_ct  # part of the compiled SQL: a shape of the prepared query
    if connections[DEFAULT_DB_ALIAS].features.supports_slicing_ordering_in_compound:
        entries = _ENTRIES.rows(family.pk, limit, family_ct, tuple(member_cts))
    else:  # SQLite refuses ordered parts of a compound: the two reads, merged here
        own, parts = _own_and_parts(family.pk, limit, family_ct, tuple(member_cts))
        entries = sorted([*own, *parts], key=lambda e: (e.timestamp, e.pk), reverse=True)[:limit]
    related_names = _related_names(entries, models_by_ct)
    history = []
    for entry in entries:
        model = models_by_ct[entry.content_type_id]
        hidden = not special and _reveals_special_category(model, entry)
        changes = [] if entry.action == LogEntry.Action.DELETE else _changes(model, entry, related_names, hidden=hidden)
        if entry.action == LogEntry.Action.UPDATE and not changes:
            continue  # only technical fields changed
        actor = (entry.actor.get_full_name() or entry.actor.username) if entry.actor else "—"
        history.append(
            HistoryEntry(
                timestamp=entry.timestamp,
                actor=actor,
                action=str(ACTIONS[entry.action] if entry.action in ACTIONS else entry.get_action_display()),
                object_label=_object_label(model, entry, hidden),
                changes=changes,
                created=entry.action == LogEntry.Action.CREATE,
            )
        )
    return history
