"""contracts/templatetags/queue_rows.py: the coordinator's queue's rows built in Python are the HTML
the template's loops gave (docs/performance/programmes.md)."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.utils import translation

from contracts.models import FamilyProgramme
from families.models import Family

# The rows as the template spelled them before (the reference).
BEFORE = (Path(__file__).parent / "queue_rows_before.html").read_text()
AFTER = (
    '{% load queue_rows %}<tbody id="awaiting">\n    {% awaiting_rows awaiting %}\n'
    '</tbody><tbody id="overdue">\n    {% overdue_rows overdue %}\n</tbody>\n'
)
HOSTILE = "<script>alert('x')</script> & \"cudzysłów\""
UTC = dt.UTC


def _programme(pk, **fields):
    programme = FamilyProgramme(pk=pk, title=fields.pop("title", f"Program {HOSTILE}"))
    programme.family = Family(pk=pk, case_number=f"MOPS/{pk}/<&>")
    programme.created_by = fields.pop("created_by")
    programme.detail_url = f"/umowy/programy/{pk}/?a=1&b=<2>"
    programme.family_name = fields.pop("family_name", f"Kowalska {HOSTILE}")
    programme.version_count = fields.pop("version_count", 1)
    programme.submitted_at = fields.pop("submitted_at", dt.datetime(2024, 3, 7, 23, 30, tzinfo=UTC))  # 8 III in Warsaw
    programme.age_days = fields.pop("age_days", 8)
    programme.overdue_actions = fields.pop("overdue_actions", 2)
    return programme


def _programmes():
    named = get_user_model()(pk=5, username="ewa", first_name="Ewa", last_name=HOSTILE)
    unnamed = get_user_model()(pk=6, username="<login>", first_name="", last_name="")
    return [
        _programme(1, created_by=named),
        _programme(2, created_by=unnamed, family_name=None, age_days=7, version_count=12345, title=""),
        _programme(3, created_by=named, family_name="", age_days=0, overdue_actions=1000,
                   submitted_at=dt.datetime(2024, 6, 30, 21, 59, tzinfo=UTC)),
        _programme(12345, created_by=unnamed, age_days=40, submitted_at=None),
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("empty", [False, True])
def test_the_queue_rows_are_the_templates_rows(language, empty, settings):
    settings.TIME_ZONE = "Europe/Warsaw"
    programmes = [] if empty else _programmes()
    context = {"awaiting": programmes, "overdue": programmes[::-1]}
    with translation.override(language):
        before = Template(BEFORE).render(Context(context))
        after = Template(AFTER).render(Context(context))
    assert after == before
    if not empty:
        assert "08.03.2024" in after and 'class="overdue"' in after
        assert "<script>" not in after and "&lt;script&gt;" in after
