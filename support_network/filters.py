"""The catalogue's search and filters (django-filter)."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.text import fold_words
from support_network.models import Institution, Module, Service, ServiceForm


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Szukaj"), method="search", max_length=200)
    module = django_filters.ChoiceFilter(label=_("Moduł"), choices=Module.choices, empty_label=_("wszystkie"))
    provider = django_filters.ModelChoiceFilter(
        label=_("Instytucja"),
        queryset=Institution.objects.filter(services__isnull=False).distinct().order_by("name"),
        empty_label=_("wszystkie"),
    )
    form = django_filters.ChoiceFilter(label=_("Forma"), choices=ServiceForm.choices, empty_label=_("wszystkie"))
    free = django_filters.BooleanFilter(
        label=_("Tylko z wolnymi miejscami"), method="only_free", widget=forms.CheckboxInput
    )

    class Meta:
        model = Service
        fields = ["q", "module", "provider", "form"]

    def search(self, queryset, name, value):
        """Every word must appear in the name, description, eligibility, legal basis or provider,
        without case and diacritics ("SZKOLENIE", "wodzislaw"; core.text.fold)."""
        for word in fold_words(value.replace("\x00", ""), limit=10):
            queryset = queryset.filter(Q(search_text__contains=word) | Q(provider__search_name__contains=word))
        return queryset

    def only_free(self, queryset, name, value):
        if value:
            return queryset.filter(Q(capacity__isnull=True) | Q(free_places__gt=0))
        return queryset
