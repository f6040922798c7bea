"""The client's real address behind trusted proxies; login required everywhere except the exempt
pages; log out after 30 minutes of inactivity and SESSION_ABSOLUTE_LIFETIME after login."""

import ipaddress
import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

TOUCH_EVERY = 60  # seconds: refresh the activity stamp (and the session expiry) at most once a minute


class LoginRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.user.is_authenticated:
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.url_name in settings.LOGIN_EXEMPT_URL_NAMES or match.app_name == "admin":
            return None
        if request.path_info.startswith(settings.STATIC_URL):
            return None
        return redirect_to_login(request.get_full_path())


def stamp_session_start(sender, request, user, **kwargs):
    """user_logged_in receiver: the absolute lifetime counts from the login."""
    if request is not None and hasattr(request, "session"):
        request.session["session_started"] = int(time.time())


class IdleTimeoutMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT without a request, and SESSION_ABSOLUTE_LIFETIME
    after login however active it is (stamped at login; a session without the stamp gets it on its
    first request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_activity", now)
            started = request.session.setdefault("session_started", now)
            if now - last > settings.SESSION_IDLE_TIMEOUT or now - started > settings.SESSION_ABSOLUTE_LIFETIME:
                logout(request)
                request.session["idle_logout"] = True
            elif now - last >= TOUCH_EVERY or "last_activity" not in request.session:
                request.session["last_activity"] = now
        return self.get_response(request)


def _networks(entries) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()]


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


class RealClientAddressMiddleware:
    """REMOTE_ADDR becomes the client's address when the peer is a trusted proxy (TRUSTED_PROXIES):
    X-Forwarded-For is read from the right, skipping trusted proxies, and the first other address is
    the client. From anyone else X-Forwarded-For is dropped, so no later reader (django-axes, the
    audit log, the login throttle) can be told a forged address."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = _networks(settings.TRUSTED_PROXIES)

    def __call__(self, request):
        meta = request.META
        forwarded = meta.pop("HTTP_X_FORWARDED_FOR", "")
        client = self.client(meta.get("REMOTE_ADDR", ""), forwarded)
        if client is not None:
            meta["REMOTE_ADDR"] = meta["HTTP_X_FORWARDED_FOR"] = str(client)
        return self.get_response(request)

    def is_trusted(self, address) -> bool:
        return address is not None and any(address in network for network in self.trusted)

    def client(self, peer: str, forwarded: str):
        """The client's address, or None when REMOTE_ADDR stands (no trusted proxy in front)."""
        if not self.is_trusted(_address(peer)):
            return None
        hops = [_address(hop) for hop in forwarded.split(",")] if forwarded else []
        for hop in reversed(hops):
            if hop is None:
                return None  # a garbled header: keep the proxy's own address
            if not self.is_trusted(hop):
                return hop
        return hops[0] if hops else None


class ResponseHeadersMiddleware:
    """The outermost middleware: what every answer carries, including the ones Django builds
    before any view runs (a 400 for a disallowed Host raised in an inner middleware).

    - `Cache-Control: no-store, private` on every dynamic response: pages behind login, PDFs,
      exports, file downloads and htmx partials carry personal data, and one rule for all of them
      cannot forget a new view. Only static files (served below by WhiteNoise) keep their caching.
    - The baseline security headers, when an inner middleware raised before SecurityMiddleware
      could add them (CSP and X-Frame-Options come from their middlewares, listed right below).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith(settings.STATIC_URL):
            patch_cache_control(response, no_store=True, private=True)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if settings.SECURE_REFERRER_POLICY:
            response.headers.setdefault("Referrer-Policy", settings.SECURE_REFERRER_POLICY)
        if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
            response.headers.setdefault("Cross-Origin-Opener-Policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY)
        return response
