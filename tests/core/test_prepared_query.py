"""core/prepared_query.py: a query compiled once per shape gives what the ORM's list gives, on each
database: model instances with their related objects and annotations, or values() rows (also of a
UNION ALL naming the value twice)."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import F, Value
from django.test.utils import CaptureQueriesContext

from core.prepared_query import SHAPES, PreparedQuery
from support_network.access import unread_count
from support_network.models import Notification

User = get_user_model()


def _fields(obj) -> dict:
    return {key: value for key, value in vars(obj).items() if key != "_state"}


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


@pytest.mark.django_db
def test_model_rows_are_the_orms_with_related_objects_and_annotations(social_worker, coordinator):
    for user in (social_worker, coordinator):
        for n in range(3):
            Notification.objects.create(recipient=user, text=f"{user.username} {n}")
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
