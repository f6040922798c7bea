"""reporting/templatetags/participant_outcomes.py: the participant page's outcomes built in Python
are the HTML the template's loop gave (docs/performance/reporting.md), hostile values escaped."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from reporting.codes import EmploymentForm, JobSeekingKind, OutcomeKind, ProgressCategory
from reporting.models import OutcomeEvent, OutcomeProposal, Participation

# The loop as the template spelled it before (the reference).
TEMPLATE_ROWS = (Path(__file__).parent / "participant_outcomes_before.html").read_text().removesuffix("\n")
HOSTILE = "<script>alert(\"x\")</script> & 'Co'"
TAG = "{% load participant_outcomes %}{% participant_outcome_rows outcomes p.pk can_manage %}"


def _outcome(pk, kind, *, proposal=None, **fields):
    outcome = OutcomeEvent(pk=pk, participation_id=12, kind=kind, occurred_on=dt.date(2024, 3, 7), **fields)
    if proposal is None:
        OutcomeEvent.proposal.related.set_cached_value(outcome, None)  # as select_related leaves it
    else:
        outcome.proposal = proposal
    return outcome


def _proposal(pk, *, source_changed):
    decided = timezone.make_aware(dt.datetime(2024, 3, 31, 23, 30), dt.UTC)  # 1 April in Warsaw
    return OutcomeProposal(pk=pk, referral_id=500 + pk, decided_at=decided, source_changed=source_changed)


def _outcomes():
    return [
        _outcome(1, OutcomeKind.EMPLOYMENT, employment_form=EmploymentForm.choices[0][0], fte=Decimal("0.50"),
                 planned_months=3, employer=f"Firma {HOSTILE}", grant_amount=Decimal("150000.5"),
                 pkd="47.91<Z", evidence=f"Umowa {HOSTILE}", proposal=_proposal(1, source_changed=True)),
        _outcome(2, OutcomeKind.EMPLOYMENT, employment_form="", fte=Decimal("0"), planned_months=None,
                 employer="", proposal=_proposal(2, source_changed=False)),
        _outcome(3, OutcomeKind.EMPLOYMENT, employment_form="unknown<x>", fte=None, planned_months=12),
        _outcome(4, OutcomeKind.QUALIFICATION, qualification_name=f"Spawacz {HOSTILE}"),
        _outcome(5, OutcomeKind.QUALIFICATION, qualification_name=""),
        _outcome(6, OutcomeKind.JOB_SEEKING, job_seeking_kind=JobSeekingKind.choices[0][0]),
        _outcome(7, OutcomeKind.SOCIAL_PROGRESS, progress_category=ProgressCategory.choices[-1][0]),
        _outcome(8, OutcomeKind.EDUCATION, evidence="&amp; already"),
    ]  # fmt: skip


@pytest.mark.parametrize("can_manage", [True, False])
@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_outcomes_are_the_templates_items(language, can_manage):
    context = {"outcomes": _outcomes(), "p": Participation(pk=12), "can_manage": can_manage, "csrf_token": "t<k>"}
    with translation.override(language):
        before = Template(TEMPLATE_ROWS).render(Context(context))
        after = Template(TAG).render(Context(context))
    assert after == before
    assert "<script>" not in after and "&lt;script&gt;" in after and "&amp;amp; already" in after
    assert ("csrfmiddlewaretoken" in after) == can_manage and "01.04.2024" in after


@pytest.mark.parametrize("language", ["pl", "en"])
def test_no_outcome_is_the_templates_empty_item(language):
    context = {"outcomes": [], "p": Participation(pk=12), "can_manage": True, "csrf_token": "t"}
    with translation.override(language):
        assert Template(TAG).render(Context(context)) == Template(TEMPLATE_ROWS).render(Context(context))


def test_an_id_that_looks_like_the_stand_in_keeps_its_address():
    context = {"outcomes": [_outcome(987_654_321, OutcomeKind.EDUCATION)], "p": Participation(pk=987_654_321),
               "can_manage": True, "csrf_token": "t"}  # fmt: skip
    assert Template(TAG).render(Context(context)) == Template(TEMPLATE_ROWS).render(Context(context))
