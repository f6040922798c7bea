"""A page of the second half of a referral list is read from the list's end
(`contracts.selectors.pages.from_the_nearer_end`): every page number gives the rows, in the order,
that the pager gives over the plain list, whatever the order, with ties and empty answer dates."""

import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.db.models import F
from django.test import RequestFactory
from django.urls import reverse

from contracts.models import Referral
from contracts.selectors.pages import from_the_nearer_end
from contracts.selectors.referrals import list_ids
from core.pagination import paginate
from tests.contracts import referral_factories as fixtures
from tests.contracts.test_referral_views import sent
from tests.families.factories import PersonFactory

family = fixtures.family
workshop = fixtures.workshop

NUMBERS = ["", "1", "2", "3", "4", "99999", "0", "-1", "abc"]
ORDERS = [
    ("answer_due", "-created_at", "-pk"),  # the lists' own order
    (F("answer_due").desc(nulls_last=True), "-pk"),
    (F("person__last_name").asc(nulls_last=True), F("person__first_name").asc(nulls_last=True), "pk"),
    (F("hours_total").desc(nulls_last=True), "-pk"),
    ("status", "pk"),
]


@pytest.fixture
def referrals(family, workshop, social_worker):
    made = [sent(PersonFactory(family=family, last_name=f"N{i % 4}"), workshop, social_worker) for i in range(28)]
    ids = [referral.pk for referral in made]
    # ties on the answer date, and referrals without one (those on the waiting list: NULLs sort last
    # going up, first going down)
    Referral.objects.filter(pk__in=ids[::3], status="sent").update(answer_due=dt.date(2024, 5, 2))
    Referral.objects.filter(pk__in=ids).exclude(status="sent").update(answer_due=None)
    assert Referral.objects.filter(answer_due=None).exists()
    return made


@pytest.mark.django_db
@pytest.mark.parametrize("order", ORDERS)
def test_every_page_from_either_end_is_the_pagers_page(referrals, order):
    rows = list_ids(Referral.objects.all(), "all").order_by(*order).values_list("pk", flat=True)
    plain = Paginator(list(rows), 10)
    for number in NUMBERS:
        page = paginate(RequestFactory().get("/", {"strona": number}), rows, 10)
        from_the_nearer_end(page)
        assert list(page.object_list) == list(plain.get_page(number).object_list), number


def test_a_list_already_read_is_left_as_it_is():
    page = paginate(RequestFactory().get("/", {"strona": "3"}), list(range(28)), 10)
    from_the_nearer_end(page)
    assert list(page.object_list) == list(range(20, 28))


@pytest.mark.django_db
def test_the_inbox_last_page_is_the_pagers_last_page(referrals, partner, login):
    ordered = Referral.objects.exclude(status="draft").order_by("answer_due", "-created_at", "-pk")
    expected = Paginator(list(ordered.values_list("pk", flat=True)), 25).get_page(2)
    client = login(partner)
    for number in ("2", "99999"):
        page = client.get(reverse("contracts:referral_inbox"), {"strona": number}).context["page"]
        assert [row.pk for row in page.object_list] == list(expected.object_list)
