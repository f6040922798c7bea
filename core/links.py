"""Absolute links for messages read outside the site (e-mails): settings.SITE_URL + the path."""

from django.conf import settings
from django.urls import reverse


def absolute_url(viewname: str, *args, **kwargs) -> str:
    """reverse(viewname, args, kwargs) prefixed with the site's address (settings.SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + reverse(viewname, args=args or None, kwargs=kwargs or None)
