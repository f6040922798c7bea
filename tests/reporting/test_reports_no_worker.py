"""Issue 11, finding 14: with no Celery worker running, a requested report would wait for ever;
the run page says so in Polish instead of spinning. Tasks in-process (the embedded default) need
no worker and show no such warning."""

import datetime as dt

import pytest
from django.urls import reverse

from config.celery import app as celery_app
from core import liveness
from reporting.services.reports import report_request

pytestmark = pytest.mark.django_db
NO_WORKER = "Nie działa żaden proces roboczy"


@pytest.fixture
def queued_run(project, manager):
    run, _created = report_request(project=project, date_from=dt.date(2018, 1, 1), date_to=dt.date(2018, 12, 31),
                                   by=manager)  # fmt: skip
    return run


@pytest.fixture
def through_redis(redis_url):
    previous = celery_app.conf.broker_url
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = redis_url
    liveness.forget(redis_url)
    yield redis_url
    liveness.forget(redis_url)
    celery_app.conf.broker_url = previous


@pytest.mark.parametrize("url_name", ["reporting:report_detail", "reporting:report_status"])
def test_queued_report_says_no_worker_is_running(login, manager, queued_run, through_redis, url_name):
    response = login(manager).get(reverse(url_name, args=[queued_run.pk]))
    html = response.content.decode()
    assert NO_WORKER in html
    assert "spinner-border" not in html
    assert "hx-trigger" in html  # keeps asking: the page changes by itself once a worker starts


def test_queued_report_waits_quietly_while_a_worker_beats(login, manager, queued_run, through_redis):
    liveness.beat(through_redis, ttl=30)
    html = login(manager).get(reverse("reporting:report_detail", args=[queued_run.pk])).content.decode()
    assert NO_WORKER not in html
    assert "Raport czeka w kolejce" in html


def test_embedded_mode_needs_no_worker(login, manager, queued_run):
    assert celery_app.conf.task_always_eager
    html = login(manager).get(reverse("reporting:report_detail", args=[queued_run.pk])).content.decode()
    assert NO_WORKER not in html
