"""Finding 2: a second factor for every account; nothing with personal data on a password alone."""

import re

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from demo.seeders.support_network import USERS
from support_network import mfa
from support_network.models import Role
from tests.support_network.factories import PASSWORD, staff_user

LOGIN = "/konto/logowanie/"
SETUP = "/konto/weryfikacja/konfiguracja/"
VERIFY = "/konto/weryfikacja/"
# pages with personal data (the family list, a family search, reports) and the admin
PERSONAL_PAGES = [
    "/",
    "/rodziny/",
    "/rodziny/?q=Kowalska",
    "/raporty/uczestnicy/",
    "/raporty/uczestnicy/1/",
    "/raporty/monitoring/",
    "/admin/",
    "/admin/auth/user/",
    "/konto/bezpieczenstwo/",
]


def password_login(client, username):
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.parametrize("role", [r for r in Role])
def test_no_page_is_reached_on_a_password_alone(client, settings, mops, role, debug):
    settings.DEBUG = debug
    user = staff_user(role, mops, username=f"u-{role}")
    user.is_staff = user.is_superuser = role == Role.ADMINISTRATOR
    user.save()
    password_login(client, user.username)
    for url in PERSONAL_PAGES:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SETUP), url
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    for url in PERSONAL_PAGES:
        assert client.get(url)["Location"].startswith(VERIFY), url


@pytest.mark.django_db
def test_enrolment_shows_a_server_drawn_qr_code_and_gives_recovery_codes(client, social_worker):
    password_login(client, "pracownik")
    page = client.get(SETUP + "?next=/rodziny/").content.decode()
    assert "<svg" in page and "<script" not in page.split("<main", 1)[1].split("</main>")[0]
    device = TOTPDevice.objects.get(user=social_worker, confirmed=False)
    assert client.post(SETUP, {"code": "000000", "next": "/rodziny/"}).status_code == 200
    device.refresh_from_db()
    device.throttle_reset()  # the wrong code's one-second delay is tested below
    response = client.post(SETUP, {"code": mfa.current_code(device), "next": "/rodziny/"})
    codes = re.findall(r"<li>([a-z2-7]{8})</li>", response.content.decode())
    assert len(codes) == 10
    assert client.get("/rodziny/").status_code == 200


@pytest.mark.django_db
def test_a_recovery_code_works_once(client, social_worker):
    TOTPDevice.objects.create(user=social_worker, name="app", confirmed=True)
    code = mfa.new_recovery_codes(social_worker)[0]
    password_login(client, "pracownik")
    assert client.post(VERIFY, {"code": code})["Location"] == "/"
    assert client.get("/rodziny/").status_code == 200
    client.logout()
    password_login(client, "pracownik")
    assert client.post(VERIFY, {"code": code}).status_code == 200  # used up
    assert client.get("/rodziny/").status_code == 302
    assert StaticToken.objects.filter(device__user=social_worker).count() == 9


@pytest.mark.django_db
def test_wrong_codes_are_slowed_down(client, social_worker):
    device = TOTPDevice.objects.create(user=social_worker, name="app", confirmed=True)
    password_login(client, "pracownik")
    client.post(VERIFY, {"code": "000000"})
    response = client.post(VERIFY, {"code": mfa.current_code(device)})
    assert "Kolejną próbę można podjąć za" in response.content.decode()
    assert client.get("/rodziny/").status_code == 302


@pytest.mark.django_db
def test_the_administrator_resets_a_users_factor_and_it_is_logged(login, administrator, social_worker):
    TOTPDevice.objects.create(user=social_worker, name="app", confirmed=True)
    mfa.new_recovery_codes(social_worker)
    users_session = Client()
    users_session.force_login(social_worker)
    assert users_session.get("/rodziny/").status_code == 200
    admin_client = login(administrator)
    response = admin_client.post(
        "/admin/auth/user/",
        {"action": "reset_second_factor", "_selected_action": [social_worker.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=social_worker).exists()
    assert not StaticToken.objects.filter(device__user=social_worker).exists()
    entry = LogEntry.objects.get(object_pk=str(social_worker.pk), changes__has_key="second_factor")
    assert entry.actor == administrator
    assert users_session.get("/rodziny/")["Location"].startswith(SETUP)  # the open session is cut off at once
    client = password_login(Client(), "pracownik")
    assert client.get("/")["Location"].startswith(SETUP)  # enrols again


@pytest.mark.django_db
def test_only_an_administrator_may_reset(social_worker, colleague):
    from core.errors import DomainError

    with pytest.raises(DomainError):
        mfa.reset(colleague, by=social_worker)


@pytest.mark.django_db
def test_demo_accounts_see_their_current_code_only_in_debug(client, settings, social_worker):
    social_worker.membership.is_demo = True
    social_worker.membership.save()
    device = TOTPDevice.objects.create(user=social_worker, name="demo", confirmed=True)
    settings.DEBUG = True
    password_login(client, "pracownik")
    assert mfa.current_code(device) in client.get(VERIFY).content.decode()
    settings.DEBUG = False
    assert mfa.demo_code(social_worker) is None


def passkey_of(user, n=1):
    return WebAuthnCredential.objects.create(
        user=user, name=f"klucz {n}", confirmed=True, credential_id=bytes([n]) * 16, public_key=b"k", aaguid="0"
    )


@pytest.mark.django_db
def test_a_passkey_user_is_offered_the_passkey_and_may_remove_all_but_the_last_factor(social_worker):
    first, second = passkey_of(social_worker, 1), passkey_of(social_worker, 2)
    client = password_login(Client(), "pracownik")
    page = client.get(VERIFY).content.decode()
    assert "passkey-verification-button" in page and "otp_webauthn_auth.js" in page
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = second.persistent_id  # as after the passkey ceremony
    session.save()
    assert client.get("/konto/bezpieczenstwo/").status_code == 200
    assert client.post(f"/konto/bezpieczenstwo/klucze/{first.pk}/usun/")["Location"] == "/konto/bezpieczenstwo/"
    client.post(f"/konto/bezpieczenstwo/klucze/{second.pk}/usun/")
    assert list(WebAuthnCredential.objects.filter(user=social_worker)) == [second]  # the last factor stays


@pytest.mark.django_db
def test_nobody_removes_another_users_passkey(login, social_worker, colleague):
    key = passkey_of(colleague)
    assert login(social_worker).post(f"/konto/bezpieczenstwo/klucze/{key.pk}/usun/").status_code == 404
    assert mfa.has_passkey(colleague)


@pytest.mark.django_db
def test_seed_demo_prints_each_demo_accounts_app_and_its_code(settings):
    """`make run` (seed_demo with DEBUG) gives each demo account an authenticator app and prints it."""
    import io

    from django.core.management import call_command

    settings.DEBUG = True
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    device = TOTPDevice.objects.get(user__username="pracownik", confirmed=True)
    line = [line for line in out.getvalue().splitlines() if line.strip().startswith("pracownik ")][-1]
    assert mfa.secret_text(device) in line and "bieżący kod" in line
    # one app per login of the README's table (demo.seeders.support_network.USERS); the specialists
    # seeded with the group sessions set theirs up at their first login
    assert TOTPDevice.objects.filter(user__membership__is_demo=True, confirmed=True).count() == len(USERS) == 12
