from django.contrib import admin

from families.models import Family, FamilyReason, Person


class FamilyReasonInline(admin.TabularInline):
    model = FamilyReason
    extra = 0


@admin.register(Family)
class FamilyAdmin(admin.ModelAdmin):
    list_display = ["case_number", "institution", "project", "status"]
    list_filter = ["status", "institution"]
    search_fields = ["case_number"]
    inlines = [FamilyReasonInline]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "family", "generation"]
    search_fields = ["last_name"]  # PESELs are encrypted (and would land in the URL): never searched here
    exclude = Person.SENSITIVE_FIELDS
