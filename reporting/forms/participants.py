"""Forms of the participant pages: validation only; the services save."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.forms.referrals import employment_form_field
from core.forms import date_field
from core.locking import VersionedForm
from reporting.codes import EarlyExitReason, JobSeekingKind, OutcomeKind, ProgressCategory
from reporting.models import Participation
from reporting.services.validation import NULLABLE_FIELDS, RECORD_FIELDS, entry_errors, exit_errors, outcome_errors
from support_network.widgets import GminaCodeField

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
YES_NO = [("", "—"), ("tak", _("Tak")), ("nie", _("Nie"))]


def _yes_no(value):
    return {"tak": True, "nie": False}.get(value)


def _date_field(label, required=True, help_text=""):
    return date_field(label, required=required, help_text=help_text, input_formats=["%Y-%m-%d", "%d.%m.%Y"])


def _add_errors(form, errors: dict) -> None:
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)


class EntryForm(forms.ModelForm):
    """The entry data of a participation (EFS_RULES.md §1), checked by the shared rules."""

    at_risk = forms.TypedChoiceField(
        label=_("Osoba zagrożona ubóstwem lub wykluczeniem społecznym"),
        choices=YES_NO,
        coerce=_yes_no,
        empty_value=None,
        required=False,
        help_text=_("Kwalifikowalność potwierdzona dokumentami rekrutacyjnymi."),
    )
    birth_date = _date_field(_("data urodzenia"), required=False,
                             help_text=_("Przy numerze PESEL data urodzenia i płeć wynikają z numeru."))  # fmt: skip
    start_date = _date_field(_("data rozpoczęcia udziału"), help_text=_("Data pierwszego wsparcia w projekcie."))
    gmina_teryt = GminaCodeField(required=False, help_text=_(
        "Wybór gminy z rejestru TERYT wypełnia przy zapisie województwo, powiat, gminę i DEGURBA."))  # fmt: skip
    planned_education_end = _date_field(
        _("planowana data zakończenia edukacji"), required=False,
        help_text=_("Tylko dla uczniów: planowana data zakończenia edukacji w placówce, w której skorzystano ze "
                    "wsparcia (kolumna SL2014)."),
    )  # fmt: skip

    class Meta:
        model = Participation
        fields = list(RECORD_FIELDS)

    def __init__(self, *args, project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)
        if self.instance.pk and "at_risk" not in self.initial:
            self.initial["at_risk"] = {True: "tak", False: "nie"}.get(self.instance.at_risk, "")
        elif isinstance(self.initial.get("at_risk"), bool):
            self.initial["at_risk"] = "tak" if self.initial["at_risk"] else "nie"

    def clean(self):
        cleaned = super().clean()
        if any(field in self.errors for field in RECORD_FIELDS):
            return cleaned
        values = {field: cleaned.get(field) for field in RECORD_FIELDS}
        for field, value in values.items():
            if value is None and field not in NULLABLE_FIELDS:
                values[field] = ""
        _add_errors(self, entry_errors(values, project=self.project))
        cleaned.update(values)
        return cleaned

    @property
    def values(self) -> dict:
        return {field: self.cleaned_data.get(field) for field in RECORD_FIELDS}


class EnrolForm(EntryForm):
    confirm = forms.BooleanField(
        label=_("Potwierdzam, że dane są zgodne z deklaracją uczestnika. Po zapisaniu dane wejściowe są zamrożone – "
                "zmienić je można tylko korektą z podaniem powodu."),
        required=True,
    )  # fmt: skip


class AmendForm(VersionedForm, EntryForm):
    version_ignored = ("reason",)

    reason = forms.CharField(label=_("Powód korekty"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("Np. „błąd przy wpisywaniu – zgodnie z deklaracją z dnia …”."))  # fmt: skip


class ParticipationForm(forms.Form):
    """A form about one participation, checked against its dates."""

    def __init__(self, *args, participation, **kwargs):
        self.participation = participation
        super().__init__(*args, **kwargs)


def exit_initial(participation) -> dict:
    """The exit form's values from the stored participation."""
    return {
        "end_date": participation.end_date,
        "completed_as_planned": {True: "tak", False: "nie"}.get(participation.completed_as_planned, ""),
        "early_exit_reason": participation.early_exit_reason,
    }


class ExitForm(VersionedForm, ParticipationForm):
    def versioned_record(self):
        return self.participation

    def fresh_form(self, current):
        return type(self)(participation=current, initial=exit_initial(current))

    end_date = _date_field(_("Data zakończenia udziału"))
    completed_as_planned = forms.TypedChoiceField(
        label=_("Zakończenie udziału zgodnie z zaplanowaną ścieżką"), choices=YES_NO, coerce=_yes_no,
        empty_value=None, required=False)  # fmt: skip
    early_exit_reason = forms.ChoiceField(
        label=_("Powód wcześniejszego zakończenia (gdy „Nie”)"),
        choices=[("", "—"), *EarlyExitReason.choices], required=False,
        help_text=_("Podjęcie pracy też jest wcześniejszym zakończeniem udziału."))  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            _add_errors(self, exit_errors(cleaned, start_date=self.participation.start_date))
        return cleaned


class OutcomeForm(ParticipationForm):
    kind = forms.ChoiceField(label=_("Rodzaj rezultatu"), choices=[("", "—"), *OutcomeKind.choices])
    occurred_on = _date_field(_("Data"))
    evidence = forms.CharField(label=_("Dowód / notatka"), max_length=500, required=False,
                               help_text=_("Np. „kopia umowy o pracę w aktach”, „zaświadczenie z PUP”."))  # fmt: skip
    employment_form = employment_form_field()
    fte = forms.CharField(label=_("Wymiar etatu (umowa o pracę)"), max_length=10, required=False,
                          help_text=_("Np. 1 albo 0,5."))  # fmt: skip
    planned_months = forms.IntegerField(label=_("Planowany okres zatrudnienia (miesiące)"), required=False,
                                        min_value=1, max_value=600)  # fmt: skip
    employer = forms.CharField(label=_("Pracodawca"), max_length=200, required=False)
    grant_amount = forms.CharField(
        label=_("Kwota środków na założenie działalności (zł)"),
        max_length=20,
        required=False,
        help_text=_("Tylko dla działalności z dotacji EFS, np. 23 000,00."),
    )
    pkd = forms.CharField(label=_("PKD założonej działalności"), max_length=10, required=False,
                          help_text=_("Tylko dla działalności z dotacji EFS, np. 47.91.Z."))  # fmt: skip
    job_seeking_kind = forms.ChoiceField(label=_("Poszukiwanie pracy"), choices=[("", "—"), *JobSeekingKind.choices],
                                         required=False)  # fmt: skip
    qualification_name = forms.CharField(label=_("Uzyskana kwalifikacja"), max_length=200, required=False)
    progress_categories = forms.MultipleChoiceField(
        label=_("Kategorie postępu (efektywność społeczna)"), choices=ProgressCategory.choices, required=False,
        widget=forms.CheckboxSelectMultiple)  # fmt: skip

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            values = dict(cleaned)
            _add_errors(self, outcome_errors(values, start_date=self.participation.start_date,
                                             end_date=self.participation.end_date))  # fmt: skip
            self.values = values
        return cleaned


class FollowUpDoneForm(forms.Form):
    done_on = _date_field(_("Data kontaktu"))
    note = forms.CharField(label=_("Wynik kontaktu"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Plik CSV albo XLSX"),
                           help_text=_("Układ kolumn jak w eksporcie (SL2014). Najwyżej 10 MB."))  # fmt: skip

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Plik jest za duży (najwyżej 10 MB)."))
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Obsługiwane są pliki .csv i .xlsx."))
        return upload
