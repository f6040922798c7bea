"""Placement and one-month-talk forms: validation only (the rules in reporting.services.placements)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import date_field
from core.locking import VersionedForm
from reporting.models import ConversationParty, ConversationResult, Placement, PlacementKind
from reporting.services.placements import MAX_HOURS_PER_MONTH, NOTE_LENGTH, TEXT_LENGTH

DATE_FORMATS = ["%Y-%m-%d", "%d.%m.%Y"]


class PlacementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rodzaj"), choices=PlacementKind.choices)
    employer = forms.CharField(label=_("Pracodawca / organizator"), max_length=TEXT_LENGTH)
    planned_start = date_field(_("Planowany początek"), input_formats=DATE_FORMATS)
    planned_end = date_field(
        _("Planowany koniec"), input_formats=DATE_FORMATS,
        help_text=_("Roboty publiczne w projekcie Razem Skuteczniej trwały 5 miesięcy."),
    )  # fmt: skip
    hours_per_month = forms.IntegerField(label=_("Godzin w miesiącu"), min_value=1, max_value=MAX_HOURS_PER_MONTH)


class PlacementEndForm(VersionedForm, forms.ModelForm):
    actual_end = date_field(_("Faktyczny koniec"), input_formats=DATE_FORMATS)
    kept_on = forms.BooleanField(
        label=_("Pracodawca zatrudnił uczestnika po zakończeniu (umowa o pracę)"), required=False,
        help_text=_("Zapisze zatrudnienie od następnego dnia i rozmowy po miesiącu pracy."),
    )  # fmt: skip

    class Meta:
        model = Placement
        fields = ["actual_end", "kept_on"]


class ConversationForm(forms.Form):
    party = forms.ChoiceField(label=_("Z kim"), choices=ConversationParty.choices, widget=forms.HiddenInput)
    held_on = date_field(_("Data rozmowy"), input_formats=DATE_FORMATS)
    spoke_with = forms.CharField(
        label=_("Rozmówca"), max_length=TEXT_LENGTH,
        help_text=_("Np. „kierownik zmiany p. Nowak” albo „uczestnik, telefonicznie”."),
    )  # fmt: skip
    result = forms.ChoiceField(label=_("Wynik"), choices=ConversationResult.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("Notatka"), max_length=NOTE_LENGTH, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip
