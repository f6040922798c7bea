"""The environment of the test process, set before Django reads its settings: pytest loads this
module as a plugin (pyproject: addopts "-p tests.environment") ahead of pytest-django, which
imports config.settings before any conftest.py. The test client speaks plain HTTP and static
files come from the finders (no collectstatic manifest); a value the caller exported wins."""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")
# Fixed test keys (DEBUG is off in tests, so the settings require them); never used outside tests.
os.environ.setdefault("FIELD_ENCRYPTION_KEYS", "_6KIsYO8m116YenUHT2t4VvpB8vpntmEw3FMNPqaET4=")
os.environ.setdefault("PESEL_HASH_KEYS", "test-only-pesel-hash-key-0123456789abcdef")


def _worker_redis_url(url: str, worker: str) -> str:
    """Each pytest-xdist worker (gw0, gw1, …) gets its own Redis database, 10 + its number: the
    autouse fixture that empties the cache before each test would otherwise flush the other
    worker's cache in the middle of its test."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{10 + int(worker.removeprefix('gw'))}"))


if os.environ.get("PYTEST_XDIST_WORKER") and os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = _worker_redis_url(os.environ["REDIS_URL"], os.environ["PYTEST_XDIST_WORKER"])
