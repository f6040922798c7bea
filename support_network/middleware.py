"""No page on a password alone: a logged-in session that has not passed its second factor reaches
only the enrolment and verification pages (and logout); everything else redirects there."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.http import urlencode

from support_network import mfa, throttle

# Pages a password-only session may see: the second-factor pages, the passkey ceremony, logout.
OPEN_BEFORE_SECOND_FACTOR = {"mfa_verify", "mfa_setup", "logout", "admin:logout"}
OPEN_NAMESPACES = {"otp_webauthn"}


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # a user logged in during this very request has no is_verified yet (OTPMiddleware ran before)
        is_verified = getattr(user, "is_verified", None)
        if callable(is_verified) and is_verified() and throttle.remembered_user(request) != user.pk:
            throttle.remember_browser(response, user.pk)  # exempt from its user's login delay
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.path_info.startswith(settings.STATIC_URL):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        if match.view_name in OPEN_BEFORE_SECOND_FACTOR or match.namespace in OPEN_NAMESPACES:
            return None
        if match.url_name in settings.LOGIN_EXEMPT_URL_NAMES and match.url_name != "login":
            return None
        target = "mfa_verify" if mfa.is_enrolled(user) else "mfa_setup"
        response = redirect(target)
        if request.method == "GET" and match.url_name != "login":
            response["Location"] += "?" + urlencode({"next": request.get_full_path()})
        return response
