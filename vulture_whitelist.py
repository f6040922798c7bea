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
_.StaffBackend

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
_._get_page  # core.pagination: Django's Paginator.get_page calls this hook to build its Page
_.number_format  # openpyxl cell: the import template's date and PESEL cells
_.freeze_panes  # openpyxl worksheet: the import template's header row stays visible
_.ref  # openpyxl auto_filter: the import template's header filter
_.labels_to_values  # reporting.importing.layout: superseded by importing.values.lookup (layout.py not mine)
