"""The caseworker's referral list and the coordinator's queue read each page with its list's length
in one query (`contracts.selectors.pages.counted_page`): every page number gives the page the pager
gives over the plain list, the last page past the end, the first for a malformed number."""

import datetime as dt

import pytest
import time_machine
from django.core.paginator import Paginator
from django.urls import reverse

from contracts.access import referrals_visible_to
from contracts.models import FamilyProgramme
from contracts.selectors.pages import counted_page
from contracts.selectors.referrals import filter_rows
from contracts.services import programmes as programme_services
from tests.contracts import referral_factories as fixtures
from tests.contracts.factories import make_programme
from tests.contracts.test_referral_views import sent
from tests.families.factories import PersonFactory

family = fixtures.family
workshop = fixtures.workshop

NUMBERS = ["", "1", "2", "3", "4", "99999", "0", "-1", "abc", "2.0", " 2", "9" * 40]


@pytest.mark.django_db
def test_every_page_number_gives_the_pagers_page(login, social_worker, family, workshop):
    for _ in range(53):
        sent(PersonFactory(family=family), workshop, social_worker)
    ordered = filter_rows(referrals_visible_to(social_worker), "open").order_by("answer_due", "-created_at", "-pk")
    plain = Paginator(list(ordered.values_list("pk", flat=True)), 25)
    client = login(social_worker)
    for number in NUMBERS:
        page = client.get(reverse("contracts:referral_sent"), {"strona": number}).context["page"]
        expected = plain.get_page(number)
        assert (page.number, page.paginator.count, page.paginator.num_pages) == (
            expected.number, 53, 3,
        ), number  # fmt: skip
        assert [row.pk for row in page.object_list] == list(expected.object_list), number


@pytest.mark.django_db
def test_an_empty_list_is_one_empty_page(social_worker):
    ids = filter_rows(referrals_visible_to(social_worker), "open").values_list("pk", flat=True)
    page = counted_page(ids, 1, 25)
    assert page is not None and (page.count(), page[0:0]) == (0, [])
    assert counted_page(ids, 2, 25) is None  # past the end: the pager's COUNT decides the page
    assert counted_page(ids, None, 25) is None


@pytest.mark.django_db
def test_the_queue_pages_both_lists_as_the_pager_does(family, mgi_member, coordinator, login):
    """The queue reads each page with its list's length; a page past the end (or below 1) is the
    last, a malformed number the first, whichever list it is asked of."""
    with time_machine.travel(dt.datetime(2024, 5, 2, 10, 0), tick=False):
        programmes = [
            make_programme(family=family, author=mgi_member, today=dt.date(2024, 5, 2), submit=True) for _ in range(3)
        ]
        programme_services.programme_approve(programme=programmes[2], version_number=1, by=coordinator)
        programme_services.programme_start(programme=programmes[2], by=mgi_member)
    end = programmes[2].actions.order_by("end_on").first().end_on
    client = login(coordinator)
    with time_machine.travel(dt.datetime.combine(end + dt.timedelta(days=8), dt.time(10)), tick=False):
        for awaiting, overdue in (("", ""), ("0", "99999"), ("abc", "-1"), ("2", "1"), ("9" * 40, "2.0")):
            context = client.get(
                reverse("contracts:programme_queue"), {"strona": awaiting, "strona_realizacja": overdue}
            ).context
            for page, number, shown in ((context["awaiting_page"], awaiting, programmes[1::-1]),
                                        (context["overdue_page"], overdue, programmes[2:])):  # fmt: skip
                expected = Paginator(list(range(len(shown))), 25).get_page(number)
                assert (page.number, page.paginator.count) == (expected.number, len(shown)), (awaiting, overdue)
            assert [p.pk for p in context["awaiting"]] == [p.pk for p in programmes[:2]]
            assert [p.pk for p in context["overdue"]] == [programmes[2].pk]
            assert context["overdue"][0].overdue_actions >= 1


@pytest.mark.django_db
def test_a_counted_page_of_pairs(family, mgi_member):
    programmes = [make_programme(family=family, author=mgi_member, submit=True) for _ in range(3)]
    rows = FamilyProgramme.objects.filter(pk__in=[p.pk for p in programmes]).order_by("-pk")
    page = counted_page(rows, 2, 2, fields=("pk", "title"))
    assert page is not None and page.count() == 3
    assert page[2:3] == [(programmes[0].pk, programmes[0].title)]
    assert counted_page(rows, 3, 2, fields=("pk", "title")) is None
