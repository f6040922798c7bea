"""The indicator engine timed in-process, interleaved with the bare 50-row list (as `make bench`
does), with an optional cProfile of one computation and the indicator PDF's parts.

    DATABASE_URL=... python bench/engine_timing.py [rounds] [--profile] [--pdf]

Prints, per round, the median of the bare list (test client), the engine alone
(`project_indicators`, no cache) and the indicator page counted after a change (`indicator_figures`),
and their ratios.
"""

import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from bench.scenario import _client, period  # noqa: E402
from demo.loadgen.base import LOAD_PREFIX  # noqa: E402
from reporting.models import ReportRun  # noqa: E402
from reporting.selectors.indicator_cache import indicator_data_changed  # noqa: E402
from reporting.selectors.indicators import project_indicators  # noqa: E402
from reporting.services.reports import report_render, report_request  # noqa: E402
from support_network.models import Project  # noqa: E402

N = 5


def _ms(fn, n=N, before=None) -> float:
    times = []
    for _ in range(n):
        if before:
            before()
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main(argv):
    rounds = int(next((a for a in argv if a.isdigit()), "3"))
    project = Project.objects.get(agreement_number=f"{LOAD_PREFIX}-POWR.09.01.00-0000/18")
    manager = _client("load.manager")
    start, end = period(project)
    page = f"/raporty/projekty/{project.pk}/wskazniki/aktualne/?from={start:%Y-%m-%d}&to={end:%Y-%m-%d}"  # counted

    def bare():
        assert manager.get("/bench/list?page=7").status_code == 200

    def engine():
        project_indicators(project, date_from=start, date_to=end)

    def miss():
        assert manager.get(page).status_code == 200

    bare(), engine(), miss()  # warm up
    ratios = {"engine": [], "page_miss": []}
    for i in range(rounds):
        b1 = _ms(bare)
        e = _ms(engine)
        b2 = _ms(bare)
        m = _ms(miss, before=lambda: indicator_data_changed(project.pk))
        ratios["engine"].append(e / b1)
        ratios["page_miss"].append(m / b2)
        print(f"round {i}: bare {b1:.1f} ms, engine {e:.1f} ms (x{e / b1:.2f}); bare {b2:.1f} ms, "
              f"page miss {m:.1f} ms (x{m / b2:.2f})", flush=True)  # fmt: skip
    for name, values in ratios.items():
        print(f"{name}: median ratio x{statistics.median(values):.2f} (min {min(values):.2f}, max {max(values):.2f})")
    if "--profile" in argv:
        profiler = cProfile.Profile()
        profiler.enable()
        engine()
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    if "--pdf" in argv:
        pdf(project)


def pdf(project):
    ReportRun.objects.filter(project=project).delete()
    manager = get_user_model().objects.get(username="load.manager")
    start, end = period(project)
    run, _ = report_request(project=project, date_from=start, date_to=end, by=manager)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    report_render(run_id=run.pk)
    profiler.disable()
    print(f"indicator PDF rendered in-process: {time.perf_counter() - started:.2f} s")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
    ReportRun.objects.filter(pk=run.pk).delete()


if __name__ == "__main__":
    main(sys.argv[1:])
