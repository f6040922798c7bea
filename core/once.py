"""Idempotent create forms: a one-time token issued with the form, consumed with the save.

The page renders `{% form_token %}` (core.templatetags.once) inside the form: a hidden
`form_token`, a fresh random value (or the one just posted, when the page comes back with errors).
The create view is decorated with `@idempotent_create`. A POST carrying a token runs in one
transaction that first inserts the token (`FormSubmission`, unique) and then runs the view:

- the view redirects (it created the record): the redirect target is stored with the token and
  both commit together;
- the view shows the page again (errors, a refusal): the token is released, nothing is kept;
- the token is already used by this user (a double click, a resend after a timeout): the view does
  not run; the answer is a redirect to where the first submit led, with a note. A concurrent second
  submit waits on the unique index until the first commits, then gets the same answer;
- the token was used by another user: the view does not run; a fresh form with a message (a token
  never leads to someone else's record).

Knows no domain: it stores a token, a user id and a URL.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from core.models import FormSubmission

FIELD = "form_token"
TOKEN = re.compile(r"[0-9a-f]{32}")
KEEP = dt.timedelta(days=2)  # a resend after a timeout comes within minutes; two days is plenty


def new_token() -> str:
    return secrets.token_hex(16)


def posted_token(request) -> str | None:
    token = request.POST.get(FIELD, "") if request.method == "POST" else ""
    return token if TOKEN.fullmatch(token) else None


def idempotent_create(view):
    """Decorate a create view: a repeated POST of the same form creates nothing more (see above)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = posted_token(request)
        if token is None or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            try:
                with transaction.atomic():
                    claim = FormSubmission.objects.create(token=token, user_id=request.user.pk)
            except IntegrityError:
                return _replay(request, token)
            response = view(request, *args, **kwargs)
            if response.status_code in (301, 302, 303) and _local(request, response["Location"]):
                claim.url = response["Location"][:500]
                claim.save(update_fields=["url"])
            else:
                claim.delete()
        _forget_old()
        return response

    return wrapper


def _local(request, url: str) -> bool:
    return url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}, require_https=False)


def _replay(request, token: str):
    used = FormSubmission.objects.filter(token=token).first()
    if used is None or used.user_id != request.user.pk or not used.url:
        messages.error(request, _("Ten formularz był już wysłany. Wypełnij go ponownie."))
        return redirect(request.get_full_path())
    messages.info(request, _("Ten formularz został już zapisany – oto zapisany wpis."))
    return redirect(used.url)


def _forget_old() -> None:
    FormSubmission.objects.filter(created_at__lt=timezone.now() - KEEP).delete()
