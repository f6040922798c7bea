"""Field helpers shared by the forms of this room."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

MIN_DATE = dt.date(2000, 1, 1)
MAX_DATE = dt.date(2099, 12, 31)
TEXT_MAX = 5000


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def validate_plausible_date(value):
    if value is not None and not (MIN_DATE <= value <= MAX_DATE):
        raise ValidationError(_("Podaj datę z lat 2000–2099."), code="date_range")


def date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label, required=required, widget=DateInput(), validators=[validate_plausible_date], help_text=help_text
    )


def text_field(label, *, required=True, rows=3, max_length=TEXT_MAX, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def plausible_dates(form_class):
    """Give every DateField of a ModelForm the date picker and the plausible-range check."""
    original_init = form_class.__init__

    def __init__(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()
                field.validators.append(validate_plausible_date)
            elif isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea):
                field.max_length = field.max_length or TEXT_MAX
                field.validators.append(_max_length_validator(field.max_length))
                field.widget.attrs.setdefault("rows", 3)

    form_class.__init__ = __init__
    return form_class


def _max_length_validator(limit):
    return MaxLengthValidator(limit)


def rows_of(formset, fields: list[str]) -> list[dict]:
    """The rows a (valid) model formset submitted, as plain dicts with the existing row's id."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        row = {name: data.get(name) for name in fields}
        existing = data.get("id")
        row["id"] = existing.pk if existing is not None else None
        rows.append(row)
    return rows
