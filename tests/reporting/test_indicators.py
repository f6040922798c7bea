"""The indicator engine at every boundary of EFS_RULES.md."""

import datetime as dt
import sqlite3
from decimal import Decimal

import pytest
import time_machine

from families.codes import Answer, Education, LabourStatus, LabourStatusDetail, Sex
from reporting.codes import EmploymentForm, Indicator, OutcomeKind
from reporting.models import IndicatorTarget, Participation, ProjectRules
from reporting.rulesets.efs2014 import Efs2014Inclusion
from reporting.selectors.dates import SQLITE_ADD_MONTHS
from reporting.selectors.indicators import (
    EffectivenessStatus,
    format_percent,
    indicator_drilldown,
    percent,
    project_indicators,
)
from tests.reporting.factories_indicators import OutcomeEventFactory, ParticipationFactory, employment, progress

FROM, TO = dt.date(2018, 1, 1), dt.date(2019, 12, 31)
AS_OF = dt.date(2025, 1, 1)  # every window closed unless a test says otherwise


def report(project, date_from=FROM, date_to=TO, as_of=AS_OF):
    return project_indicators(project, date_from=date_from, date_to=date_to, as_of=as_of)


def total(project, code, column="cumulative", **kwargs):
    return report(project, **kwargs).get(code).column(column).total


def ratio(project, code, column="cumulative", **kwargs):
    return report(project, **kwargs).get(code).column(column)


def ended(project, end, **kwargs):
    kwargs.setdefault("start_date", dt.date(2018, 1, 2))
    return ParticipationFactory(project=project, end_date=end, **kwargs)


def event(participation, kind, occurred_on, **kwargs):
    return OutcomeEventFactory(participation=participation, kind=kind, occurred_on=occurred_on, **kwargs)


pytestmark = pytest.mark.django_db


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [(1, 8, "12.5"), (2, 3, "66.7"), (1, 16, "6.3"), (1, 3, "33.3"), (1, 1, "100.0"), (0, 5, "0.0")],
)
def test_percent_is_rounded_half_up_to_one_decimal(numerator, denominator, expected):
    assert percent(numerator, denominator) == Decimal(expected)


def test_zero_denominator_shows_a_dash_never_zero_percent():
    assert percent(0, 0) is None
    assert format_percent(None) == "—"
    assert format_percent(Decimal("12.5")) == "12,5 %"


# --- measurement windows computed in SQL ---------------------------------------------------


@pytest.mark.parametrize(
    ("end", "window_end"),
    [
        ("2018-01-31", "2018-04-30"),
        ("2018-11-30", "2019-02-28"),
        ("2019-11-30", "2020-02-29"),
        ("2018-03-31", "2018-06-30"),
        ("2018-05-15", "2018-08-15"),
        ("2018-12-31", "2019-03-31"),
    ],
)
def test_three_months_after_end_is_same_day_or_month_end_on_postgresql_and_sqlite(end, window_end):
    from reporting.models import Participation as P
    from reporting.selectors.dates import AddMonths

    p = ParticipationFactory(start_date=dt.date(2018, 1, 1), end_date=dt.date.fromisoformat(end))
    computed = P.objects.filter(pk=p.pk).annotate(w=AddMonths("end_date", 3)).values_list("w", flat=True).get()
    assert computed == dt.date.fromisoformat(window_end)
    # the same expression as SQLite runs it
    sql = SQLITE_ADD_MONTHS % {"expr": "?", "n": "?"}
    with sqlite3.connect(":memory:") as connection:
        (result,) = connection.execute(f"SELECT {sql}", (end, 3, end, 3)).fetchone()
    assert result == window_end


# --- output indicators ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth_date", "u25", "plus50"),
    [
        (dt.date(1993, 3, 2), 1, 0),  # turns 25 the day after the start: 24 on the start date
        (dt.date(1993, 3, 1), 0, 0),  # 25th birthday on the start date
        (dt.date(1993, 2, 28), 0, 0),  # 25 the day before
        (dt.date(1968, 3, 2), 0, 0),  # 49 on the start date
        (dt.date(1968, 3, 1), 0, 1),  # 50th birthday on the start date
        (dt.date(1968, 2, 28), 0, 1),
    ],
)
def test_age_groups_use_full_years_on_the_start_date(project, birth_date, u25, plus50):
    ParticipationFactory(project=project, birth_date=birth_date, start_date=dt.date(2018, 3, 1))
    r = report(project)
    assert r.get("OUT_U25").cumulative.total == u25
    assert r.get("OUT_50PLUS").cumulative.total == plus50


@pytest.mark.parametrize(
    ("education", "counted"),
    [(Education.ISCED0, 1), (Education.ISCED2, 1), (Education.ISCED3, 1), (Education.ISCED4, 0),
     (Education.ISCED5_8, 0)],
)  # fmt: skip
def test_low_qualifications_are_isced_0_to_3(project, education, counted):
    ParticipationFactory(project=project, education=education)
    assert total(project, "OUT_LOWQUAL") == counted


@pytest.mark.parametrize(("answer", "counted"), [(Answer.YES, 1), (Answer.REFUSED, 0), (Answer.NO, 0)])
def test_refusal_to_answer_does_not_count_as_disability(project, answer, counted):
    ParticipationFactory(project=project, disability=answer)
    assert total(project, "OUT_DISABLED") == counted


def test_labour_status_outputs(project):
    ParticipationFactory(project=project, labour_status=LabourStatus.UNEMPLOYED_REGISTERED,
                         labour_status_detail=LabourStatusDetail.LONG_TERM_UNEMPLOYED)  # fmt: skip
    ParticipationFactory(project=project, labour_status=LabourStatus.UNEMPLOYED_UNREGISTERED,
                         labour_status_detail=LabourStatusDetail.OTHER)  # fmt: skip
    ParticipationFactory(project=project, labour_status=LabourStatus.INACTIVE,
                         labour_status_detail=LabourStatusDetail.LEARNING)  # fmt: skip
    ParticipationFactory(project=project, labour_status=LabourStatus.EMPLOYED, labour_status_detail="", at_risk=False)
    r = report(project)
    assert r.get("OUT_UNEMPLOYED").cumulative.total == 2
    assert r.get("OUT_LTU").cumulative.total == 1
    assert r.get("OUT_INACTIVE").cumulative.total == 1
    assert r.get("OUT_AROPE").cumulative.total == 3


def test_split_by_sex(project):
    ParticipationFactory.create_batch(2, project=project, sex=Sex.FEMALE)
    ParticipationFactory(project=project, sex=Sex.MALE)
    counts = report(project).get("OUT_AROPE").cumulative
    assert (counts.K, counts.M, counts.total) == (2, 1, 3)


def test_outputs_count_by_start_date_in_period_and_cumulatively(project):
    ParticipationFactory(project=project, start_date=dt.date(2018, 5, 31))
    ParticipationFactory(project=project, start_date=dt.date(2018, 6, 1))
    ParticipationFactory(project=project, start_date=dt.date(2018, 6, 30))
    ParticipationFactory(project=project, start_date=dt.date(2018, 7, 1))
    r = report(project, date_from=dt.date(2018, 6, 1), date_to=dt.date(2018, 6, 30))
    assert r.get("OUT_AROPE").period.total == 2
    assert r.get("OUT_AROPE").cumulative.total == 3  # project start -> 30 June


@pytest.mark.parametrize("missing", ["sex", "birth_date", "education", "labour_status", "at_risk"])
def test_missing_core_data_is_counted_nowhere_and_listed_as_a_data_gap(project, missing):
    p = ended(project, dt.date(2018, 3, 31), **{missing: None if missing in ("birth_date", "at_risk") else ""})
    progress(p, dt.date(2018, 3, 1))
    employment(p, dt.date(2018, 3, 1))
    complete = ParticipationFactory(project=project)
    r = report(project)
    assert all(row.cumulative.total == 0 for row in r.counts if row.code != "OUT_AROPE" and row.code.startswith("RES"))
    assert r.get("OUT_AROPE").cumulative.total == 1
    assert r.get("KES").cumulative.denominator == 0
    assert [gap.id for gap in r.data_gaps] == [p.pk]
    assert complete.pk not in [gap.id for gap in r.data_gaps]
    label = str(Participation._meta.get_field(missing).verbose_name)
    assert r.data_gaps[0].missing == [label]


def test_a_blank_at_risk_answer_is_a_data_gap_never_a_no(project):
    blank = ParticipationFactory(project=project, at_risk=None)
    ParticipationFactory(project=project, at_risk=False)
    r = report(project)
    assert r.get("OUT_UNEMPLOYED").cumulative.total == 1  # "Nie" counts where it qualifies; a blank nowhere
    assert r.get("OUT_AROPE").cumulative.total == 0
    assert [gap.id for gap in r.data_gaps] == [blank.pk]


# --- result indicators ----------------------------------------------------------------------


@pytest.mark.parametrize(("days_after_end", "counted"), [(0, 1), (28, 1), (29, 0)])
def test_qualification_counts_up_to_day_28_after_the_end(project, days_after_end, counted):
    end = dt.date(2018, 1, 31)
    p = ended(project, end)
    event(p, OutcomeKind.QUALIFICATION, end + dt.timedelta(days=days_after_end))
    assert total(project, "RES_QUAL") == counted


@pytest.mark.parametrize(("days_after_end", "counted"), [(28, 1), (29, 0)])
def test_employment_counts_up_to_day_28_after_the_end(project, days_after_end, counted):
    end = dt.date(2018, 2, 10)
    p = ended(project, end)
    employment(p, end + dt.timedelta(days=days_after_end), form=EmploymentForm.CIVIL, fte=None, months=1)
    assert total(project, "RES_EMPLOYED") == counted


def test_events_before_the_start_date_never_count(project):
    p = ended(project, dt.date(2018, 3, 31), start_date=dt.date(2018, 2, 1), labour_status=LabourStatus.INACTIVE,
              labour_status_detail="")  # fmt: skip
    day_before = dt.date(2018, 1, 31)
    event(p, OutcomeKind.QUALIFICATION, day_before)
    employment(p, day_before)
    progress(p, day_before)
    r = report(project)
    assert r.get("RES_QUAL").cumulative.total == 0
    assert r.get("RES_EMPLOYED").cumulative.total == 0
    assert r.get("KES").cumulative.numerator == 0
    assert r.get("KEZ").cumulative.numerator == 0
    event(p, OutcomeKind.QUALIFICATION, dt.date(2018, 2, 1))  # on the start date: counts
    assert total(project, "RES_QUAL") == 1


@pytest.mark.parametrize(("offset", "counted"), [(-1, 0), (0, 1), (28, 1), (29, 0)])
def test_job_seeking_counts_from_the_end_date_to_day_28_for_the_inactive(project, offset, counted):
    end = dt.date(2018, 4, 30)
    p = ended(project, end, labour_status=LabourStatus.INACTIVE, labour_status_detail="")
    event(p, OutcomeKind.JOB_SEEKING, end + dt.timedelta(days=offset), job_seeking_kind="registered")
    assert total(project, "RES_JOBSEEK") == counted


def test_job_seeking_of_the_unemployed_and_results_of_persons_not_at_risk_do_not_count(project):
    end = dt.date(2018, 4, 30)
    unemployed = ended(project, end)
    event(unemployed, OutcomeKind.JOB_SEEKING, end)
    not_at_risk = ended(project, end, at_risk=False)
    event(not_at_risk, OutcomeKind.QUALIFICATION, end)
    working = ended(project, end, labour_status=LabourStatus.EMPLOYED, labour_status_detail="")
    employment(working, end)
    r = report(project)
    assert r.get("RES_JOBSEEK").cumulative.total == 0
    assert r.get("RES_QUAL").cumulative.total == 0
    assert r.get("RES_EMPLOYED").cumulative.total == 0


def test_results_count_by_end_date_in_the_column(project):
    p = ended(project, dt.date(2018, 7, 1))
    event(p, OutcomeKind.QUALIFICATION, dt.date(2018, 6, 20))
    june = report(project, date_from=dt.date(2018, 6, 1), date_to=dt.date(2018, 6, 30))
    july = report(project, date_from=dt.date(2018, 7, 1), date_to=dt.date(2018, 7, 31))
    assert (june.get("RES_QUAL").period.total, june.get("RES_QUAL").cumulative.total) == (0, 0)
    assert (july.get("RES_QUAL").period.total, july.get("RES_QUAL").cumulative.total) == (1, 1)
    august = report(project, date_from=dt.date(2018, 8, 1), date_to=dt.date(2018, 8, 31))
    assert (august.get("RES_QUAL").period.total, august.get("RES_QUAL").cumulative.total) == (0, 1)


def test_result_window_is_a_project_setting(project):
    ProjectRules.objects.create(project=project, result_window_days=14)
    end = dt.date(2018, 1, 31)
    p = ended(project, end)
    event(p, OutcomeKind.QUALIFICATION, end + dt.timedelta(days=15))
    assert total(project, "RES_QUAL") == 0


# --- effectiveness --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("end", "last_day", "first_late_day"),
    [
        (dt.date(2018, 1, 31), dt.date(2018, 4, 30), dt.date(2018, 5, 1)),
        (dt.date(2018, 11, 30), dt.date(2019, 2, 28), dt.date(2019, 3, 1)),
        (dt.date(2019, 11, 30), dt.date(2020, 2, 29), dt.date(2020, 3, 1)),
        (dt.date(2018, 5, 15), dt.date(2018, 8, 15), dt.date(2018, 8, 16)),
    ],
)
def test_social_progress_counts_up_to_three_months_after_the_end(project, end, last_day, first_late_day):
    on_time = ended(project, end)
    progress(on_time, last_day)
    late = ended(project, end)
    progress(late, first_late_day)
    kes = ratio(project, "KES")
    assert (kes.numerator, kes.denominator) == (1, 2)
    assert kes.percent == Decimal("50.0")
    assert [p.pk for p in indicator_drilldown(project, code="KES", column="cumulative", date_from=FROM, date_to=TO,
                                              part="numerator", as_of=AS_OF)] == [on_time.pk]  # fmt: skip


@pytest.mark.parametrize(
    ("form", "fte", "months", "counted"),
    [
        (EmploymentForm.CONTRACT, "0.50", 3, 1),
        (EmploymentForm.CONTRACT, "0.49", 6, 0),
        (EmploymentForm.CONTRACT, "1.00", 2, 0),
        (EmploymentForm.CIVIL, None, 3, 1),
        (EmploymentForm.CIVIL, None, 2, 0),
        (EmploymentForm.BUSINESS, None, None, 1),
    ],
)
def test_qualifying_employment_for_kez(project, form, fte, months, counted):
    p = ended(project, dt.date(2018, 1, 31))
    employment(p, dt.date(2018, 4, 30), form=form, fte=fte, months=months)
    kez = ratio(project, "KEZ")
    assert (kez.numerator, kez.denominator) == (counted, 1)


def test_business_from_an_efs_grant_leaves_the_kez_denominator(project):
    grant = ended(project, dt.date(2018, 1, 31))
    employment(grant, dt.date(2018, 2, 15), form=EmploymentForm.BUSINESS_EFS_GRANT, fte=None, months=12)
    other = ended(project, dt.date(2018, 1, 31))
    employment(other, dt.date(2018, 2, 15), form=EmploymentForm.BUSINESS, fte=None, months=12)
    kez = ratio(project, "KEZ")
    assert (kez.numerator, kez.denominator) == (1, 1)
    # still counted as employed in the result indicator (any form)
    assert total(project, "RES_EMPLOYED") == 2


@pytest.mark.parametrize(("school_on", "excluded"), [(dt.date(2018, 4, 30), True), (dt.date(2018, 5, 1), False)])
def test_school_based_education_within_three_months_leaves_the_kez_denominator(project, school_on, excluded):
    p = ended(project, dt.date(2018, 1, 31))
    event(p, OutcomeKind.EDUCATION, school_on)
    assert ratio(project, "KEZ").denominator == (0 if excluded else 1)
    assert ratio(project, "KES").denominator == 1


def test_kez_counts_only_the_unemployed_and_inactive_at_risk(project):
    ended(project, dt.date(2018, 1, 31), labour_status=LabourStatus.EMPLOYED, labour_status_detail="")
    ended(project, dt.date(2018, 1, 31), at_risk=False)
    ended(project, dt.date(2018, 1, 31), labour_status=LabourStatus.INACTIVE, labour_status_detail="")
    assert ratio(project, "KEZ").denominator == 1
    assert ratio(project, "KES").denominator == 2


def test_kez_for_the_disability_subgroup(project):
    disabled = ended(project, dt.date(2018, 1, 31), disability=Answer.YES)
    employment(disabled, dt.date(2018, 2, 1))
    ended(project, dt.date(2018, 1, 31), disability=Answer.REFUSED)
    ended(project, dt.date(2018, 1, 31), disability=Answer.YES)
    r = report(project)
    assert (r.get("KEZ_DISABLED").cumulative.numerator, r.get("KEZ_DISABLED").cumulative.denominator) == (1, 2)
    assert r.get("KEZ").cumulative.denominator == 3
    assert r.get("KEZ_DISABLED").target == Decimal("12")


def test_effectiveness_percent_rounds_half_up(project):
    participations = [ended(project, dt.date(2018, 1, 31)) for _ in range(8)]
    progress(participations[0], dt.date(2018, 2, 1))
    kes = ratio(project, "KES")
    assert (kes.numerator, kes.denominator, kes.percent) == (1, 8, Decimal("12.5"))


def test_zero_denominator_is_not_measurable(project):
    kes = ratio(project, "KES")
    assert (kes.denominator, kes.percent, kes.status) == (0, None, EffectivenessStatus.NOT_MEASURABLE)


def test_open_participations_are_not_in_the_effectiveness_denominator(project):
    ParticipationFactory(project=project, end_date=None)
    assert ratio(project, "KES").denominator == 0


def test_effectiveness_targets_default_and_project_setting(project):
    r = report(project)
    assert [row.target for row in r.effectiveness] == [Decimal(34), Decimal(22), Decimal(12)]
    IndicatorTarget.objects.create(project=project, code=Indicator.KES, value=Decimal("40"))
    assert report(project).get("KES").target == Decimal("40")


def test_status_met_not_met_and_pending_participants(project):
    end = dt.date(2018, 1, 31)
    a, b, c = (ended(project, end) for _ in range(3))
    progress(a, dt.date(2018, 2, 1))
    with time_machine.travel(dt.datetime(2018, 4, 30, 12, 0), tick=False):
        r = project_indicators(project, date_from=FROM, date_to=dt.date(2018, 4, 30))
    kes = r.get("KES")
    # 1/3 = 33.3 % < 34 % but b and c are inside their window until 30 April: not yet measurable
    assert kes.cumulative.percent == Decimal("33.3")
    assert kes.cumulative.status == EffectivenessStatus.NOT_MEASURABLE
    assert kes.pending_ids == [b.pk, c.pk]
    with time_machine.travel(dt.datetime(2018, 5, 1, 12, 0), tick=False):
        r = project_indicators(project, date_from=FROM, date_to=dt.date(2018, 5, 1))
    assert r.get("KES").cumulative.status == EffectivenessStatus.NOT_MET
    assert r.get("KES").pending_ids == []
    progress(b, dt.date(2018, 4, 1))
    with time_machine.travel(dt.datetime(2018, 5, 1, 12, 0), tick=False):
        r = project_indicators(project, date_from=FROM, date_to=dt.date(2018, 5, 1))
    assert r.get("KES").cumulative.status == EffectivenessStatus.MET  # 2/3 = 66.7 %
    assert r.get("KES").cumulative.percent == Decimal("66.7")


def test_effectiveness_period_and_cumulative_columns(project):
    early = ended(project, dt.date(2018, 1, 31))
    progress(early, dt.date(2018, 2, 1))
    ended(project, dt.date(2018, 6, 15))
    r = report(project, date_from=dt.date(2018, 6, 1), date_to=dt.date(2018, 6, 30))
    kes = r.get("KES")
    assert (kes.period.numerator, kes.period.denominator) == (0, 1)
    assert (kes.cumulative.numerator, kes.cumulative.denominator) == (1, 2)


def test_target_percent_of_count_indicators(project):
    IndicatorTarget.objects.create(project=project, code=Indicator.OUT_AROPE, value=Decimal("8"))
    ParticipationFactory(project=project)
    row = report(project).get("OUT_AROPE")
    assert row.target_percent == Decimal("12.5")
    assert report(project).get("OUT_U25").target_percent is None  # no target: "—"


def test_drilldown_lists_exactly_the_counted_participations(project):
    woman = ParticipationFactory(project=project, sex=Sex.FEMALE, start_date=dt.date(2018, 6, 1))
    ParticipationFactory(project=project, sex=Sex.MALE, start_date=dt.date(2017, 6, 1))
    ParticipationFactory(project=project, at_risk=False)
    ids = [p.pk for p in indicator_drilldown(project, code="OUT_AROPE", column="period", date_from=FROM, date_to=TO)]
    assert ids == [woman.pk]
    assert report(project).get("OUT_AROPE").period.total == 1


def test_period_must_be_ordered(project):
    with pytest.raises(ValueError):
        project_indicators(project, date_from=TO, date_to=FROM)


def test_other_projects_do_not_count(project, other_project):
    ParticipationFactory(project=other_project)
    assert total(project, "OUT_AROPE") == 0


@pytest.mark.parametrize("n", [1, 40])
def test_indicator_engine_runs_a_constant_number_of_queries(project, n, django_assert_max_num_queries):
    for i in range(n):
        p = ended(project, dt.date(2018, 1, 31), sex=Sex.MALE if i % 2 else Sex.FEMALE)
        progress(p, dt.date(2018, 2, 1))
        employment(p, dt.date(2018, 2, 1))
    ParticipationFactory(project=project, education="")
    with django_assert_max_num_queries(5):
        r = project_indicators(project, date_from=FROM, date_to=TO, as_of=AS_OF)
    assert r.get("KES").cumulative.numerator == n
    assert r.get("RES_EMPLOYED").cumulative.total == n


def test_the_page_table_counts_the_pending_participants_without_listing_them(project):
    """The indicator page shows how many are still inside their window (`cumulative.pending`, the
    same condition as the PDF's list of ids) and spares the query that lists them."""
    end = dt.date(2018, 1, 31)
    a, b, c = (ended(project, end) for _ in range(3))
    progress(a, dt.date(2018, 2, 1))
    with time_machine.travel(dt.datetime(2018, 4, 30, 12, 0), tick=False):
        full = project_indicators(project, date_from=FROM, date_to=dt.date(2018, 4, 30))
        page = Efs2014Inclusion().page_table(project, date_from=FROM, date_to=dt.date(2018, 4, 30))
    assert full.get("KES").pending_ids == [b.pk, c.pk] and page.get("KES").pending_ids is None
    for code in ("KES", "KEZ"):
        assert page.get(code).cumulative.pending == len(full.get(code).pending_ids)

    def without_ids(table):
        return {key: {k: v for k, v in value.items() if k != "pending_ids"} if isinstance(value, dict) else value
                for key, value in table.as_dict().items()}  # fmt: skip

    assert without_ids(full) == without_ids(page)
