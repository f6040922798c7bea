"""Searches that may carry a PESEL never put the searched text in a URL (the web server's access log,
the browser's history, pager links): the search form is POSTed, the text is kept in the session
(encrypted, like every PESEL at rest) under a random token and the page redirects to itself with
`?szukaj=<token>` and the other filters, which stay in the query string and so stay shareable.

A token belongs to the session that made it (another user's browser finds nothing under it). An old
link that still carries `?q=` is redirected the same way, so the text at least leaves the history and
the pager. A PESEL found in the text is not written back into the page either: the field is shown
empty with the token in a hidden input, so changing another filter keeps the search.
"""

import re
import secrets

from django.http import HttpResponseRedirect, QueryDict

from core.crypto import decrypt, encrypt
from core.pagination import PAGE_PARAM

PARAM = "szukaj"
FIELD = "q"
SESSION_KEY = "searches"
KEEP = 20  # tokens kept per session, newest last
NOT_CARRIED = ("csrfmiddlewaretoken", FIELD, PARAM, PAGE_PARAM)
PESEL_RE = re.compile(r"\d{11}")


def looks_like_pesel(text: str) -> bool:
    return bool(PESEL_RE.search("".join(text.split())))


def _stash(request, text: str) -> str:
    stored = dict(request.session.get(SESSION_KEY, {}))
    token = secrets.token_urlsafe(12)
    stored[token] = encrypt(text)
    request.session[SESSION_KEY] = dict(list(stored.items())[-KEEP:])
    return token


def search_text(request) -> str:
    """The search text of the request's token ('' for none, an unknown or another session's token)."""
    token = request.GET.get(PARAM, "")
    stored = request.session.get(SESSION_KEY, {}).get(token) if token else None
    return decrypt(stored) if stored else ""


def redirect_to_token(request) -> HttpResponseRedirect | None:
    """For a POSTed search form (or an old `?q=` link): the redirect to this page with the text
    replaced by a token and every other field kept in the query string. None for a plain page view."""
    if request.method == "POST":
        source = request.POST
    elif FIELD in request.GET:
        source = request.GET
    else:
        return None
    query = QueryDict(mutable=True)
    for name, values in source.lists():
        if name not in NOT_CARRIED:
            query.setlist(name, [v for v in values if v])
    text = (source.get(FIELD) or "").replace("\x00", "").strip()[:100]
    if text:
        query[PARAM] = _stash(request, text)
    elif (token := source.get(PARAM, "")) in request.session.get(SESSION_KEY, {}):
        query[PARAM] = token  # the hidden token of a search whose text the page did not show
    encoded = query.urlencode()
    return HttpResponseRedirect(f"{request.path}?{encoded}" if encoded else request.path)


def search_context(request, text: str) -> dict:
    """What a search form shows: the text (empty when it holds a PESEL) and the token to keep."""
    hidden = looks_like_pesel(text)
    return {"q": "" if hidden else text, "search_token": request.GET.get(PARAM, "") if hidden else ""}
