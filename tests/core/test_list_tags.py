"""core/templatetags/sort_headers.py and kept_fields.py: the lists' header cells and filter fields
are the HTML of the include and of crispy's filter they replace (docs/performance/frame.md)."""

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.template import Context, Template
from django.utils import translation

from core.sorting import Column
from core.templatetags import kept_fields


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("state", ["ascending", "descending", "none"])
@pytest.mark.parametrize("cls", ["", "d-none d-md-table-cell"])
def test_sort_th_is_the_include(language, state, cls):
    context = {"col": Column(href="?sortuj=-a&x=<1>", aria_sort=state), "cls": cls}
    with translation.override(language):
        include = Template('{% include "partials/sort_th.html" with col=col label=_("Obszar") cls=cls %}').render(
            Context(context)
        )
        tag = Template('{% load sort_headers %}{% sort_th col _("Obszar") cls %}').render(Context(context))
    assert tag == include.removesuffix("\n")


class _Filter(forms.Form):
    q = forms.CharField(label="Szukaj", required=False)
    kind = forms.ChoiceField(label="Rodzaj", required=False, choices=[("", "wszystkie"), ("a", "A <1>")])
    only = forms.BooleanField(label="Tylko", required=False)


@pytest.mark.parametrize(
    "data", [None, {}, {"kind": "a"}, {"only": "on"}, {"q": 'Kowalska "<b>" & syn'}, {"q": "x", "kind": "a"}]
)
def test_a_kept_field_is_crispys_field(data):
    for name in ("q", "kind", "only"):
        assert kept_fields.as_kept_crispy_field(_Filter(data)[name]) == as_crispy_field(_Filter(data)[name])
        assert kept_fields.as_kept_crispy_field(_Filter(data)[name]) == as_crispy_field(_Filter(data)[name])


def test_a_typed_text_is_not_kept():
    kept_fields.as_kept_crispy_field(_Filter({"q": "Nowak 85010112345"})["q"])
    kept = repr(kept_fields._rendered)
    assert "Nowak" not in kept
    assert "85010112345" not in kept


@pytest.mark.django_db
def test_a_model_choice_with_listed_options_is_kept_without_a_query(django_assert_num_queries):
    """The coordinator's queue hands the projects it has read to the field (`listed`): the kept
    field is crispy's, and a second render reads nothing."""
    from support_network.models import Project  # noqa: PLC0415 - a model: Django is set up by then

    class ByProject(forms.Form):
        projekt = forms.ModelChoiceField(queryset=Project.objects.order_by("pk"), required=False)

    listed = list(Project.objects.order_by("pk"))
    form = ByProject({"projekt": ""})
    form.fields["projekt"].listed = listed
    assert kept_fields.as_kept_crispy_field(form["projekt"]) == as_crispy_field(ByProject({"projekt": ""})["projekt"])
    with django_assert_num_queries(0):
        kept_fields.as_kept_crispy_field(form["projekt"])
