"""Filters of the caseload page (django-filter)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from families.models import FamilyStatus
from families.selectors import search_families
from support_network.models import Project


class CaseloadFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Szukaj"),
        method="search",
        max_length=100,
        widget=forms.TextInput(
            attrs={"placeholder": _("nazwisko, imię, PESEL lub nr sprawy"), "type": "search", "autocomplete": "off"}
        ),
    )
    project = django_filters.ModelChoiceFilter(label=_("Projekt"), queryset=Project.objects.none())
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=FamilyStatus.choices, empty_label=_("aktywne i kandydaci"), method="by_status"
    )
    area = django_filters.ChoiceFilter(label=_("Obszar"), choices=[], empty_label=_("wszystkie"))
    overdue = django_filters.BooleanFilter(
        label=_("Tylko zaległe wizyty"), method="only_overdue", widget=forms.CheckboxInput
    )

    def __init__(self, data=None, queryset=None, *, base, **kwargs):
        super().__init__(data, queryset, **kwargs)
        self.filters["project"].queryset = Project.objects.filter(pk__in=base.values("project")).order_by("title")
        areas = base.exclude(area="").order_by("area").values_list("area", flat=True).distinct()
        self.filters["area"].extra["choices"] = [(a, a) for a in areas]

    def search(self, queryset, name, value):
        return search_families(queryset, value)

    def by_status(self, queryset, name, value):
        return queryset.filter(status=value)

    def only_overdue(self, queryset, name, value):
        return queryset.filter(is_overdue=True) if value else queryset

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=FamilyStatus.CLOSED)
        return super().filter_queryset(queryset)
