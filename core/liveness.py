"""Is a Celery worker alive? The worker proves it: while it runs, a thread of its main process
writes a key with a short expiry into the broker's Redis (`WorkerBeat`, started by the
`worker_ready` signal in config/celery.py); a worker that stopped, crashed or was never started
leaves no key. Pages and /healthz read the key (`worker_state`). With tasks in-process (eager, the
embedded default) no worker is needed and the state is "eager".
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time

import redis
from celery import current_app

logger = logging.getLogger(__name__)

KEY = "efs:worker-alive"
EAGER, ALIVE, MISSING, UNKNOWN = "eager", "ok", "missing", "error"


def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)


def beat(url: str, *, ttl: float) -> None:
    """One proof of life: the key (the time of the beat) expires `ttl` seconds from now."""
    _client(url).set(KEY, str(time.time()), px=int(ttl * 1000))


def forget(url: str) -> None:
    """A worker shutting down cleanly removes its proof at once (another live worker writes it again)."""
    _client(url).delete(KEY)


def worker_state() -> str:
    """ "eager" (tasks run in-process, no worker needed), "ok" (a worker beat recently),
    "missing" (no worker is running) or "error" (the broker cannot be asked)."""
    conf = current_app.conf
    if conf.task_always_eager:
        return EAGER
    try:
        return ALIVE if _client(conf.broker_url).exists(KEY) else MISSING
    except (redis.RedisError, ValueError):  # ValueError: a broker URL that is not Redis
        return UNKNOWN


class WorkerBeat(threading.Thread):
    """Beats every `interval` seconds (the key lives 3 intervals) until stopped; a failed beat is
    logged and the next one tried."""

    def __init__(self, url: str, *, interval: float):
        super().__init__(name="worker-liveness", daemon=True)
        self.url, self.interval = url, interval
        self.finished = threading.Event()

    def run(self) -> None:
        while True:
            try:
                beat(self.url, ttl=3 * self.interval)
            except redis.RedisError as exc:
                logger.warning("worker liveness beat failed (%s)", type(exc).__name__)
            if self.finished.wait(self.interval):
                return

    def stop(self) -> None:
        self.finished.set()
        self.join(timeout=5)
        with contextlib.suppress(redis.RedisError):
            forget(self.url)
