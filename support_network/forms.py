"""Forms of the partnership pages: validation only."""

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from core.locking import VersionedForm
from support_network import throttle
from support_network.access import agreement_parties_for, projects_visible_to
from support_network.models import AGREEMENT_FIELDS, MEETING_FIELDS, Agreement, AgreementStatus, Meeting

SCAN_MAX_BYTES = settings.AGREEMENT_SCAN_MAX_BYTES
# extension -> the bytes a real file of that type starts with
SCAN_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


def validate_scan(upload) -> None:
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in SCAN_SIGNATURES:
        raise forms.ValidationError(_("Dozwolone są pliki PDF, JPG i PNG."))
    if upload.size > SCAN_MAX_BYTES:
        raise forms.ValidationError(
            _("Plik jest za duży (najwyżej %(mb)s MB).") % {"mb": SCAN_MAX_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(sig) for sig in SCAN_SIGNATURES[extension]):
        raise forms.ValidationError(_("Zawartość pliku nie odpowiada jego rozszerzeniu (PDF, JPG lub PNG)."))


class BoundedUsernameMixin:
    """Django's AuthenticationForm sets the username's max_length after the field is built, so no
    length validator runs: a 10,000-character username reached authenticate(), and django-axes
    failed to record the attempt (varchar 255) with a 500. Validate the length like any field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class ThrottledLoginMixin:
    """The per-username delay (support_network.throttle) before the password is checked, and a
    clear refusal for an auditor whose time-boxed access has ended."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and not self.axes_locked(username) and not throttle.is_known_browser(self.request, username):
            wait = throttle.login_wait(username)
            if wait:
                raise forms.ValidationError(
                    _("Zbyt wiele nieudanych prób logowania na to konto. Spróbuj ponownie za %(n)d s.") % {"n": wait},
                    code="throttled",
                )
        try:
            cleaned = super().clean()
        except forms.ValidationError as error:
            if username and getattr(error, "code", None) == "invalid_login":
                throttle.record_login_failure(username)
            raise
        if username:
            throttle.forget_login_failures(username)
        return cleaned

    def axes_locked(self, username: str) -> bool:
        """django-axes' lock of this username from this address answers first (its 429 page)."""
        return self.request is not None and AxesProxyHandler.is_locked(self.request, {"username": username})

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        membership = getattr(user, "membership", None)
        if membership is not None and not membership.is_active:
            raise forms.ValidationError(
                _(
                    "Twój dostęp audytora wygasł %(day)s. Aby go przedłużyć, zwróć się do administratora "
                    "swojej instytucji."
                )
                % {"day": date_format(membership.valid_until, "j E Y")},
                code="access_expired",
            )


class LoginForm(BoundedUsernameMixin, ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(BoundedUsernameMixin, ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class ThrottledPasswordResetForm(PasswordResetForm):
    """Sends at most PASSWORD_RESET_MAILS_PER_HOUR mails to one address; the page says the same
    either way, so it tells nobody whether the address has an account."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email, **kwargs):
        if throttle.reset_mail_allowed(to_email):
            super().send_mail(subject_template_name, email_template_name, context, from_email, to_email, **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AgreementForm(VersionedForm, forms.ModelForm):
    field_order = ["title", "number", "subject", "parties"]

    class Meta:
        model = Agreement
        fields = [*AGREEMENT_FIELDS, "parties"]
        widgets = {
            "subject": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "parties": forms.CheckboxSelectMultiple,
            "deadline": DateInput(),
            "signed_on": DateInput(),
            "valid_until": DateInput(),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = agreement_parties_for(user, self.instance).order_by("name")
        self.fields["project"].queryset = projects_visible_to(user).order_by("title")
        self.fields["scan"].help_text = _("PDF, JPG lub PNG, najwyżej %(mb)s MB.") % {
            "mb": SCAN_MAX_BYTES // (1024 * 1024)
        }
        self.fields["scan"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png"

    def clean_scan(self):
        scan = self.cleaned_data.get("scan")
        if scan and hasattr(scan, "content_type"):  # a new upload (not the stored file)
            validate_scan(scan)
        return scan

    def clean_parties(self):
        parties = self.cleaned_data["parties"]
        if len(parties) < 2:
            raise forms.ValidationError(_("Porozumienie zawierają co najmniej dwie instytucje."))
        return parties

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if status == AgreementStatus.PLANNED and not data.get("deadline"):
            self.add_error("deadline", _("Podaj termin, do którego porozumienie ma zostać zawarte."))
        if status in (AgreementStatus.SIGNED, AgreementStatus.EXPIRED):
            if not data.get("signed_on"):
                self.add_error("signed_on", _("Podaj datę zawarcia porozumienia."))
            elif data["signed_on"] > timezone.localdate():
                self.add_error("signed_on", _("Data zawarcia nie może być w przyszłości."))
        if data.get("signed_on") and data.get("valid_until") and data["valid_until"] < data["signed_on"]:
            self.add_error("valid_until", _("Data obowiązywania nie może być wcześniejsza niż data zawarcia."))
        return data


class MeetingForm(VersionedForm, forms.ModelForm):
    field_order = ["starts_at", "place", "agenda", "attendees"]

    class Meta:
        model = Meeting
        fields = [*MEETING_FIELDS, "attendees"]
        widgets = {
            "starts_at": DateTimeInput(),
            "next_meeting_at": DateTimeInput(),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "guests": forms.Textarea(attrs={"rows": 2}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
            "attendees": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.team = team
        self.instance.team = team
        self.fields["attendees"].queryset = (
            get_user_model().objects.filter(teams=team).order_by("last_name", "first_name")
        )
        self.fields["attendees"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self):
        data = super().clean()
        starts, following = data.get("starts_at"), data.get("next_meeting_at")
        if starts and following and following <= starts:
            self.add_error("next_meeting_at", _("Kolejne spotkanie musi być później niż to spotkanie."))
        if starts and Meeting.objects.filter(team=self.team, starts_at=starts).exclude(pk=self.instance.pk).exists():
            self.add_error("starts_at", _("Ten zespół ma już spotkanie o tej godzinie."))
        return data
