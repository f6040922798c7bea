"""The child rows of a contract or a programme (goals, actions, evaluations): replace them with the
rows a form submitted, keeping the ids of rows that stay (so versions can be compared and referrals
keyed by action id stay stable), and stamp an action done."""

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError


def sync_children(parent, related_name: str, rows: Iterable[dict], fields: list[str]) -> None:
    """Replace `parent.<related_name>` (a reverse foreign key) with `rows`: dicts with the `fields`
    and an optional "id" of an existing child. Existing children not in `rows` are deleted; rows
    without id are created; order follows rows."""
    manager = getattr(parent, related_name)
    model, parent_field = manager.model, manager.field.name
    existing = {obj.pk: obj for obj in manager.all()}
    kept = set()
    for order, row in enumerate(rows):
        values = {name: row[name] for name in fields if name in row}
        if "order" in {f.name for f in model._meta.get_fields()}:
            values["order"] = order
        row_id = row.get("id")
        if row_id is not None and row_id in existing:
            obj = existing[row_id]
            changed = [name for name, value in values.items() if getattr(obj, name) != value]
            for name in changed:
                setattr(obj, name, values[name])
            if changed:
                obj.save(update_fields=changed)
            kept.add(row_id)
        else:
            model.objects.create(**{parent_field: parent}, **values)
    to_delete = [pk for pk in existing if pk not in kept]
    if to_delete:
        model.objects.filter(pk__in=to_delete).delete()


def mark_done(action, done_on: dt.date):
    """Stamp a locked action (of a contract or a programme) done on `done_on`: once, never in the future."""
    if action.done_on is not None:
        raise DomainError(_("To działanie jest już oznaczone jako wykonane."), conflict=True)
    if done_on > timezone.localdate():
        raise DomainError(_("Data wykonania nie może być w przyszłości."))
    action.done_on = done_on
    action.save(update_fields=["done_on"])
    return action
