"""The gmina picker: one text field for a gmina's 7-digit TERYT code, searchable by name.

As the user types a name, htmx asks `support_network:gmina_search` for matching gminas of the
register and puts them in the input's <datalist> (label: name, kind, powiat, voivodeship; value:
the code); the description under the field shows the chosen gmina. Native HTML and htmx only: no
script of its own, nothing from a CDN, nothing the strict CSP forbids. Without htmx the field
still takes a code or the name of a gmina that is unique in the register."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from support_network.models import teryt_format_validator, teryt_validator
from support_network.territory import fold, gmina_address, search_gminas


class GminaPicker(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "off", "inputmode": "search", **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        context["widget"]["attrs"].update({
            "list": f"{widget_id}-options",
            "hx-get": reverse("support_network:gmina_search"),
            "hx-trigger": "input changed delay:250ms",
            "hx-target": f"#{widget_id}-options",
            "hx-vals": format_html('{{"pole": "{}", "for": "{}"}}', name, widget_id),
            "aria-describedby": f"{widget_id}-desc",
        })  # fmt: skip
        return context

    def render(self, name, value, attrs=None, renderer=None):
        html = super().render(name, value, attrs, renderer)
        widget_id = (attrs or {}).get("id") or f"id_{name}"
        address = gmina_address(str(value or ""))
        return format_html(
            '{}<datalist id="{}-options"></datalist><div id="{}-desc" class="form-text" aria-live="polite">{}</div>',
            html, widget_id, widget_id, address.label if address else _("Wpisz nazwę gminy i wybierz ją z listy."),
        )  # fmt: skip


class GminaCodeField(forms.CharField):
    """A gmina's TERYT code from the register; a name that is unique in the register is accepted
    and turned into its code."""

    widget = GminaPicker

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Gmina (rejestr TERYT)"))
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault(
            "help_text", _("Wpisz nazwę i wybierz gminę z listy – województwo, powiat i gmina wypełnią się same.")
        )
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        if not value.isdigit():
            matches = [g for g in search_gminas(value) if fold(g.gmina) == fold(value)]
            if len(matches) != 1:
                raise forms.ValidationError(
                    _("Nie rozpoznano jednoznacznie gminy „%(name)s” – wybierz ją z listy podpowiedzi."),
                    params={"name": value},
                )
            value = matches[0].code
        teryt_format_validator(value)
        teryt_validator(value)
        return value
