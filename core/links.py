"""Links: absolute ones for messages read outside the site (e-mails: settings.SITE_URL + the path),
and a list's row links reversed once for the whole list."""

from django.conf import settings
from django.urls import reverse


def absolute_url(viewname: str, *args, **kwargs) -> str:
    """reverse(viewname, args, kwargs) prefixed with the site's address (settings.SITE_URL)."""
    return settings.SITE_URL.rstrip("/") + reverse(viewname, args=args or None, kwargs=kwargs or None)


def url_of(name: str):
    """pk -> the URL of `name` (a route with one `<int:pk>`), reversed once for a whole list rather
    than once per row by `{% url %}` (docs/performance.md)."""
    marker = 987654321
    pattern = reverse(name, args=[marker])
    return lambda pk: pattern.replace(str(marker), str(pk))
