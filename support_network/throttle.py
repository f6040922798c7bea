"""Login throttling per username, whatever the client's address, and password-reset mails per address.

django-axes locks a username for one client address (settings AXES_*). This adds what axes cannot:
after LOGIN_FREE_FAILURES failed logins of a username from anywhere, each further try waits a
growing delay (2, 4, 8 ... seconds after the last failure, at most LOGIN_MAX_DELAY) -- a delay, not
a lock. A browser that has completed a login of that user before carries a signed cookie and is
not delayed, so an attacker hammering a username never keeps its owner out. Counters live in the
cache (Redis in production); keys carry a hash of the username or address, never the text.
"""

import hashlib
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.cache import cache

KNOWN_BROWSER_COOKIE = "efs_known_login"
KNOWN_BROWSER_SALT = "support_network.throttle.known-browser"
DAY = 24 * 60 * 60


def _key(kind: str, text: str) -> str:
    return f"throttle:{kind}:" + hashlib.sha256(text.strip().lower().encode()).hexdigest()


def login_wait(username: str, now: float | None = None) -> int:
    """Seconds the next try for `username` must still wait (0: it may try now)."""
    record = cache.get(_key("login", username))
    if not record:
        return 0
    count, last = record
    excess = count - settings.LOGIN_FREE_FAILURES
    if excess < 0:
        return 0
    delay = min(2 ** (excess + 1), settings.LOGIN_MAX_DELAY)
    now = time.time() if now is None else now
    return max(0, int(last + delay - now + 0.999))


def record_login_failure(username: str) -> None:
    key = _key("login", username)
    count, _last = cache.get(key) or (0, 0.0)
    cache.set(key, (count + 1, time.time()), timeout=DAY)


def forget_login_failures(username: str) -> None:
    cache.delete(_key("login", username))


def remembered_user(request) -> int | None:
    """The id of the user whose login this browser completed (signed cookie), if any."""
    value = request.COOKIES.get(KNOWN_BROWSER_COOKIE, "")
    try:
        return signing.loads(value, salt=KNOWN_BROWSER_SALT, max_age=settings.LOGIN_KNOWN_BROWSER_DAYS * DAY)
    except signing.BadSignature:
        return None


def is_known_browser(request, username: str) -> bool:
    """True when the request carries the signed cookie of an earlier login of `username`'s account."""
    user_pk = remembered_user(request)
    User = get_user_model()
    return user_pk is not None and User.objects.filter(pk=user_pk, **{User.USERNAME_FIELD: username}).exists()


def remember_browser(response, user_pk: int) -> None:
    response.set_cookie(
        KNOWN_BROWSER_COOKIE,
        signing.dumps(user_pk, salt=KNOWN_BROWSER_SALT),
        max_age=settings.LOGIN_KNOWN_BROWSER_DAYS * DAY,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def reset_mail_allowed(email: str) -> bool:
    """Counts a password-reset mail to `email`; False once PASSWORD_RESET_MAILS_PER_HOUR were sent."""
    key = _key("reset-mail", email)
    cache.add(key, 0, timeout=60 * 60)
    try:
        sent = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=60 * 60)
        sent = 1
    return sent <= settings.PASSWORD_RESET_MAILS_PER_HOUR
