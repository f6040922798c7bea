"""The support-form page: validation only (the shared rules in reporting.services.validation)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import date_field
from reporting.forms.participants import ParticipationForm, _add_errors
from reporting.services.validation import SUPPORT_TEXT_LENGTH, support_errors

# Forms the SL2014 dictionary is known to use [GK]; the field takes any text the funder's dictionary has.
SUPPORT_FORM_SUGGESTIONS = [
    "doradztwo/konsultacje", "szkolenie/kurs", "staż/praktyka", "usługa aktywnej integracji o charakterze "
    "społecznym", "usługa aktywnej integracji o charakterze zawodowym", "usługa aktywnej integracji o charakterze "
    "edukacyjnym", "usługa aktywnej integracji o charakterze zdrowotnym", "poradnictwo psychologiczne",
    "zatrudnienie subsydiowane", "środki na założenie działalności gospodarczej", "wsparcie pomostowe",
]  # fmt: skip


class SupportForm(ParticipationForm):
    form = forms.CharField(label=_("Rodzaj przyznanego wsparcia"), max_length=SUPPORT_TEXT_LENGTH,
                           help_text=_("Tak, jak w słowniku SL2014 instytucji, np. „szkolenie/kurs”."),
                           widget=forms.TextInput(attrs={"list": "support-forms"}))  # fmt: skip
    form_detail = forms.CharField(label=_("W tym"), max_length=SUPPORT_TEXT_LENGTH, required=False)
    start_date = date_field(_("Data rozpoczęcia udziału we wsparciu"), input_formats=["%Y-%m-%d", "%d.%m.%Y"])
    end_date = date_field(_("Data zakończenia udziału we wsparciu"), required=False,
                          input_formats=["%Y-%m-%d", "%d.%m.%Y"])  # fmt: skip
    read_at = forms.CharField(widget=forms.HiddenInput, required=False, max_length=40)  # the version read

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            values = dict(cleaned)
            _add_errors(self, support_errors(values, start_date=self.participation.start_date,
                                             end_date=self.participation.end_date))  # fmt: skip
            self.values = values
        return cleaned
