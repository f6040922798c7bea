"""The engine's SQL forms agree: the counts' packed flags with the drill-down's named flag columns,
the "window still open" date with the month arithmetic it replaces."""

import datetime as dt
import random

import pytest

from families.codes import Answer, Education, LabourStatus, LabourStatusDetail, Sex
from reporting.codes import EmploymentForm, OutcomeKind
from reporting.dates import add_months
from reporting.selectors import indicator_sql
from reporting.selectors.indicator_sql import effect_open_from
from reporting.selectors.indicators import COUNTED, SEXES, counted_participations, engine_window
from tests.reporting.factories_indicators import OutcomeEventFactory, ParticipationFactory, employment

pytestmark = pytest.mark.django_db


def event(participation, kind, occurred_on, **kwargs):
    return OutcomeEventFactory(participation=participation, kind=kind, occurred_on=occurred_on, **kwargs)


@pytest.mark.parametrize("months", [1, 3, 6, 12])
def test_the_window_is_open_from_the_first_end_date_whose_window_reaches_the_report_date(months):
    """The engine tests `end_date >= effect_open_from(as_of, N)` instead of `end + N months >=
    as_of` per participation: the same answer for every end date around every report date of two
    years (month ends, 29 February)."""
    for as_of in (dt.date(2019, 1, 1) + dt.timedelta(days=i) for i in range(0, 731, 3)):
        open_from = effect_open_from(as_of, months)
        for end in (open_from + dt.timedelta(days=d) for d in range(-40, 40)):
            assert (add_months(end, months) >= as_of) == (end >= open_from), (as_of, end)


def test_every_count_equals_its_drilldown_on_varied_data(project):
    """The counts test the flags packed into one integer, the drill-down the named flag columns:
    on participations varied in every flag (core data missing, each labour status, windows open and
    closed, events of every kind at the windows' edges) both give the same number for every
    condition of the report, per sex."""
    rng = random.Random(15)  # noqa: S311 - test data, not secrets
    kinds = (OutcomeKind.QUALIFICATION, OutcomeKind.JOB_SEEKING, OutcomeKind.SOCIAL_PROGRESS, OutcomeKind.EDUCATION)
    for _ in range(60):
        end = dt.date(2018, 1, 1) + dt.timedelta(days=rng.randrange(365))
        p = ParticipationFactory(
            project=project, sex=rng.choice((Sex.FEMALE, Sex.MALE)), start_date=end - dt.timedelta(rng.randrange(300)),
            end_date=end, labour_status=rng.choice(list(LabourStatus)), at_risk=rng.choice((True, True, False, None)),
            disability=rng.choice(list(Answer)), education=rng.choice(("", Education.ISCED2, Education.ISCED5_8)),
            labour_status_detail=rng.choice(list(LabourStatusDetail)),
            birth_date=dt.date(rng.randrange(1955, 2000), 5, 5),
        )  # fmt: skip
        for _event in range(rng.randrange(3)):
            kind = rng.choice(kinds)
            on = end + dt.timedelta(days=rng.choice((-3, 0, 28, 29, 92, 200)))
            event(p, kind, on, **({"progress_category": "b"} if kind == OutcomeKind.SOCIAL_PROGRESS else {}))
        if rng.random() < 0.5:
            employment(p, end + dt.timedelta(days=rng.choice((-400, 1, 30, 95))), form=rng.choice(list(EmploymentForm)),
                       fte=rng.choice(("1.00", "0.25")))  # fmt: skip
    window = engine_window(project, date_from=dt.date(2018, 3, 1), date_to=dt.date(2018, 9, 30),
                           as_of=dt.date(2018, 11, 15))  # fmt: skip
    conditions = [condition for _key, condition in COUNTED]
    per_sex = indicator_sql.counts(window, conditions)
    assert sum(per_sex[Sex.FEMALE]) > 0 and sum(per_sex[Sex.MALE]) > 0
    for i, condition in enumerate(conditions):
        ids = counted_participations(project, condition, date_from=window.date_from, date_to=window.date_to,
                                     as_of=window.as_of)  # fmt: skip
        assert [per_sex[sex][i] for sex in SEXES] == [ids.filter(sex=sex).count() for sex in SEXES], condition
