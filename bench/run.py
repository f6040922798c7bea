"""`make bench`: city-scale benchmark against the real stack.

1. PostgreSQL database (BENCH_DATABASE_URL, default app_bench) filled by
   `generate_load_data --scale L` (reused when already there);
2. gunicorn (2 sync workers, DEBUG off, persistent connections) and a real Celery worker;
3. wrk (8 connections) on each page with a logged-in session, plus a baseline measured in the same
   run (a trivial view and a bare 50-row list); SQL queries per request with the test client;
4. in-process timers: indicators, the indicator PDF end to end through the worker, the
   participant XLSX export (time and peak memory).
Writes var/bench/results.json and prints a table.
"""

import json
import os
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
PY = sys.executable
PORT = int(os.environ.get("BENCH_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
DURATION = os.environ.get("BENCH_DURATION", "10s")
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("BENCH p50=%d p95=%d rps=%.2f errors=%d\\n", latency:percentile(50),
    latency:percentile(95), summary.requests / (summary.duration / 1e6),
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout))
end
"""

ENV = {
    **os.environ,
    "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", "postgres://app:app@127.0.0.1:5432/app_bench"),
    "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"),
    "DEBUG": "false",
    "HTTPS": "false",
    "SECRET_KEY": "bench-secret-key-not-for-production-0123456789-abcdefghijklmnopqrstuvwxyz",
    # DEBUG is off, so the encryption keys are required (bench-only keys, like the SECRET_KEY above)
    "FIELD_ENCRYPTION_KEYS": "riPweDkcPGVFTepTH5rpqEcdNYilzVzSRjdR9Uy8hMM=",
    "PESEL_HASH_KEYS": "bench-only-pesel-hash-key-0123456789abcdef",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "BENCH_ENDPOINTS": "true",
    "CONN_MAX_AGE": "600",
    "STATIC_MANIFEST": "false",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def manage(*args, check=True, capture=False):
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=ENV, check=check, text=True, capture_output=capture)


def ensure_database():
    url = ENV["DATABASE_URL"]
    name = url.rsplit("/", 1)[1]
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name} OWNER app"],
        capture_output=True,
        check=False,
    )  # it may exist already
    manage("migrate", "--noinput", "-v0")
    scale = os.environ.get("BENCH_SCALE", "L")
    started = time.perf_counter()
    manage("generate_load_data", "--scale", scale, "--reuse")
    return time.perf_counter() - started


def start(cmd, log):
    return subprocess.Popen(
        cmd, cwd=ROOT, env=ENV, stdout=open(VAR / log, "w"), stderr=subprocess.STDOUT, start_new_session=True
    )


def wait_http(url, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except Exception:
            time.sleep(0.5)
    raise RuntimeError(f"{url} did not come up")


def wrk(path, cookie):
    script = VAR / "report.lua"
    script.write_text(LUA)
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{DURATION}", "-s", str(script), "-H", f"Cookie: sessionid={cookie}", BASE + path],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    m = re.search(r"BENCH p50=(\d+) p95=(\d+) rps=([\d.]+) errors=(\d+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "p50_ms": int(m[1]) / 1000,
        "p95_ms": int(m[2]) / 1000,
        "rps": float(m[3]),
        "errors": int(m[4]) + (int(non2xx[1]) if non2xx else 0),
    }


GUNICORN = [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2",
            "--access-logfile", "/dev/null"]  # fmt: skip
WORKER = [PY, "-m", "celery", "-A", "config", "worker", "--concurrency", "1", "--loglevel", "WARNING", "-Q", "celery"]


def measure_pages(targets) -> list[dict]:
    """wrk against every page (after a warm-up run), with each page's p50 as a ratio of the bare list's."""
    pages = []
    for page in targets["pages"]:
        wrk(page["path"], page["cookie"])  # warm-up
        measured = wrk(page["path"], page["cookie"])
        measured["queries"] = page["queries"]
        pages.append((page["name"], measured))
    baseline = dict(pages)["bare_list"]["p50_ms"]
    results = []
    for name, m in pages:
        ratio = round(m["p50_ms"] / baseline, 2) if baseline else None
        results += [
            {"name": f"{name}.rps", "value": m["rps"], "unit": "req/s"},
            {"name": f"{name}.p50", "value": m["p50_ms"], "unit": "ms", "ratio_to_baseline": ratio},
            {"name": f"{name}.p95", "value": m["p95_ms"], "unit": "ms"},
            {"name": f"{name}.queries", "value": m["queries"], "unit": "queries/request"},
            {"name": f"{name}.errors", "value": m["errors"], "unit": "responses"},
        ]
    return results


def report(results: list[dict]) -> None:
    (VAR / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"\n{'measurement':<42}{'value':>12}  {'unit':<16}{'× baseline p50':>14}")
    for r in results:
        ratio = r.get("ratio_to_baseline")
        print(f"{r['name']:<42}{r['value']:>12}  {r['unit']:<16}{'' if ratio is None else ratio:>14}")
    print(
        f"\nmachine: {os.cpu_count()} cores, peak RSS of this process "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB; results in {VAR / 'results.json'}"
    )


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    VAR.mkdir(parents=True, exist_ok=True)
    generation_s = ensure_database()
    # Everything that needs Django in this process comes after the database is ready.
    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django  # noqa: PLC0415 - Django is set up only once the benchmark database exists

    django.setup()
    from bench import scenario  # noqa: PLC0415 - imports the models: needs django.setup() first

    targets = scenario.targets()  # pages to load, sessions, in-process measurements
    procs = [start(GUNICORN, "gunicorn.log"), start(WORKER, "worker.log")]
    results = [{"name": "generate_load_data", "value": round(generation_s, 1), "unit": "s"}]
    try:
        wait_http(BASE + "/healthz")
        results += measure_pages(targets)
        results += scenario.in_process(targets)
    finally:
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)
    report(results)


if __name__ == "__main__":
    main()
