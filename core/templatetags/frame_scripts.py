"""`{% htmx_debug_script %}`: the part of django-htmx's `{% htmx_script %}` that differs between
requests and settings. templates/base.html writes htmx's own `<script>` with its URL kept
(`{% kept %}{% static %}`) and the request's CSP nonce; `{% htmx_script %}` looked the static file
up in the manifest on every page (docs/performance/frame.md). With `DEBUG` on django-htmx adds its
debug script, and so does this tag; otherwise it writes nothing."""

from django import template
from django.conf import settings
from django_htmx.jinja import django_htmx_script

register = template.Library()


@register.simple_tag(takes_context=True)
def htmx_debug_script(context) -> str:
    if not settings.DEBUG:
        return ""
    return django_htmx_script(nonce=context["request"].csp_nonce)
