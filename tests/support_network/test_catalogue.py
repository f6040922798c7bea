import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse

from contracts.services.referrals import referral_accept, referral_create, referral_send
from core.pagination import PAGE_SIZE
from support_network.models import InstitutionKind, Module, Service, ServiceForm
from support_network.selectors import catalogue
from tests.contracts import referral_factories as fixtures
from tests.families.factories import PersonFactory
from tests.support_network.factories import InstitutionFactory, ServiceFactory

# fixtures shared by the referral tests
family = fixtures.family
person = fixtures.person
workshop = fixtures.workshop


def test_free_places_count_accepted_in_progress_and_unanswered_referrals(family, workshop, social_worker, partner):
    workshop.capacity = 5
    workshop.save()
    referrals = [
        referral_send(
            referral=referral_create(
                person=PersonFactory(family=family), service=workshop, by=social_worker, reason="r"
            ),
            by=social_worker,
        )
        for _ in range(3)
    ]
    referral_accept(referral=referrals[0], by=partner)
    referral_create(person=PersonFactory(family=family), service=workshop, by=social_worker, reason="draft")
    service = catalogue().get(pk=workshop.pk)
    assert (service.places_in_use, service.places_reserved, service.places_free) == (1, 2, 2)


def test_the_place_counts_are_counted_at_each_read(family, workshop, social_worker, partner):
    # the counts' expressions are built once per process: the numbers must still be read each time
    before = catalogue().get(pk=workshop.pk)
    referral = referral_create(person=PersonFactory(family=family), service=workshop, by=social_worker, reason="r")
    referral_send(referral=referral, by=social_worker)
    sent = catalogue().get(pk=workshop.pk)
    referral_accept(referral=referral, by=partner)
    accepted = catalogue().get(pk=workshop.pk)
    assert (before.places_in_use, before.places_reserved) == (0, 0)
    assert (sent.places_in_use, sent.places_reserved) == (0, 1)
    assert (accepted.places_in_use, accepted.places_reserved) == (1, 0)


def test_catalogue_hides_inactive_and_expired_services_unless_asked(db, pup):
    ServiceFactory(provider=pup, name="Aktualna")
    ServiceFactory(provider=pup, name="Wyłączona", is_active=False)
    ServiceFactory(provider=pup, name="Wygasła", valid_to=dt.date(2025, 5, 31))
    assert {s.name for s in catalogue()} == {"Aktualna"}
    assert {s.name for s in catalogue(include_inactive=True)} == {"Aktualna", "Wyłączona", "Wygasła"}


@pytest.fixture
def services(pup, mops):
    kis = InstitutionFactory(
        name="Klub Integracji Społecznej w Sochaczewie", short_name="KIS", kind=InstitutionKind.KIS
    )
    return [
        ServiceFactory(
            provider=pup,
            name="Warsztaty z poradnictwa zawodowego",
            form=ServiceForm.GROUP,
            eligibility="Osoby bezrobotne zarejestrowane",
        ),
        ServiceFactory(provider=pup, name="Staż", form=ServiceForm.INDIVIDUAL),
        ServiceFactory(provider=mops, name="Asystent rodziny", module=Module.FAMILY),
        ServiceFactory(provider=kis, name="Nauka obsługi komputera", module=Module.SOCIAL, form=ServiceForm.GROUP),
    ]


@pytest.mark.parametrize(
    "query, expected",
    [
        ("q=warsztaty+zawodowego", {"Warsztaty z poradnictwa zawodowego"}),
        ("q=bezrobotne", {"Warsztaty z poradnictwa zawodowego"}),
        ("q=Sochaczewie", {"Nauka obsługi komputera"}),
        # without case and diacritics, on SQLite and PostgreSQL alike (core.text.fold)
        ("q=STAZ", {"Staż"}),
        ("q=nauka+OBSLUGI", {"Nauka obsługi komputera"}),
        ("q=spoleczn+komputer", {"Nauka obsługi komputera"}),  # the provider's name "Społecznej"
        ("q=BEZROBOTNE+zarejestrowane", {"Warsztaty z poradnictwa zawodowego"}),
        ("module=family", {"Asystent rodziny"}),
        ("form=group", {"Warsztaty z poradnictwa zawodowego", "Nauka obsługi komputera"}),
        ("form=group&module=employment", {"Warsztaty z poradnictwa zawodowego"}),
    ],
)
def test_catalogue_search_and_filters(login, social_worker, services, query, expected):
    response = login(social_worker).get(reverse("support_network:catalogue") + "?" + query)
    assert {s.name for s in response.context["page"]} == expected


def test_catalogue_filters_by_institution(login, social_worker, services, pup):
    response = login(social_worker).get(reverse("support_network:catalogue") + f"?provider={pup.pk}")
    assert {s.name for s in response.context["page"]} == {"Warsztaty z poradnictwa zawodowego", "Staż"}


@pytest.mark.parametrize("junk", ["module=nonsense", "provider=abc", "q=" + "x" * 5000, "q=%00", "strona=-1"])
def test_catalogue_never_fails_on_odd_query_strings(login, social_worker, services, junk):
    assert login(social_worker).get(reverse("support_network:catalogue") + "?" + junk).status_code == 200


def test_catalogue_offers_a_referral_to_caseworkers_only(login, social_worker, partner, services):
    link = reverse("contracts:referral_create") + f"?service={services[0].pk}"
    assert link in login(social_worker).get(reverse("support_network:catalogue")).content.decode()
    partner_page = login(partner).get(reverse("support_network:catalogue"))
    assert partner_page.status_code == 200 and link not in partner_page.content.decode()


@pytest.mark.parametrize("rows", [1, 40])
def test_catalogue_runs_a_constant_number_of_queries(
    login, social_worker, family, pup, rows, django_assert_max_num_queries
):
    for i in range(rows):
        service = ServiceFactory(provider=pup, name=f"Usługa {i}", capacity=3)
        referral_send(
            referral=referral_create(
                person=PersonFactory(family=family), service=service, by=social_worker, reason="r"
            ),
            by=social_worker,
        )
    client = login(social_worker)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("support_network:catalogue"))
    assert response.status_code == 200 and len(response.context["page"]) == min(rows, PAGE_SIZE)
    for order in ("nazwa", "-realizator", "-wolne", "nonsense"):  # the chosen order costs nothing more
        with django_assert_max_num_queries(11):
            response = client.get(reverse("support_network:catalogue"), {"sortuj": order})
        assert response.status_code == 200 and len(response.context["page"]) == min(rows, PAGE_SIZE)


def test_catalogue_order_by_free_places(login, social_worker, pup):
    ServiceFactory(provider=pup, name="Mała", capacity=1)
    ServiceFactory(provider=pup, name="Duża", capacity=9)
    page = login(social_worker).get(reverse("support_network:catalogue"), {"sortuj": "-wolne"}).context["page"]
    assert [s.name for s in page][:2] == ["Duża", "Mała"]


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("support_network:catalogue"))
    assert response.status_code == 302 and "logowanie" in response.url


@pytest.mark.django_db
def test_demo_catalogue_has_the_instruments_of_the_articles(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    for pup in ("PUP Kalisz", "PUP Wodzisław Śl."):
        workshop = Service.objects.get(provider__short_name=pup, name="Warsztaty z poradnictwa zawodowego")
        assert workshop.form == ServiceForm.GROUP and workshop.capacity == 12
        assert "art. 38" in workshop.legal_basis
    pup_names = set(Service.objects.filter(provider__short_name="PUP Wodzisław Śl.").values_list("name", flat=True))
    assert {
        "Staż",
        "Prace interwencyjne",
        "Roboty publiczne",
        "Prace społecznie użyteczne",
        "Szkolenia zawodowe",
    } <= pup_names
    kis = set(Service.objects.filter(provider__short_name="KIS Sochaczew").values_list("name", flat=True))
    assert {"Psycholog – pomoc indywidualna i grupowa", "Prawnik – pomoc prawna", "Nauka obsługi komputera"} <= kis
    assert Service.objects.filter(provider__short_name="CIS Rybnik").exists()
    assert Service.objects.filter(provider__short_name="PCPR Turek", name="Interwencja kryzysowa").exists()
    assert Service.objects.filter(module=Module.ACCOMPANYING).count() >= 2
    assert set(Service.objects.values_list("module", flat=True)) == set(Module.values)


def test_places_taken_and_free_are_derived_from_the_counts(db, pup):
    ServiceFactory(provider=pup, name="Bez limitu", capacity=None)
    ServiceFactory(provider=pup, name="Pełna", capacity=0)
    ServiceFactory(provider=pup, name="Wolna", capacity=2)
    rows = {s.name: (s.places_taken, s.places_free) for s in catalogue()}
    assert rows == {"Bez limitu": (0, None), "Pełna": (0, 0), "Wolna": (0, 2)}
    assert [s.name for s in catalogue().order_by("-free_places", "name")][0] == "Wolna"
    assert {s.name for s in catalogue().filter(free_places__gt=0)} == {"Wolna"}
