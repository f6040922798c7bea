"""families/templatetags/timeline_entries.py: the timeline's entries built in Python are the HTML
the partial's `{% for %}` gave (tests/families/timeline_before.html, the partial as it was), with
values that need escaping, entries without a link or a detail, a long detail and the anchor of
"Pokaż starsze" (docs/performance/casework.md)."""

import datetime as dt
from pathlib import Path

import pytest
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import mark_safe

from families.timeline import TimelineEntry

BEFORE = (Path(__file__).parent / "timeline_before.html").read_text()


def _entries() -> list[TimelineEntry]:
    at = timezone.make_aware(dt.datetime(2024, 3, 7, 23, 30))
    return [
        TimelineEntry(at=at, kind="visit", title="<script>alert(1)</script> & Co", detail='"a" <b>',
                      url="/r/1/?a=1&b=2"),
        TimelineEntry(at=dt.date(2024, 3, 6), kind="diagnosis", title="Diagnoza", detail="", url=""),
        TimelineEntry(at=dt.date(2024, 3, 5), kind="referral<", title="x", detail="ż" * 301, url="/s/'x'/"),
        TimelineEntry(at=dt.date(2024, 3, 4), kind="programme", title=mark_safe("<em>bez zmian</em>"), detail="1 < 2"),
    ]  # fmt: skip


@pytest.mark.parametrize("timeline_from", [None, 0, 2, 3, 4])
@pytest.mark.parametrize("older", [None, 40])
def test_the_entries_are_the_former_templates(timeline_from, older):
    context = {"timeline": _entries(), "timeline_from": timeline_from, "timeline_older": older}
    before = Template(BEFORE).render(Context(context))
    after = get_template("families/partials/timeline.html").template.render(Context(context))
    assert after == before
    assert "<script>" not in after and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in after


def test_an_empty_timeline_and_one_without_a_window():
    assert get_template("families/partials/timeline.html").template.render(Context({"timeline": []})) == Template(
        BEFORE
    ).render(Context({"timeline": []}))
    context = {"timeline": _entries()}  # the person page: no window
    before = Template(BEFORE).render(Context(context))
    assert get_template("families/partials/timeline.html").template.render(Context(context)) == before
