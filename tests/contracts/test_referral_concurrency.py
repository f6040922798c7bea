"""Real concurrent transactions on PostgreSQL: two threads, each with its own connection."""

import threading

import pytest
from django.db import connection, connections

from contracts.models import Referral, ReferralEvent, ReferralStatus
from contracts.services.referrals import referral_accept, referral_create, referral_send
from core.errors import DomainError
from tests.contracts import referral_factories as fixtures
from tests.families.factories import PersonFactory

pytestmark = pytest.mark.django_db(transaction=True)

# fixtures shared by the referral tests
family = fixtures.family
person = fixtures.person
workshop = fixtures.workshop


@pytest.fixture(autouse=True)
def _postgresql():
    assert connection.vendor == "postgresql", "concurrency tests need PostgreSQL (set DATABASE_URL)"


def run_together(*calls):
    """Start all calls at the same moment in their own threads; return results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - collected for the assertion
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


def test_two_sends_for_the_last_place_one_gets_it_the_other_waits(family, workshop, social_worker, colleague):
    workshop.capacity = 1
    workshop.save()
    a = referral_create(person=PersonFactory(family=family), service=workshop, by=social_worker, reason="r")
    b = referral_create(person=PersonFactory(family=family), service=workshop, by=colleague, reason="r")
    results = run_together(
        lambda: referral_send(referral=a, by=social_worker), lambda: referral_send(referral=b, by=colleague)
    )
    assert not any(isinstance(r, Exception) for r in results), results
    got = sorted(Referral.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True))
    assert got == sorted([ReferralStatus.SENT, ReferralStatus.WAITING])


def test_a_double_submit_of_the_form_creates_one_referral(person, workshop, social_worker):
    key = "c" * 32
    results = run_together(
        *[
            lambda: referral_create(person=person, service=workshop, by=social_worker, reason="r", key=key)
            for _ in range(2)
        ]
    )
    assert not any(isinstance(r, Exception) for r in results), results
    assert results[0].pk == results[1].pk
    assert Referral.objects.filter(person=person).count() == 1
    assert ReferralEvent.objects.filter(referral__person=person).count() == 1


def test_two_clicks_on_accept_make_one_status_change(person, workshop, social_worker, partner):
    referral = referral_send(
        referral=referral_create(person=person, service=workshop, by=social_worker, reason="r"), by=social_worker
    )
    results = run_together(*[lambda: referral_accept(referral=referral, by=partner) for _ in range(2)])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], DomainError) and errors[0].conflict
    assert referral.events.filter(status=ReferralStatus.ACCEPTED).count() == 1


def test_two_clicks_on_send_make_one_status_change(person, workshop, social_worker):
    referral = referral_create(person=person, service=workshop, by=social_worker, reason="r")
    results = run_together(*[lambda: referral_send(referral=referral, by=social_worker) for _ in range(2)])
    assert sum(isinstance(r, DomainError) for r in results) == 1
    assert referral.events.filter(status=ReferralStatus.SENT).count() == 1
