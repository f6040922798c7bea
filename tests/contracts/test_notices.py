"""contracts.services.notices: the overdue referral e-mail, claimed once, with an absolute link."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from contracts.models import Referral
from contracts.services.notices import referral_notify_overdue
from contracts.services.referrals import referral_create, referral_send
from tests.contracts import referral_factories as fixtures

family = fixtures.family
person = fixtures.person
workshop = fixtures.workshop
pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_referral(person, workshop, social_worker):
    with time_machine.travel(dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC), tick=False):
        referral = referral_create(person=person, service=workshop, by=social_worker, reason="Powrót na rynek pracy.")
        return referral_send(referral=referral, by=social_worker)


def test_the_notice_links_to_the_referral_on_the_site_url(sent_referral, social_worker, settings):
    settings.SITE_URL = "https://efs.example.gov.pl/"
    assert referral_notify_overdue(referral_id=sent_referral.pk) is True
    [message] = mail.outbox
    assert message.to == [social_worker.email]
    assert f"https://efs.example.gov.pl/umowy/skierowania/{sent_referral.pk}/" in message.body


def test_the_notice_is_sent_once(sent_referral):
    assert referral_notify_overdue(referral_id=sent_referral.pk) is True
    assert referral_notify_overdue(referral_id=sent_referral.pk) is False
    assert len(mail.outbox) == 1
    assert Referral.objects.get(pk=sent_referral.pk).overdue_notified_at is not None


def test_a_failed_send_leaves_the_notice_to_the_retry(sent_referral, monkeypatch):
    def smtp_down(*args, **kwargs):
        raise ConnectionError("smtp down")

    monkeypatch.setattr("contracts.services.notices.send_mail", smtp_down)
    with pytest.raises(ConnectionError):
        referral_notify_overdue(referral_id=sent_referral.pk)
    assert Referral.objects.get(pk=sent_referral.pk).overdue_notified_at is None
