"""No page on a password alone: a logged-in session that has not passed its second factor reaches
only the enrolment and verification pages (and logout); everything else redirects there."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils.http import urlencode
from django_otp.middleware import OTPMiddleware

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


class CachedOTPMiddleware(OTPMiddleware):
    """django-otp's middleware with the session's device read from the cache: the device is looked
    up on every request, and this spares the query. A saved or deleted device leaves the cache
    at once (support_network.mfa.forget_device), so a reset or a removed passkey still counts from
    the next request."""

    def _device_from_persistent_id(self, persistent_id: str):
        device = mfa.cached_device(persistent_id)
        if device is None:
            device = super()._device_from_persistent_id(persistent_id)
            if device is not None:
                mfa.remember_device(device)
        return device
