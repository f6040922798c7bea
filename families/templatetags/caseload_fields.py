"""The caseload's filter fields rendered by crispy-forms once per distinct state, not per request.

crispy renders a field through several templates (about a millisecond each, five fields a page);
the HTML depends only on the form, the field, its value, its choices and the language, so it is
kept per process under exactly those (a model choice's options are read for the key: one plain
query, as the rendering would run). A field with errors or with a typed text is rendered as usual
and not kept (no search text stays in memory)."""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template
from django.forms import ModelChoiceField
from django.utils.translation import get_language

register = template.Library()

_rendered: dict[tuple, str] = {}
_KEEP = 256  # distinct states kept (the options differ per scope); beyond that the dictionary starts over


def _choices(formfield) -> tuple | None:
    if isinstance(formfield, ModelChoiceField):
        return tuple(
            (str(formfield.prepare_value(obj)), formfield.label_from_instance(obj)) for obj in formfield.queryset
        )
    choices = getattr(formfield, "choices", None)
    return None if choices is None else tuple((str(value), str(label)) for value, label in choices)


@register.filter
def as_kept_crispy_field(field):
    """`field|as_crispy_field`, kept per (form, field, value, options, language)."""
    value = field.value()
    choices = _choices(field.field)
    if field.errors or (choices is None and value not in (None, "", False, True)):
        return as_crispy_field(field)
    key = (type(field.form).__qualname__, field.html_name, field.auto_id, repr(value), choices, get_language())
    html = _rendered.get(key)
    if html is None:
        html = as_crispy_field(field)
        if len(_rendered) >= _KEEP:
            _rendered.clear()
        _rendered[key] = html
    return html
