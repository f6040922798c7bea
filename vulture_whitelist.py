"""What Django or a library reaches by dotted path or by string, so vulture cannot see the use.

Read by scripts/deadcode.py (`make lint`). Policy (docs/development.md): one line per name, with
the place that uses it. Framework protocol names (AppConfig, Command, as_sql hooks, signal
arguments...) are in [tool.vulture] ignore_names instead; model and form fields and names used in
templates need no entry. Dead code is deleted, not listed here.
"""

from vulture.whitelist_utils import Whitelist

_ = Whitelist()

# settings.MIDDLEWARE and settings.AUTHENTICATION_BACKENDS (dotted paths)
_.LoginRequiredMiddleware
_.IdleTimeoutMiddleware
_.RealClientAddressMiddleware
_.SecondFactorMiddleware
_.AccessLogMiddleware
_.CachedOTPMiddleware
_._device_from_persistent_id  # django-otp's OTPMiddleware hook, overridden in support_network.middleware
_.StaffBackend

# settings.AUTH_PASSWORD_VALIDATORS (dotted paths; Django calls validate and get_help_text)
_.PersonalDataValidator
_.StrengthValidator
_.get_help_text

# settings.TIMELINE_PROVIDERS (dotted paths, loaded with import_string by families.timeline)
_.casework_entries
_.referral_entries
_.plan_entries

# settings.PAGE_ACTION_PROVIDERS (dotted paths, loaded with import_string by families.actions)
_.document_actions

# django-filter: filters name their method by string (`method="by_status"`)
_.by_status
_.only_overdue
_.only_free

# attributes of library objects, written here and read by the library
_.data_type  # openpyxl WriteOnlyCell: "s" stores a formula-looking value as text
_.is_superuser  # django.contrib.auth User, set by the demo seeder
_.confirmed  # django-otp Device: a confirmed device is one that verifies a login (support_network.mfa)
_._get_page  # core.pagination: Django's Paginator.get_page calls this hook to build its Page
_.child_nodelists  # core.templatetags.kept: Django's Node.get_nodes_by_type reads it ({% extends %})

# settings.MIDDLEWARE (dotted path) and Celery signal receivers (connected by decorator)
_.ResponseHeadersMiddleware
_._start_liveness_beat
_._stop_liveness_beat

# read by the data migration support_network/0004 (migrations are not scanned)
_.DEFAULT_TERC
# core.crypto: Django calls these field hooks; the migrations families/0005 and reporting/0005 call
# encrypt_columns; Celery calls the worker_init receiver (config/celery.py)
_.get_lookup
_.from_db_value
_.get_db_prep_save
_.pre_save
_.encrypt_columns
_._require_keys
# the Django admin (support_network/admin_site.py): hooks and attributes the admin reads by name
_.get_deleted_objects  # ModelAdmin.delete_view calls it
_.has_add_permission  # InlineModelAdmin: the admin asks it before offering "add another"
_.default_site  # AdminConfig: the dotted path of the site class (StaffAdminSite)
_.StaffAdminSite
_.site_header
_.site_title
_.check_admin_scope  # registered with django.core.checks
_.number_format  # openpyxl cell: the import template's date and PESEL cells
_.freeze_panes  # openpyxl worksheet: the import template's header row stays visible
_.ref  # openpyxl auto_filter: the import template's header filter
_.labels_to_values  # reporting.importing.layout: superseded by importing.values.lookup (layout.py not mine)

# settings.AUDITLOG_MASK_CALLABLE (a dotted path django-auditlog imports)
_.mask_fully

# support_network/notification_models.py: a model field (stamped by support_network.services.notification_email)
_.emailed_at

# settings.TEMPLATES context_processors (a dotted path)
_.session_timing

# support_network.backends.StaffBackend (AUTHENTICATION_BACKENDS): Django calls get_user per request
_.get_user
