"""Two coordinators deciding on the same version at the same moment: exactly one wins (real
concurrent transactions on PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from contracts.models import ProgrammeEvent, ProgrammeStatus, Referral
from contracts.services import programmes as services
from core.errors import DomainError
from tests.contracts.factories import make_programme


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_deciding_at_once_exactly_one_wins(
    family, mgi_member, coordinator, second_coordinator, service
):
    assert connection.vendor == "postgresql"
    programme = make_programme(family=family, author=mgi_member, services=[service], submit=True)
    barrier = threading.Barrier(2)
    results = {}

    def decide(name, user, action):
        try:
            barrier.wait(timeout=10)
            if action == "approve":
                services.programme_approve(programme=programme, version_number=1, by=user)
            else:
                services.programme_return(programme=programme, version_number=1, comment="Popraw cele", by=user)
            results[name] = "won"
        except DomainError as error:
            results[name] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=decide, args=("a", coordinator, "approve")),
        threading.Thread(target=decide, args=("b", second_coordinator, "return")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    outcomes = sorted(results.values(), key=lambda r: r != "won")
    assert outcomes[0] == "won"
    loser = outcomes[1]
    assert isinstance(loser, DomainError) and loser.conflict and "już rozstrzygnięto" in loser.message
    programme.refresh_from_db()
    decisions = ProgrammeEvent.objects.filter(programme=programme, kind__in=["approved", "returned"])
    assert decisions.count() == 1
    winner_kind = decisions.get().kind
    assert programme.status == (ProgrammeStatus.APPROVED if winner_kind == "approved" else ProgrammeStatus.RETURNED)
    assert Referral.objects.count() == (1 if winner_kind == "approved" else 0)
