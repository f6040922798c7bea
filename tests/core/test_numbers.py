from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.templatetags.numbers import money, percent


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (150000, "150\u00a0000,00\u00a0zł"),
        (Decimal("1234.5"), "1\u00a0234,50\u00a0zł"),
        (0, "0,00\u00a0zł"),
        (None, "—"),
    ],
)
def test_money_is_written_the_polish_way(value, text):
    with translation.override("pl"):
        assert money(value) == text


@pytest.mark.parametrize(("value", "text"), [(15, "15,0\u00a0%"), (Decimal("33.333"), "33,3\u00a0%"), (None, "—")])
def test_percent_is_written_the_polish_way(value, text):
    with translation.override("pl"):
        assert percent(value) == text


def test_filters_in_a_template():
    with translation.override("pl"):
        html = Template("{% load numbers %}{{ a|money }} / {{ b|percent }}").render(Context({"a": 2500, "b": 7.25}))
    assert html == "2\u00a0500,00\u00a0zł / 7,2\u00a0%"  # Decimal("7.25") rounds half even
