"""Login required everywhere except the exempt pages; log out after 30 minutes of inactivity."""

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


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_activity", now)
            if now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                request.session["idle_logout"] = True
            elif now - last >= TOUCH_EVERY or "last_activity" not in request.session:
                request.session["last_activity"] = now
        return self.get_response(request)


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
