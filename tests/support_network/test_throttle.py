"""Finding 11: the lockout behind a proxy and per username; finding 12/14: password-reset mails."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.conftest import verify_session
from tests.support_network.factories import PASSWORD

LOGIN = "/konto/logowanie/"
PROXY = "10.0.0.1"
WRONG = {"username": "pracownik", "password": "zle-haslo-123456"}
RIGHT = {"username": "pracownik", "password": PASSWORD}


def via_proxy(client_address):
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"{client_address}, {PROXY}"}


@pytest.mark.django_db
def test_behind_a_trusted_proxy_one_client_cannot_lock_out_another(client, settings, social_worker):
    """Before: every client had the proxy's address, so five failures by anyone locked the user out."""
    settings.TRUSTED_PROXIES = [PROXY]
    settings.LOGIN_FREE_FAILURES = 100  # the per-username delay is tested on its own below
    for _ in range(6):
        client.post(LOGIN, WRONG, **via_proxy("203.0.113.7"))
    assert client.post(LOGIN, RIGHT, **via_proxy("203.0.113.7")).status_code == 429
    assert Client().post(LOGIN, RIGHT, **via_proxy("198.51.100.2")).status_code == 302


@pytest.mark.django_db
def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(client, settings, social_worker):
    """A client cannot pick a fresh address per try by sending X-Forwarded-For itself."""
    settings.TRUSTED_PROXIES = []
    settings.LOGIN_FREE_FAILURES = 100
    for n in range(6):
        client.post(LOGIN, WRONG, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = client.post(LOGIN, RIGHT, REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="192.0.2.99")
    assert response.status_code == 429


@pytest.mark.django_db
def test_many_addresses_meet_a_growing_delay_per_username(settings, social_worker):
    """Before: five guesses per address, as many addresses as the attacker had. Now after five
    failures from anywhere each try waits 2, 4, 8 ... seconds, and a try inside the wait is not
    even checked (the right password is refused too, without saying whether it was right)."""
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        for n in range(5):
            Client().post(LOGIN, WRONG, REMOTE_ADDR=f"198.51.100.{n}")
        response = Client().post(LOGIN, RIGHT, REMOTE_ADDR="198.51.100.50")
        assert response.status_code == 200 and "Spróbuj ponownie za 2 s" in response.content.decode()
        traveller.shift(dt.timedelta(seconds=3))
        Client().post(LOGIN, WRONG, REMOTE_ADDR="198.51.100.51")
        response = Client().post(LOGIN, RIGHT, REMOTE_ADDR="198.51.100.52")
        assert "Spróbuj ponownie za 4 s" in response.content.decode()
        traveller.shift(dt.timedelta(seconds=5))
        assert Client().post(LOGIN, RIGHT, REMOTE_ADDR="198.51.100.53").status_code == 302  # a delay, not a lock


@pytest.mark.django_db
def test_the_owners_browser_is_never_delayed_by_an_attack(settings, social_worker):
    owner = Client()
    owner.post(LOGIN, RIGHT, REMOTE_ADDR="198.51.100.9")
    verify_session(owner, social_worker)
    assert owner.get("/").status_code == 200  # the verified session marks this browser as known
    owner.post(reverse("logout"))
    for n in range(30):
        Client().post(LOGIN, WRONG, REMOTE_ADDR=f"203.0.113.{n}")
    assert "Spróbuj ponownie" in Client().post(LOGIN, RIGHT, REMOTE_ADDR="198.51.100.9").content.decode()
    assert owner.post(LOGIN, RIGHT, REMOTE_ADDR="198.51.100.9").status_code == 302


@pytest.mark.django_db
def test_password_reset_mails_are_throttled_per_address(client, settings, social_worker):
    settings.PASSWORD_RESET_MAILS_PER_HOUR = 3
    for n in range(10):
        response = client.post(reverse("password_reset"), {"email": social_worker.email}, REMOTE_ADDR=f"192.0.2.{n}")
        assert response.status_code == 302  # the same answer every time: no hint whether it was sent
    assert len(mail.outbox) == 3
