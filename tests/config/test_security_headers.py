import re

import pytest

LOGIN = "/konto/logowanie/"


@pytest.mark.django_db
def test_pages_carry_a_strict_csp_and_the_usual_headers(client):
    response = client.get(LOGIN)
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_scripts_on_pages_carry_the_csp_nonce_and_no_inline_styles(client, login, social_worker):
    response = login(social_worker).get("/")
    html = response.content.decode()
    nonce = response["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert len(scripts) >= 3  # bootstrap, tables, htmx, the session watch
    assert [tag for tag in scripts if f'nonce="{nonce}"' not in tag] == []
    assert "style=" not in html


@pytest.mark.django_db
def test_hsts_is_sent_over_https_in_production(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(LOGIN, secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
