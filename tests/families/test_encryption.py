"""Finding 13 of issue 11: PESELs and special-category answers encrypted at rest, PESELs looked up
by a keyed hash, keys rotated by a command, a missing key stopping the app with DEBUG off."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from core.crypto import keyed_hash
from families.codes import Answer, Sex
from families.models import Person
from families.pesel import make_pesel
from families.selectors import possible_duplicates, search_families
from reporting.models import Participation
from reporting.services.participation import find_duplicate, participation_amend
from tests.reporting.factories import ParticipationFactory

pytestmark = pytest.mark.django_db
ANSWERS = {"tak", "nie", "odmowa"}


def raw_rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - a fixed table name of the test
        return cursor.fetchall()


def raw_text(*tables: str) -> str:
    return "\n".join(repr(row) for table in tables for row in raw_rows(table))


def raw_column(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")  # noqa: S608 - fixed names of the test
        return [value for (value,) in cursor.fetchall()]


@pytest.fixture
def person(family):
    person = family.members.order_by("pk").first()
    for name in ("disability", "health_problem", "addiction", "domestic_violence", "minority"):
        setattr(person, name, Answer.YES)
    person.save()
    return person


def test_a_database_dump_shows_no_pesel_and_no_sensitive_answer(person, project, manager):
    participation = ParticipationFactory(project=project, pesel=person.pesel, minority=Answer.YES)
    other = ParticipationFactory(project=project)
    old_pesel = other.pesel
    participation_amend(participation=other, changes={"pesel": person_pesel_2()}, reason="literówka", by=manager)
    dump = raw_text("families_person", "reporting_participation", "reporting_participationamendment",
                    "auditlog_logentry")  # fmt: skip
    for pesel in (person.pesel, participation.pesel, person_pesel_2(), old_pesel):
        assert pesel not in dump
    for column in ("disability", "health_problem", "addiction", "domestic_violence", "minority", "homeless"):
        assert not ANSWERS & set(raw_column("families_person", column))
    for column in ("minority", "homeless", "other_disadvantage"):
        assert not ANSWERS & set(raw_column("reporting_participation", column))
    # the ORM reads them back in clear
    person.refresh_from_db()
    assert person.disability == Answer.YES and len(person.pesel) == 11
    assert Participation.objects.get(pk=participation.pk).minority == Answer.YES


def person_pesel_2() -> str:
    return make_pesel(dt.date(1985, 6, 15), 999, Sex.MALE)


def test_pesel_is_found_by_its_keyed_hash_only(person, family, mops):
    assert search_families(family.__class__.objects.all(), person.pesel).get() == family
    assert list(possible_duplicates(institution=mops, pesel=person.pesel)) == [person]
    assert Person.objects.get(pesel_hash=keyed_hash(person.pesel)) == person
    with pytest.raises(FieldError):
        list(Person.objects.filter(pesel=person.pesel))  # a ciphertext cannot be compared
    with pytest.raises(FieldError):
        list(Person.objects.filter(pesel__startswith=person.pesel[:6]))


def test_one_participation_per_pesel_still_holds(project):
    first = ParticipationFactory(project=project)
    assert find_duplicate(project=project, pesel=first.pesel) == first
    with pytest.raises(IntegrityError), transaction.atomic():
        ParticipationFactory(project=project, pesel=first.pesel)


def test_the_hash_key_is_not_the_encryption_key(person):
    assert person.pesel_hash == keyed_hash(person.pesel)
    with override_settings(PESEL_HASH_KEYS=["another-hash-key-0123456789-abcdefghij"]):
        assert keyed_hash(person.pesel) != person.pesel_hash


def test_rotation_reencrypts_everything_under_the_new_key(person, project):
    old = list(os.environ["FIELD_ENCRYPTION_KEYS"].split(","))
    new_key, new_hash_key = Fernet.generate_key().decode(), "rotated-hash-key-0123456789-abcdefghijkl"
    participation = ParticipationFactory(project=project, pesel=person.pesel)
    before = raw_column("families_person", "pesel")
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key, *old],
                           PESEL_HASH_KEYS=[new_hash_key, *os.environ["PESEL_HASH_KEYS"].split(",")]):  # fmt: skip
        # during the rotation: old rows readable, lookups by the old hash still work
        assert Person.objects.get(pk=person.pk).pesel == person.pesel
        assert find_duplicate(project=project, pesel=person.pesel) == participation
        call_command("rotate_encryption_keys", stdout=open(os.devnull, "w"))  # noqa: SIM115
    after = raw_column("families_person", "pesel")
    assert all(a != b for a, b in zip(before, after, strict=True))
    with override_settings(FIELD_ENCRYPTION_KEYS=[new_key], PESEL_HASH_KEYS=[new_hash_key]):
        person_now = Person.objects.get(pk=person.pk)
        assert person_now.pesel == person.pesel and person_now.disability == Answer.YES
        assert find_duplicate(project=project, pesel=person.pesel) == participation
        assert list(possible_duplicates(institution=person.family.institution, pesel=person.pesel)) == [person]
    with override_settings(FIELD_ENCRYPTION_KEYS=old), pytest.raises(ImproperlyConfigured):
        Person.objects.get(pk=person.pk)  # the old key alone no longer reads the rotated rows


def _start(env: dict, code: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("FIELD_ENCRYPTION_KEYS", "PESEL_HASH_KEYS", "DEBUG")}
    env = {**clean, **env, "DJANGO_SETTINGS_MODULE": "config.settings", "SECRET_KEY": "x" * 50}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                          check=False)  # fmt: skip


WEB = "import config.wsgi"
COMMAND = "import sys; from django.core.management import execute_from_command_line as run; run(sys.argv[:1] + ['check', '--deploy'])"  # noqa: E501


def test_a_missing_key_stops_the_app_with_debug_off():
    for code in (WEB, COMMAND):
        refused = _start({"DEBUG": "false"}, code)
        assert refused.returncode != 0 and "FIELD_ENCRYPTION_KEYS is not set" in refused.stderr
    bad = _start({"DEBUG": "false", "FIELD_ENCRYPTION_KEYS": "not-a-key", "PESEL_HASH_KEYS": "k" * 40}, WEB)
    assert bad.returncode != 0 and "not a Fernet key" in bad.stderr
    derived = _start({"DEBUG": "true"}, WEB)
    assert derived.returncode == 0, derived.stderr


def test_bulk_created_rows_get_their_hash(project):
    Participation.objects.bulk_create(
        [
            Participation(
                project=project, first_name="A", last_name="B", pesel=person_pesel_2(), start_date=dt.date(2017, 3, 1)
            )
        ]  # fmt: skip
    )
    assert find_duplicate(project=project, pesel=person_pesel_2()) is not None


@pytest.mark.django_db(transaction=True)
def test_the_migrations_convert_existing_rows_both_ways(person, project):
    ParticipationFactory(project=project, pesel=person.pesel, minority=Answer.YES)
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()  # every app: going back unapplies the apps that depend on these
    before = [("families", "0004_seed_social_competence_instrument"),
              ("reporting", "0004_report_run_delivery_and_heartbeat")]  # fmt: skip
    try:
        executor.migrate(before)  # backwards: decrypts
        assert person.pesel in raw_column("families_person", "pesel")
        assert Answer.YES in raw_column("families_person", "disability")
        assert Answer.YES in raw_column("reporting_participation", "minority")
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)  # forwards: encrypts the rows found in clear
    assert person.pesel not in raw_text("families_person", "reporting_participation")
    assert Person.objects.get(pk=person.pk).pesel == person.pesel
    assert find_duplicate(project=project, pesel=person.pesel).minority == Answer.YES
