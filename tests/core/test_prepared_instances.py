"""core/prepared.py builds a compiled query's model instances by filling their `__dict__` when nothing
can tell the difference: the instances must be what `Model.from_db` builds (the same values in the
same order, the same state, the same related objects), and a model whose building runs code of its
own (an init signal's receiver, a field descriptor that is not a plain read) is built by Django."""

import pytest
from django.contrib.auth import get_user_model
from django.db.models import signals

from core.prepared import PreparedQuery, _plain
from reporting.models import ReportRun
from support_network.models import Notification

User = get_user_model()


def _state(obj, depth: int = 2) -> tuple:
    """Everything an instance holds: its values in their order, its state and its related objects'
    (a one-to-one's object points back to the instance: `depth` levels of them)."""
    cache = obj._state.fields_cache
    related = {name: rel if rel is None or not depth else _state(rel, depth - 1) for name, rel in cache.items()}
    related = related if depth else sorted(cache)
    values = [(key, value) for key, value in vars(obj).items() if key != "_state"]
    return type(obj), values, obj._state.adding, obj._state.db, related


def _users(user_id):
    """Users with their membership (a reverse one-to-one: None for a user without one), only some
    fields read (the rest deferred)."""
    return User.objects.filter(pk__gte=user_id).select_related("membership").only("username", "membership__role")


def _notifications(user_id):
    return Notification.objects.filter(recipient_id=user_id).select_related("recipient").order_by("pk")


@pytest.mark.django_db
def test_the_instances_are_those_django_builds_with_deferred_fields_and_missing_related_objects(
    social_worker, coordinator
):
    User.objects.create_user("bez.instytucji", password="x" * 20)  # no membership: the related object is None
    prepared = PreparedQuery(_users)
    rows, expected = prepared.rows(social_worker.pk), list(_users(social_worker.pk).order_by("pk"))
    rows.sort(key=lambda user: user.pk)
    assert len(rows) == 3 and [_state(row) for row in rows] == [_state(row) for row in expected]
    assert rows[-1]._state.fields_cache == {"membership": None}
    assert rows[0].get_deferred_fields() == expected[0].get_deferred_fields() != set()
    assert rows[0].email == social_worker.email  # a deferred field is read when asked for, as Django reads it


@pytest.mark.django_db
def test_a_saved_instance_updates_its_row(social_worker):
    Notification.objects.create(recipient=social_worker, text="przed")
    note = PreparedQuery(_notifications).rows(social_worker.pk)[0]
    assert _state(note) == _state(_notifications(social_worker.pk).get())
    note.text = "po"
    note.save(update_fields=["text"])
    assert Notification.objects.get().text == "po" and Notification.objects.count() == 1


@pytest.mark.django_db
def test_a_model_with_an_init_receiver_is_built_by_django(social_worker):
    Notification.objects.create(recipient=social_worker, text="x")
    prepared = PreparedQuery(_notifications)
    prepared.rows(social_worker.pk)  # compiled without the receiver
    built = []

    def receiver(sender, instance, **kwargs):
        built.append(instance)

    signals.post_init.connect(receiver, sender=Notification)
    try:
        rows = prepared.rows(social_worker.pk)
    finally:
        signals.post_init.disconnect(receiver, sender=Notification)
    assert built == rows and len(rows) == 1


def test_a_model_with_a_file_field_is_not_plain():
    assert not _plain(ReportRun)  # its FileDescriptor wraps the value: Django builds the instance
    assert _plain(Notification) and _plain(User)
