"""core/templatetags/kept.py and the frame: templates/base.html with its fixed parts kept gives the
HTML the former template gave (tests/core/frame_before/, the reference), for users and values that
need escaping, in both languages; `{% kept %}` refuses anything that could differ between requests."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.template import Context, Template, TemplateSyntaxError
from django.template.backends.django import DjangoTemplates
from django.template.loader import get_template
from django.test import RequestFactory, override_settings
from django.utils import translation

from support_network.access import membership_of
from support_network.models import Role
from tests.support_network.factories import InstitutionFactory, staff_user

HOSTILE = "<script>alert('x')</script> & \"co\""
BEFORE = Path(__file__).parent / "frame_before"


def _engine_before() -> DjangoTemplates:
    """The frame as it was: the reference base.html and session watch first, the rest as now."""
    now = settings.TEMPLATES[0]
    return DjangoTemplates(
        {
            "NAME": "frame_before",
            "DIRS": [BEFORE, *now["DIRS"]],
            "APP_DIRS": True,
            "OPTIONS": {**now["OPTIONS"], "libraries": dict(now["OPTIONS"]["libraries"])},
        }
    )


def _request(user, path="/siec/katalog/?q=<b>"):
    request = RequestFactory().get(path)
    request.user = user
    request.csp_nonce = "n0nce"
    request._messages = CookieStorage(request)
    request._messages.add(constants.ERROR, HOSTILE)
    request._messages.add(constants.SUCCESS, "Zapisano.")
    return request


def _render(template, request) -> str:
    html = template.render({}, request)
    return re.sub(r'(X-CSRFToken": "|data-csrf="|name="csrfmiddlewaretoken" value=")[^"]+', r"\1TOKEN", html)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("who", ["worker", "worker with 3 unread", "without membership", "anonymous"])
def test_the_frame_is_the_former_templates_html(language, who, django_user_model):
    if who.startswith("worker"):
        user = staff_user(Role.SOCIAL_WORKER, InstitutionFactory(name=HOSTILE), first_name=HOSTILE, last_name="<i>")
        assert membership_of(user) is not None
        membership_of(user).unread_notifications = 3 if who.endswith("unread") else 0  # the badge's count
    elif who == "without membership":
        user = django_user_model.objects.create(username=HOSTILE)
    else:
        user = AnonymousUser()
    with translation.override(language):
        for _ in range(2):  # the first render keeps the fixed parts, the second reuses them
            request = _request(user)
            after = _render(get_template("base.html"), request)
            before = _render(_engine_before().get_template("base.html"), _request(user))
            assert after == before
    assert HOSTILE not in after
    assert ('id="notification-count">3<' in after) is who.endswith("unread")
    if who != "anonymous":
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;co&quot;" in after


@pytest.mark.django_db
@override_settings(DEBUG=True)
def test_the_frame_with_debug_on_is_the_former_templates_html():
    """With DEBUG on nothing is kept and django-htmx adds its debug script, as `{% htmx_script %}` did."""
    user = staff_user(Role.SOCIAL_WORKER, InstitutionFactory(name=HOSTILE), first_name=HOSTILE)
    after = _render(get_template("base.html"), _request(user))
    assert after == _render(_engine_before().get_template("base.html"), _request(user))
    assert "django_htmx/django-htmx" in after and after.count('nonce="n0nce"') == 5


def test_kept_follows_a_language_changed_within_the_render():
    """The script prefix and URL configuration are read once per render, the language by each part."""
    template = Template(
        '{% load i18n kept %}{% kept %}{% translate "Wyloguj" %}{% endkept %}'
        '{% language "en" %}{% kept %}{% translate "Wyloguj" %}{% endkept %}{% endlanguage %}'
    )
    with translation.override("pl"):
        assert template.render(Context()) == "WylogujLog out"


def test_kept_is_kept_per_language():
    template = Template(
        '{% load i18n kept %}{% kept %}<a href="{% url "logout" %}">{% translate "Wyloguj" %}</a>{% endkept %}'
    )
    with translation.override("pl"):
        polish = template.render(Context())
    with translation.override("en"):
        english = template.render(Context())
    with translation.override("pl"):
        assert template.render(Context()) == polish
    assert polish == '<a href="/konto/wyloguj/">Wyloguj</a>'
    assert english == '<a href="/konto/wyloguj/">Log out</a>'


def test_kept_renders_once_unless_debug(monkeypatch):
    template = Template('{% load static kept %}{% kept %}{% static "css/app.css" %}{% endkept %}')
    calls = []
    node = template.nodelist[1]
    render = node.nodelist.render
    monkeypatch.setattr(node.nodelist, "render", lambda context: calls.append(1) or render(context))
    first, second = template.render(Context()), template.render(Context())
    assert first == second and len(calls) == 1
    with override_settings(DEBUG=True):
        template.render(Context())
    assert len(calls) == 2


@pytest.mark.parametrize(
    "inside",
    [
        "{{ user.username }}",
        "{{ 'x'|upper }}",
        "{% translate name %}",
        "{% translate 'Wyloguj' as label %}",
        "{% translate 'Wyloguj'|lower %}",
        "{% blocktranslate %}Wyloguj{% endblocktranslate %}",
        "{% url 'support_network:team_detail' team.pk %}",
        "{% url 'logout' as address %}",
        "{% static path %}",
        "{% csrf_token %}",
        "{% if user %}x{% endif %}",
        "{% include 'partials/nav.html' %}",
    ],
)
def test_kept_refuses_what_can_differ_between_requests(inside):
    with pytest.raises(TemplateSyntaxError):
        Template("{% load i18n static kept %}{% kept %}" + inside + "{% endkept %}")
