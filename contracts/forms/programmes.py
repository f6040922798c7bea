"""Forms of the family programme (validation only; status and author are set by services)."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from contracts.forms.common import plausible_dates, text_field
from contracts.models import FamilyProgramme, ProgrammeAction, ProgrammeGoal
from core.locking import VersionedForm
from support_network.models import Module, Service, Team, TeamKind


@plausible_dates
class ProgrammeForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = FamilyProgramme
        fields = ["title", "prepared_by", "team", "diagnosis", "summary", "period_start", "period_end"]
        help_texts = {"diagnosis": _("Program opiera się na diagnozie potrzeb rodziny.")}

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        self.fields["diagnosis"].queryset = family.diagnoses.all()
        teams = Team.objects.filter(kind=TeamKind.MGI)
        self.fields["team"].queryset = teams.filter(project_id=family.project_id) if family.project_id else teams

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Koniec realizacji nie może być wcześniejszy niż początek."))
        return data


@plausible_dates
class ProgrammeGoalForm(forms.ModelForm):
    class Meta:
        model = ProgrammeGoal
        fields = ["person", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, family=None, **kwargs):
        super().__init__(*args, **kwargs)
        if family is not None:
            self.fields["person"].queryset = family.members.order_by("generation", "birth_date")
        self.fields["person"].empty_label = _("cała rodzina")


@plausible_dates
class ProgrammeActionForm(forms.ModelForm):
    class Meta:
        model = ProgrammeAction
        fields = ["module", "service", "description", "person", "start_on", "end_on", "expected_result"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, family=None, **kwargs):
        super().__init__(*args, **kwargs)
        if family is not None:
            self.fields["person"].queryset = family.members.order_by("generation", "birth_date")
        self.fields["person"].empty_label = _("cała rodzina")
        self.fields["service"].queryset = Service.objects.filter(is_active=True).select_related("provider")
        self.fields["service"].help_text = _("Usługa z katalogu – po zatwierdzeniu powstanie skierowanie.")
        self.fields["description"].help_text = _("Działanie spoza katalogu albo doprecyzowanie usługi.")

    def clean(self):
        data = super().clean()
        service = data.get("service")
        if not service and not data.get("description"):
            self.add_error("description", _("Wybierz usługę z katalogu albo opisz działanie."))
        if service and not data.get("person"):
            self.add_error("person", _("Skierowanie do usługi z katalogu wymaga wskazania osoby."))
        module = data.get("module")
        if service and module and module not in (service.module, Module.ACCOMPANYING):
            self.add_error(
                "service", _("Ta usługa należy do modułu „%(module)s”.") % {"module": service.get_module_display()}
            )
        start, end = data.get("start_on"), data.get("end_on")
        if start and end and end < start:
            self.add_error("end_on", _("Koniec nie może być wcześniejszy niż początek."))
        return data


ProgrammeGoalFormSet = inlineformset_factory(
    FamilyProgramme, ProgrammeGoal, form=ProgrammeGoalForm, extra=2, can_delete=True
)
ProgrammeActionFormSet = inlineformset_factory(
    FamilyProgramme, ProgrammeAction, form=ProgrammeActionForm, extra=2, can_delete=True
)


class DecisionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    decision = forms.ChoiceField(choices=[("approve", _("zatwierdź")), ("return", _("zwróć do poprawy"))])
    comment = text_field(_("komentarz"), required=False, help_text=_("Przy zwrocie napisz, co trzeba poprawić."))

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("Zwracając program, napisz, co trzeba poprawić."))
        return data


class CompleteForm(forms.Form):
    comment = text_field(_("podsumowanie realizacji programu"), rows=4)


class QueueFilterForm(forms.Form):
    """The coordinator's queue by project and by how long an item has waited (GET; a value that is
    not on the list is ignored, so the queue shows unfiltered rather than an error)."""

    AGES = [("", _("dowolnie długo")), ("7", _("ponad 7 dni")), ("14", _("ponad 14 dni")), ("30", _("ponad 30 dni"))]
    projekt = forms.ModelChoiceField(label=_("Projekt"), queryset=None, required=False, empty_label=_("wszystkie"))
    czeka = forms.TypedChoiceField(label=_("Czeka"), choices=AGES, required=False, coerce=int, empty_value=None)

    def __init__(self, *args, projects, listed=None, **kwargs):
        """`projects` validates the choice; `listed`, when the page has them already (the same
        projects in the same order), are the options the kept field reads for its key
        (core/templatetags/kept_fields.py) instead of querying them again."""
        super().__init__(*args, **kwargs)
        self.fields["projekt"].queryset = projects
        self.fields["projekt"].listed = listed

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {"project": self.cleaned_data["projekt"], "older_than_days": self.cleaned_data["czeka"]}
