"""Validation of what people type. Status, owner and institution are set by services."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.forms import EARLIEST_DATE, EMPTY_CHOICE, DateInput, not_before, not_future
from core.locking import VersionedForm
from families.codes import INACTIVE_REASONS, AssistanceReason, Generation, generation_for
from families.models import (
    SCORE_MAX,
    SCORE_MIN,
    Assessment,
    AssessmentKind,
    Family,
    FamilyStatus,
    NeedsDiagnosis,
    Person,
    Visit,
)
from families.pesel import birth_date_from_pesel, sex_from_pesel, validate_pesel
from families.selectors import possible_duplicates
from families.services import active_family_conflict
from support_network.access import CASEWORK_ROLES, institution_of, projects_visible_to, teams_of
from support_network.territory import gmina_address
from support_network.widgets import GminaCodeField

EARLIEST_BIRTH = dt.date(1900, 1, 1)
EARLIEST_CASEWORK = EARLIEST_DATE


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


def _casework_date(value, future_message=None):
    not_before(value, EARLIEST_CASEWORK, _("Podaj datę nie wcześniejszą niż 01.01.2000."))
    not_future(value, future_message or _("Data nie może być w przyszłości."))


class FamilyForm(VersionedForm, forms.ModelForm):
    reasons = forms.MultipleChoiceField(
        label=_("Powody przyznania pomocy (art. 7 u.p.s.)"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Zaznacz wszystkie, które dotyczą rodziny."),
    )
    primary_reason = forms.ChoiceField(label=_("Powód główny"))
    gmina_teryt = GminaCodeField(required=False)

    class Meta:
        model = Family
        fields = [
            "status", "project", "social_worker", "team", "intergenerational_poverty",
            "gmina_teryt", "gmina", "street", "building", "flat", "postal_code", "locality", "area",
            "closed_on", "closed_reason",
        ]  # fmt: skip
        widgets = {"closed_on": DateInput()}
        help_texts = {
            "postal_code": _("Format NN-NNN, np. 44-300."),
            "gmina": _("Wypełnia się z rejestru po wyborze gminy powyżej; wpisz ręcznie tylko, gdy jej tam nie ma."),
            "closed_on": _("Wypełnij przy zamykaniu sprawy."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.institution = institution_of(user) if self.instance.pk is None else self.instance.institution
        active = [(c, label) for c, label in AssistanceReason.choices if c not in INACTIVE_REASONS]
        if self.instance.pk:
            current = [r.code for r in self.instance.reasons.all()]
            self.initial.setdefault("reasons", current)
            primary = next((r.code for r in self.instance.reasons.all() if r.is_primary), "")
            self.initial.setdefault("primary_reason", primary)
            active += [(c, label) for c, label in AssistanceReason.choices if c in INACTIVE_REASONS and c in current]
        self.fields["gmina"].required = False  # filled from the register when a gmina is chosen
        self.fields["reasons"].choices = active
        self.fields["primary_reason"].choices = [("", EMPTY_CHOICE), *active]
        self.fields["project"].queryset = projects_visible_to(user).order_by("title")
        workers = get_user_model().objects.filter(
            membership__institution=self.institution, membership__role__in=CASEWORK_ROLES, is_active=True
        )
        self.fields["social_worker"].queryset = workers.order_by("last_name", "first_name")
        self.fields["social_worker"].label_from_instance = lambda u: u.get_full_name() or u.username
        teams = teams_of(user)
        if self.instance.team_id:
            teams = teams | type(self.instance.team).objects.filter(pk=self.instance.team_id)
        self.fields["team"].queryset = teams.distinct().order_by("name")
        if self.instance.pk is None:
            self.initial.setdefault("social_worker", user.pk)
            self.initial.setdefault("status", FamilyStatus.ACTIVE)

    def clean_closed_on(self):
        value = self.cleaned_data.get("closed_on")
        _casework_date(value, _("Data zamknięcia nie może być w przyszłości."))
        return value

    def clean_gmina(self):
        """The register's name of the chosen gmina (the code is cleaned first: it comes first)."""
        code = self.cleaned_data.get("gmina_teryt")
        if code and (address := gmina_address(code)):
            return address.gmina
        gmina = (self.cleaned_data.get("gmina") or "").strip()
        if not gmina and "gmina_teryt" not in self.errors:
            raise ValidationError(_("Wybierz gminę z rejestru TERYT albo wpisz jej nazwę."))
        return gmina

    def clean(self):
        data = super().clean()
        reasons, primary = data.get("reasons") or [], data.get("primary_reason")
        if primary and primary not in reasons:
            data["reasons"] = [primary, *reasons]
        if data.get("status") == FamilyStatus.CLOSED:
            if not data.get("closed_on") and "closed_on" not in self.errors:
                self.add_error("closed_on", _("Podaj datę zamknięcia sprawy."))
            if not (data.get("closed_reason") or "").strip():
                self.add_error("closed_reason", _("Podaj powód zamknięcia sprawy."))
        worker, team = data.get("social_worker"), data.get("team")
        if (
            "social_worker" not in self.errors
            and "team" not in self.errors
            and worker != self.user
            and not (team and teams_of(self.user).filter(pk=team.pk).exists())
        ):
            self.add_error(
                "team", _("Rodzina przypisana innemu pracownikowi musi należeć do jednego z Twoich zespołów.")
            )
        return data


ACTIVE_FAMILY_CONFLICT = _(
    "Osoba o tym numerze PESEL jest już członkiem aktywnej rodziny w tej instytucji; jedna osoba może "
    "należeć tylko do jednej aktywnej rodziny. Jeśli nie masz dostępu do tej rodziny, zapytaj koordynatora "
    "projektu."
)


class PersonForm(VersionedForm, forms.ModelForm):
    version_ignored = ("confirm_not_duplicate",)

    confirm_not_duplicate = forms.BooleanField(
        label=_("Sprawdziłem/am – to nie ta sama osoba, zapisz nowy rekord"), required=False
    )

    class Meta:
        model = Person
        fields = [
            "first_name", "last_name", "pesel", "no_pesel", "foreign_document_type", "foreign_document_number",
            "birth_date", "sex", "relation", "generation", "education", "labour_status", "labour_status_detail",
            "pup_registered_on", "benefits", "phone", "email",
            "disability", "health_problem", "addiction", "domestic_violence", "minority", "homeless",
            "other_disadvantage",
        ]  # fmt: skip
        widgets = {"birth_date": DateInput(), "pup_registered_on": DateInput()}
        help_texts = {
            "pesel": _("Data urodzenia i płeć zostaną odczytane z numeru PESEL."),
            "birth_date": _("Tylko przy braku numeru PESEL."),
            "sex": _("Tylko przy braku numeru PESEL."),
            "generation": _("Puste = ustalane ze stopnia pokrewieństwa; można zmienić."),
        }

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.family = family
        self.duplicates = []
        self.blocking_duplicate = None
        self.fields["birth_date"].required = False
        self.fields["sex"].required = False
        self.fields["generation"].required = False
        self.fields["generation"].choices = [("", _("automatycznie (wg pokrewieństwa)")), *Generation.choices]
        if self.instance.pk is None:
            self.initial.setdefault("generation", "")
        self.fields["pesel"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["generation"].widget.attrs["class"] = "form-select"
        if family.pk:
            # htmx: choosing the relation pre-fills the generation (still editable)
            self.fields["relation"].widget.attrs.update(
                {
                    "hx-get": f"{reverse('families:generation_hint')}?family={family.pk}",
                    "hx-target": "#id_generation",
                    "hx-swap": "outerHTML",
                    "hx-trigger": "change",
                }
            )

    def head_generation(self) -> int:
        head = next((m for m in self.family.members.all() if m.relation == "head" and m.pk != self.instance.pk), None)
        return head.generation if head else Generation.PARENTS

    def clean_pesel(self):
        value = "".join((self.cleaned_data.get("pesel") or "").split())
        if value:
            validate_pesel(value)
        return value

    def clean_birth_date(self):
        value = self.cleaned_data.get("birth_date")
        not_before(value, EARLIEST_BIRTH, _("Podaj datę urodzenia nie wcześniejszą niż 01.01.1900."))
        not_future(value, _("Data urodzenia nie może być w przyszłości."))
        return value

    def clean_pup_registered_on(self):
        value = self.cleaned_data.get("pup_registered_on")
        not_before(value, EARLIEST_BIRTH, _("Podaj poprawną datę rejestracji."))
        not_future(value, _("Data rejestracji w PUP nie może być w przyszłości."))
        return value

    def clean(self):
        data = super().clean()
        pesel = data.get("pesel", "")
        if "pesel" in self.errors:
            return data
        if data.get("no_pesel"):
            if pesel:
                self.add_error("pesel", _("Zaznaczono „Brak PESEL” – usuń numer PESEL albo odznacz to pole."))
            for name, message in (
                ("birth_date", _("Bez numeru PESEL podaj datę urodzenia.")),
                ("sex", _("Bez numeru PESEL wskaż płeć.")),
                ("foreign_document_type", _("Bez numeru PESEL podaj rodzaj dokumentu tożsamości.")),
                ("foreign_document_number", _("Bez numeru PESEL podaj numer dokumentu tożsamości.")),
            ):
                if not data.get(name) and name not in self.errors:
                    self.add_error(name, message)
        elif not pesel:
            self.add_error("pesel", _("Podaj PESEL albo zaznacz „Brak PESEL”."))
        else:
            data["birth_date"] = birth_date_from_pesel(pesel)
            data["sex"] = sex_from_pesel(pesel)
            data["foreign_document_type"] = data["foreign_document_number"] = ""
            self.errors.pop("birth_date", None)
            self.errors.pop("sex", None)
        if data.get("generation") in (None, "") and data.get("relation"):
            data["generation"] = generation_for(data["relation"], self.head_generation())
        if not self.errors:
            self._check_duplicates(data)
        return data

    def _check_duplicates(self, data):
        institution = self.family.institution
        identity = ("pesel", "first_name", "last_name", "birth_date")
        if self.instance.pk and all(data.get(k) == getattr(self.instance, k) for k in identity):
            return
        self.blocking_duplicate = active_family_conflict(
            institution=institution, pesel=data.get("pesel", ""), exclude_pk=self.instance.pk
        )
        if self.blocking_duplicate is not None:
            self.duplicates = [self.blocking_duplicate]
            # No case number, name or status here: the person may be in a family the user has no
            # access to (the page links the record only for those who see it).
            self.add_error("pesel", ACTIVE_FAMILY_CONFLICT)
            return
        self.duplicates = list(
            possible_duplicates(
                institution=institution,
                pesel=data.get("pesel", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
                birth_date=data.get("birth_date"),
                exclude_pk=self.instance.pk,
            )[:10]
        )
        if self.duplicates and not data.get("confirm_not_duplicate"):
            self.add_error(
                "confirm_not_duplicate",
                _(
                    "Taka osoba jest już w kartotece (ten sam PESEL albo imię, nazwisko i data urodzenia). "
                    "Otwórz istniejący rekord albo potwierdź, że to nie ta sama osoba."
                ),
            )

    def _post_clean(self):
        # the birth date and sex derived from PESEL go to the instance even if the field was left empty
        super()._post_clean()
        for name in ("birth_date", "sex", "generation", "foreign_document_type", "foreign_document_number"):
            if name in self.cleaned_data and name not in self.errors:
                setattr(self.instance, name, self.cleaned_data[name])

    def person_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


class VisitForm(forms.ModelForm):
    class Meta:
        model = Visit
        fields = [
            "visit_date", "visit_time", "kind", "duration_minutes", "persons_present", "notes", "next_steps",
            "next_visit_on",
        ]  # fmt: skip
        widgets = {
            "visit_date": DateInput(),
            "visit_time": TimeInput(),
            "next_visit_on": DateInput(),
            "persons_present": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["persons_present"].queryset = family.members.all()
        self.fields["duration_minutes"].widget.attrs.update({"inputmode": "numeric", "min": 1, "max": 1440})
        self.fields["duration_minutes"].max_value = 24 * 60
        self.initial.setdefault("visit_date", timezone.localdate())

    def clean_visit_date(self):
        value = self.cleaned_data.get("visit_date")
        _casework_date(value)
        return value

    def clean(self):
        data = super().clean()
        visit, following = data.get("visit_date"), data.get("next_visit_on")
        if following and following < EARLIEST_CASEWORK:
            self.add_error("next_visit_on", _("Podaj datę nie wcześniejszą niż 01.01.2000."))
        elif visit and following and following < visit:
            self.add_error("next_visit_on", _("Termin kolejnej wizyty nie może być wcześniejszy niż data wizyty."))
        elif visit and following and (following - visit).days > 366:
            self.add_error("next_visit_on", _("Kolejna wizyta powinna być zaplanowana w ciągu roku od wizyty."))
        return data

    def visit_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "persons_present"}


class DiagnosisForm(forms.ModelForm):
    class Meta:
        model = NeedsDiagnosis
        fields = ["person", "diagnosed_on", "problems", "resources", "barriers", "needs", "expectations"]
        widgets = {
            "diagnosed_on": DateInput(),
            **{name: forms.Textarea(attrs={"rows": 3}) for name in ("problems", "resources", "barriers", "needs")},
            "expectations": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "person": _("Puste = diagnoza całej rodziny."),
            "expectations": _("Czego chce sama osoba lub rodzina, np. najpierw porada prawna, potem doradca zawodowy."),
        }

    def __init__(self, *args, family, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = family.members.all()
        self.fields["person"].empty_label = _("cała rodzina")
        self.initial.setdefault("diagnosed_on", timezone.localdate())

    def clean_diagnosed_on(self):
        value = self.cleaned_data.get("diagnosed_on")
        _casework_date(value)
        return value


SCORE_CHOICES = [(str(i), str(i)) for i in range(SCORE_MIN, SCORE_MAX + 1)]


class AssessmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rodzaj oceny"), choices=AssessmentKind.choices, widget=forms.RadioSelect)
    assessed_on = forms.DateField(label=_("Data oceny"), widget=DateInput())
    notes = forms.CharField(label=_("Uwagi"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, person, instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.person, self.instrument = person, instrument
        self.dimensions = list(instrument.dimensions.all())
        self.existing = {a.kind: a for a in Assessment.objects.filter(person=person, instrument=instrument)}
        self.initial.setdefault("assessed_on", timezone.localdate())
        self.initial.setdefault("kind", AssessmentKind.EXIT if AssessmentKind.ENTRY in self.existing else "entry")
        for dimension in self.dimensions:
            self.fields[f"dim_{dimension.pk}"] = forms.TypedChoiceField(
                label=capfirst(dimension.name),
                help_text=dimension.description,
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
            )

    def clean_assessed_on(self):
        value = self.cleaned_data.get("assessed_on")
        _casework_date(value)
        return value

    def clean(self):
        data = super().clean()
        kind, day = data.get("kind"), data.get("assessed_on")
        if kind in self.existing:
            self.add_error("kind", _("Ta osoba ma już ocenę tego rodzaju tym narzędziem."))
            return data
        if kind == AssessmentKind.EXIT and day:
            entry = self.existing.get(AssessmentKind.ENTRY)
            if entry is None:
                self.add_error("kind", _("Najpierw wprowadź ocenę wejściową."))
            elif day < entry.assessed_on:
                self.add_error("assessed_on", _("Ocena końcowa nie może być wcześniejsza niż wejściowa."))
        if kind == AssessmentKind.ENTRY and day:
            exit_ = self.existing.get(AssessmentKind.EXIT)
            if exit_ is not None and day > exit_.assessed_on:
                self.add_error("assessed_on", _("Ocena wejściowa nie może być późniejsza niż końcowa."))
        return data

    def scores(self) -> dict[int, int]:
        return {d.pk: self.cleaned_data[f"dim_{d.pk}"] for d in self.dimensions}


class PersonMergeForm(forms.Form):
    remove = forms.ModelChoiceField(
        label=_("Rekord do scalenia (zostanie usunięty po przeniesieniu danych)"),
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(label=_("Potwierdzam, że oba rekordy opisują tę samą osobę"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"].queryset = candidates
        self.fields["remove"].label_from_instance = lambda p: (
            f"{p.full_name}, ur. {p.birth_date:%d.%m.%Y}, {_('sprawa')} {p.family.case_number} (#{p.pk})"
        )
