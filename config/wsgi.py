import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from core.crypto import require_keys  # noqa: E402 - after the app registry is ready

require_keys()  # with DEBUG off, no web process starts without the encryption keys
