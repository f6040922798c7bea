"""The engine's SQL forms agree: the counts' packed flags with the drill-down's named flag columns,
the "window still open" date with the month arithmetic it replaces, the events aggregated for the
conditions' scope only with the events of every participation."""

import datetime as dt
import random

import pytest
from django.db import connection

from families.codes import Answer, Education, LabourStatus, LabourStatusDetail, Sex
from reporting.codes import EmploymentForm, OutcomeKind
from reporting.dates import add_months
from reporting.selectors import indicator_sql
from reporting.selectors.indicator_sql import effect_open_from
from reporting.selectors.indicators import (
    COUNTED,
    PENDING_CONDITIONS,
    SEXES,
    counted_participations,
    engine_window,
)
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


def _varied_data(project):
    """60 participations varied in every flag (core data missing, each labour status, windows open
    and closed, events of every kind at the windows' edges); the window of a report on them."""
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
    return engine_window(project, date_from=dt.date(2018, 3, 1), date_to=dt.date(2018, 9, 30),
                         as_of=dt.date(2018, 11, 15))  # fmt: skip


def test_every_count_equals_its_drilldown_on_varied_data(project):
    """The counts test the flags packed into one integer, the drill-down the named flag columns:
    on participations varied in every flag (core data missing, each labour status, windows open and
    closed, events of every kind at the windows' edges) both give the same number for every
    condition of the report, per sex."""
    window = _varied_data(project)
    conditions = [condition for _key, condition in COUNTED]
    per_sex = indicator_sql.counts(window, conditions)
    assert sum(per_sex[Sex.FEMALE]) > 0 and sum(per_sex[Sex.MALE]) > 0
    for i, condition in enumerate(conditions):
        ids = counted_participations(project, condition, date_from=window.date_from, date_to=window.date_to,
                                     as_of=window.as_of)  # fmt: skip
        assert [per_sex[sex][i] for sex in SEXES] == [ids.filter(sex=sex).count() for sex in SEXES], condition


def test_the_events_are_aggregated_for_the_flags_every_event_condition_requires():
    """Only the participations complete, ended and at risk (and, for the pending ids, still in their
    window) have their events aggregated; a condition that reads no event flag widens nothing, and
    one that tests an event flag's absence reads it too; an end in the period is an end by its last day."""
    counted = [condition for _key, condition in COUNTED]
    assert indicator_sql.event_scope(counted) == ("complete", "ended_cumulative", "arope")
    assert indicator_sql.event_scope(PENDING_CONDITIONS) == ("complete", "ended_cumulative", "arope",
                                                             "effect_window_open")  # fmt: skip
    assert indicator_sql.event_scope([("complete", "arope"), ("inactive",)]) == ()
    assert indicator_sql.event_scope([("complete", "arope", "!school_in_effect_window"), ("arope", "inactive",
                                      "qualification_in_window")]) == ("arope",)  # fmt: skip


def _unscoped_ids(window, condition) -> list[int]:
    """The ids meeting `condition` with the events of every participation aggregated."""
    rows, where = indicator_sql._rows(connection.vendor), indicator_sql.condition_sql(condition)
    statement = indicator_sql.Statement.of(f"SELECT r.id FROM (\n{rows}\n) r WHERE {where} ORDER BY r.id")  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(statement.sql, statement.params(window.values()))
        return [row[0] for row in cursor.fetchall()]


def test_the_scoped_events_give_every_condition_the_same_members_on_varied_data(project):
    """The counts, the drill-down and the pending ids aggregate only the events of their conditions'
    scope: each condition still has the members it has with the events of every participation."""
    window = _varied_data(project)
    conditions = [condition for _key, condition in COUNTED]
    unscoped = [_unscoped_ids(window, condition) for condition in conditions]
    assert any(unscoped[i] for i, c in enumerate(conditions) if "qualification_in_window" in c)
    per_sex = indicator_sql.counts(window, conditions)
    for i, condition in enumerate(conditions):
        assert sum(row[i] for row in per_sex.values()) == len(unscoped[i]), condition
        drilled = counted_participations(project, condition, date_from=window.date_from, date_to=window.date_to,
                                         as_of=window.as_of)  # fmt: skip
        assert list(drilled.values_list("pk", flat=True)) == unscoped[i], condition
    pending = indicator_sql.members(window, PENDING_CONDITIONS)
    assert [[pk for pk, _sex in rows] for rows in pending] == [_unscoped_ids(window, c) for c in PENDING_CONDITIONS]
