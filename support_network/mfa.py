"""The second factor (django-otp): an authenticator app (TOTP) with single-use recovery codes, and
passkeys (django-otp-webauthn) as a second option. Enrolment, verification, new recovery codes and
an administrator's reset. Logs carry user ids, never names."""

import logging
from base64 import b32encode

import django_otp
import segno
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from core.errors import DomainError
from support_network.access import role_of
from support_network.models import Role

log = logging.getLogger("support_network.security")
APP_DEVICE = "Aplikacja uwierzytelniająca"
RECOVERY_DEVICE = "Kody odzyskiwania"


def is_enrolled(user) -> bool:
    """True when the user has a confirmed authenticator app or passkey (recovery codes alone are not
    an enrolment: they are the way back to one)."""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()
    )


def has_passkey(user) -> bool:
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).exists()


def pending_app(user) -> TOTPDevice:
    """The authenticator app being enrolled: one unconfirmed device whose secret stays the same
    across reloads of the enrolment page until it is confirmed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// link as an inline SVG, drawn on the server (no script, no CDN)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000", light="#fff")


def secret_text(device: TOTPDevice) -> str:
    """The base32 secret in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def wait_seconds(device: Device) -> int:
    """Seconds before django-otp lets this device verify again (it doubles after each failure)."""
    allowed, data = device.verify_is_allowed()
    if allowed or not data or not data.get("locked_until"):
        return 0
    return max(1, int((data["locked_until"] - timezone.now()).total_seconds() + 0.999))


def code_devices(user) -> list[Device]:
    """The devices a typed code is checked against: the app, then the recovery codes."""
    return [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user, confirmed=True),
    ]


def user_wait_seconds(user) -> int:
    """Seconds before the user's next code is checked (each wrong code delays every code device)."""
    return max((wait_seconds(device) for device in code_devices(user)), default=0)


def new_recovery_codes(user) -> list[str]:
    """MFA_RECOVERY_CODES fresh single-use codes; the earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True})
    codes = [StaticToken.random_token() for _ in range(settings.MFA_RECOVERY_CODES)]
    with transaction.atomic():
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    log.info("mfa recovery codes issued user=%s", user.pk)
    return codes


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def confirm_app(request: HttpRequest, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirms the enrolment when `token` is the app's current code: the session is verified and
    the first recovery codes are returned (shown once). None for a wrong code."""
    if not device.verify_token(token.replace(" ", "")):
        log.info("mfa enrolment code refused user=%s", device.user_id)
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    log.info("mfa enrolled user=%s device=totp", device.user_id)
    mark_verified(request, device)
    return new_recovery_codes(device.user)


def verify(request: HttpRequest, token: str) -> Device | None:
    """Verifies the session with the app's code or a recovery code (used up); None if neither."""
    token = token.replace(" ", "").lower()
    user = request.user
    for device in code_devices(user):
        if device.verify_token(token):
            log.info("mfa verified user=%s device=%s", user.pk, type(device).__name__)
            mark_verified(request, device)
            return device
    log.info("mfa code refused user=%s", user.pk)
    return None


def mark_verified(request: HttpRequest, device: Device) -> None:
    request.session.cycle_key()  # a verified session gets a new key: no fixation of the old one
    django_otp.login(request, device)
    remember_device(device)


def reset(user: AbstractBaseUser, *, by: AbstractBaseUser) -> int:
    """An administrator removes every second factor of `user` (app, passkeys, recovery codes): the
    user enrols again at the next login. Logged in the audit log (actor, user id) and the security
    log. Returns the number of factors removed."""
    if role_of(by) != Role.ADMINISTRATOR or not getattr(by, "is_superuser", False):
        raise DomainError(_("Tylko administrator może usunąć drugi składnik logowania."))
    with transaction.atomic():
        removed = sum(
            model.objects.filter(user=user).delete()[1].get(model._meta.label, 0)
            for model in (TOTPDevice, StaticDevice, WebAuthnCredential)
        )
        LogEntry.objects.log_create(
            user,
            force_log=True,
            action=LogEntry.Action.UPDATE,
            changes={"second_factor": [f"{removed}", "reset"]},
            actor=by,
        )
    log.warning("mfa reset user=%s by=%s factors=%s", user.pk, by.pk, removed)
    return removed


def demo_code(user) -> str | None:
    """The current code of a demo account's app, shown on the verification page in DEBUG only."""
    membership = getattr(user, "membership", None)
    if not settings.DEBUG or membership is None or not membership.is_demo:
        return None
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return current_code(device) if device else None


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def is_enrolled_without(credential: WebAuthnCredential) -> bool:
    """True when the user keeps another app or passkey once `credential` is removed."""
    user = credential.user
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exclude(pk=credential.pk).exists()
    )


def remove_passkey(credential: WebAuthnCredential) -> None:
    log.info("mfa passkey removed user=%s", credential.user_id)
    credential.delete()


DEVICE_CACHE_SECONDS = 300


def _device_key(persistent_id: str) -> str:
    return f"otp-device:{persistent_id}"


def cached_device(persistent_id: str) -> Device | None:
    return cache.get(_device_key(persistent_id))


def remember_device(device: Device) -> None:
    """Puts a device that verifies a session into the cache (every request of the session needs it)."""
    cache.set(_device_key(device.persistent_id), device, DEVICE_CACHE_SECONDS)


def forget_device(sender, instance, **kwargs):
    """post_save/post_delete receiver of the device models: the change counts from the next request."""
    cache.delete(_device_key(instance.persistent_id))
