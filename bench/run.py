"""`make bench`: city-scale benchmark against the real stack.

1. PostgreSQL database (BENCH_DATABASE_URL, default app_bench) filled by
   `generate_load_data --scale L` (reused when already there);
2. gunicorn (2 sync workers, DEBUG off, persistent connections) and a real Celery worker;
3. wrk (8 connections) on each page with a logged-in session, interleaved with the bare 50-row
   list (BENCH_ROUNDS rounds of: bare list, page): the median ratio of the rounds and its min-max;
   SQL queries per request with the test client;
4. the same pages in-process (test client, BENCH_REQUESTS requests per page per round, interleaved
   with the bare list the same way): p50/p95 and the median ratio with its min-max, the indicator
   page after a change of the data too (the last numbers shown) and counted before it answers;
5. in-process timers: indicators, the indicator PDF end to end through the worker, the
   participant XLSX export (time and peak memory).
With 2+ CPUs (`taskset`): PostgreSQL (the postmaster and every backend, including those forked
during the run) and wrk on CPU 0, gunicorn and the worker on CPU 1, so the page and the database
never fight over one core differently from one run to the next; PostgreSQL's affinity is restored
at the end (BENCH_PIN_POSTGRES=false leaves it alone). BENCH_SCALE=S|M|L|XL (databases app_bench_s,
app_bench_m, app_bench, app_bench_xl). Writes var/bench/results-<scale>.json (and results.json)
and prints a table; `bench/table.py` adds the L/S and XL/L ratios when those scales ran.
"""

import json
import os
import re
import resource
import shutil
import signal
import statistics
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
DURATION = os.environ.get("BENCH_DURATION", "4s")
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "5"))
SCALE = os.environ.get("BENCH_SCALE", "L")
PIN = bool(shutil.which("taskset")) and (os.cpu_count() or 1) >= 2
PIN_POSTGRES = PIN and os.environ.get("BENCH_PIN_POSTGRES", "true").lower() not in ("0", "false", "no")
WRK_PIN = ["taskset", "-c", "0"] if PIN else []
WRK_ONLY_IN_PROCESS = {"indicator_page_miss", "indicator_recount"}  # wrk cannot change the data before each request
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
    "DATABASE_URL": os.environ.get(
        "BENCH_DATABASE_URL",
        "postgres://app:app@127.0.0.1:5432/app_bench" + ("" if SCALE == "L" else f"_{SCALE.lower()}"),
    ),
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
    started = time.perf_counter()
    manage("generate_load_data", "--scale", SCALE, "--reuse")
    return time.perf_counter() - started


def vacuum_analyze() -> None:
    """Statistics and the visibility map as a database that has lived a while has them."""
    from django.db import connection  # noqa: PLC0415 - needs django.setup() first

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


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
        [
            *WRK_PIN,
            "wrk",
            "-t2",
            "-c8",
            f"-d{DURATION}",
            "-s",
            str(script),
            "-H",
            f"Cookie: sessionid={cookie}",
            BASE + path,
        ],  # fmt: skip
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


PINNED = ["taskset", "-c", "1"] if PIN else []
GUNICORN = [*PINNED, str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{PORT}", "--workers", "2",
            "--access-logfile", "/dev/null"]  # fmt: skip
WORKER = [*PINNED, PY, "-m", "celery", "-A", "config", "worker", "--concurrency", "1", "--loglevel", "WARNING",
          "-Q", "celery"]  # fmt: skip


def _postgres_pids() -> list[int]:
    """The postmaster (from its pid file) and its children (the backends and helpers)."""
    data_dir = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", "SHOW data_directory"],
                              capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    postmaster = int((Path(data_dir) / "postmaster.pid").read_text().split()[0])
    children = Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split()
    return [postmaster, *(int(pid) for pid in children)]


def pin_postgres(cpu: str) -> str | None:
    """Pin PostgreSQL to `cpu`; returns the postmaster's affinity before (None: not pinned)."""
    try:
        pids = _postgres_pids()
        before = subprocess.run(["taskset", "-p", str(pids[0])], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError, ValueError, IndexError) as exc:
        print(f"PostgreSQL not pinned ({exc.__class__.__name__}): its processes share both CPUs")
        return None
    for pid in pids:
        subprocess.run(["taskset", "-a", "-p", "-c", cpu, str(pid)], capture_output=True, check=False)
    return before.stdout.rsplit(":", 1)[1].strip()


def unpin_postgres(mask: str | None) -> None:
    """Give the postmaster and every current backend (also those forked while pinned) `mask` back."""
    if mask is None:
        return
    for pid in _postgres_pids():
        subprocess.run(["taskset", "-a", "-p", mask, str(pid)], capture_output=True, check=False)


def _spread(values: list[float]) -> dict:
    if not values:
        return {"median": None, "min": None, "max": None}
    return {"median": round(statistics.median(values), 2), "min": round(min(values), 2), "max": round(max(values), 2)}


def measure_pages(targets) -> list[dict]:
    """wrk against every page, interleaved with the bare list: ROUNDS rounds of (bare list, page)."""
    pages = [p for p in targets["pages"] if p["name"] not in WRK_ONLY_IN_PROCESS]
    baseline = next(p for p in pages if p["name"] == "bare_list")
    for page in pages:
        wrk(page["path"], page["cookie"])  # warm-up
    runs: dict[str, list[dict]] = {p["name"]: [] for p in pages}
    ratios: dict[str, list[float]] = {p["name"]: [] for p in pages}
    for _ in range(ROUNDS):
        for page in pages:
            base = wrk(baseline["path"], baseline["cookie"])
            own = base if page is baseline else wrk(page["path"], page["cookie"])
            runs[page["name"]].append(own)
            if base["p50_ms"] and own["p50_ms"]:  # a run without one answer (all timed out) gives no ratio
                ratios[page["name"]].append(own["p50_ms"] / base["p50_ms"])
    results = []
    for page in pages:
        name, measured = page["name"], runs[page["name"]]
        spread = _spread(ratios[name])
        results += [
            {"name": f"{name}.rps", "value": round(statistics.median(m["rps"] for m in measured), 1), "unit": "req/s"},
            {"name": f"{name}.p50", "value": round(statistics.median(m["p50_ms"] for m in measured), 1), "unit": "ms",
             "ratio_to_baseline": spread["median"], "ratio_min": spread["min"], "ratio_max": spread["max"]},
            {"name": f"{name}.p95", "value": round(statistics.median(m["p95_ms"] for m in measured), 1), "unit": "ms"},
            {"name": f"{name}.queries", "value": page["queries"], "unit": "queries/request"},
            {"name": f"{name}.errors", "value": sum(m["errors"] for m in measured), "unit": "responses"},
        ]  # fmt: skip
    return results


def measure_in_process(targets, scenario) -> list[dict]:
    stats = scenario.interleaved(targets, rounds=ROUNDS, n=REQUESTS)
    results = []
    for name, st in stats.items():
        samples = sorted(st["samples"])
        spread = _spread(st["ratios"])
        results.append({
            "name": f"{name}.in_process_p50", "value": round(statistics.median(samples), 1), "unit": "ms",
            "ratio_to_baseline": spread["median"], "ratio_min": spread["min"], "ratio_max": spread["max"],
        })  # fmt: skip
        p95 = samples[min(len(samples) - 1, int(0.95 * len(samples)))]
        results.append({"name": f"{name}.in_process_p95", "value": round(p95, 1), "unit": "ms"})
    queries = {p["name"]: p["queries"] for p in targets["pages"]}
    results += [{"name": f"{n}.queries", "value": q, "unit": "queries/request"}
                for n, q in queries.items() if n in WRK_ONLY_IN_PROCESS]  # fmt: skip
    return results


def report(results: list[dict]) -> None:
    text = json.dumps(results, indent=2, ensure_ascii=False)
    (VAR / "results.json").write_text(text)
    (VAR / f"results-{SCALE}.json").write_text(text)
    print(f"\nscale {SCALE}; {ROUNDS} interleaved rounds; wrk {DURATION} per run; {REQUESTS} in-process requests")
    print(f"{'measurement':<42}{'value':>12}  {'unit':<16}{'× bare list (min–max)':>24}")
    for r in results:
        ratio = r.get("ratio_to_baseline")
        shown = "" if ratio is None else f"{ratio} ({r.get('ratio_min')}–{r.get('ratio_max')})"
        print(f"{r['name']:<42}{r['value']:>12}  {r['unit']:<16}{shown:>24}")
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

    vacuum_analyze()
    from django.core.cache import cache  # noqa: PLC0415 - needs django.setup() first

    cache.clear()  # the bench's own Redis database: no device, session or indicator cached by another scale's run

    targets = scenario.targets()  # pages to load, sessions, in-process measurements
    procs = [start(GUNICORN, "gunicorn.log"), start(WORKER, "worker.log")]
    results = [{"name": "generate_load_data", "value": round(generation_s, 1), "unit": "s"}]
    mask = pin_postgres("0") if PIN_POSTGRES else None
    try:
        wait_http(BASE + "/healthz")
        results += measure_pages(targets)
        own = os.sched_getaffinity(0)
        if PIN:
            os.sched_setaffinity(0, {1})  # the in-process pages run here: on the app's CPU, like gunicorn
        try:
            results += measure_in_process(targets, scenario)
            results += scenario.in_process(targets)
        finally:
            os.sched_setaffinity(0, own)
    finally:
        unpin_postgres(mask)
        for proc in procs:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)
    report(results)


if __name__ == "__main__":
    main()
