"""The caseworker's referral list reads its page and its length in one query
(`contracts.selectors.referrals.counted_page`): every page number gives the page the pager gives
over the plain list, the last page past the end, the first for a malformed number."""

import pytest
from django.core.paginator import Paginator
from django.urls import reverse

from contracts.access import referrals_visible_to
from contracts.selectors.referrals import counted_page, filter_rows
from tests.contracts import referral_factories as fixtures
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
