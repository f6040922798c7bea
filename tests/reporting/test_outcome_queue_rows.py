"""reporting/templatetags/outcome_queue_rows.py: the queue's rows built in Python are the HTML the
template's loop gave (docs/performance/reporting.md)."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.template import Context, Template
from django.utils import timezone, translation

from contracts.models import Referral
from reporting.codes import EmploymentForm, JobSeekingKind, OutcomeKind, ProgressCategory
from reporting.models import OutcomeProposal, Participation
from support_network.models import Institution, Project, Service

# The rows as the template spelled them before (the reference).
TEMPLATE_ROWS = (Path(__file__).parent / "outcome_queue_rows_before.html").read_text().removesuffix("\n")
HOSTILE = "<script>alert(\"x\")</script> & 'Co'"


def _proposal(pk, kind, *, recorder=None, **fields):
    provider = Institution(pk=7, name=f"PUP {HOSTILE}", short_name="")
    project = Project(pk=2, title=f"Projekt {HOSTILE}", short_name="")
    participation = Participation(pk=100 + pk, project=project, first_name=f"Anna {HOSTILE}", last_name="Nowak<b>")
    referral = Referral(pk=500 + pk, service=Service(pk=3, name=f"Doradztwo {HOSTILE}", provider=provider))
    recorder = recorder or get_user_model()(pk=9, username="partner<1>", first_name="Ewa", last_name=HOSTILE)
    return OutcomeProposal(
        pk=pk, kind=kind, participation=participation, referral=referral, recorded_by=recorder,
        occurred_on=dt.date(2024, 3, 7), recorded_at=timezone.make_aware(dt.datetime(2024, 3, 31, 23, 30)),
        **fields,
    )  # fmt: skip


def _proposals():
    nameless = get_user_model()(pk=10, username="bez<imienia>")
    return [
        _proposal(1, OutcomeKind.EMPLOYMENT, employment_form=EmploymentForm.CONTRACT, fte=Decimal("0.50"),
                  planned_months=3, employer=f"Firma {HOSTILE}", source_changed=True),
        _proposal(2, OutcomeKind.EMPLOYMENT, employment_form="", fte=Decimal("1.00"), planned_months=None,
                  employer="", recorder=nameless),
        _proposal(3, OutcomeKind.EMPLOYMENT, employment_form="unknown<x>", fte=None, planned_months=12,
                  employer=""),
        _proposal(4, OutcomeKind.QUALIFICATION, qualification_name=f"Spawacz {HOSTILE}"),
        _proposal(5, OutcomeKind.QUALIFICATION, qualification_name=""),
        _proposal(6, OutcomeKind.JOB_SEEKING, job_seeking_kind=JobSeekingKind.choices[0][0]),
        _proposal(7, OutcomeKind.SOCIAL_PROGRESS, progress_category=ProgressCategory.choices[-1][0]),
        _proposal(8, OutcomeKind.EDUCATION, source_changed=True),
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_queue_rows_are_the_templates_rows(language):
    with translation.override(language):
        context = {"proposals": _proposals()}
        before = Template(TEMPLATE_ROWS).render(Context(context))
        after = Template("{% load outcome_queue_rows %}{% outcome_queue_rows proposals %}").render(Context(context))
    assert after == before
    assert "<script>" not in after and "&lt;script&gt;" in after
    assert "Zaznacz rezultat" in after or language == "en"
