"""Forms of the referral pages: validation only; status, sender and institution are set by the services."""

import datetime as dt
import uuid
from decimal import Decimal

from django import forms
from django.core.validators import RegexValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models.referrals import EmploymentForm, JobSeekingKind, ProgressCategory
from core.forms import EARLIEST_DATE, DateInput, not_before, not_future
from core.locking import VersionedForm
from families.access import persons_visible_to
from support_network.models import Service

key_validator = RegexValidator(r"^[0-9a-f]{32}$", _("Nieprawidłowy formularz – odśwież stronę i spróbuj ponownie."))
MAX_TEXT = 4000


def employment_form_field() -> forms.ChoiceField:
    """The optional choice of the form of employment (referral outcome, EFS outcome)."""
    return forms.ChoiceField(
        label=_("Forma zatrudnienia"), choices=[("", "—"), *EmploymentForm.choices], required=False
    )


class IdempotentForm(forms.Form):
    """A hidden key generated when the form is shown: a second submit of the same form is recognised."""

    key = forms.CharField(widget=forms.HiddenInput, validators=[key_validator])

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)


PICKER_ATTRS = {
    "data-picker": "",
    "data-picker-label": _("Szukaj"),
    "data-picker-placeholder": _("wpisz część nazwiska lub nazwy"),
    "data-picker-count": _("Pasujące pozycje: "),
}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.last_name} {obj.first_name} (ur. {obj.birth_date:%Y})"


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} – {obj.provider}"


def available_services(day=None):
    day = day or timezone.localdate()
    return (
        Service.objects.filter(is_active=True)
        .exclude(valid_from__gt=day)
        .exclude(valid_to__lt=day)
        .select_related("provider")
        .order_by("provider__name", "name")
    )


class ReferralForm(IdempotentForm):
    person = PersonChoiceField(label=_("Osoba"), queryset=None, empty_label=_("— wybierz osobę —"))
    service = ServiceChoiceField(label=_("Usługa z katalogu"), queryset=None, empty_label=_("— wybierz usługę —"))
    reason = forms.CharField(
        label=_("Uzasadnienie skierowania"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Widzi je realizator. Nie wpisuj informacji o zdrowiu, niepełnosprawności ani uzależnieniach."),
    )
    wished_start = forms.DateField(label=_("Proponowany termin rozpoczęcia"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons_visible_to(user).order_by("last_name", "first_name")
        self.fields["service"].queryset = available_services()
        for name in ("person", "service"):  # long lists: a text filter above them (static/js/picker.js)
            self.fields[name].widget.attrs.update(PICKER_ATTRS)

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if len(reason) < 10:
            raise forms.ValidationError(_("Opisz krótko, dlaczego kierujesz tę osobę (co najmniej 10 znaków)."))
        return reason

    def clean_wished_start(self):
        day = self.cleaned_data.get("wished_start")
        today = timezone.localdate()
        if day and day < today:
            raise forms.ValidationError(_("Proponowany termin nie może być w przeszłości."))
        if day and day > today + dt.timedelta(days=366):
            raise forms.ValidationError(_("Proponowany termin może być najwyżej rok naprzód."))
        return day


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Powód"), max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 3}))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Podaj powód."))
        return reason


class AcceptForm(forms.Form):
    note = forms.CharField(
        label=_("Informacja dla kierującego (np. termin pierwszych zajęć)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AttendanceForm(IdempotentForm):
    held_on = forms.DateField(label=_("Data zajęć"), widget=DateInput())
    sessions = forms.IntegerField(label=_("Liczba zajęć"), min_value=1, max_value=100, initial=1)
    hours = forms.DecimalField(
        label=_("Liczba godzin"), min_value=Decimal("0.25"), max_value=Decimal("500"), max_digits=5, decimal_places=2
    )
    note = forms.CharField(label=_("Uwagi"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate

    def clean_held_on(self):
        day = self.cleaned_data["held_on"]
        not_future(day, _("Nie można zapisać obecności z datą w przyszłości."))
        not_before(day, EARLIEST_DATE, _("Podaj datę zajęć."))
        return day


class OutcomeForm(VersionedForm, forms.Form):
    """The outcome of a referral; correcting a stored one carries its version (core.locking)."""

    def __init__(self, *args, outcome=None, **kwargs):
        self.outcome_record = outcome
        super().__init__(*args, **kwargs)
        if isinstance(self.initial.get("progress_categories"), str):  # stored as letters, e.g. "bc"
            self.initial["progress_categories"] = list(self.initial["progress_categories"])

    def versioned_record(self):
        return self.outcome_record

    def fresh_form(self, current):
        initial = {name: getattr(current, name) for name in self.fields if hasattr(current, name)}
        return type(self)(outcome=current, initial=initial)

    completed = forms.BooleanField(label=_("Ukończył(a) usługę zgodnie z planem"), required=False, initial=True)
    qualification_obtained = forms.BooleanField(label=_("Uzyskał(a) kwalifikację"), required=False)
    qualification_name = forms.CharField(label=_("Nazwa kwalifikacji"), max_length=200, required=False)
    qualification_on = forms.DateField(label=_("Data uzyskania kwalifikacji"), required=False, widget=DateInput())
    employed = forms.BooleanField(label=_("Podjął(ęła) zatrudnienie"), required=False)
    employer = forms.CharField(label=_("Pracodawca"), max_length=200, required=False)
    employment_form = employment_form_field()
    employment_start = forms.DateField(label=_("Data rozpoczęcia pracy"), required=False, widget=DateInput())
    employment_fte = forms.DecimalField(
        label=_("Wymiar etatu (umowa o pracę)"), required=False, min_value=Decimal("0.01"), max_value=Decimal("1"),
        max_digits=3, decimal_places=2,
    )  # fmt: skip
    employment_months = forms.IntegerField(label=_("Planowany okres zatrudnienia (miesiące)"), required=False,
                                           min_value=1, max_value=600)  # fmt: skip
    job_seeking_kind = forms.ChoiceField(label=_("Poszukiwanie pracy potwierdzone"), required=False,
                                         choices=[("", "—"), *JobSeekingKind.choices])  # fmt: skip
    job_seeking_on = forms.DateField(label=_("Data potwierdzenia poszukiwania pracy"), required=False,
                                     widget=DateInput())  # fmt: skip
    school_started_on = forms.DateField(label=_("Podjął(ęła) kształcenie szkolne – data"), required=False,
                                        widget=DateInput())  # fmt: skip
    progress_categories = forms.MultipleChoiceField(
        label=_("Postęp społeczny potwierdzony w kategoriach"), required=False, choices=ProgressCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    progress_on = forms.DateField(label=_("Data potwierdzenia postępu"), required=False, widget=DateInput())
    note = forms.CharField(
        label=_("Uwagi"), max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        limit = timezone.localdate() + dt.timedelta(days=366)
        if data.get("qualification_obtained"):
            if not data.get("qualification_on"):
                self.add_error("qualification_on", _("Podaj datę uzyskania kwalifikacji."))
            elif data["qualification_on"] > timezone.localdate():
                self.add_error("qualification_on", _("Data uzyskania kwalifikacji nie może być w przyszłości."))
        if data.get("employed"):
            if not (data.get("employer") or "").strip():
                self.add_error("employer", _("Podaj pracodawcę."))
            if not data.get("employment_form"):
                self.add_error("employment_form", _("Wybierz formę zatrudnienia."))
            if not data.get("employment_start"):
                self.add_error("employment_start", _("Podaj datę rozpoczęcia pracy."))
            elif data["employment_start"] > limit:
                self.add_error("employment_start", _("Data rozpoczęcia pracy może być najwyżej rok naprzód."))
        self._clean_efs_outcomes(data)
        return data

    def _clean_efs_outcomes(self, data) -> None:
        """The dates of the outcomes the EFS record takes over: each outcome needs its date, none in
        the future."""
        today = timezone.localdate()
        pairs = (("job_seeking_kind", "job_seeking_on"), ("progress_categories", "progress_on"))
        for flag, day in pairs:
            if data.get(flag) and not data.get(day):
                self.add_error(day, _("Podaj datę."))
        for day in ("job_seeking_on", "school_started_on", "progress_on"):
            if data.get(day) and data[day] > today:
                self.add_error(day, _("Data nie może być w przyszłości."))
        if data.get("employment_fte") is not None and data.get("employment_form") != EmploymentForm.CONTRACT:
            self.add_error("employment_fte", _("Wymiar etatu podaje się tylko dla umowy o pracę."))

    def outcome(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("lock_version", None)
        data["progress_categories"] = "".join(sorted(data.get("progress_categories") or []))
        data["job_seeking_kind"] = data.get("job_seeking_kind") or ""
        data["employer"] = (data.get("employer") or "").strip()
        return data
