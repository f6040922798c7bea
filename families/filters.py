"""Filters of the caseload page (django-filter)."""

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet
from django.db import connections
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
        self.filters["area"].extra["choices"] = [(a, a) for a in areas_of(base)]

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


# One probe of the index `family_area` per distinct area (a "skip scan", which PostgreSQL 15 does not
# do by itself): the next area after the last one found, among the families of the scope. A
# DISTINCT read all 20,000 families of a coordinator's projects on every caseload page.
_AREAS_SQL = """
WITH RECURSIVE caseload_areas(area) AS (
    SELECT (SELECT area FROM families_family WHERE ({where}) AND area > '' ORDER BY area LIMIT 1)
    UNION ALL
    SELECT (SELECT area FROM families_family WHERE ({where}) AND area > caseload_areas.area ORDER BY area LIMIT 1)
    FROM caseload_areas WHERE caseload_areas.area IS NOT NULL
)
SELECT area FROM caseload_areas WHERE area IS NOT NULL
"""


def areas_of(families) -> list[str]:
    """The distinct non-empty areas of `families` (a filtered `Family` queryset), in order."""
    query = families.query
    connection = connections[families.db]
    joined = [alias for alias in query.alias_map if query.alias_refcount[alias]]
    if connection.vendor != "postgresql" or len(joined) > 1 or query.is_sliced:
        return list(families.exclude(area="").order_by("area").values_list("area", flat=True).distinct())
    try:
        where, params = query.get_compiler(connection=connection).compile(query.where)
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(_AREAS_SQL.format(where=where or "TRUE"), [*params, *params])
        return [row[0] for row in cursor.fetchall()]
