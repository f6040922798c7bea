"""Form helpers every room shares: the date picker and the plausible-date checks.

The checks take the message as an argument: each form says in its own words which date is wrong
("Data urodzenia nie może być w przyszłości."), the rule is written once here.
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import fields as model_fields
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.locking import StaleEdit

EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2099, 12, 31)


DATE_PATTERN = r"\d{1,2}\.\d{1,2}\.\d{4}|\d{4}-\d{1,2}-\d{1,2}"
DATE_ATTRS = {
    "inputmode": "numeric",
    "pattern": DATE_PATTERN,
    "placeholder": "dd.mm.rrrr",
    "autocomplete": "off",
    "maxlength": "10",
}


class DateInput(forms.DateInput):
    """A date typed as dd.mm.rrrr, whatever the browser's language (the browser's own date picker
    shows the browser's locale: mm/dd/yyyy in an English Chromium). A text input with a pattern and
    a numeric keyboard on phones; the value is read with the locale's DATE_INPUT_FORMATS, which also
    take ISO (2024-03-05), so links and scripts that send ISO keep working."""

    input_type = "text"

    def __init__(self, attrs=None, **kwargs):
        super().__init__(attrs={**DATE_ATTRS, **(attrs or {})}, format="%d.%m.%Y", **kwargs)


EMPTY_CHOICE = "—"


def use_dash_for_empty_choices() -> None:
    """The empty choice of every select reads "—", not Django's "---------": the one list and the
    one default Django builds them from (model fields with choices, foreign keys). Filters take
    FILTERS_EMPTY_CHOICE_LABEL (settings)."""
    model_fields.BLANK_CHOICE_DASH[:] = [("", EMPTY_CHOICE)]
    defaults = forms.ModelChoiceField.__init__.__kwdefaults__ or {}
    defaults["empty_label"] = EMPTY_CHOICE
    forms.ModelChoiceField.__init__.__kwdefaults__ = defaults


def not_future(value, message) -> None:
    """Refuse a date after today (Europe/Warsaw)."""
    if value and value > timezone.localdate():
        raise ValidationError(message)


def not_before(value, earliest, message) -> None:
    """Refuse a date before `earliest` (a mistyped year, 0202 for 2020)."""
    if value and value < earliest:
        raise ValidationError(message)


def within(value, earliest, latest, message) -> None:
    """Refuse a date outside [earliest, latest]."""
    if value is not None and not earliest <= value <= latest:
        raise ValidationError(message, code="date_range")


def validate_plausible_date(value) -> None:
    """The default range of a date typed into a form: the years 2000–2099."""
    within(value, EARLIEST_DATE, LATEST_DATE, _("Podaj datę z lat 2000–2099."))


def date_field(label, *, required=True, help_text="", validators=(), input_formats=None) -> forms.DateField:
    """A DateField with the date picker; its label starts with a capital, as every label does."""
    extra = {"input_formats": input_formats} if input_formats else {}
    return forms.DateField(
        label=capfirst(label),
        required=required,
        widget=DateInput(),
        validators=list(validators),
        help_text=help_text,
        **extra,
    )


def submit(form, save, *, error_field=None):
    """Call `save()` (a service) for a valid `form`; a refusal goes onto the form instead of a 500: a
    DomainError next to `error_field` (None: above the form), a model ValidationError next to its
    fields; a stale edit (core.locking.StaleEdit) turns a VersionedForm into the re-apply form.
    Returns (what the service returned, None), or (None, the status of the page shown again: 409
    for a lost race, else 200)."""
    try:
        return save(), None
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, messages in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            form.add_error(None, exc.messages)
        return None, 200
    except StaleEdit as exc:
        show_stale(form, exc)
        return None, 409
    except DomainError as exc:
        form.add_error(error_field, exc.message)
        return None, 409 if exc.conflict else 200


def show_stale(form, exc: StaleEdit) -> None:
    """A save refused because the record changed since the form was read: the message above the
    form, the differences and the current version on it (see core.locking)."""
    if hasattr(form, "show_stale"):
        form.show_stale(exc.current)
    form.add_error(None, exc.message)
