from django.apps import AppConfig
from django.core import checks


class CoreConfig(AppConfig):
    """The ground floor: no models and no domain (PDF, charts, working days, parameters,
    middleware, the one DomainError, form helpers, the pager, the job runner)."""

    name = "core"

    def __init__(self, app_name, app_module):
        super().__init__(app_name, app_module)
        # Before any form class is built: the admin's ready() (first in INSTALLED_APPS) imports
        # the rooms' forms, whose model choice fields take their empty label when the class is made.
        from core.forms import use_dash_for_empty_choices

        use_dash_for_empty_choices()

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from core.labels import pickle_lazy_labels
        from core.middleware import stamp_session_start

        pickle_lazy_labels()

        user_logged_in.connect(stamp_session_start, dispatch_uid="core.stamp_session_start")
        from core.crypto import check_keys

        # `check --deploy` refuses a missing or malformed key; the web process (wsgi), the worker and
        # every encrypt/decrypt stop on it too, while makemigrations and other tooling still run
        checks.register(check_keys, "encryption", deploy=True)
