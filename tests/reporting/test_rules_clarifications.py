"""EFS_RULES.md clarifications (issue 14 item 5), each at its boundary: the at-risk answer is core
data, the data-gaps list holds what started on or before the report's end, and an EFS-grant
business leaves the KEZ denominator whatever its date."""

import datetime as dt

import pytest

from reporting.codes import EmploymentForm
from reporting.models import Participation
from reporting.selectors.indicators import data_gaps, project_indicators
from reporting.selectors.participants import participant_list
from tests.reporting.factories_indicators import ParticipationFactory, employment

FROM, TO = dt.date(2018, 1, 1), dt.date(2018, 12, 31)
AS_OF = dt.date(2025, 1, 1)

pytestmark = pytest.mark.django_db


def report(project, date_to=TO):
    return project_indicators(project, date_from=FROM, date_to=date_to, as_of=AS_OF)


def test_a_blank_at_risk_answer_is_a_data_gap_never_a_no(project):
    blank = ParticipationFactory(project=project, at_risk=None)
    no = ParticipationFactory(project=project, at_risk=False)
    r = report(project)
    # "no" is an answer: counted in the outputs that do not need "at risk"; the blank is counted nowhere
    assert r.get("OUT_UNEMPLOYED").cumulative.total == 1
    assert r.get("OUT_AROPE").cumulative.total == 0
    assert [gap.id for gap in r.data_gaps] == [blank.pk]
    label = str(Participation._meta.get_field("at_risk").verbose_name)
    assert r.data_gaps[0].missing == [label]
    assert no.missing_core_data() == [] and blank.missing_core_data() == ["at_risk"]


@pytest.mark.parametrize(("start", "listed"), [(TO, True), (TO + dt.timedelta(days=1), False)])
def test_data_gaps_hold_the_participations_started_on_or_before_the_report_end(project, start, listed):
    gap = ParticipationFactory(project=project, start_date=start, education="")
    assert ([g.id for g in report(project).data_gaps] == [gap.pk]) is listed
    assert [g.id for g in data_gaps(project)] == [gap.pk]  # without a report end: every gap


@pytest.mark.parametrize(
    "grant_on",
    [
        dt.date(2018, 4, 30),  # last day of the 3-month window (end 31 Jan)
        dt.date(2018, 5, 1),  # first day after it: the exclusion has no window
        dt.date(2020, 1, 15),  # long after
        dt.date(2017, 12, 31),  # before the start
    ],
)
def test_an_efs_grant_business_leaves_the_kez_denominator_at_any_date(project, grant_on):
    grant = ParticipationFactory(project=project, start_date=dt.date(2018, 1, 2), end_date=dt.date(2018, 1, 31))
    employment(grant, grant_on, form=EmploymentForm.BUSINESS_EFS_GRANT, fte=None, months=12)
    ParticipationFactory(project=project, start_date=dt.date(2018, 1, 2), end_date=dt.date(2018, 1, 31))
    kez = report(project).get("KEZ").cumulative
    assert (kez.numerator, kez.denominator) == (0, 1)


def test_the_participant_list_filter_of_gaps_shows_a_blank_at_risk_answer(project, manager):
    blank = ParticipationFactory(project=project, at_risk=None)
    ParticipationFactory(project=project, at_risk=False)
    assert [p.pk for p in participant_list(manager, project, state="gaps")] == [blank.pk]
