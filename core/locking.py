"""Optimistic locking: every edit carries the version it was read at.

A model that can be edited has `lock_version = PositiveIntegerField(default=1, editable=False)`.
Its edit form mixes in `VersionedForm` (a hidden `lock_version`, required, filled from the instance
shown) and its service calls `claim_version(row, lock_version)` inside its transaction, before it
writes: a conditional `UPDATE ... SET lock_version = lock_version + 1 WHERE pk = … AND lock_version
= <read>`. Nobody saved in between: the row is claimed (and locked until the transaction ends).
Somebody did: `StaleEdit` (a `DomainError` with `conflict=True`, so `core.forms.submit` answers
409) carrying the row as it is now. The form then shows the differences between the stored row and
the user's values (`differences`) and becomes the re-apply form: the user's values, the current
version.

Knows no domain: labels and choices come from the form, values from the row.
"""

from __future__ import annotations

import datetime as dt
import os
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Model, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError

CHANGED_MEANWHILE = gettext_lazy(
    "Ktoś zmienił te dane w międzyczasie. Sprawdź różnice i zapisz swoje zmiany ponownie albo je porzuć."
)
STALE_FORM = gettext_lazy("Formularz jest nieaktualny – otwórz go ponownie.")
EMPTY = "—"
MAX_VERSION = 2**31 - 1


class StaleEdit(DomainError):
    """An edit read at a version that is no longer the stored one: a lost race (409)."""

    def __init__(self, current, message=CHANGED_MEANWHILE):
        super().__init__(message, conflict=True)
        self.current = current


def claim_version(obj, lock_version: int | None) -> None:
    """Claim the row of `obj` for an edit read at `lock_version`; call inside the service's
    transaction, before it writes. Bumps the stored version (and `obj.lock_version`), or raises
    StaleEdit with the current row. None (a command or an import, no form) claims nothing."""
    if lock_version is None:
        return
    manager = type(obj)._default_manager
    claimed = manager.filter(pk=obj.pk, lock_version=lock_version).update(lock_version=F("lock_version") + 1)
    if not claimed:
        raise StaleEdit(manager.get(pk=obj.pk))
    obj.lock_version = lock_version + 1


class VersionedForm(forms.BaseForm):
    """Mix into an edit form (before the ModelForm): a hidden, required `lock_version` when the
    instance exists (a create form has none). `version_ignored` names fields that are not the
    record's data (a correction's reason) and are left out of the differences."""

    version_ignored: tuple[str, ...] = ()
    version_unsaved = False  # True: an unsaved record (settings with their defaults) is version 1 too
    _version_kwargs: dict = {}
    stale: list | None = None
    stale_shown = False

    def __new__(cls, *args, **kwargs):
        # the keyword arguments the form was made with (user=, family=, project=…), before the
        # subclass's __init__ takes them: the stored row's form is made the same way
        form = super().__new__(cls)
        form._version_kwargs = {
            key: value for key, value in kwargs.items() if key not in ("data", "files", "instance", "initial", "prefix")
        }
        return form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        record = self.versioned_record()
        if record is not None and (record.pk or self.version_unsaved):
            self.fields["lock_version"] = forms.IntegerField(
                widget=forms.HiddenInput,
                min_value=0,
                max_value=MAX_VERSION,
                initial=record.lock_version,
                error_messages={key: STALE_FORM for key in ("required", "invalid", "min_value", "max_value")},
            )

    def versioned_record(self):
        """The record this form edits (a ModelForm's instance)."""
        return getattr(self, "instance", None)

    def fresh_form(self, current):
        """The same form, unbound, showing `current` (the stored row)."""
        return type(self)(instance=current, **self._version_kwargs)

    @property
    def read_version(self) -> int | None:
        """The version the edit was read at (None on a create form)."""
        return self.cleaned_data.get("lock_version") if "lock_version" in self.fields else None

    def show_stale(self, current) -> None:
        """Turn this posted form into the re-apply form: remember the differences against the
        stored row and carry its version, keeping the user's values."""
        self.stale = differences(self, self.fresh_form(current))
        self.stale_shown = True
        data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict (the form is bound)
        data[self.add_prefix("lock_version")] = str(current.lock_version)
        self.data = data


def differences(form, fresh) -> list[tuple[str, str, str]]:
    """(label, stored value, the user's value) of every field the two forms show differently."""
    rows = []
    for name, field in form.fields.items():
        if name == "lock_version" or name in form.version_ignored or name not in form.cleaned_data:
            continue
        stored = shown(field, _cleaned(field, fresh[name].initial))
        yours = shown(field, form.cleaned_data[name])
        if stored != yours:
            rows.append((str(field.label or name), stored, yours))
    return rows


def _cleaned(field, initial):
    """The stored value as the form would clean it (a pk becomes the object, "tak" becomes True);
    a stored value the form would refuse today is shown as it is."""
    try:
        return field.clean(field.prepare_value(initial))
    except (ValidationError, TypeError, ValueError):
        queryset = getattr(field, "queryset", None)
        if queryset is not None and not isinstance(initial, (Model, list, tuple)):
            return queryset.model._default_manager.filter(pk=initial).first() or initial
        return initial


def _choice_label(field, value):
    for key, label in field.choices:
        if isinstance(label, (list, tuple)):  # an optgroup
            for sub_key, sub_label in label:
                if str(sub_key) == str(value):
                    return sub_label
        elif str(key) == str(value):
            return label
    return None


def shown(field, value) -> str:
    """A value as the page shows it: choices by their label, objects by their name, dates as
    dd.mm.rrrr, yes/no, amounts with a decimal comma."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, (list, tuple, set, QuerySet)):
        return ", ".join(sorted(shown(field, item) for item in value)) or EMPTY
    if isinstance(value, Model):
        return str(getattr(field, "label_from_instance", str)(value))
    is_choice = isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField)
    if is_choice and (label := _choice_label(field, value)) is not None:
        return str(label)
    return _scalar(value)


def _scalar(value) -> str:
    if isinstance(value, bool):
        return _("tak") if value else _("nie")
    if isinstance(value, dt.datetime):
        return formats.date_format(timezone.localtime(value) if timezone.is_aware(value) else value, "d.m.Y H:i")
    if isinstance(value, dt.date):
        return formats.date_format(value, "d.m.Y")
    if isinstance(value, (Decimal, float)):
        return formats.number_format(value, use_l10n=True)
    if isinstance(value, FieldFile) or hasattr(value, "name") and hasattr(value, "read"):
        return os.path.basename(value.name or "") or EMPTY
    return str(value)
