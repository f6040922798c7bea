"""families/templatetags/caseload_rows.py: the caseload's rows built in Python are the HTML the
template's loop gave (docs/performance/casework.md)."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.utils import translation

from families.models import Family
from families.views import _row_texts
from support_network.models import Project, Team

# The rows as the template spelled them before (the reference).
TEMPLATE_ROWS = (Path(__file__).parent / "caseload_rows_before.html").read_text().removesuffix("\n")


def _family(pk, **fields):
    case_number = fields.pop("case_number", f"MOPS/{pk}<&>")
    family = Family(pk=pk, case_number=case_number, status=fields.pop("status", "active"))
    family.head_name = fields.pop("head_name", "Kowalska <Anna> & syn")
    family.member_count = fields.pop("member_count", 3)
    family.is_overdue = fields.pop("is_overdue", False)
    for name, value in fields.items():
        setattr(family, name, value)
    return family


def _families():
    worker = get_user_model()(pk=5, first_name="Ewa", last_name="Nowak & <Co>")
    project = Project(pk=2, title='Projekt "A" & B', short_name="")
    team = Team(pk=3, name="Zespół <1>")
    return [
        _family(1, next_visit_due=dt.date(2024, 3, 7), is_overdue=True, last_visit_on=dt.date(2024, 2, 1),
                area="Zatorze", project=project, social_worker=worker, team=team),
        _family(2, head_name=None, member_count=0, status="candidate", next_visit_due=None, last_visit_on=None,
                area="", project=None, social_worker=None, team=None),
        _family(3, head_name="", member_count=1, status="closed", next_visit_due=dt.date(2030, 1, 2),
                last_visit_on=dt.date(2029, 12, 1), area="Śródmieście", project=project, social_worker=worker,
                team=None),
        _family(4, member_count=22, next_visit_due=dt.date(2025, 5, 5), last_visit_on=None, area="x",
                project=None, social_worker=None, team=team),
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("can_create", [True, False])
def test_caseload_rows_are_the_templates_rows(language, can_create):
    with translation.override(language):
        families = _families()
        _row_texts(families)
        context = {"page": {"object_list": families}, "can_create": can_create, "visit_label": "Wizyta <1>"}
        before = Template(TEMPLATE_ROWS).render(Context(context))
        after = Template("{% load caseload_rows %}{% caseload_rows page.object_list can_create visit_label %}").render(
            Context(context)
        )
    assert after == before
