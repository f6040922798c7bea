"""The environment of the test process, set before Django reads its settings: pytest loads this
module as a plugin (pyproject: addopts "-p tests.environment") ahead of pytest-django, which
imports config.settings before any conftest.py. The test client speaks plain HTTP and static
files come from the finders (no collectstatic manifest); a value the caller exported wins."""

import os

os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")
# Fixed test keys (DEBUG is off in tests, so the settings require them); never used outside tests.
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "_6KIsYO8m116YenUHT2t4VvpB8vpntmEw3FMNPqaET4=")
os.environ.setdefault("PESEL_HASH_KEYS", "test-only-pesel-hash-key-0123456789abcdef")
