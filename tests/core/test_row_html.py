"""core/row_html.py: the row-building tags' fixed words (translated and escaped once per language)
and `v()`, which gives what `{{ value }}` gives."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_noop

from core.row_html import Words, v

HOSTILE = ["<script>alert('x')</script>", "a \"quoted\" & 'single'", "R&D <b>", mark_safe("<b>kept</b>")]


@pytest.mark.parametrize("value", [*HOSTILE, 1234567, Decimal("1234.50"), 0.5, dt.date(2026, 3, 4), None, ""])
@pytest.mark.parametrize("language", ["pl", "en"])
def test_v_is_what_the_template_gives(value, language):
    with translation.override(language):
        assert v(value) == Template("{{ value }}").render(Context({"value": value}))


def test_v_escapes_hostile_text():
    assert v("<script>") == "&lt;script&gt;"
    assert v("\"q\" & 's'") == "&quot;q&quot; &amp; &#x27;s&#x27;"


def test_the_words_are_the_active_language_s_escaped_and_kept_per_language():
    words = Words({"role": gettext_noop("Koordynator"), "hostile": '<i>"R&D"</i>'})
    with translation.override("en"):
        assert words.active() == {"role": "Coordinator", "hostile": "&lt;i&gt;&quot;R&amp;D&quot;&lt;/i&gt;"}
    with translation.override("pl"):
        assert words.active()["role"] == "Koordynator"
        assert words.active() is words.active()  # translated once per language
    assert words.of("en")["role"] == "Coordinator"  # asked for a language other than the active one
    assert words.of(None)["role"] == "Koordynator"  # translation deactivated: the text as written
