"""The competence questionnaires are reference data, edited in the admin; nothing else of this room
is (support_network/admin_site.py)."""

from django.contrib import admin

from families.models import Dimension, Instrument
from support_network.admin_site import ReferenceAdmin


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 0


@admin.register(Instrument)
class InstrumentAdmin(ReferenceAdmin):
    list_display = ["name", "is_active"]
    inlines = [DimensionInline]
