"""The Django admin of this project: reference data and user management only.

The models the admin may serve are listed in `ADMIN_MODELS` (support_network/admin.py and
families/admin.py register them); `manage.py check` and a test fail for any other registered model,
third-party apps included. Two doors the stock
admin leaves open to personal data are closed here:

- the delete confirmation page lists every related object by its name ("Osoba: Maria
  Kanarkowska", "Rodzina: KANAR/2018/777"); objects of models the admin does not serve are shown
  only as their kind and a count (`redacted_deleted_objects`);
- `/admin/r/<content type>/<id>/` ("view on site") redirects to any object's page, which confirms
  that a family or a person exists; it answers 404 for models the admin does not serve.
"""

from django.contrib import admin
from django.contrib.admin import AdminSite, ModelAdmin
from django.contrib.admin.utils import NestedObjects
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core import checks
from django.db import router
from django.http import Http404
from django.urls import path
from django.utils.text import capfirst

# app_label.ModelName of every model the admin may serve: reference data of the partnership,
# user accounts and their memberships, login-attempt records (unlocking an account).
ADMIN_MODELS = frozenset({
    "auth.User",
    "support_network.Institution",
    "support_network.StaffMembership",
    "support_network.Project",
    "support_network.Team",
    "support_network.Service",
    "support_network.NumberRegister",
    "families.Instrument",
    "axes.AccessAttempt",
    "axes.AccessLog",
    "axes.AccessFailureLog",
})  # fmt: skip


def redacted_deleted_objects(objs, request, admin_site):
    """`django.contrib.admin.utils.get_deleted_objects` without the names of objects the admin
    does not serve: those appear once per kind, with their number ("Osoby: 3")."""
    if not objs:
        return [], {}, set(), []
    collector = NestedObjects(using=router.db_for_write(objs[0]._meta.model), origin=objs)
    collector.collect(objs)
    perms_needed = set()

    def served(model) -> bool:
        return admin_site.is_registered(model)

    def format_callback(obj):
        opts = obj._meta
        if not served(obj.__class__):
            return None
        if not admin_site.get_model_admin(obj.__class__).has_delete_permission(request, obj):
            perms_needed.add(opts.verbose_name)
        return f"{capfirst(opts.verbose_name)}: {obj}"

    def prune(items):
        return [prune(item) if isinstance(item, list) else item for item in items if item is not None]

    hidden = {
        model._meta.verbose_name_plural: len(found)
        for model, found in collector.model_objs.items()
        if not served(model)
    }
    to_delete = prune(collector.nested(format_callback))
    to_delete += [f"{capfirst(name)}: {count}" for name, count in hidden.items()]
    protected = [text for text in (format_callback(obj) for obj in collector.protected) if text]
    protected_hidden: dict[str, int] = {}
    for obj in collector.protected:
        if not served(obj.__class__):
            name = str(obj._meta.verbose_name_plural)
            protected_hidden[name] = protected_hidden.get(name, 0) + 1
    protected += [f"{capfirst(name)}: {count}" for name, count in protected_hidden.items()]
    model_count = {model._meta.verbose_name_plural: len(found) for model, found in collector.model_objs.items()}
    return to_delete, model_count, perms_needed, protected


class ReferenceAdmin(ModelAdmin):
    """A model admin whose delete page never names an object the admin does not serve."""

    def get_deleted_objects(self, objs, request):
        return redacted_deleted_objects(objs, request, self.admin_site)


@checks.register(checks.Tags.admin)
def check_admin_scope(**kwargs):
    """`manage.py check` (and runserver) fail when any app registers a model outside ADMIN_MODELS:
    classify it here first (reference data or user management), never a model with personal data."""
    return [
        checks.Error(
            f"{model._meta.label} is registered in the admin but is not in ADMIN_MODELS",
            hint="The admin serves reference data and users only (docs/security.md).",
            id="support_network.E001",
        )  # fmt: skip
        for model in admin.site._registry
        if model._meta.label not in ADMIN_MODELS
    ]


class StaffAdminSite(AdminSite):
    site_header = "Sieć wsparcia EFS — administracja"
    site_title = "Administracja"

    def get_urls(self):
        urls = [pattern for pattern in super().get_urls() if getattr(pattern, "name", None) != "view_on_site"]
        view_on_site = path("r/<path:content_type_id>/<path:object_id>/", self.admin_view(self.view_on_site),
                            name="view_on_site")  # fmt: skip
        return [view_on_site, *urls]

    def view_on_site(self, request, content_type_id, object_id):
        """The stock shortcut, for the models this admin serves only (404 for any other)."""
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ContentType.DoesNotExist, ValueError):
            raise Http404 from None
        if model is None or not self.is_registered(model):
            raise Http404
        return shortcut(request, content_type_id, object_id)
