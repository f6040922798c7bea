"""Login required everywhere except the exempt pages; log out after 30 minutes of inactivity."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import Resolver404, resolve

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
