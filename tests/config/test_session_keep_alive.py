"""The keep-alive endpoint of the idle-logout warning (issue 12, wall 3): signed-in users only,
POST only, CSRF-checked; it renews the 30 minutes, and a session already idle past them is not
revived. Every page of a signed-in user carries the warning's settings and the script."""

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

URL = reverse("session_keep_alive")
START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_anonymous_is_sent_to_login(client):
    response = client.post(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_get_is_not_allowed(client, social_worker):
    client.force_login(social_worker)
    assert client.get(URL).status_code == 405


def test_post_without_the_csrf_token_is_refused_and_with_it_answers_the_time_left(social_worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(social_worker)
    assert client.post(URL).status_code == 403
    page = client.get(reverse("home")).content.decode()
    token = re.search(r'data-csrf="([^"]+)"', page).group(1)
    response = client.post(URL, HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json() == {"expires_in": 30 * 60}


def test_keep_alive_renews_the_idle_minutes(client, social_worker):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(social_worker)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=29, seconds=59))
        assert client.post(URL).status_code == 200
        traveller.shift(dt.timedelta(minutes=29, seconds=59))
        assert client.get(reverse("home")).status_code == 200


def test_keep_alive_after_the_idle_logout_does_not_revive_the_session(client, social_worker):
    with time_machine.travel(START, tick=False) as traveller:
        client.force_login(social_worker)
        assert client.get(reverse("home")).status_code == 200
        traveller.shift(dt.timedelta(minutes=30, seconds=1))
        response = client.post(URL)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_pages_carry_the_warning_and_the_draft_script(client, social_worker, settings):
    settings.SESSION_WARN_BEFORE = 120
    client.force_login(social_worker)
    page = client.get(reverse("home")).content.decode()
    assert 'data-timeout="1800"' in page and 'data-warn-before="120"' in page
    assert "Pozostań zalogowany" in page and "js/session.js" in page
    assert f'data-user="{social_worker.pk}"' in page
