"""The participant export's options: format, CSV encoding, and the payment claim's period."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import EARLIEST_DATE, DateInput, within
from reporting.forms.reports import LATEST_PERIOD_END


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "XLSX"), ("csv", "CSV")], initial="xlsx")
    encoding = forms.ChoiceField(
        label=_("Kodowanie CSV"), required=False, initial="utf-8",
        choices=[("utf-8", _("UTF-8 (zalecane)")), ("cp1250", _("Windows-1250 (starszy Excel)"))],
        help_text=_("Windows-1250 nie zapisze znaków spoza alfabetów Europy Środkowej (zastąpi je najbliższą "
                    "literą albo „?”)."),
    )  # fmt: skip
    date_from = forms.DateField(label=_("Wniosek za okres: od"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("do"), required=False, widget=DateInput(),
                              help_text=_("Puste: wszyscy uczestnicy projektu."))  # fmt: skip
    zmienione = forms.BooleanField(
        label=_("Tylko nowi lub zmienieni od ostatniego złożonego wniosku"), required=False,
        help_text=_("Uczestnicy dodani albo poprawieni (dane, rezultaty, formy wsparcia) po złożeniu ostatniego "
                    "wniosku o płatność – tak, jak oczekuje tego moduł SL2014."),
    )  # fmt: skip

    def clean(self):
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if bool(date_from) != bool(date_to):
            self.add_error("date_to" if date_from else "date_from", _("Podaj oba końce okresu wniosku albo żaden."))
        for name in ("date_from", "date_to"):
            try:
                within(data.get(name), EARLIEST_DATE, LATEST_PERIOD_END, _("Podaj datę z lat 2000–2100."))
            except forms.ValidationError as error:
                self.add_error(name, error)
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("Koniec okresu nie może być wcześniejszy niż początek."))
        data["encoding"] = data.get("encoding") or "utf-8"
        return data
