"""The Django admin serves reference data and user management only (support_network/admin_site.py
lists the models, docs/security.md#the-django-admin-reference-data-and-users-only says why).

No model holding data about families, persons or their casework is registered, and the registrations
third-party apps make on import are undone here: auditlog's `LogEntry` (its diffs and `ACCESS`
entries name persons and carry their answers, for every institution at once) and Django's `Group`
(roles come from `StaffMembership`, groups are read by nothing)."""

from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User

from support_network.admin_mfa import reset_second_factor
from support_network.admin_site import ReferenceAdmin, redacted_deleted_objects
from support_network.forms import AdminLoginForm
from support_network.models import Institution, Project, Service, StaffMembership, Team
from support_network.registers import NumberCounter, NumberRegister

admin.site.login_form = AdminLoginForm  # a username of any length is a form error, never a 500
for model in (LogEntry, Group, User):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    """User accounts: the stock admin, with the delete page of `ReferenceAdmin` (a social worker's
    account would otherwise list their families and visits by name), and the action that resets a
    user's second factor (support_network.admin_mfa)."""

    actions = [reset_second_factor]

    def get_deleted_objects(self, objs, request):
        return redacted_deleted_objects(objs, request, self.admin_site)


@admin.register(Institution)
class InstitutionAdmin(ReferenceAdmin):
    list_display = ["name", "short_name", "kind", "locality"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(ReferenceAdmin):
    list_display = ["user", "institution", "role", "valid_until"]
    list_filter = ["role", "institution"]
    search_fields = ["user__username", "user__last_name"]
    autocomplete_fields = ["institution"]


@admin.register(Project)
class ProjectAdmin(ReferenceAdmin):
    list_display = ["title", "agreement_number", "leader", "start_date", "end_date", "rule_set"]
    list_filter = ["rule_set"]
    search_fields = ["title", "agreement_number"]
    filter_horizontal = ["partners", "staff"]


@admin.register(Team)
class TeamAdmin(ReferenceAdmin):
    list_display = ["name", "kind", "project", "institution"]
    list_filter = ["kind"]
    filter_horizontal = ["members"]


@admin.register(Service)
class ServiceAdmin(ReferenceAdmin):
    list_display = ["name", "provider", "module", "form", "capacity", "is_active", "valid_to"]
    list_filter = ["module", "form", "is_active", "provider"]
    search_fields = ["name"]


class NumberCounterInline(admin.TabularInline):
    """The numbers given so far, per year: read only (a counter moved by hand would give a number twice)."""

    model = NumberCounter
    fields = ["year", "last"]
    readonly_fields = ["year", "last"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(NumberRegister)
class NumberRegisterAdmin(ReferenceAdmin):
    """Registers of case and contract numbers: the administrator sets each institution's pattern
    (validated on save: support_network.registers.validate_pattern)."""

    list_display = ["institution", "kind", "pattern"]
    list_filter = ["kind"]
    search_fields = ["institution__name"]
    autocomplete_fields = ["institution"]
    inlines = [NumberCounterInline]
