"""The plain catalogue's page and length from a query compiled once (`selectors.catalogue_page`) are
what the catalogue's queryset and the pager give, and the page's HTML is the same either way."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from contracts.services.referrals import referral_accept, referral_create, referral_send
from core.pagination import PAGE_SIZE
from support_network import views
from support_network.models import Module, ServiceForm
from support_network.selectors import CATALOGUE_ORDER, catalogue, catalogue_page, counted_services
from tests.contracts import referral_factories as fixtures
from tests.families.factories import PersonFactory
from tests.support_network.factories import ServiceFactory

family = fixtures.family  # fixtures shared by the referral tests
# the compiled page is PostgreSQL's: elsewhere `catalogue_page` answers None and the pager reads the queryset
compiled_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the compiled catalogue page is PostgreSQL's"
)

FIELDS = ("pk", "name", "module", "form", "unit", "capacity", "is_active", "valid_from", "valid_to", "description")
COUNTS = ("places_in_use", "places_reserved", "waiting", "places_taken", "places_free")


def _seen(service) -> tuple:
    provider = service.provider
    return (
        *(getattr(service, name) for name in FIELDS + COUNTS),
        (provider.pk, provider.name, provider.street, provider.locality, provider.phone),
    )


@pytest.fixture
def many(pup, mops, family, social_worker, partner):
    """Two pages and a bit: both modules and forms, limits and none, referrals in several statuses,
    and services the plain catalogue leaves out (inactive, not yet or no longer valid)."""
    today = timezone.localdate()
    services = [
        ServiceFactory(
            provider=pup if i % 2 else mops,
            name=f"Usługa {i // 2:02d} <b>&\"'",  # the same name at both providers: ties broken by the id
            module=Module.FAMILY if i % 2 else Module.EMPLOYMENT,
            form=ServiceForm.GROUP if i % 4 else ServiceForm.INDIVIDUAL,
            capacity=None if i % 5 == 0 else 3,
        )
        for i in range(2 * PAGE_SIZE + 3)
    ]
    ServiceFactory(provider=pup, name="Wyłączona", is_active=False)
    ServiceFactory(provider=pup, name="Wygasła", valid_to=today - dt.timedelta(days=1))
    ServiceFactory(provider=pup, name="Jutrzejsza", valid_from=today + dt.timedelta(days=1))
    for service in services[:4]:
        referral = referral_create(person=PersonFactory(family=family), service=service, by=social_worker, reason="r")
        referral_send(referral=referral, by=social_worker)
        if service.provider_id == pup.pk:  # the partner answers for its own institution
            referral_accept(referral=referral, by=partner)
    return services


@compiled_only
def test_each_page_and_the_length_are_the_querysets(many):
    rows = catalogue().order_by(*CATALOGUE_ORDER)
    total = rows.count()
    for number in (1, 2, 3):
        page = catalogue_page(number, PAGE_SIZE)
        assert page is not None and page.count() == total == len(many)
        offset = (number - 1) * PAGE_SIZE
        assert page.offset == offset
        assert [_seen(s) for s in page[offset : offset + PAGE_SIZE]] == [
            _seen(s) for s in rows[offset : offset + PAGE_SIZE]
        ]


@pytest.mark.parametrize("number", [None, 0, -1, 4, 10**7])
def test_a_page_the_pager_reads_otherwise_is_left_to_it(many, number):
    assert catalogue_page(number, PAGE_SIZE) is None


@compiled_only
def test_an_empty_catalogue_has_an_empty_first_page(db):
    page = catalogue_page(1, PAGE_SIZE)
    assert page is not None and (page.count(), page[0:PAGE_SIZE]) == (0, [])


@compiled_only
def test_the_day_is_the_requests_not_the_compiled_ones(pup, monkeypatch):
    today = timezone.localdate()
    ServiceFactory(provider=pup, name="Dziś")
    ServiceFactory(provider=pup, name="Od jutra", valid_from=today + dt.timedelta(days=1))
    ServiceFactory(provider=pup, name="Do dziś", valid_to=today)
    assert {s.name for s in catalogue_page(1, PAGE_SIZE)[0:PAGE_SIZE]} == {"Dziś", "Do dziś"}
    monkeypatch.setattr(timezone, "localdate", lambda: today + dt.timedelta(days=1))
    assert {s.name for s in catalogue_page(1, PAGE_SIZE)[0:PAGE_SIZE]} == {"Dziś", "Od jutra"}


@compiled_only
def test_the_counts_are_read_at_each_request(pup, family, social_worker):
    service = ServiceFactory(provider=pup, name="Warsztat", capacity=5)
    assert catalogue_page(1, PAGE_SIZE)[0:PAGE_SIZE][0].places_reserved == 0
    referral = referral_create(person=PersonFactory(family=family), service=service, by=social_worker, reason="r")
    referral_send(referral=referral, by=social_worker)
    assert catalogue_page(1, PAGE_SIZE)[0:PAGE_SIZE][0].places_reserved == 1


_TOKENS = re.compile(r'(csrfmiddlewaretoken" value|nonce|data-csrf|csrf-token" content)="[^"]*"|"X-CSRFToken": "[^"]*"')


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize(
    "query",
    ["", "strona=2", "strona=3", "strona=9", "strona=0", "strona=x", "q=", "q=+", "module=&form=&provider=&q="],
)
def test_the_page_is_the_same_as_from_the_queryset(login, social_worker, many, monkeypatch, language, query):
    client = login(social_worker)
    client.cookies["django_language"] = language
    url = reverse("support_network:catalogue") + "?" + query
    compiled = client.get(url)
    monkeypatch.setattr(views, "catalogue_page", lambda number, per_page: None)
    built = client.get(url)
    assert compiled.status_code == built.status_code == 200
    assert _TOKENS.sub("", compiled.content.decode()) == _TOKENS.sub("", built.content.decode())


FILTERED = ["q=usługa", "module=family", "form=group", "free=on", "sortuj=nazwa", "archiwalne=1"]


@pytest.mark.parametrize("query", FILTERED)
def test_a_filtered_sorted_or_archived_catalogue_is_built_as_before(login, social_worker, many, monkeypatch, query):
    monkeypatch.setattr(views, "catalogue_page", lambda number, per_page: pytest.fail("the plain catalogue's query"))
    assert login(social_worker).get(reverse("support_network:catalogue") + "?" + query).status_code == 200


@pytest.mark.parametrize("order", [CATALOGUE_ORDER, ("-name", "-pk"), ("-free_places", "pk")])
def test_a_filtered_page_and_its_length_are_the_querysets(many, order):
    rows = catalogue().filter(module=Module.FAMILY).order_by(*order)
    total = rows.count()
    for number in (1, 2):
        page = counted_services(rows, number, PAGE_SIZE // 2)
        offset = (number - 1) * (PAGE_SIZE // 2)
        assert page is not None and page.count() == total
        assert [_seen(s) for s in page[offset : offset + PAGE_SIZE // 2]] == [
            _seen(s) for s in rows[offset : offset + PAGE_SIZE // 2]
        ]
    assert counted_services(rows, 9, PAGE_SIZE) is None and counted_services(rows, None, PAGE_SIZE) is None
    empty = counted_services(rows.filter(name="nikt"), 1, PAGE_SIZE)
    assert empty is not None and empty.count() == 0


@pytest.mark.parametrize("query", [*FILTERED, "q=usługa&strona=2", "sortuj=-wolne&strona=9"])
def test_a_filtered_page_is_the_same_as_from_the_pager(login, social_worker, many, monkeypatch, query):
    client = login(social_worker)
    url = reverse("support_network:catalogue") + "?" + query
    counted = client.get(url)
    monkeypatch.setattr(views, "counted_services", lambda services, number, per_page: None)
    paged = client.get(url)
    assert counted.status_code == paged.status_code == 200
    assert _TOKENS.sub("", counted.content.decode()) == _TOKENS.sub("", paged.content.decode())
