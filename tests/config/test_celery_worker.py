"""The worker path for real: a task goes through the Redis broker to a separate Celery worker
process and its result comes back."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from celery.backends.redis import RedisBackend

from config.celery import app as celery_app
from support_network.tasks import smoke

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(redis_url):
    queue = f"smoke-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "solo",
            "-Q",
            queue,
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    yield queue
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.services
def test_smoke_task_runs_in_a_real_worker_through_redis(worker, redis_url):
    celery_app.conf.task_always_eager = False
    backend = RedisBackend(app=celery_app, url=redis_url)
    with celery_app.connection_for_write(redis_url) as connection:
        sent = smoke.apply_async(args=[21], queue=worker, connection=connection)
    result = celery_app.AsyncResult(sent.id, backend=backend)
    assert result.get(timeout=60)["value"] == 42
    assert result.status == "SUCCESS"


@pytest.mark.services
def test_a_running_worker_is_seen_by_healthz_and_its_stop_too(redis_url, client, db, settings):
    """The worker's own beat (worker_ready signal -> core/liveness.py) makes /healthz say "ok";
    a cleanly stopped worker removes it at once."""
    import time

    from core import liveness

    celery_app.conf.task_always_eager = False
    previous = celery_app.conf.broker_url
    celery_app.conf.broker_url = redis_url
    liveness.forget(redis_url)
    try:
        assert client.get("/healthz").json()["worker"] == "missing"
        env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
        env.pop("CELERY_TASK_ALWAYS_EAGER", None)
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "solo", "-Q",
             f"alive-{uuid.uuid4().hex[:8]}", "--loglevel", "WARNING", "--without-gossip", "--without-mingle"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            state = "missing"
            for _attempt in range(120):  # the worker starts in a few seconds
                state = client.get("/healthz").json()["worker"]
                if state == "ok":
                    break
                time.sleep(0.5)
            assert state == "ok"
        finally:
            process.terminate()
            process.wait(timeout=30)
        assert client.get("/healthz").json()["worker"] == "missing"
    finally:
        celery_app.conf.broker_url = previous
