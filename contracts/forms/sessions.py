"""Forms of the group-session pages: validation only; the institution and who recorded are set by
the services."""

from collections.abc import Callable
from decimal import Decimal

from django import forms
from django.db.models import QuerySet
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from contracts.forms.common import date_field
from contracts.models import GroupSession, SessionGroup
from support_network.access import membership_of, projects_visible_to
from support_network.forms import validate_scan
from support_network.models import Service, StaffMembership


class TrainerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.user.get_full_name() or obj.user.username
        return f"{name} – {obj.get_specialty_display()}" if obj.specialty else name


class GroupForm(forms.ModelForm):
    class Meta:
        model = SessionGroup
        fields = ("service", "project", "name", "required_attendance")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        membership = membership_of(user)
        institution_id = membership.institution_id if membership else None
        self.fields["service"].queryset = Service.objects.filter(provider_id=institution_id).order_by("name")
        self.fields["project"].queryset = projects_visible_to(user).order_by("title")
        self.fields["required_attendance"].initial = 80


class SessionForm(forms.ModelForm):
    held_on = date_field(_("Data"))
    trainer = TrainerChoiceField(queryset=StaffMembership.objects.none(), required=False, label=_("Prowadzący"))

    class Meta:
        model = GroupSession
        fields = ("held_on", "starts_at", "hours", "place", "topic", "trainer", "trainer_name")
        widgets = {"starts_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = (
            StaffMembership.objects.filter(institution_id=group.institution_id)
            .select_related("user")
            .order_by("user__last_name", "user__first_name")
        )
        self.fields["hours"].initial = Decimal("4")

    def clean(self):
        data = super().clean()
        if not data.get("trainer") and not (data.get("trainer_name") or "").strip():
            self.add_error("trainer", _("Wybierz prowadzącego albo wpisz imię i nazwisko osoby z zewnątrz."))
        return data


class _ListedChoices(ModelChoiceIterator):
    """The choices from one plain query, as the offer is at most 25 rows (+ the ticked ones):
    Django's iterator reads them through a server-side cursor (DECLARE, FETCH, CLOSE)."""

    def __iter__(self):
        for obj in self.queryset:
            yield self.choice(obj)


class _OfferedChoiceField(forms.ModelMultipleChoiceField):
    iterator = _ListedChoices

    def offer(self, build: Callable[[], QuerySet]) -> None:
        """The choices are `build()`, built when first read: the group page as opened shows rows it
        has already read and never reads the queryset (building it was a tenth of the view's CPU)."""
        self._build: Callable[[], QuerySet] | None = build

    def _get_queryset(self):
        build = self.__dict__.pop("_build", None)
        if build is not None:
            self._set_queryset(build())
        return self._queryset

    queryset = property(_get_queryset, forms.ModelMultipleChoiceField._set_queryset)


class EnrolForm(forms.Form):
    referrals = _OfferedChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple, label=_("Ze skierowań na tę usługę")
    )
    persons = _OfferedChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Inne osoby (ze skierowań do mojej instytucji)"),
        help_text=_("Pokazane są osoby znalezione wyszukiwarką powyżej i już zaznaczone."),
    )

    def __init__(self, *args, referrals, persons, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referrals"].queryset = referrals
        self.fields["referrals"].label_from_instance = lambda r: f"{r.person.last_name} {r.person.first_name}"
        self.fields["persons"].queryset = persons
        self.fields["persons"].label_from_instance = lambda p: f"{p.last_name} {p.first_name}"
        self.shown: dict[str, list] = {}  # a field's choices already read (the view's), by field name

    def offered(self):
        """Each field with its choices as (value, label): the page's own partial writes an unbound
        form's checkboxes from these (one read of each queryset, or the rows in `shown`) instead of
        the widget's options."""
        for bound in self:
            field = bound.field
            objects = self.shown.get(bound.name)
            objects = field.queryset if objects is None else objects
            yield bound, [(str(field.prepare_value(obj)), field.label_from_instance(obj)) for obj in objects]

    def clean(self):
        data = super().clean()
        if not data.get("referrals") and not data.get("persons"):
            raise forms.ValidationError(_("Wybierz co najmniej jedną osobę."))
        return data


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Ocena uczestnika"),
        choices=[("", "—"), *((str(n), str(n)) for n in range(1, 6))],
        coerce=int,
        empty_value=None,
        required=False,
    )


class SignedListForm(forms.Form):
    scan = forms.FileField(label=_("Skan podpisanej listy (PDF, JPG lub PNG)"))

    def clean_scan(self):
        scan = self.cleaned_data["scan"]
        validate_scan(scan)
        return scan
