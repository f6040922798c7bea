"""Issue 11, finding 14: the 400 page for a disallowed Host header is built by Django inside a
middleware, before any view: it must still carry the security headers and no-store."""

import pytest

from tests.test_access_matrix import assert_security_headers


@pytest.mark.django_db
@pytest.mark.parametrize("ssl_redirect", [False, True], ids=["plain", "ssl-redirect"])
def test_disallowed_host_page_carries_the_security_headers(client, settings, ssl_redirect):
    settings.SECURE_SSL_REDIRECT = ssl_redirect  # then SecurityMiddleware itself reads the Host first
    response = client.get("/konto/logowanie/", HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert_security_headers(response, "400 DisallowedHost")
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert "no-store" in response["Cache-Control"]
