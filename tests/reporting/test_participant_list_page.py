"""reporting.selectors.participants.participant_page: the participant list's page and count from the
queries compiled once per connection are the ORM's `participant_list` in `sort_rows`' order, for
every order and filter, on any page."""

import datetime as dt

import pytest
from django.test import RequestFactory

from core.sorting import sort_rows
from reporting.selectors.participants import PARTICIPANT_SORT, STATES, participant_list, participant_page
from tests.reporting.factories_indicators import OutcomeEventFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def _shown(rows) -> list[tuple]:
    return [(p.pk, p.last_name, p.sex, p.age_at_start, p.end_date, p.outcome_count, p.open_followups) for p in rows]


def test_every_order_and_filter_is_the_orms(project, other_project, manager):
    for i in range(30):
        participation = ParticipationFactory(project=project, last_name=f"N{i % 7}", degurba="" if i % 5 else "1",
                                             end_date=dt.date(2018, 9, 1) if i % 3 else None)  # fmt: skip
        for _ in range(i % 4):
            OutcomeEventFactory(participation=participation)
    ParticipationFactory(project=other_project)  # not the project's
    for key in ("", *PARTICIPANT_SORT):
        for wanted in {key, f"-{key}"}:
            request = RequestFactory().get("/", {"sortuj": wanted})
            for state in ("", *STATES, "unknown"):
                orm, sorting = sort_rows(request, participant_list(manager, project, state=state), PARTICIPANT_SORT)
                for number, start in ((1, 0), (2, 25)):
                    page = participant_page(project, state=state, sorting=sorting, number=number)
                    assert page.count() == orm.count(), (wanted, state)
                    assert _shown(page[start : start + 25]) == _shown(orm[start : start + 25]), (wanted, state)


def test_a_page_past_the_end_and_an_empty_list(project, manager):
    request = RequestFactory().get("/")
    sorting = sort_rows(request, participant_list(manager, project), PARTICIPANT_SORT)[1]
    assert participant_page(project, state="", sorting=sorting, number=3).count() == 0
    ParticipationFactory.create_batch(3, project=project)
    page = participant_page(project, state="", sorting=sorting, number=2)
    assert page.count() == 3 and len(page[0:3]) == 3  # the count by a query of its own, the rows of page 1
