"""Fault: PostgreSQL restarts under load.

Real processes on a throw-away PostgreSQL cluster of the test's own (never the machine's shared
one): gunicorn with 2 sync workers and persistent connections (CONN_MAX_AGE=60,
CONN_HEALTH_CHECKS), a Celery worker, a private Redis, and a steady load of logged-in requests.
PostgreSQL is stopped and started again; neither gunicorn nor the worker is restarted (same
PIDs). During the outage pages answer 503 (never a broken connection) and /healthz says 503;
every request made after PostgreSQL is back succeeds, and the worker renders a new report."""

import re
import subprocess
import threading
import time

import pytest
import requests
from django_otp.oath import totp

from tests.faults.services import (
    PYTHON_BIN,
    ROOT,
    CeleryWorker,
    ThrowawayPostgres,
    app_env,
    free_port,
    manage,
    stop_process,
    wait_for,
)
from tests.support_network.factories import PASSWORD

pytestmark = [pytest.mark.slow, pytest.mark.services]

TOTP_KEY = "3132333435363738393031323334353637383930"  # the manager's authenticator app (second factor)
SETUP = """
import json
from support_network.models import Role, StaffMembership
from tests.support_network.factories import ProjectFactory, staff_user
user = staff_user(Role.PROJECT_MANAGER, username="kierownik-awaria")
project = ProjectFactory(leader=StaffMembership.objects.get(user=user).institution)
project.staff.add(user)
from django_otp.plugins.otp_totp.models import TOTPDevice
TOTPDevice.objects.create(user=user, name="app", key="TOTP_KEY", confirmed=True)
print(json.dumps({"project": project.pk}))
""".replace("TOTP_KEY", TOTP_KEY)


@pytest.fixture
def postgres():
    cluster = ThrowawayPostgres().init()
    cluster.start()
    cluster.psql("CREATE DATABASE efs")
    yield cluster
    cluster.destroy()


@pytest.fixture
def stack(postgres, private_redis, tmp_path):
    """gunicorn + Celery worker on the throw-away database; yields (base URL, project pk, worker, gunicorn)."""
    env = app_env(DATABASE_URL=postgres.url("efs"), REDIS_URL=private_redis.url, CONN_MAX_AGE=60,
                  DB_CONNECT_TIMEOUT=2, STATIC_MANIFEST="false", MEDIA_ROOT=tmp_path / "media")  # fmt: skip
    manage(env, "migrate", "--noinput", "-v0")
    project = int(re.search(r'"project": (\d+)', manage(env, "shell", "-c", SETUP)).group(1))
    port = free_port()
    with open(tmp_path / "gunicorn.log", "wb") as log:
        gunicorn = subprocess.Popen(
            [str(PYTHON_BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
             "--timeout", "60"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    worker = None
    try:
        wait_for(lambda: requests.get(base + "/healthz", timeout=5).status_code == 200, timeout=60, what="gunicorn")
        worker = CeleryWorker(env, tmp_path / "worker.log", name="pg-restart").start()
        yield base, project, worker, gunicorn
    finally:
        if worker:
            worker.stop()
        stop_process(gunicorn)


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return sorted(int(p) for p in out.split())


def logged_in(base):
    session = requests.Session()
    page = session.get(base + "/konto/logowanie/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(base + "/konto/logowanie/", timeout=10, allow_redirects=False,
                            data={"username": "kierownik-awaria", "password": PASSWORD,
                                  "csrfmiddlewaretoken": token})  # fmt: skip
    assert response.status_code == 302, response.text[:500]
    page = session.get(base + "/konto/weryfikacja/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    code = f"{totp(bytes.fromhex(TOTP_KEY)):06d}"
    response = session.post(base + "/konto/weryfikacja/", timeout=10, allow_redirects=False,
                            data={"code": code, "csrfmiddlewaretoken": token})  # fmt: skip
    assert response.status_code == 302, response.text[:500]
    return session


def request_report(session, base, project, date_from, date_to):
    """The project manager asks for a report on the page; returns the run page's URL."""
    page = session.get(f"{base}/raporty/projekty/{project}/raporty/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    form = {"date_from": date_from, "date_to": date_to, "csrfmiddlewaretoken": token}
    response = session.post(f"{base}/raporty/projekty/{project}/raporty/", data=form, timeout=10,
                            allow_redirects=False)  # fmt: skip
    assert response.status_code == 302, response.text[:500]
    return base + response.headers["Location"]


def wait_until_done(session, run_url):
    wait_for(lambda: 'data-status="done"' in session.get(run_url, timeout=10).text, timeout=120,
             what=f"the report {run_url} to be rendered")  # fmt: skip


class Load:
    """Threads asking for pages without pause; every answer is recorded with its start time."""

    def __init__(self, session, paths, threads=4):
        self.session, self.paths, self.threads = session, paths, threads
        self.results: list[tuple[float, float, str, object]] = []
        self.stopped = threading.Event()
        self.lock = threading.Lock()

    def _loop(self, offset):
        i = offset
        while not self.stopped.is_set():
            path = self.paths[i % len(self.paths)]
            i += 1
            started = time.monotonic()
            try:
                outcome = self.session.get(path, timeout=30, allow_redirects=False).status_code
            except requests.RequestException as exc:
                outcome = type(exc).__name__
            with self.lock:
                self.results.append((started, time.monotonic(), path, outcome))

    def __enter__(self):
        self.workers = [threading.Thread(target=self._loop, args=(n,), daemon=True) for n in range(self.threads)]
        for thread in self.workers:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        for thread in self.workers:
            thread.join(timeout=60)

    def started_after(self, moment):
        with self.lock:
            return [(path, outcome) for started, _, path, outcome in self.results if started >= moment]

    def finished_before(self, moment):
        with self.lock:
            return [(path, outcome) for _, finished, path, outcome in self.results if finished < moment]

    def in_flight(self, start, end):
        """Requests that overlapped [start, end)."""
        with self.lock:
            return [(path, outcome) for started, finished, path, outcome in self.results
                    if finished >= start and started < end]  # fmt: skip


def test_web_and_worker_keep_serving_after_postgres_restarts(stack, postgres):
    base, project, worker, gunicorn = stack
    session = logged_in(base)
    wait_until_done(session, request_report(session, base, project, "01.01.2018", "31.03.2018"))
    pids = (gunicorn.pid, children(gunicorn.pid), worker.process.pid, worker.pool_children())
    assert len(pids[1]) == 2

    paths = [base + "/", f"{base}/raporty/projekty/{project}/raporty/", base + "/healthz"]
    with Load(session, paths) as load:
        wait_for(lambda: len(load.started_after(0)) >= 40, timeout=60, what="requests before the restart")
        down = time.monotonic()
        postgres.stop()
        wait_for(lambda: requests.get(base + "/healthz", timeout=10).status_code == 503, timeout=30,
                 what="/healthz to say 503 while the database is down")  # fmt: skip
        wait_for(lambda: any(o == 503 for p, o in load.started_after(down) if p == base + "/"), timeout=30,
                 what="a page answering 503 during the outage")  # fmt: skip
        postgres.start()
        up = time.monotonic()
        wait_for(lambda: len(load.started_after(up)) >= 60, timeout=120, what="requests after the restart")

    before, during, after = load.finished_before(down), load.in_flight(down, up), load.started_after(up)
    assert {outcome for _, outcome in before} == {200}
    assert {outcome for _, outcome in during} <= {200, 503}, during  # refused politely, never a dropped connection
    assert {outcome for _, outcome in after} == {200}, [r for r in after if r[1] != 200]
    assert {path for path, _ in after} == set(paths)
    assert requests.get(base + "/healthz", timeout=10).json() == {"database": "ok", "queue": "ok", "worker": "ok"}

    wait_until_done(session, request_report(session, base, project, "01.04.2018", "30.06.2018"))
    assert (gunicorn.pid, children(gunicorn.pid), worker.process.pid, worker.pool_children()) == pids
    assert gunicorn.poll() is None and worker.process.poll() is None
