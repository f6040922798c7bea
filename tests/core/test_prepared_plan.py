"""core/prepared.py's `plan_kept`: a query whose plan is kept on the server (PostgreSQL: `PREPARE`
once per session, then `EXECUTE`) gives what the ORM gives on every run, its first included (the
custom plans, then the generic one), with one query a run; its other parameters (a text with a
quote, a percent sign and a backslash, a date, a boolean) are written into the statement as the
client-side binding writes them; several values (a tuple of markers) each go to their own place;
a statement outlives a rollback; a rarer shape, not kept, runs as before. Elsewhere (SQLite) it
changes nothing."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import BigIntegerField, F, Q, Value
from django.test.utils import CaptureQueriesContext

from core.prepared import MARKER, SHAPES, IdIn, PreparedFilter, PreparedQuery, PreparedRows
from support_network.models import Notification

User = get_user_model()
HOSTILE = "50% o'brien \\ %s %% $1"


def _fields(obj) -> dict:
    return {key: value for key, value in vars(obj).items() if not key.startswith("_")}


def _notes(user_id):
    """Constants of several kinds beside the value (the value twice, as a bigint and as a key)."""
    return (
        Notification.objects.filter(Q(text__contains="%") | Q(text=HOSTILE), recipient_id=user_id)
        .filter(created_at__date__gte=dt.date(2000, 1, 1), read_at__isnull=True)
        .select_related("recipient")
        .annotate(v=Value(user_id, output_field=BigIntegerField()), same=Q(recipient_id=F("v")))
        .order_by("-pk")
    )


def _limited(user_id, limit):
    return _notes(user_id)[:limit]


@pytest.mark.django_db
def test_a_kept_plan_gives_the_orms_rows_on_every_run_with_one_query(social_worker, coordinator):
    for user in (social_worker, coordinator):
        for text in (HOSTILE, "100%", "bez procentu", HOSTILE.replace("%", "")):
            Notification.objects.create(recipient=user, text=text)
    prepared = PreparedQuery(_notes, plan_kept=True)
    for _ in range(8):  # prepared on the first run, custom plans for five, then the generic one
        for user in (social_worker, coordinator):
            with CaptureQueriesContext(connection) as queries:
                rows = prepared.rows(user.pk)
            expected = list(_notes(user.pk))
            assert [(_fields(r), r.v, r.same, _fields(r.recipient)) for r in rows] == [
                (_fields(r), r.v, r.same, _fields(r.recipient)) for r in expected
            ]
            assert len(rows) == 2 and len(queries.captured_queries) == 1
    assert prepared.rows(coordinator.pk + 1000) == []


def _others_notes(user_id, but_pk, but_text):
    """Three values, two of one kind: each in another's place, they would find other rows."""
    return (
        Notification.objects.filter(recipient_id=user_id)
        .exclude(pk=but_pk)
        .exclude(text=but_text)
        .select_related("recipient")
        .order_by("pk")
    )


@pytest.mark.django_db
def test_a_kept_plan_of_several_values_puts_each_in_its_place(social_worker, coordinator):
    notes = {
        user: [Notification.objects.create(recipient=user, text=text) for text in (HOSTILE, "100%", "a", "b")]
        for user in (social_worker, coordinator)
    }
    prepared = PreparedQuery(_others_notes, marker=(MARKER, MARKER - 1, "marker's text"), plan_kept=True)
    for run in range(8):  # prepared on the first run, custom plans for five, then the generic one
        for user in (social_worker, coordinator):
            but, text = notes[user][1 + run % 3], (HOSTILE, "a", "b")[run % 3]
            with CaptureQueriesContext(connection) as queries:
                rows = prepared.rows((user.pk, but.pk, text))
            expected = list(_others_notes(user.pk, but.pk, text))
            assert [(_fields(r), _fields(r.recipient)) for r in rows] == [
                (_fields(r), _fields(r.recipient)) for r in expected
            ]
            assert {r.recipient_id for r in rows} == {user.pk} and but.pk not in {r.pk for r in rows}
            assert text not in {r.text for r in rows} and len(rows) >= 1
            assert len(queries.captured_queries) == 1
            if connection.vendor == "postgresql":
                assert (
                    queries.captured_queries[0]["sql"]
                    .lstrip()
                    .startswith("PREPARE" if (run, user) == (0, social_worker) else "EXECUTE")
                )
    assert prepared.rows((coordinator.pk + 1000, notes[coordinator][0].pk, "a")) == []  # no such recipient


@pytest.mark.django_db
def test_a_kept_plan_of_one_value_gets_and_filters(social_worker):
    Notification.objects.create(recipient=social_worker, text=HOSTILE)
    prepared = PreparedFilter(
        lambda pk: Notification.objects.filter(recipient_id=pk, text=HOSTILE),
        Notification._meta.get_field("recipient"),
        plan_kept=True,
    )
    for _ in range(3):
        assert [row.text for row in prepared.rows(social_worker.pk)] == [HOSTILE]
        assert prepared.get(social_worker.pk).text == HOSTILE


@pytest.mark.django_db
def test_a_kept_plan_of_a_list_of_ids_gives_its_rows(social_worker, coordinator):
    notes = [Notification.objects.create(recipient=user, text=HOSTILE) for user in (social_worker, coordinator)]
    prepared = PreparedRows(
        lambda marker: Notification.objects.filter(IdIn("id", marker)).order_by("pk"), plan_kept=True
    )
    for ids in ([], [notes[0].pk], [n.pk for n in notes], [notes[1].pk, 0], [], [notes[0].pk]) * 2:  # past the 5th
        if connection.vendor != "postgresql":
            break  # IdIn is PostgreSQL's
        with CaptureQueriesContext(connection) as queries:
            rows = prepared.rows(ids)
        assert [(row.pk, row.text) for row in rows] == [(n.pk, n.text) for n in notes if n.pk in ids]
        assert len(queries.captured_queries) == 1
        assert queries.captured_queries[0]["sql"].lstrip().startswith(("PREPARE", "EXECUTE"))


@pytest.mark.django_db
def test_an_id_beyond_a_column_finds_nothing_and_is_no_error(social_worker):
    Notification.objects.create(recipient=social_worker, text=HOSTILE)
    prepared = PreparedFilter(
        lambda pk: Notification.objects.filter(recipient_id=pk),
        Notification._meta.get_field("recipient"),
        plan_kept=True,
    )
    for pk in (social_worker.pk, 2**31, 2**63, 10**30, -(2**31) - 1, social_worker.pk):
        with CaptureQueriesContext(connection) as queries:
            assert len(prepared.rows(pk)) == (1 if pk == social_worker.pk else 0)
        assert len(queries.captured_queries) == 1
    rows = PreparedRows(lambda marker: Notification.objects.filter(IdIn("id", marker)), plan_kept=True)
    if connection.vendor == "postgresql":  # IdIn is PostgreSQL's
        assert rows.rows([2**40]) == [] and rows.rows([1, 2**63 - 1]) == []


@pytest.mark.django_db(transaction=True)
def test_a_kept_plan_outlives_a_rollback(social_worker):
    prepared = PreparedQuery(_notes, plan_kept=True)
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        Notification.objects.create(recipient=social_worker, text=HOSTILE)
        assert len(prepared.rows(social_worker.pk)) == 1  # prepared inside the transaction
        raise ZeroDivisionError
    Notification.objects.create(recipient=social_worker, text="100%")
    with CaptureQueriesContext(connection) as queries:
        assert [row.text for row in prepared.rows(social_worker.pk)] == ["100%"]
    assert len(queries.captured_queries) == 1
    if connection.vendor == "postgresql":
        assert queries.captured_queries[0]["sql"].startswith("EXECUTE ")


@pytest.mark.django_db
def test_a_rarer_shape_runs_as_before_and_the_kept_ones_stay(social_worker):
    for n in range(SHAPES + 3):
        Notification.objects.create(recipient=social_worker, text=f"{n}%")
    prepared = PreparedQuery(_limited, plan_kept=True)
    for limit in (*range(1, SHAPES + 4), 1, SHAPES + 3):  # more shapes than are kept
        with CaptureQueriesContext(connection) as queries:
            rows = prepared.rows(social_worker.pk, limit)
        assert [_fields(row) for row in rows] == [_fields(row) for row in _limited(social_worker.pk, limit)]
        kept = limit <= SHAPES and connection.vendor == "postgresql"
        assert len(queries.captured_queries) == 1
        assert queries.captured_queries[0]["sql"].lstrip().startswith(("PREPARE", "EXECUTE")) == kept


@pytest.mark.django_db
def test_behind_a_transaction_pooler_no_plan_is_kept(social_worker, monkeypatch):
    """`DATABASE_POOLED` (Django's DISABLE_SERVER_SIDE_CURSORS): the next statement may reach another
    server session, so the query runs as without `plan_kept`, with the same rows."""
    Notification.objects.create(recipient=social_worker, text=HOSTILE)
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)
    prepared = PreparedQuery(_notes, plan_kept=True)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            rows = prepared.rows(social_worker.pk)
        assert [_fields(row) for row in rows] == [_fields(row) for row in _notes(social_worker.pk)]
        assert len(rows) == 1 and len(queries.captured_queries) == 1
        assert not queries.captured_queries[0]["sql"].lstrip().startswith(("PREPARE", "EXECUTE"))
