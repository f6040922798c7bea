"""The environment of the test process, set before Django reads its settings: pytest loads this
module as a plugin (pyproject: addopts "-p tests.environment") ahead of pytest-django, which
imports config.settings before any conftest.py. The test client speaks plain HTTP and static
files come from the finders (no collectstatic manifest); a value the caller exported wins."""

import os

os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")
