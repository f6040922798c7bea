"""Filters of the caseload page (django-filter)."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from families.caseload_sql import Where, areas_in, compiled_where, options_in
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

    def __init__(self, data=None, queryset=None, *, projects: list[Project], areas: list[str], **kwargs):
        """`projects` and `areas`: the options, read by the page from the user's families
        (`options_of`); the projects validate the choice and are the kept field's options."""
        super().__init__(data, queryset, **kwargs)
        self.filters["project"].queryset = Project.objects.filter(pk__in=[p.pk for p in projects]).order_by("title")
        self.filters["area"].extra["choices"] = [(a, a) for a in areas]
        self.listed_projects = projects

    @property
    def form(self):
        form = super().form
        form.fields["project"].listed = self.listed_projects  # core/templatetags/kept_fields.py: no query
        return form

    def conditions(self, families):
        """`families` filtered as the form asks (after validating it, as `qs` does)."""
        self.errors  # noqa: B018 -- validates the form, which gives `cleaned_data`
        return self.filter_queryset(families)

    def search(self, queryset, name, value):
        return search_families(queryset, value)

    def by_status(self, queryset, name, value):
        return queryset.filter(status=value)

    def only_overdue(self, queryset, name, value):
        """`is_overdue` of `families.selectors.caseload`, without its annotation."""
        if not value:
            return queryset
        return queryset.filter(next_visit_due__lt=timezone.localdate()).exclude(status=FamilyStatus.CLOSED)

    def filter_queryset(self, queryset):
        if not self.form.cleaned_data.get("status"):
            queryset = queryset.exclude(status=FamilyStatus.CLOSED)
        return super().filter_queryset(queryset)


def options_of(families, where: Where | None, *, few: bool) -> tuple[list[Project], list[str]]:
    """The filter's options for `families` (the user's scope; `where`: its `compiled_where`; `few`:
    a caseworker's scope): the projects of those families by title, and their distinct non-empty
    areas in order."""
    if where is not None:
        return options_in(where, few=few, using=families.db)
    projects = list(Project.objects.filter(pk__in=families.values("project")).order_by("title"))
    return projects, areas_of(families)


def areas_of(families) -> list[str]:
    """The distinct non-empty areas of `families` (a filtered `Family` queryset), in order: one probe
    of the index `family_area` per area on PostgreSQL (`families.caseload_sql.areas_in`)."""
    where = compiled_where(families)
    if where is None:
        return list(families.exclude(area="").order_by("area").values_list("area", flat=True).distinct())
    return areas_in(where, using=families.db)
