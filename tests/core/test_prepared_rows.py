"""core/prepared_rows.py: the rows of one value from a query compiled once are the ORM's."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured

from core.prepared_rows import PreparedFilter
from support_network.models import Notification

User = get_user_model()


def _fields(obj) -> dict:
    return {key: value for key, value in vars(obj).items() if not key.startswith("_")}


def _query(pk):
    return Notification.objects.select_related("recipient").filter(recipient_id=pk).order_by("-pk")


@pytest.mark.django_db
def test_the_prepared_rows_are_the_orms_in_its_order_with_related_objects(social_worker):
    other = User.objects.create_user("inny", password="x" * 20)
    for text in ("a", "b", "c"):
        Notification.objects.create(recipient=social_worker, text=text)
    Notification.objects.create(recipient=other, text="d")
    prepared = PreparedFilter(_query, Notification._meta.get_field("recipient"))
    for user in (social_worker, other, social_worker):  # compiled on the first call, reused after
        rows, expected = prepared.rows(user.pk), list(_query(user.pk))
        assert [_fields(row) for row in rows] == [_fields(row) for row in expected]
        assert [_fields(row.recipient) for row in rows] == [_fields(row.recipient) for row in expected]
    assert prepared.rows(other.pk + 1000) == []


@pytest.mark.django_db
def test_a_query_without_the_marker_is_refused():
    with pytest.raises(ImproperlyConfigured):
        recipient = Notification._meta.get_field("recipient")
        PreparedFilter(lambda pk: Notification.objects.filter(recipient_id=1), recipient).rows(1)
