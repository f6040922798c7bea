"""core.links: e-mails carry absolute links built from settings.SITE_URL."""

from core.links import absolute_url


def test_a_link_is_the_site_url_and_the_path(settings):
    settings.SITE_URL = "https://efs.example.gov.pl/"
    assert absolute_url("login") == "https://efs.example.gov.pl/konto/logowanie/"


def test_a_site_url_without_a_trailing_slash_works_too(settings):
    settings.SITE_URL = "http://10.0.0.5:8000"
    assert absolute_url("login") == "http://10.0.0.5:8000/konto/logowanie/"
