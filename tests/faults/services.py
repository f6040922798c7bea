"""Throw-away services for the fault tests: a Redis, a PostgreSQL cluster, Celery workers and
gunicorn as real processes on free ports, each stopped and started by the test itself.

The machine's own PostgreSQL (5432) and Redis (6379) are shared with other people's tests and
are never stopped, restarted or flushed here."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import closing
from pathlib import Path

import redis

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
PYTHON_BIN = Path(sys.executable).parent


def switch_broker(url: str) -> None:
    """Send this process's tasks to `url`. Celery keeps the pool of its first send, so changing
    broker_url alone would still send to the old broker: drop its references. (Not closed: kombu
    keeps one pool per URL process-wide and would hand the closed one back for that URL.)"""
    celery_app.conf.broker_url = url
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, *, timeout: float, what: str, interval: float = 0.2):
    """Poll until predicate() is truthy; its value is returned. Fails loudly with `what`."""
    deadline = time.monotonic() + timeout
    last_error = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
        except Exception as exc:  # noqa: BLE001 - the service may not answer yet
            last_error, value = exc, None
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what} (last error: {last_error!r})")


def stop_process(process: subprocess.Popen | None, *, timeout: float = 20) -> None:
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)


class ThrowawayRedis:
    """redis-server on a free port, no persistence: stopping it loses its queue, as a crash would."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> ThrowawayRedis:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--daemonize", "no", "--loglevel", "warning"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        wait_for(self.ping, timeout=20, what=f"redis on port {self.port}")
        return self

    def ping(self) -> bool:
        return redis.Redis.from_url(self.url, socket_connect_timeout=1).ping()

    def stop(self) -> None:
        stop_process(self.process)
        self.process = None


def _postgres_bin(name: str) -> str:
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if candidates:
        return candidates[-1]
    found = shutil.which(name)
    if not found:
        raise AssertionError(f"PostgreSQL's {name} not found (apt-get install postgresql)")
    return found


class ThrowawayPostgres:
    """A PostgreSQL cluster of its own in a temporary directory, on a free port, trust auth on
    127.0.0.1 only. As root (CI, these machines) it runs as the `postgres` OS user."""

    def __init__(self):
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="faults-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "postgres.log"
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        return subprocess.run([*prefix, *args], check=check, capture_output=True, text=True, timeout=120)

    def init(self) -> ThrowawayPostgres:
        if self.as_root:
            shutil.chown(self.dir, "postgres", "postgres")
        self._run(_postgres_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
                  "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.dir}'\n"
                       "fsync = off\nfull_page_writes = off\nsynchronous_commit = off\n")  # fmt: skip
        return self

    def start(self) -> None:
        result = self._run(_postgres_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                           "start", check=False)  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr + self.log.read_text(errors="replace")

    def stop(self) -> None:
        self._run(_postgres_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop", check=False)

    def psql(self, sql: str) -> None:
        self._run(_postgres_bin("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                  "-v", "ON_ERROR_STOP=1", "-qc", sql)  # fmt: skip

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def destroy(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def app_env(**values) -> dict:
    """The environment of an app process (worker, gunicorn, manage.py) started by a fault test."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DEBUG": "false", "HTTPS": "false",
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "PYTHONUNBUFFERED": "1"}  # fmt: skip
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    env.update({key: str(value) for key, value in values.items()})
    return env


def manage(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=600)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


class CeleryWorker:
    """`celery worker` (prefork, concurrency 1) in its own process group; its log goes to a file.
    `app` is the Celery app module (tests.faults.slow_worker for a worker that renders slowly)."""

    def __init__(self, env: dict, log: Path, *, name: str, app: str = "config"):
        self.env, self.log, self.name, self.app = env, log, name, app
        self.process: subprocess.Popen | None = None

    def start(self) -> CeleryWorker:
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(PYTHON_BIN / "celery"), "-A", self.app, "worker", "--pool", "prefork", "--concurrency", "1",
                 "--loglevel", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
                 "-n", f"{self.name}@%h"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        wait_for(lambda: "ready." in self.log.read_text(errors="replace"), timeout=60, what=f"worker {self.name}")
        return self

    def pool_children(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def kill(self) -> None:
        """SIGKILL to the whole worker (main process and its pool child): nothing is acknowledged,
        nothing is cleaned up, as when the machine's OOM killer or a lost host takes it."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=20)

    def stop(self) -> None:
        stop_process(self.process)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")
