"""`{% form_token %}`: the hidden one-time token of a create form (core.once)."""

from django import template
from django.utils.html import format_html

from core.once import FIELD, new_token, posted_token

register = template.Library()


@register.simple_tag(takes_context=True)
def form_token(context):
    """A fresh token, or the one just posted when the page comes back with errors (so that the
    corrected form is still the same submit)."""
    request = context.get("request")
    token = (posted_token(request) if request is not None else None) or new_token()
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, token)
