"""The coordinator's queue in one query (`contracts.selectors.queue_page`): the same pages, lists'
lengths, rows and overdue counts as each list's counted page followed by `queue_pages`; a page past
the end of its list or below 1 is left to the usual way."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from contracts.models import FamilyProgramme
from contracts.selectors.pages import counted_page
from contracts.selectors.programmes import OVERDUE_FIELDS, programme_queue, queue_pages
from contracts.selectors.queue_page import queue_pages_counted
from contracts.services import programmes as programme_services
from tests.contracts.factories import make_programme

HOSTILE = "<script>alert('x')</script> & \"cudzysłów\""
DAY = dt.datetime(2024, 5, 2, 10, 0)


def _shown(rows) -> list[tuple]:
    return [
        (row.pk, row.title, row.family_name, row.family.case_number, row.created_by.username, row.version_count,
         row.submitted_at, getattr(row, "overdue_actions", None))
        for row in rows
    ]  # fmt: skip


@pytest.fixture
def queue_of(family, mgi_member, coordinator):
    """Seven programmes: four awaiting a decision, three in implementation with an overdue action
    (the day after their first action's end); the coordinator's queue on that day."""
    with time_machine.travel(DAY, tick=False):
        programmes = [make_programme(family=family, author=mgi_member, today=DAY.date(), submit=True) for _ in range(7)]
        for programme in programmes[4:]:
            programme_services.programme_approve(programme=programme, version_number=1, by=coordinator)
            programme_services.programme_start(programme=programme, by=mgi_member)
    end = programmes[4].actions.order_by("end_on").first().end_on
    today = end + dt.timedelta(days=8)
    return programmes, today, programme_queue(coordinator, today=today)


@pytest.mark.django_db
def test_the_queue_in_one_query_gives_the_usual_pages(queue_of):
    _programmes, _today, queue = queue_of
    for awaiting in (1, 2, 3, 4):
        for overdue in (1, 2, 3):
            one = queue_pages_counted(queue, awaiting, overdue, 2)
            pages = (
                counted_page(queue.awaiting, awaiting, 2),
                counted_page(queue.overdue, overdue, 2, fields=OVERDUE_FIELDS),
            )
            if None in pages:  # a page past the end
                assert one is None, (awaiting, overdue)
                continue
            assert one is not None
            rows = queue_pages(pages[0].rows, pages[1].rows)
            for got, usual, usual_rows in zip(one, pages, rows, strict=True):
                assert (got.count(), got.offset) == (usual.count(), usual.offset), (awaiting, overdue)
                assert _shown(got.rows) == _shown(usual_rows), (awaiting, overdue)


@pytest.mark.django_db
def test_a_page_number_the_pager_reads_otherwise_is_left_to_the_usual_way(queue_of):
    _programmes, _today, queue = queue_of
    assert queue_pages_counted(queue, None, 1, 25) is None  # below 1: the pager shows the last page
    assert queue_pages_counted(queue, 1, 10**7, 25) is None  # beyond any list
    assert queue_pages_counted(queue, 1, 2, 25) is None  # past the end of the overdue list


@pytest.mark.django_db
def test_an_empty_list_is_one_empty_page(family, mgi_member, coordinator):
    with time_machine.travel(DAY, tick=False):
        programme = make_programme(family=family, author=mgi_member, today=DAY.date(), submit=True)
    awaiting, overdue = queue_pages_counted(programme_queue(coordinator, today=DAY.date()), 1, 1, 25)
    assert ([row.pk for row in awaiting.rows], awaiting.count()) == ([programme.pk], 1)
    assert (overdue.rows, overdue.count()) == ([], 0)
    nothing = programme_queue(coordinator, today=DAY.date(), older_than_days=30)
    assert [(page.rows, page.count()) for page in queue_pages_counted(nothing, 1, 1, 25)] == [([], 0), ([], 0)]


@pytest.mark.django_db
def test_the_queue_page_escapes_what_it_shows_and_reads_both_lists_in_one_query(queue_of, coordinator, login):
    programmes, today, _queue = queue_of
    FamilyProgramme.objects.filter(pk__in=[programmes[0].pk, programmes[5].pk]).update(title=HOSTILE)
    client = login(coordinator)
    with time_machine.travel(dt.datetime.combine(today, dt.time(10)), tick=False):
        client.get(reverse("contracts:programme_queue"))
        with CaptureQueriesContext(connection) as one:
            html = client.get(reverse("contracts:programme_queue")).content.decode()
        with CaptureQueriesContext(connection) as usual:
            client.get(reverse("contracts:programme_queue"), {"strona": "0"})  # below 1: the usual way
    assert "<script>alert" not in html
    assert html.count("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;cudzysłów&quot;") == 2
    # the usual way: the overdue page with its length, the COUNT (a page below 1), the awaiting page
    # and the rows of both: four queries; here one
    assert len(one.captured_queries) == len(usual.captured_queries) - 3


def _usual(queue, numbers, per_page):
    pages = (
        counted_page(queue.awaiting, numbers[0], per_page),
        counted_page(queue.overdue, numbers[1], per_page, fields=OVERDUE_FIELDS),
    )
    rows = queue_pages(pages[0].rows, pages[1].rows)
    return [(page.count(), page.offset, _shown(page_rows)) for page, page_rows in zip(pages, rows, strict=True)]


@pytest.mark.django_db
def test_the_query_compiled_once_serves_each_filter_and_coordinator_with_their_own_values(
    queue_of, coordinator, project, other_project, other_coordinator
):
    """The query is kept on the connection and run with each request's projects, project, day and
    pages: the second run of a shape, another coordinator and each filter get what the usual way
    gives."""
    programmes, today, _queue = queue_of
    queues = [
        programme_queue(programmes[0].created_by, today=today),  # not a coordinator: the usual way
        programme_queue(other_coordinator, today=today),  # another project: nothing of these
        programme_queue(other_coordinator, today=today, project=other_project),
    ]
    assert queue_pages_counted(queues[0], 1, 1, 2) is None
    assert [(page.rows, page.count()) for page in queue_pages_counted(queues[1], 1, 1, 2)] == [([], 0), ([], 0)]
    assert [(page.rows, page.count()) for page in queue_pages_counted(queues[2], 1, 1, 2)] == [([], 0), ([], 0)]
    for filters in ({}, {"project": project}, {"older_than_days": 1}, {"older_than_days": 1, "project": project}):
        for numbers in ((1, 1), (2, 2), (1, 2)):
            for _run in range(2):  # compiled, then kept
                queue = programme_queue(coordinator, today=today, **filters)
                got = queue_pages_counted(queue, *numbers, 2)
                assert got is not None, (filters, numbers)
                assert [(page.count(), page.offset, _shown(page.rows)) for page in got] == _usual(queue, numbers, 2), (
                    filters,
                    numbers,
                )
    far = programme_queue(coordinator, today=today, older_than_days=10_000)  # nothing has waited so long
    assert [(page.rows, page.count()) for page in queue_pages_counted(far, 1, 1, 2)] == [([], 0), ([], 0)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days", "older_than", "expected"),
    [
        # the catalogue actions end on day 60, the free-text one on day 90
        (61, None, [("both_open", 2), ("one_done", 1)]),
        (91, None, [("both_open", 3), ("one_done", 2), ("text_only", 1)]),
        (91, 30, [("both_open", 2), ("one_done", 1)]),  # overdue for 30 days: ended before day 61
        (60, None, []),  # an action ending today is not overdue
        (90, None, [("both_open", 2), ("one_done", 1)]),  # nor beside overdue ones
    ],
)
def test_the_overdue_list_counts_each_programmes_open_actions_ended_before_the_day_most_first(
    family, mgi_member, coordinator, service, second_service, days, older_than, expected
):
    with time_machine.travel(DAY, tick=False):
        made = {
            name: make_programme(family=family, author=mgi_member, today=DAY.date(), services=services, submit=True)
            for name, services in [
                ("one_done", (service, second_service)), ("both_open", (service, second_service)), ("text_only", ()),
            ]
        }  # fmt: skip
        for programme in made.values():
            programme_services.programme_approve(programme=programme, version_number=1, by=coordinator)
            programme_services.programme_start(programme=programme, by=mgi_member)
        catalogue = made["one_done"].actions.filter(service__isnull=False).order_by("pk").first()
        programme_services.programme_action_mark_done(action=catalogue, done_on=DAY.date(), by=mgi_member)
    names = {programme.pk: name for name, programme in made.items()}
    today = DAY.date() + dt.timedelta(days=days)
    queue = programme_queue(coordinator, today=today, older_than_days=older_than)
    usual = counted_page(queue.overdue, 1, 25, fields=OVERDUE_FIELDS)
    assert [(names[pk], n) for pk, n in usual.rows] == expected
    one = queue_pages_counted(queue, 1, 1, 25)
    assert [(names[row.pk], row.overdue_actions) for row in one[1].rows] == expected
    assert one[1].count() == usual.count() == len(expected)
