"""families/templatetags/history_entries.py: the change history's entries built in Python are the
HTML the family page's `{% for %}` gave (tests/families/history_before.html, the loop as it was), with
values that need escaping, hidden changes, created records, empty values and an empty history, in
Polish and English (docs/performance/casework.md)."""

import datetime as dt
from pathlib import Path

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import timezone, translation

from families.history import Change, HistoryEntry

BEFORE = (Path(__file__).parent / "history_before.html").read_text().removesuffix("\n")
HOSTILE = "<script>alert('x')</script> & \"Co\""


def _history() -> list[HistoryEntry]:
    at = timezone.make_aware(dt.datetime(2024, 3, 7, 23, 30), dt.UTC)  # the next day in Warsaw
    return [
        HistoryEntry(timestamp=at, actor=HOSTILE, action="zmieniono", object_label=f"Osoba: {HOSTILE}",
                     changes=[Change("ulica", "a & b", HOSTILE), Change("pESEL", hidden=True),
                              Change("<b>pole</b>", "", ""), Change("ż", "x", "")]),
        HistoryEntry(timestamp=timezone.make_aware(dt.datetime(2024, 1, 2, 3, 4)), actor="—", action=HOSTILE,
                     object_label="", changes=[Change("nazwisko", new=HOSTILE), Change("a", old="b")], created=True),
        HistoryEntry(timestamp=dt.datetime(2023, 12, 31, 9, 5), actor="Anna", action="usunięto",  # naive
                     object_label="Powód: •••", changes=[]),
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("count", [0, 1, 3])
def test_the_entries_are_the_former_templates(language, count):
    context = {"history": _history()[:count]}
    with translation.override(language):
        before = Template(BEFORE).render(Context(context))
        after = get_template("families/partials/change_history.html").template.render(Context(context))
    assert after == before
    if count:
        escaped = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;Co&quot;"
        assert "<script>" not in after and escaped in after
        assert "<b>" not in after and "08.03.2024 00:30" in after
