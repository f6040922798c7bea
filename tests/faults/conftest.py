"""Fixtures of the fault tests: throw-away Redis, the Celery app of the test process pointed at it."""

import pytest
from django.db import connection

from config.celery import app as celery_app
from tests.faults.services import ThrowawayRedis, switch_broker


@pytest.fixture
def private_redis():
    server = ThrowawayRedis().start()
    previous = celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    switch_broker(server.url)
    yield server
    switch_broker(previous)
    server.stop()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def test_database_url():
    """The pytest test database as a URL for worker processes (tests use transaction=True, so
    what they write is committed and visible to those processes)."""
    if connection.vendor != "postgresql":
        pytest.fail("the fault tests need PostgreSQL (DATABASE_URL)")
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
