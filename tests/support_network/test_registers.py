"""Registers of numbers: the pattern is checked when saved, numbers run per year without gaps or
duplicates, two transactions at the same moment get consecutive numbers (PostgreSQL row lock)."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from core.errors import DomainError
from support_network.models import Institution
from support_network.registers import NumberCounter, NumberKind, NumberRegister, next_number, validate_pattern


@pytest.mark.parametrize("pattern", ["FS/{rok}/{nr:03d}", "{nr}/{rok}", "KS-{nr:05d}", "{rok}/{nr:>4}"])
def test_good_patterns_pass(pattern):
    validate_pattern(pattern)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("FS/{rok}", "{nr}"),
        ("FS/{nr}/{nr}", "{nr}"),
        ("FS/{rok}/{nr:03d", "nawias"),
        ("FS/{inst}/{nr}", "{inst}"),
        ("FS/{nr!r}", "konwersji"),
        ("FS/{nr:xyz}", "format"),
        ("FS/{nr:>60}", "40 znaków"),
        ("{0}/{nr}", "{0}"),
        ("{}/{nr}", "{}"),
    ],
)
def test_bad_patterns_get_a_message(pattern, message):
    with pytest.raises(ValidationError) as caught:
        validate_pattern(pattern)
    assert message in " ".join(caught.value.messages)


def _next(institution, year=2026, taken=lambda _n: False):
    with transaction.atomic():
        return next_number(institution_id=institution.pk, kind=NumberKind.CASE, year=year, taken=taken)


@pytest.mark.django_db
def test_numbers_run_per_year_with_the_institutions_pattern(mops, other_mops):
    NumberRegister.objects.create(institution=mops, kind=NumberKind.CASE, pattern="FS/{rok}/{nr:03d}")
    assert [_next(mops) for _i in range(3)] == ["FS/2026/001", "FS/2026/002", "FS/2026/003"]
    assert _next(mops, year=2027) == "FS/2027/001"
    assert _next(other_mops) == "RS/2026/001"  # no register yet: one is made with the default pattern
    assert NumberCounter.objects.get(register__institution=mops, year=2026).last == 3


@pytest.mark.django_db
def test_taken_numbers_are_skipped_and_a_rollback_gives_the_number_back(mops):
    assert _next(mops, taken=lambda n: n in {"RS/2026/001", "RS/2026/002"}) == "RS/2026/003"
    with pytest.raises(RuntimeError), transaction.atomic():
        next_number(institution_id=mops.pk, kind=NumberKind.CASE, year=2026)
        raise RuntimeError("the record's save failed")
    assert _next(mops) == "RS/2026/004"  # no gap


@pytest.mark.django_db
def test_a_register_with_no_free_number_is_a_domain_error(mops):
    NumberRegister.objects.create(institution=mops, kind=NumberKind.CASE, pattern="FS/{rok}/{nr}")
    with pytest.raises(DomainError):
        _next(mops, taken=lambda n: True)


@pytest.mark.django_db(transaction=True)
def test_next_number_refuses_to_run_outside_a_transaction(mops):
    with pytest.raises(RuntimeError):
        next_number(institution_id=mops.pk, kind=NumberKind.CASE, year=2026)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no SELECT … FOR UPDATE: it locks the file")
@pytest.mark.django_db
def test_the_counter_row_is_read_with_select_for_update(mops):
    _next(mops)
    with CaptureQueriesContext(connection) as queries:
        _next(mops)
    locked = [q["sql"] for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert len(locked) == 1 and "numbercounter" in locked[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_connections_at_the_same_moment_get_consecutive_numbers():
    institution = Institution.objects.create(name="MOPS Wyścig", kind="ops")
    _next(institution)  # the register and the counter exist: the race is on the lock
    barrier = threading.Barrier(2)
    numbers, errors = [], []

    def take():
        try:
            with transaction.atomic():
                barrier.wait(timeout=10)
                numbers.append(next_number(institution_id=institution.pk, kind=NumberKind.CASE, year=2026))
                time.sleep(0.2)  # hold the transaction open: without the row lock the other reads the same counter
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert sorted(numbers) == ["RS/2026/002", "RS/2026/003"]
    assert NumberCounter.objects.get(register__institution=institution).last == 3


@pytest.mark.django_db
def test_the_admin_refuses_a_bad_pattern(login, administrator, mops):
    response = login(administrator).post(
        "/admin/support_network/numberregister/add/", {"institution": mops.pk, "kind": "case", "pattern": "FS/{rok}"}
    )
    assert response.status_code == 200 and "{nr}" in response.content.decode()
    assert not NumberRegister.objects.exists()
