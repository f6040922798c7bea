from django.contrib import admin

from support_network.forms import AdminLoginForm
from support_network.models import Agreement, Institution, Meeting, Project, Service, StaffMembership, Team

admin.site.login_form = AdminLoginForm  # a username of any length is a form error, never a 500


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "locality"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "institution", "role", "valid_until"]
    list_filter = ["role", "institution"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["institution"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "agreement_number", "leader", "start_date", "end_date", "rule_set"]
    list_filter = ["rule_set"]
    search_fields = ["title", "agreement_number"]
    filter_horizontal = ["partners", "staff"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "project", "institution"]
    list_filter = ["kind"]
    filter_horizontal = ["members"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "provider", "module", "form", "capacity", "is_active", "valid_to"]
    list_filter = ["module", "form", "is_active", "provider"]
    search_fields = ["name"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "deadline", "signed_on", "valid_until"]
    list_filter = ["status"]
    search_fields = ["title", "number"]
    filter_horizontal = ["parties"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["team", "starts_at", "place"]
    list_filter = ["team"]
    filter_horizontal = ["attendees"]
