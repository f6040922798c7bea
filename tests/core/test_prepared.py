"""core/prepared.py: a query compiled once gives what the ORM gives, on each database: `get()` for
PreparedGet, `list()` for PreparedFilter, PreparedRows and PreparedQuery (model instances with their
related objects and annotations, or values() rows, also of a UNION ALL naming the value twice)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import BigIntegerField, F, Value
from django.test.utils import CaptureQueriesContext

from core.prepared import MARKER, SHAPES, IdIn, PreparedFilter, PreparedGet, PreparedQuery, PreparedRows
from support_network.access import unread_count
from support_network.backends import StaffBackend
from support_network.models import Notification

User = get_user_model()


def _fields(obj) -> dict:
    return {key: value for key, value in vars(obj).items() if not key.startswith("_")}


def _user(pk):
    return (
        User.objects.select_related("membership__institution")
        .annotate(unread_notifications=unread_count("pk"))
        .filter(pk=pk)
    )


def _notifications(user_id):
    return Notification.objects.filter(recipient_id=user_id).select_related("recipient").order_by("-pk")


def _users(user_id):
    return User.objects.filter(pk__gte=user_id).annotate(unread=unread_count("pk")).order_by("pk")


def _both(user_id, limit):
    """A UNION ALL of two values() queries, each naming the value, in one order, with a LIMIT."""
    own = User.objects.filter(pk=user_id).order_by().annotate(source=Value(0), ref=F("pk"))
    own = own.values("source", "ref", "username")
    notes = Notification.objects.filter(recipient_id=user_id).order_by().annotate(source=Value(1), ref=F("pk"))
    notes = notes.annotate(username=F("text")).values("source", "ref", "username")
    return own.union(notes, all=True).order_by("source", "-ref")[:limit]


def _notes_of(user, n: int) -> list:
    return [Notification.objects.create(recipient=user, text=f"{user.username} {i}") for i in range(n)]


@pytest.mark.django_db
def test_the_prepared_user_is_the_orms_with_membership_institution_and_unread_count(social_worker):
    Notification.objects.create(recipient=social_worker, text="x")
    prepared = PreparedGet(_user, User._meta.pk)
    for _ in range(2):  # compiled on the first call, reused on the second
        user = prepared.get(social_worker.pk)
        expected = _user(social_worker.pk).get()
        assert _fields(user) == _fields(expected) and user.unread_notifications == 1
        assert _fields(user.membership) == _fields(expected.membership)
        assert _fields(user.membership.institution) == _fields(expected.membership.institution)


@pytest.mark.django_db
def test_no_row_is_none_and_a_user_without_membership_has_none(social_worker):
    prepared = PreparedGet(_user, User._meta.pk)
    assert prepared.get(social_worker.pk + 1000) is None
    bare = User.objects.create_user("bez-czlonkostwa", password="x" * 20)
    user = prepared.get(bare.pk)
    assert user == bare and getattr(user, "membership", None) is None and user.unread_notifications == 0


@pytest.mark.django_db
def test_the_backend_reads_the_session_user_in_one_query(social_worker):
    with CaptureQueriesContext(connection) as queries:
        user = StaffBackend().get_user(social_worker.pk)
        assert user.membership.institution.pk == social_worker.membership.institution.pk
    assert len(queries.captured_queries) == 1


@pytest.mark.django_db
def test_the_rows_of_one_value_are_the_orms_in_its_order_with_related_objects(social_worker):
    other = User.objects.create_user("inny", password="x" * 20)
    _notes_of(social_worker, 3)
    _notes_of(other, 1)
    prepared = PreparedFilter(_notifications, Notification._meta.get_field("recipient"))
    for user in (social_worker, other, social_worker):  # compiled on the first call, reused after
        rows, expected = prepared.rows(user.pk), list(_notifications(user.pk))
        assert [_fields(row) for row in rows] == [_fields(row) for row in expected] and rows
        assert [_fields(row.recipient) for row in rows] == [_fields(row.recipient) for row in expected]
    assert prepared.rows(other.pk + 1000) == []


@pytest.mark.django_db
def test_the_rows_of_a_list_of_ids_are_the_orms_whatever_their_number(social_worker):
    assert connection.vendor == "postgresql", "IdIn's array parameter is PostgreSQL's (set DATABASE_URL)"
    notes = _notes_of(social_worker, 4)
    prepared = PreparedRows(lambda marker: Notification.objects.filter(IdIn("id", marker)).order_by("pk"))
    for ids in ([notes[0].pk], [str(note.pk) for note in notes[1:]], [], [notes[0].pk + 1000]):
        expected = list(Notification.objects.filter(pk__in=[int(pk) for pk in ids]).order_by("pk"))
        assert [_fields(row) for row in prepared.rows(ids)] == [_fields(row) for row in expected]


@pytest.mark.django_db
def test_model_rows_are_the_orms_with_related_objects_and_annotations(social_worker, coordinator):
    _notes_of(social_worker, 3)
    _notes_of(coordinator, 3)
    prepared, annotated = PreparedQuery(_notifications), PreparedQuery(_users)
    for user in (social_worker, coordinator, social_worker):  # compiled on the first call, then reused
        rows, expected = prepared.rows(user.pk), list(_notifications(user.pk))
        assert [_fields(row) for row in rows] == [_fields(row) for row in expected] and len(rows) == 3
        assert [_fields(row.recipient) for row in rows] == [_fields(row.recipient) for row in expected]
        users = annotated.rows(user.pk)
        assert [(_fields(row), row.unread) for row in users] == [(_fields(row), row.unread) for row in _users(user.pk)]
    assert prepared.rows(coordinator.pk + 1000) == []


@pytest.mark.django_db
def test_values_of_a_union_naming_the_value_twice_per_shape(social_worker, coordinator):
    for n in range(SHAPES + 3):
        Notification.objects.create(recipient=social_worker, text=f"<b>{n}</b>")
    Notification.objects.create(recipient=coordinator, text="inna")
    prepared = PreparedQuery(_both)
    for limit in (None, *range(1, SHAPES + 4), 2, None):  # more shapes than are kept
        for user in (social_worker, coordinator):
            assert prepared.rows(user.pk, limit) == list(_both(user.pk, limit))
    with CaptureQueriesContext(connection) as queries:
        prepared.rows(social_worker.pk, 2)
    assert len(queries.captured_queries) == 1


def _bigint(pk):
    """The value as a bigint Value: psycopg's Int8 on PostgreSQL, named twice (select and where)."""
    return Notification.objects.annotate(v=Value(pk, output_field=BigIntegerField())).filter(pk=F("v"))


def _pk_or_name(pk):
    """The value as itself and as its text."""
    return (User.objects.filter(pk=pk) | User.objects.filter(username=str(pk))).order_by("pk")


@pytest.mark.django_db
def test_the_value_takes_the_marker_s_type_bigint_and_text(social_worker):
    note = _notes_of(social_worker, 1)[0]
    rows = PreparedQuery(_bigint).rows(note.pk)
    assert [(_fields(row), row.v) for row in rows] == [(_fields(row), row.v) for row in _bigint(note.pk)] and rows
    named = User.objects.create_user(str(social_worker.pk), password="x" * 20)  # a username that is the value
    assert PreparedQuery(_pk_or_name).rows(social_worker.pk) == [social_worker, named]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "build",
    [
        lambda pk: User.objects.filter(pk=1),  # no marker
        lambda pk: User.objects.filter(pk=pk).prefetch_related("groups"),
        lambda pk: User.objects.filter(pk=pk).values_list("pk"),
    ],
)
def test_what_cannot_be_prepared_is_refused(build):
    with pytest.raises(ImproperlyConfigured):
        PreparedQuery(build).rows(1)
    with pytest.raises(ImproperlyConfigured):
        PreparedGet(build, User._meta.pk).get(1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "build",
    [
        lambda pk: User.objects.filter(pk=pk).order_by("pk")[:1],  # a slice
        lambda pk: User.objects.filter(pk=pk) | User.objects.filter(groups__pk=pk),  # the marker twice
        _pk_or_name,  # the marker and its text
    ],
)
def test_the_one_value_doors_refuse_a_slice_and_a_second_marker(build):
    with pytest.raises(ImproperlyConfigured):
        PreparedGet(build, User._meta.pk).get(1)
    with pytest.raises(ImproperlyConfigured):
        PreparedFilter(build, User._meta.pk).rows(1)
    assert PreparedQuery(build).rows(1) == list(build(1))  # the list door takes them


@pytest.mark.django_db
@pytest.mark.parametrize(
    "build",
    [
        lambda ids: Notification.objects.filter(IdIn("id", ids)).order_by("pk")[:1],
        lambda ids: Notification.objects.filter(IdIn("id", ids)) | Notification.objects.filter(IdIn("recipient", ids)),
        lambda ids: Notification.objects.filter(pk=1),  # no marker
    ],
)
def test_the_ids_door_refuses_a_slice_and_a_second_list(build):
    with pytest.raises(ImproperlyConfigured):
        PreparedRows(build).rows([1])


def _recipient_and_text(user_id, text, limit):
    """Two values (an id and a text, each named once) and a shape."""
    return Notification.objects.filter(recipient_id=user_id, text=text).order_by("pk")[:limit]


@pytest.mark.django_db
def test_several_values_each_take_their_marker_s_place(social_worker, coordinator):
    for user in (social_worker, coordinator):
        for text in ("a", "b", "a"):
            Notification.objects.create(recipient=user, text=text)
    prepared = PreparedQuery(_recipient_and_text, marker=(MARKER, "marker-text"))
    for user in (social_worker, coordinator, social_worker):
        for text in ("a", "b", "c"):
            for limit in (1, 5):
                expected = list(_recipient_and_text(user.pk, text, limit))
                assert [_fields(row) for row in prepared.rows((user.pk, text), limit)] == [
                    _fields(row) for row in expected
                ]
    with pytest.raises(ImproperlyConfigured):  # each marker must be a parameter
        PreparedQuery(lambda pk, other: User.objects.filter(pk=pk), marker=(MARKER, MARKER - 1)).rows((1, 2))
    with pytest.raises(ImproperlyConfigured):  # the one-value doors take one
        PreparedGet(lambda pk, other: User.objects.filter(pk=pk, id=other), User._meta.pk, marker=(1, 2)).get((1, 2))
