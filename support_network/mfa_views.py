"""The second-factor pages: enrolment at first login, verification at each login, the account's
security page (new recovery codes, passkeys). The rules live in support_network.mfa."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from support_network import mfa


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Kod"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    local = target.startswith("/") and target.isprintable() and len(target) < 2000
    if local and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@never_cache
def setup(request):
    """Enrolment at first login: scan the QR code (or type the secret), confirm with a code, note
    the recovery codes shown once."""
    if mfa.is_enrolled(request.user):
        return redirect(_next_url(request) if request.user.is_verified() else "mfa_verify")
    device = mfa.pending_app(request.user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        wait = mfa.wait_seconds(device)
        codes = None if wait else mfa.confirm_app(request, device, form.cleaned_data["code"])
        if codes is not None:
            return render(request, "registration/mfa_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error("code", _wrong_code_message(wait or mfa.wait_seconds(device)))
    context = {"form": form, "qr": mfa.qr_svg(device), "secret": mfa.secret_text(device), "next": _next_url(request)}
    return render(request, "registration/mfa_setup.html", context)


def _wrong_code_message(wait: int) -> str:
    message = _("Kod jest nieprawidłowy albo już wykorzystany.")
    if wait:
        message += " " + _("Kolejną próbę można podjąć za %(n)d s.") % {"n": wait}
    return message


@never_cache
def verify(request):
    """The second step of each login: the app's code, a recovery code or a passkey."""
    if not mfa.is_enrolled(request.user):
        return redirect("mfa_setup")
    if request.user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        wait = mfa.user_wait_seconds(request.user)
        if not wait and mfa.verify(request, form.cleaned_data["code"]):
            return HttpResponseRedirect(_next_url(request))
        form.add_error("code", _wrong_code_message(wait))
    context = {
        "form": form,
        "next": _next_url(request),
        "passkey": mfa.has_passkey(request.user),
        "demo_code": mfa.demo_code(request.user),
    }
    return render(request, "registration/mfa_verify.html", context)


@never_cache
def manage(request):
    """The account's security page: the factors, new recovery codes, passkeys."""
    context = {
        "app": TOTPDevice.objects.filter(user=request.user, confirmed=True).first(),
        "codes_left": mfa.recovery_codes_left(request.user),
        "passkeys": WebAuthnCredential.objects.filter(user=request.user, confirmed=True).order_by("created_at"),
    }
    return render(request, "registration/mfa_manage.html", context)


@require_POST
def new_codes(request):
    codes = mfa.new_recovery_codes(request.user)
    return render(request, "registration/mfa_codes.html", {"codes": codes, "next": resolve_url("mfa_manage")})


@require_POST
def remove_passkey(request, pk):
    credential = get_object_or_404(WebAuthnCredential, pk=pk, user=request.user)
    if not mfa.is_enrolled_without(credential):
        messages.error(request, _("To jedyny drugi składnik konta: najpierw dodaj aplikację albo inny klucz."))
    else:
        mfa.remove_passkey(credential)
        messages.success(request, _("Klucz dostępu usunięty."))
    return redirect("mfa_manage")
