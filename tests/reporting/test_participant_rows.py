"""reporting/templatetags/participant_rows.py: the participant list's rows built in Python are the
HTML the template's loop gave (docs/performance/reporting.md)."""

import datetime as dt
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from reporting.models import Participation

# The rows as the template spelled them before (the reference).
TEMPLATE_ROWS = (Path(__file__).parent / "participant_rows_before.html").read_text().removesuffix("\n")
HOSTILE = "<script>alert(\"x\")</script> & 'Co'"


def _row(pk, *, outcome_count=0, open_followups=0, **fields):
    values = {"first_name": f"Anna {HOSTILE}", "last_name": "Nowak<b>", "sex": "K", "birth_date": dt.date(1980, 1, 2),
              "education": "ISCED3", "labour_status": "unemployed", "degurba": "1", "age_at_start": 44,
              "start_date": dt.date(2024, 3, 7), "end_date": None, **fields}  # fmt: skip
    participation = Participation(pk=pk, **values)
    participation.outcome_count, participation.open_followups = outcome_count, open_followups
    return participation


def _rows():
    return [
        _row(1, outcome_count=2, open_followups=1, end_date=dt.date(2024, 12, 31)),
        _row(22, sex="", birth_date=None, age_at_start=None, start_date=None, degurba="", open_followups=3),
        _row(333, education="", labour_status="", open_followups=5, last_name=HOSTILE),
        _row(4444, labour_status="not<a>choice", age_at_start=0, open_followups=22, degurba=""),
    ]


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("rows", [_rows, list])
def test_the_participant_rows_are_the_templates_rows(language, rows):
    with translation.override(language):
        context = {"page": rows()}
        before = Template(TEMPLATE_ROWS.replace("{% empty %}", "{% empty %}EMPTY")).render(Context(context))
        after = Template(
            "{% load i18n participant_rows %}{% if page %}{% participant_rows page %}{% else %}EMPTY"
            + TEMPLATE_ROWS.split("{% empty %}")[1].removesuffix("{% endfor %}")
            + "{% endif %}"
        ).render(Context(context))
    assert after == before
    if rows is _rows:
        assert "<script>" not in after and "&lt;script&gt;" in after and "Nowak&lt;b&gt;" in after
