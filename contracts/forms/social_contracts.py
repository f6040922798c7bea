"""Forms of the kontrakt socjalny: validation only; status, worker and OPS are set by services."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from contracts.forms.common import date_field, plausible_dates, text_field
from contracts.models import (
    COMPLETED_STATUSES,
    TERMINATED_STATUSES,
    ActionOwner,
    ContractAction,
    ContractEvaluation,
    ContractGoal,
    ContractKind,
    ContractStatus,
    GoalAchievement,
    SocialContract,
)
from contracts.models.social_contracts import CONTRACT_FIELDS
from core.forms import EMPTY_CHOICE
from core.locking import VersionedForm
from support_network.models import Institution


@plausible_dates
class ContractForm(VersionedForm, forms.ModelForm):
    field_order = ["kind", "person", "covered_members"]  # the members covered next to the person

    class Meta:
        model = SocialContract
        fields = [*CONTRACT_FIELDS, "covered_members"]
        widgets = {"covered_members": forms.CheckboxSelectMultiple, "kind": forms.RadioSelect}
        help_texts = {
            "covered_members": _("Typ A zawarty z rodziną: zaznacz członków rodziny objętych kontraktem."),
            "concluded_on": _("Data w nagłówku kontraktu; datę podpisania wpisuje się po podpisaniu."),
        }

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        members = family.members.order_by("generation", "birth_date")
        self.fields["person"].queryset = members
        self.fields["covered_members"].queryset = members
        self.fields["covered_members"].required = False

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Koniec okresu nie może być wcześniejszy niż jego początek."))
        if data.get("kind") == ContractKind.B:
            if not data.get("unemployment_causes"):
                self.add_error("unemployment_causes", _("W kontrakcie typu B opisz przyczyny pozostawania bez pracy."))
            if data.get("covered_members"):
                self.add_error("covered_members", _("Kontrakt typu B zawiera się tylko z osobą skierowaną przez PUP."))
        return data

    def _post_clean(self):
        # The model's clean() is the service's business (institution/worker are not set yet).
        pass


@plausible_dates
class GoalForm(forms.ModelForm):
    class Meta:
        model = ContractGoal
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, family=None, **kwargs):
        super().__init__(*args, **kwargs)


@plausible_dates
class ActionForm(forms.ModelForm):
    class Meta:
        model = ContractAction
        fields = ["description", "owner", "owner_person", "owner_institution", "deadline"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, family=None, **kwargs):
        super().__init__(*args, **kwargs)
        if family is not None:
            self.fields["owner_person"].queryset = family.members.order_by("generation", "birth_date")
        self.fields["owner_institution"].queryset = Institution.objects.order_by("name")

    def clean(self):
        data = super().clean()
        owner = data.get("owner")
        if owner == ActionOwner.FAMILY_MEMBER and not data.get("owner_person"):
            self.add_error("owner_person", _("Wskaż członka rodziny, który realizuje działanie."))
        if owner == ActionOwner.PARTNER and not data.get("owner_institution"):
            self.add_error("owner_institution", _("Wskaż instytucję, która realizuje działanie."))
        if owner != ActionOwner.FAMILY_MEMBER:
            data["owner_person"] = None
        if owner != ActionOwner.PARTNER:
            data["owner_institution"] = None
        return data


@plausible_dates
class EvaluationForm(forms.ModelForm):
    class Meta:
        model = ContractEvaluation
        fields = ["due_on"]

    def __init__(self, *args, family=None, **kwargs):
        super().__init__(*args, **kwargs)


# One empty row each (the form stays short on a phone): "Dodaj wiersz" adds more in place
# (static/js/formset.js); at most MAX_ROWS rows a formset, whatever TOTAL_FORMS a request claims.
MAX_ROWS = 30
_ROWS = {"can_delete": True, "max_num": MAX_ROWS, "validate_max": True, "absolute_max": MAX_ROWS}
GoalFormSet = inlineformset_factory(SocialContract, ContractGoal, form=GoalForm, extra=1, **_ROWS)
ActionFormSet = inlineformset_factory(SocialContract, ContractAction, form=ActionForm, extra=1, **_ROWS)
EvaluationFormSet = inlineformset_factory(SocialContract, ContractEvaluation, form=EvaluationForm, extra=1, **_ROWS)


class SignForm(forms.Form):
    signed_on = date_field(_("data podpisania"))


class RefuseForm(forms.Form):
    refused_on = date_field(_("data odmowy"))
    reason = text_field(_("okoliczności odmowy"))


class AmendForm(forms.Form):
    amended_on = date_field(_("data aneksu"))
    content = text_field(_("treść zmiany"), rows=4)
    reason = text_field(_("powód zmiany"))
    new_period_end = date_field(_("nowy koniec okresu kontraktu"), required=False)
    new_evaluation_on = date_field(_("dodatkowy termin oceny"), required=False)
    new_action_description = text_field(_("nowe działanie (opcjonalnie)"), required=False, rows=2)
    new_action_owner = forms.ChoiceField(
        label=capfirst(_("kto realizuje nowe działanie")),
        choices=[
            ("", EMPTY_CHOICE),
            (ActionOwner.CLIENT, ActionOwner.CLIENT.label),
            (ActionOwner.OPS, ActionOwner.OPS.label),
        ],
        required=False,
    )
    new_action_deadline = date_field(_("termin nowego działania"), required=False)

    def clean(self):
        data = super().clean()
        parts = [data.get("new_action_description"), data.get("new_action_owner"), data.get("new_action_deadline")]
        if any(parts) and not all(parts):
            self.add_error(
                "new_action_description", _("Nowe działanie wymaga opisu, wykonawcy i terminu – albo zostaw puste.")
            )
        return data

    def new_action(self):
        data = self.cleaned_data
        if not data.get("new_action_description"):
            return None
        return {
            "description": data["new_action_description"],
            "owner": data["new_action_owner"],
            "deadline": data["new_action_deadline"],
        }


class CloseForm(forms.Form):
    """Completion or termination with a goal-by-goal achievement rating."""

    status = forms.ChoiceField(
        label=capfirst(_("sposób zakończenia")),
        choices=[(s.value, s.label) for s in (*COMPLETED_STATUSES, *TERMINATED_STATUSES)],
        widget=forms.RadioSelect,
    )
    closed_on = date_field(_("data zakończenia"))
    reason = text_field(_("uzasadnienie"), help_text=_("Przy rozwiązaniu: konkretne okoliczności."))

    def __init__(self, *args, contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(contract.goals.all())
        for goal in self.goals:
            self.fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=_("Cel: %(text)s") % {"text": goal.text},
                choices=[("", EMPTY_CHOICE), *GoalAchievement.choices],
            )
            self.fields[f"goal_{goal.pk}_note"] = forms.CharField(
                label=capfirst(_("uzasadnienie oceny celu")), required=False, max_length=2000
            )

    def clean(self):
        data = super().clean()
        if data.get("status") == ContractStatus.COMPLETED_ACHIEVED:
            for goal in self.goals:
                value = data.get(f"goal_{goal.pk}")
                if value and value != GoalAchievement.ACHIEVED:
                    self.add_error(
                        f"goal_{goal.pk}",
                        _("Przy „cele osiągnięte” każdy cel musi być osiągnięty – wybierz „osiągnięte częściowo”."),
                    )
        return data

    def ratings(self) -> dict:
        return {
            goal.pk: {
                "achievement": self.cleaned_data[f"goal_{goal.pk}"],
                "note": self.cleaned_data.get(f"goal_{goal.pk}_note", ""),
            }
            for goal in self.goals
        }


class EvaluationRecordForm(forms.Form):
    held_on = date_field(_("data oceny"))
    result = text_field(_("wynik oceny realizacji kontraktu"), rows=4)


class DoneForm(forms.Form):
    done_on = date_field(_("wykonano dnia"))
