"""core/templatetags/cells.py: the list cells' fast filters give exactly what the slow spelling gives."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import lazy
from django.utils.translation import get_language

from reporting.models import Participation


def render(text: str, **context) -> str:
    return Template("{% load cells %}" + text).render(Context(context))


@pytest.mark.parametrize("value", [dt.date(2024, 3, 7), dt.date(999, 12, 31), None, ""])
def test_dmy_is_the_date_filter_with_the_offices_format(value):
    assert render("{{ v|dmy }}", v=value) == render('{{ v|date:"d.m.Y" }}', v=value)


def test_dmy_of_a_datetime_is_its_local_date():
    moment = timezone.make_aware(dt.datetime(2024, 3, 7, 23, 30), dt.UTC)  # 8 March in Warsaw
    assert render("{{ v|dmy }}", v=moment) == render('{{ v|date:"d.m.Y" }}', v=moment) == "08.03.2024"


@pytest.mark.parametrize("moment", [dt.datetime(2024, 3, 7, 23, 30), dt.datetime(999, 12, 31, 0, 0)])
def test_dmy_of_a_naive_datetime_is_the_date_filter(moment):
    assert render("{{ v|dmy }}", v=moment) == render('{{ v|date:"d.m.Y" }}', v=moment)


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("value", ["employed", "inactive", "", "not-a-choice"])
def test_choice_label_is_the_display_value_in_the_active_language(language, value):
    row = Participation(labour_status=value)
    with translation.override(language):
        fast = render('{{ p|choice_label:"labour_status" }}', p=row)
        assert fast == render("{{ p.get_labour_status_display }}", p=row)


class _Labelled:
    """A row whose one field's label is the active language (a lazy label, as gettext_lazy gives)."""

    kind = "x"
    _meta = SimpleNamespace(
        get_field=lambda name: SimpleNamespace(flatchoices=[("x", lazy(lambda: f"label-{get_language()}", str)())])
    )


_Labelled._meta.model = _Labelled  # type: ignore[attr-defined]


def test_choice_label_follows_the_language_from_call_to_call():
    """The translated labels are kept per language: each call gives the active one's."""
    seen = []
    for language in ("pl", "en", "pl", "en"):
        with translation.override(language):
            seen.append(render('{{ p|choice_label:"kind" }}', p=_Labelled()))
    assert seen == ["label-pl", "label-en", "label-pl", "label-en"]


@pytest.mark.parametrize("pk", [1, 42, 987_654_321, 10**12])
def test_row_url_is_the_url_tag(pk):
    assert render('{{ pk|row_url:"reporting:participant_detail" }}', pk=pk) == reverse(
        "reporting:participant_detail", args=[pk]
    )
    assert render('{{ pk|row_url:"reporting:participant_detail" }}', pk=pk) == render(
        "{% url 'reporting:participant_detail' pk %}", pk=pk
    )


@pytest.mark.parametrize("language", ["pl", "en"])
def test_cached_url_is_the_url_tag_every_time(language):
    spelled = "{% url 'reporting:indicator_drilldown' 3 'S-1' 'period' as u %}{{ u }}"
    with translation.override(language):
        for _ in range(2):
            assert render("{% cached_url 'reporting:indicator_drilldown' 3 'S-1' 'period' as u %}{{ u }}") == render(
                spelled
            )
