"""Field helpers shared by the forms of this room."""

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.text import capfirst

from core import forms as core_forms
from core.forms import DateInput, validate_plausible_date

TEXT_MAX = 5000


def date_field(label, *, required=True, help_text=""):
    return core_forms.date_field(label, required=required, help_text=help_text, validators=[validate_plausible_date])


def text_field(label, *, required=True, rows=3, max_length=TEXT_MAX, help_text=""):
    return forms.CharField(
        label=capfirst(label),
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
