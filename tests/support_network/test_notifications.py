"""In-app notifications (issue 12, wall 7): a partner's answer, a returned programme and an
overdue referral reach the referrer's badge, home page and list; read state; nobody sees another's
notifications; the e-mail goes only to users who asked for it, once, after the commit."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from contracts.services import programmes as programme_services
from contracts.services.referrals import (
    referral_accept,
    referral_create,
    referral_reject,
    referral_send,
    referrals_mark_overdue,
)
from support_network.models import Notification, NotificationKind, StaffMembership
from support_network.services import notification_create
from tests.contracts import referral_factories as fixtures
from tests.contracts.factories import make_programme

pytestmark = pytest.mark.django_db

family = fixtures.family
person = fixtures.person
workshop = fixtures.workshop

LIST = reverse("support_network:notification_list")


def sent_referral(person, workshop, worker):
    referral = referral_create(person=person, service=workshop, by=worker, reason="Powrót na rynek pracy.")
    return referral_send(referral=referral, by=worker)


def badge_count(client) -> str | None:
    html = client.get(reverse("home")).content.decode()
    marker = 'id="notification-count">'
    if marker not in html:
        return None
    return html.split(marker, 1)[1].split("<", 1)[0]


def test_partner_answer_changes_the_workers_badge_home_and_list(client, person, workshop, social_worker, partner):
    referral = sent_referral(person, workshop, social_worker)
    client.force_login(social_worker)
    assert badge_count(client) is None
    referral_accept(referral=referral, by=partner)
    assert badge_count(client) == "1"
    home = client.get(reverse("home")).content.decode()
    assert f"Skierowanie nr {referral.pk}" in home and "przyjęte" in home
    listing = client.get(LIST).content.decode()
    assert f"Skierowanie nr {referral.pk}" in listing and "unread" in listing


def test_rejection_is_a_notification_without_the_reason(person, workshop, social_worker, partner):
    referral = sent_referral(person, workshop, social_worker)
    referral_reject(referral=referral, by=partner, reason="Pan Kowalski nie spełnia kryteriów")
    notification = Notification.objects.get(recipient=social_worker)
    assert notification.kind == NotificationKind.REFERRAL_ANSWERED
    assert "odrzucone" in notification.text and "Kowalski" not in notification.text
    assert notification.link == reverse("contracts:referral_detail", args=[referral.pk])


def test_returned_programme_notifies_its_submitter(family, mgi_member, coordinator):
    programme = make_programme(family=family, author=mgi_member, submit=True)
    programme_services.programme_return(programme=programme, version_number=1, comment="Popraw cele", by=coordinator)
    notification = Notification.objects.get(recipient=mgi_member)
    assert notification.kind == NotificationKind.PROGRAMME_RETURNED
    assert not Notification.objects.filter(recipient=coordinator).exists()


def test_overdue_referral_notifies_its_author_once(person, workshop, social_worker):
    referral = sent_referral(person, workshop, social_worker)
    with time_machine.travel(referral.answer_due + dt.timedelta(days=1)):
        referrals_mark_overdue()
        referrals_mark_overdue()
    assert Notification.objects.filter(recipient=social_worker, kind=NotificationKind.OVERDUE).count() == 1


def test_the_day_of_the_answer_date_is_not_overdue(person, workshop, social_worker):
    referral = sent_referral(person, workshop, social_worker)
    with time_machine.travel(dt.datetime.combine(referral.answer_due, dt.time(12))):
        referrals_mark_overdue()
    assert not Notification.objects.filter(kind=NotificationKind.OVERDUE).exists()


def test_mark_one_and_all_as_read(client, social_worker):
    first, second, third = (
        notification_create(recipient=social_worker, kind=NotificationKind.OVERDUE, text=f"n{i}", link="/")
        for i in range(3)
    )
    client.force_login(social_worker)
    assert badge_count(client) == "3"
    response = client.post(reverse("support_network:notification_read", args=[first.pk]))
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.read_at is not None and badge_count(client) == "2"
    response = client.post(reverse("support_network:notification_read", args=[second.pk]), {"open": "1"})
    assert response["Location"] == "/"
    client.post(reverse("support_network:notification_read_all"))
    third.refresh_from_db()
    assert third.read_at is not None and badge_count(client) is None


def test_nobody_sees_or_marks_another_users_notification(client, social_worker, colleague):
    notification = notification_create(recipient=colleague, kind=NotificationKind.OVERDUE, text="cudze", link="/")
    client.force_login(social_worker)
    assert client.post(reverse("support_network:notification_read", args=[notification.pk])).status_code == 404
    assert "cudze" not in client.get(LIST).content.decode()
    client.post(reverse("support_network:notification_read_all"))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_marking_read_needs_a_post(client, social_worker):
    notification = notification_create(recipient=social_worker, kind=NotificationKind.OVERDUE, text="x", link="/")
    client.force_login(social_worker)
    assert client.get(reverse("support_network:notification_read", args=[notification.pk])).status_code == 405


def test_email_only_for_users_who_asked_for_it(
    client, person, workshop, social_worker, partner, django_capture_on_commit_callbacks
):
    social_worker.email = "pracownik@example.org"
    social_worker.save()
    referral = sent_referral(person, workshop, social_worker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        referral_accept(referral=referral, by=partner)
    assert mail.outbox == []
    client.force_login(social_worker)
    client.post(reverse("support_network:notification_settings"), {"email": "1"})
    assert StaffMembership.objects.get(user=social_worker).email_notifications
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notification_create(
            recipient=social_worker, kind=NotificationKind.OVERDUE, text="Termin", link="/x/"
        )
    assert len(callbacks) == 1
    assert [m.to for m in mail.outbox] == [["pracownik@example.org"]]
    assert "Termin" in mail.outbox[0].body
    notification.refresh_from_db()
    assert notification.emailed_at is not None


@pytest.mark.parametrize("rows", [1, 25])
def test_list_and_home_query_counts_do_not_grow(client, social_worker, django_assert_max_num_queries, rows):
    for i in range(rows):
        notification_create(recipient=social_worker, kind=NotificationKind.OVERDUE, text=f"n{i}", link="/")
    client.force_login(social_worker)
    with django_assert_max_num_queries(12):
        assert client.get(LIST).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("answer", ["accept", "reject"])
def test_an_institution_name_ending_in_a_full_stop_is_not_followed_by_another(
    answer, person, workshop, social_worker, partner
):
    """ "PUP Wodzisław Śl." ends the abbreviation with its own full stop: the answer's text never
    reads "Śl.." (the name sits in brackets, the sentence ends with the answer)."""
    institution = workshop.provider
    institution.name = institution.short_name = "PUP Wodzisław Śl."
    institution.save()
    referral = sent_referral(person, workshop, social_worker)
    if answer == "accept":
        referral_accept(referral=referral, by=partner)
    else:
        referral_reject(referral=referral, by=partner, reason="Brak miejsc")
    text = Notification.objects.get(recipient=social_worker).text
    assert "Śl.)" in text and ".." not in text
