from unittest import mock

import pytest
from django.db import OperationalError

from config.celery import app as celery_app
from core import liveness


@pytest.mark.django_db
def test_healthz_is_open_and_reports_eager_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "queue": "eager", "worker": "eager"}


@pytest.fixture
def broker():
    """Switch tasks to go through the broker at `url` for one test."""
    previous = celery_app.conf.broker_url

    def _use(url):
        celery_app.conf.task_always_eager = False
        celery_app.conf.broker_url = url

    yield _use
    celery_app.conf.broker_url = previous


@pytest.mark.django_db
def test_healthz_reports_the_broker_when_tasks_go_through_redis(client, redis_url, broker):
    broker(redis_url)
    liveness.forget(redis_url)
    response = client.get("/healthz")
    assert response.json() == {"database": "ok", "queue": "ok", "worker": "missing"}


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_broker(client, broker):
    broker("redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["queue"] == "error"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_unreachable(client):
    with mock.patch("config.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error"


@pytest.mark.django_db
def test_healthz_says_a_worker_is_alive_while_one_beats(client, redis_url, broker):
    broker(redis_url)
    liveness.beat(redis_url, ttl=30)
    try:
        assert client.get("/healthz").json()["worker"] == "ok"
    finally:
        liveness.forget(redis_url)
    assert client.get("/healthz").json()["worker"] == "missing"


@pytest.mark.django_db
def test_healthz_cannot_ask_an_unreachable_broker_about_workers(client, broker):
    broker("redis://127.0.0.1:1/0")
    assert client.get("/healthz").json()["worker"] == "error"
