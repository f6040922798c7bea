"""Two workers adding the same person (same PESEL) at the same moment: one record, one clear refusal."""

import datetime as dt
import threading

import pytest
from django.db import connection

from core.crypto import keyed_hash
from core.errors import DomainError
from families.codes import Sex
from families.models import Person
from families.pesel import make_pesel
from families.services import person_create
from tests.families.factories import FamilyFactory


@pytest.mark.django_db(transaction=True)
def test_concurrent_additions_of_one_pesel_leave_one_record(mops, social_worker, colleague):
    families = [FamilyFactory(institution=mops, social_worker=u) for u in (social_worker, colleague)]
    pesel = make_pesel(dt.date(1980, 1, 2), 77, Sex.FEMALE)
    data = {"first_name": "Ewa", "last_name": "Nowa", "pesel": pesel, "birth_date": dt.date(1980, 1, 2), "sex": "K"}
    barrier = threading.Barrier(2)
    outcomes = []

    def add(family, user):
        try:
            barrier.wait(timeout=10)
            person_create(family=family, data=data, by=user)
            outcomes.append("created")
        except DomainError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=add, args=(f, u)) for f, u in zip(families, (social_worker, colleague), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["created", "refused"]
    assert Person.objects.filter(pesel_hash=keyed_hash(pesel)).count() == 1
