"""`django.contrib.admin` with `support_network.admin_site.StaffAdminSite` as `admin.site`
(INSTALLED_APPS names this class; the site module imports models, so it cannot live here)."""

from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    default_site = "support_network.admin_site.StaffAdminSite"
