"""Login, lockout, idle timeout, password rules, role pages and demo accounts."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from support_network.models import Role
from tests.conftest import verify_session
from tests.support_network.factories import PASSWORD, UserFactory, staff_user

LOGIN = "/konto/logowanie/"


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/admin/", "/siec/", "/rodziny/", "/umowy/", "/raporty/"])
def test_anonymous_is_sent_to_login(client, url):
    response = client.get(url)
    if response.status_code == 404:  # a room without pages yet still never shows anything
        return
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN) or response["Location"].startswith("/admin/login/")


@pytest.mark.django_db
def test_login_page_and_healthz_are_open(client):
    assert client.get(LOGIN).status_code == 200
    assert client.get(reverse("password_reset")).status_code == 200
    assert client.get("/healthz").status_code == 200


@pytest.mark.django_db
def test_staff_member_logs_in_and_sees_their_role_home(client, social_worker):
    response = client.post(LOGIN, {"username": "pracownik", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.wsgi_request.user == social_worker
    assert response.wsgi_request.path == "/konto/weryfikacja/konfiguracja/"  # the second factor first
    verify_session(client, social_worker)
    assert "Pracownik socjalny" in client.get("/").content.decode()


@pytest.mark.django_db
def test_user_without_membership_sees_no_data_only_a_notice(client):
    user = UserFactory(username="bezroli")
    client.force_login(user, backend="support_network.backends.StaffBackend")
    response = client.get("/")
    assert response.status_code == 200
    assert "nie jest przypisane" in response.content.decode()


@pytest.mark.django_db
def test_expired_auditor_has_no_role(login, auditor):
    auditor.membership.valid_until = dt.date.today() - dt.timedelta(days=1)
    auditor.membership.save()
    response = login(auditor).get("/")
    assert "nie jest przypisane" in response.content.decode()


@pytest.mark.django_db
def test_only_the_administrator_reaches_the_admin(login, administrator, social_worker):
    assert login(administrator).get("/admin/").status_code == 200
    client = login(social_worker)
    assert client.get("/admin/").status_code == 302


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_even_for_the_right_password(client, social_worker):
    for _ in range(5):
        client.post(LOGIN, {"username": "pracownik", "password": "zle-haslo-123456"})
    response = client.post(LOGIN, {"username": "pracownik", "password": PASSWORD})
    assert response.status_code == 429
    assert "zablokowane" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_four_failures_do_not_lock(client, social_worker):
    for _ in range(4):
        client.post(LOGIN, {"username": "pracownik", "password": "zle-haslo-123456"})
    response = client.post(LOGIN, {"username": "pracownik", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_session_ends_after_30_minutes_idle(login, social_worker):
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False) as traveller:
        client = login(social_worker)
        assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200  # activity renews the 30 minutes
        traveller.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(minutes=31))
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("password", "message"),
    [("Krotkie-1!", "co najmniej 12"), ("password1234", "zbyt powszechne")],
)
def test_password_rules_refuse_short_and_common_passwords(login, social_worker, password, message):
    response = login(social_worker).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    social_worker.refresh_from_db()
    assert social_worker.check_password(PASSWORD)


@pytest.mark.django_db
def test_demo_accounts_are_refused_when_debug_is_off(client, settings, social_worker):
    social_worker.membership.is_demo = True
    social_worker.membership.save()
    settings.DEBUG = False
    response = client.post(LOGIN, {"username": "pracownik", "password": PASSWORD})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    settings.DEBUG = True
    response = client.post(LOGIN, {"username": "pracownik", "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("role", [r for r in Role])
def test_every_role_has_a_home_page(login, mops, role):
    user = staff_user(role, mops)
    response = login(user).get("/")
    assert response.status_code == 200
    assert str(Role(role).label) in response.content.decode()


def test_user_model_is_django_default():
    assert get_user_model()._meta.label == "auth.User"


@pytest.mark.django_db
@pytest.mark.parametrize("url", [LOGIN, "/admin/login/"])
@pytest.mark.parametrize("username", ["A" * 256, "A" * 10_000, "Ą" * 151])
def test_an_overlong_username_is_a_form_error_not_a_500(client, url, username):
    """Found by the hostile-input gate: AuthenticationForm validates no username length, and
    django-axes failed to record a failed login with a username over 255 characters (a 500)."""
    from axes.models import AccessAttempt

    response = client.post(url, {"username": username, "password": "cokolwiek"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()


@pytest.mark.django_db
def test_a_staff_member_still_logs_in_with_a_150_character_username(client):
    staff_user(Role.SOCIAL_WORKER, username="u" * 150)
    response = client.post(LOGIN, {"username": "u" * 150, "password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_session_ends_after_its_absolute_lifetime_however_active(login, social_worker, settings):
    """Finding 14: a session used every 20 minutes used to slide forever."""
    settings.SESSION_ABSOLUTE_LIFETIME = 12 * 60 * 60
    with time_machine.travel(dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC), tick=False) as traveller:
        client = login(social_worker)
        for _ in range(35):  # 11 h 40 min of activity
            traveller.shift(dt.timedelta(minutes=20))
            assert client.get("/").status_code == 200
        traveller.shift(dt.timedelta(minutes=21))
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith(LOGIN)


@pytest.mark.django_db
def test_an_expired_auditor_is_refused_at_login_with_a_clear_message(client, auditor):
    """Finding 14: the expired auditor logged in and found an empty home page, no reason given."""
    auditor.membership.valid_until = dt.date.today() - dt.timedelta(days=1)
    auditor.membership.save()
    response = client.post(LOGIN, {"username": "audytor", "password": PASSWORD})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated
    assert "dostęp audytora wygasł" in response.content.decode()
