"""core/prepared.py: a query compiled once gives what the ORM's `get()` gives, on each database."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.prepared import PreparedGet
from support_network.access import unread_count
from support_network.backends import StaffBackend
from support_network.models import Notification

User = get_user_model()


def _fields(obj) -> dict:
    return {key: value for key, value in vars(obj).items() if key != "_state"}


def _query(pk):
    return (
        User.objects.select_related("membership__institution")
        .annotate(unread_notifications=unread_count("pk"))
        .filter(pk=pk)
    )


@pytest.mark.django_db
def test_the_prepared_user_is_the_orms_with_membership_institution_and_unread_count(social_worker):
    Notification.objects.create(recipient=social_worker, text="x")
    prepared = PreparedGet(_query, User._meta.pk)
    for _ in range(2):  # compiled on the first call, reused on the second
        user = prepared.get(social_worker.pk)
        expected = _query(social_worker.pk).get()
        assert _fields(user) == _fields(expected) and user.unread_notifications == 1
        assert _fields(user.membership) == _fields(expected.membership)
        assert _fields(user.membership.institution) == _fields(expected.membership.institution)


@pytest.mark.django_db
def test_no_row_is_none_and_a_user_without_membership_has_none(social_worker):
    prepared = PreparedGet(_query, User._meta.pk)
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
def test_a_query_without_the_marker_is_refused():
    with pytest.raises(ImproperlyConfigured):
        PreparedGet(lambda pk: User.objects.filter(pk=1), User._meta.pk).get(1)
