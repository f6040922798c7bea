"""Hardening: the security headers reach error pages too, the error pages are plain Polish pages
that need no database and carry no inline code, production settings make cookies secure."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.config.test_settings import clean_env

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def assert_security_headers(response):
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


def assert_plain_page(response, heading):
    html = response.content.decode()
    assert heading in html
    assert "style=" not in html and "<script" not in html
    assert "Traceback" not in html and "zepsuty widok" not in html and "server closed" not in html


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.config.urls_errors"


@pytest.fixture
def quiet_client(client):
    """A client that gets the error page instead of the exception re-raised into the test."""
    return Client(raise_request_exception=False)


def test_404_page_is_plain_polish_with_the_headers(login, social_worker):
    response = login(social_worker).get("/rodziny/nie-ma-takiej-strony/")
    assert response.status_code == 404
    assert_security_headers(response)
    assert_plain_page(response, "Nie znaleziono strony (404)")


def test_403_page_is_plain_polish_with_the_headers(login, social_worker, project):
    response = login(social_worker).get(f"/raporty/projekty/{project.pk}/raporty/")
    assert response.status_code == 403
    assert_security_headers(response)
    assert_plain_page(response, "Brak uprawnień (403)")


def test_a_form_without_its_csrf_token_gets_the_plain_403_page():
    response = Client(enforce_csrf_checks=True).post("/konto/logowanie/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert_security_headers(response)
    assert_plain_page(response, "Formularz wygasł (403)")


def test_500_page_is_plain_polish_with_the_headers(failing_urls, quiet_client, social_worker):
    quiet_client.force_login(social_worker, backend="support_network.backends.StaffBackend")
    response = quiet_client.get("/test/zepsuty/")
    assert response.status_code == 500
    assert_security_headers(response)
    assert_plain_page(response, "Błąd serwera (500)")


def test_an_unreachable_database_answers_503_with_retry_after(failing_urls, quiet_client, social_worker):
    quiet_client.force_login(social_worker, backend="support_network.backends.StaffBackend")
    response = quiet_client.get("/test/baza/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert_security_headers(response)
    assert_plain_page(response, "Usługa chwilowo niedostępna (503)")


def test_error_pages_over_https_carry_hsts(failing_urls, quiet_client, social_worker, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    quiet_client.force_login(social_worker, backend="support_network.backends.StaffBackend")
    for path, status in (("/nie-ma/", 404), ("/test/zepsuty/", 500), ("/test/baza/", 503)):
        response = quiet_client.get(path, secure=True)
        assert response.status_code == status
        assert response["Strict-Transport-Security"].startswith("max-age=31536000"), path


PRODUCTION_PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; print(json.dumps({"
    "'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE, "
    "'csrf_httponly': s.CSRF_COOKIE_HTTPONLY, "
    "'session_httponly': s.SESSION_COOKIE_HTTPONLY, 'samesite': s.SESSION_COOKIE_SAMESITE, "
    "'hsts': s.SECURE_HSTS_SECONDS, 'ssl_redirect': s.SECURE_SSL_REDIRECT, 'debug': s.DEBUG, "
    "'handler500': __import__('config.urls').urls.handler500}))"
)


def test_production_settings_make_cookies_secure_and_send_hsts():
    env = clean_env(DEBUG="false", SECRET_KEY="p" * 70, ALLOWED_HOSTS="efs.example.gov.pl")
    result = subprocess.run([sys.executable, "-c", PRODUCTION_PROBE], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)  # fmt: skip
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "session_secure": True, "csrf_secure": True, "csrf_httponly": True, "session_httponly": True, "samesite": "Lax",
        "hsts": 31536000, "ssl_redirect": True, "debug": False, "handler500": "config.views.server_error",
    }  # fmt: skip
