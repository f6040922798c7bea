"""`{{ form.field|as_kept_crispy_field }}`: a filter form's field rendered by crispy-forms once per
distinct state, not per request (the caseload's and the catalogue's filters).

crispy renders a field through several templates (about a millisecond each, five fields a page);
the HTML depends only on the form, the field, its value, its choices and the language, so it is
kept per process under exactly those (a model choice's options are read for the key: one plain
query, as the rendering would run, or none when the form set the field's `listed` to the objects the
page has already read). A typed text is never kept: its field is kept rendered around a
marker that each request replaces with the escaped text (no search text stays in memory). A field
with errors is rendered as usual."""

import copy

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import template
from django.forms import ModelChoiceField
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

_rendered: dict[tuple, str] = {}
_KEEP = 256  # distinct states kept (the options differ per scope); beyond that the dictionary starts over
_TYPED = "kept-field-typed-7f3c1e"  # stands for a typed text in a kept field's HTML


def _choices(formfield) -> tuple | None:
    if isinstance(formfield, ModelChoiceField):
        # `listed`: the same objects as the queryset, already read by the page (no second query)
        options = getattr(formfield, "listed", None)
        if options is None:
            options = formfield.queryset if formfield.queryset is not None else ()
        return tuple((str(formfield.prepare_value(obj)), formfield.label_from_instance(obj)) for obj in options)
    choices = getattr(formfield, "choices", None)
    return None if choices is None else tuple((str(value), str(label)) for value, label in choices)


def _kept(key: tuple, field) -> str:
    html = _rendered.get(key)
    if html is None:
        html = as_crispy_field(field)
        if len(_rendered) >= _KEEP:
            _rendered.clear()
        _rendered[key] = html
    return html


@register.filter
def as_kept_crispy_field(field) -> SafeString:
    """`field|as_crispy_field`, kept per (form, field, value, options, language)."""
    if field.errors:
        return as_crispy_field(field)
    value = field.value()
    choices = _choices(field.field)
    key = (type(field.form).__qualname__, field.html_name, field.auto_id, choices, get_language())
    if choices is None and isinstance(value, str) and value:
        stand_in = copy.copy(field)
        stand_in.value = lambda: _TYPED  # the widget and crispy's templates read `field.value()`
        html = _kept((*key, _TYPED), stand_in)
        if html.count(_TYPED) != 1:  # the text shown elsewhere than in the value: render as usual
            return as_crispy_field(field)
        return mark_safe(html.replace(_TYPED, escape(value)))  # noqa: S308 -- crispy's HTML, the text escaped
    if choices is None and value not in (None, "", False, True):
        return as_crispy_field(field)
    return mark_safe(_kept((*key, repr(value)), field))  # noqa: S308 -- crispy's own HTML
