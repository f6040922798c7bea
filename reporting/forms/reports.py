import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.forms import EARLIEST_DATE, DateInput, within
from core.locking import VersionedForm
from reporting.codes import EFFECTIVENESS_INDICATORS, Indicator
from reporting.models import IndicatorTarget, ProjectRules

LATEST_PERIOD_END = dt.date(2100, 12, 31)


class PeriodForm(forms.Form):
    """A reporting period [from, to]; used by the indicators page (GET) and report requests."""

    date_from = forms.DateField(label=capfirst(_("od")), widget=DateInput())
    date_to = forms.DateField(label=capfirst(_("do")), widget=DateInput())

    def clean(self):
        data = super().clean()
        date_from, date_to = data.get("date_from"), data.get("date_to")
        for name in ("date_from", "date_to"):
            try:
                within(data.get(name), EARLIEST_DATE, LATEST_PERIOD_END, _("Podaj datę z lat 2000–2100."))
            except ValidationError as error:
                self.add_error(name, error)
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("Koniec okresu nie może być wcześniejszy niż początek."))
        return data


class ReportRequestForm(PeriodForm):
    pass


class ReportSubmitForm(forms.Form):
    """Mark a report as submitted with a payment claim (EFS_RULES.md §7); the service checks the rest."""

    claim_number = forms.CharField(label=capfirst(_("numer wniosku o płatność")), max_length=80)
    claim_date = forms.DateField(label=capfirst(_("data złożenia wniosku")), widget=DateInput())

    def clean_claim_date(self):
        value = self.cleaned_data["claim_date"]
        within(value, EARLIEST_DATE, LATEST_PERIOD_END, _("Podaj datę z lat 2000–2100."))
        return value


def indicator_settings_initial(rules) -> dict:
    """The settings form's values from the project's rules and targets."""
    targets = IndicatorTarget.objects.filter(project_id=rules.project_id).values_list("code", "value")
    return {
        "result_window_days": rules.result_window_days,
        "effectiveness_window_months": rules.effectiveness_window_months,
        **{f"target_{code}": value for code, value in targets},
    }


class IndicatorSettingsForm(VersionedForm, forms.Form):
    """Targets per indicator and the measurement windows of the project (the version is the rules')."""

    version_unsaved = True

    result_window_days = forms.IntegerField(
        label=capfirst(ProjectRules._meta.get_field("result_window_days").verbose_name), min_value=0, max_value=365
    )
    effectiveness_window_months = forms.IntegerField(
        label=capfirst(ProjectRules._meta.get_field("effectiveness_window_months").verbose_name),
        min_value=0,
        max_value=24,
    )

    def __init__(self, *args, rules, **kwargs):
        self.rules = rules
        super().__init__(*args, **kwargs)
        for code in Indicator:
            percent = code in EFFECTIVENESS_INDICATORS
            self.fields[f"target_{code.value}"] = forms.DecimalField(
                label=f"{code.value} – {code.label}" + (" (%)" if percent else " (osoby)"),
                required=False, min_value=0, max_value=100 if percent else 9_999_999, max_digits=8, decimal_places=1,
            )  # fmt: skip

    def versioned_record(self):
        return self.rules

    def fresh_form(self, current):
        return type(self)(rules=current, initial=indicator_settings_initial(current))

    def targets(self) -> dict:
        return {code.value: self.cleaned_data.get(f"target_{code.value}") for code in Indicator}
