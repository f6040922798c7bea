"""Some of `make bench`'s pages timed in-process against an existing benchmark database, the way
`make bench` times them (test client, interleaved with the bare 50-row list), for working on one page
without the whole run:

    BENCH_DATABASE_URL=postgres://app:app@127.0.0.1:5432/app_bench \\
        .venv/bin/python bench/pages.py caseload family_page [--rounds 3] [--requests 5] [--sql] [--profile]

`--sql` prints each query of one request with its time; `--profile` a cProfile of a few requests
(the top functions by cumulative time); `--split` where a request's time goes: the median of its
SQL (from the driver's call to the last row), of its template rendering, and of the rest (middleware,
the view's Python, the ORM building its queries). The page names are those of `bench/scenario.py`.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import ENV  # noqa: E402 - the benchmark's settings (DEBUG off, bench endpoints)

os.environ.update(ENV)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import scenario  # noqa: E402


def _sql(page) -> None:
    page["client"].get(page["path"])
    with CaptureQueriesContext(connection) as ctx:
        page["client"].get(page["path"])
    print(f"\n{page['name']}: {len(ctx.captured_queries)} queries")
    for query in ctx.captured_queries:
        print(f"  {float(query['time']) * 1000:7.1f} ms  {query['sql'][:300]}")


def _profile(page, n: int = 5) -> None:
    page["client"].get(page["path"])
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(n):
        if page["before"]:
            page["before"]()
        page["client"].get(page["path"])
    profile.disable()
    print(f"\n{page['name']}: cProfile of {n} requests")
    pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


def _split(page, n: int = 15) -> None:
    from django.template.backends.django import Template  # noqa: PLC0415

    spent = {"sql": 0.0, "template": 0.0}

    def timed_sql(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent["sql"] += time.perf_counter() - started

    render = Template.render

    def timed_render(self, *args, **kwargs):
        started = time.perf_counter()
        try:
            return render(self, *args, **kwargs)
        finally:
            spent["template"] += time.perf_counter() - started

    rows = []
    Template.render = timed_render
    try:
        with connection.execute_wrapper(timed_sql):
            for _ in range(n + 1):
                if page["before"]:
                    page["before"]()
                spent.update(sql=0.0, template=0.0)
                started = time.perf_counter()
                page["client"].get(page["path"])
                total = time.perf_counter() - started
                rows.append((total, spent["sql"], spent["template"]))
    finally:
        Template.render = render
    total, sql, template = (statistics.median(col) * 1000 for col in zip(*rows[1:], strict=True))
    print(f"{page['name']:<26}{total:>8.1f}{sql:>8.1f}{template:>10.1f}{total - sql - template:>8.1f}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--sql", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--split", action="store_true")
    args = parser.parse_args(argv)
    targets = scenario.targets()
    wanted = {"bare_list", *args.pages}
    targets["pages"] = [page for page in targets["pages"] if page["name"] in wanted]
    unknown = wanted - {page["name"] for page in targets["pages"]}
    if unknown:
        sys.exit(f"unknown pages: {', '.join(sorted(unknown))}")
    for page in targets["pages"]:
        if args.sql:
            _sql(page)
        if args.profile and page["name"] != "bare_list":
            _profile(page)
    if args.split:
        print(f"\n{'median ms':<26}{'total':>8}{'sql':>8}{'template':>10}{'rest':>8}")
        for page in targets["pages"]:
            _split(page)
    started = time.perf_counter()
    stats = scenario.interleaved(targets, rounds=args.rounds, n=args.requests)
    print(f"\n{'page':<26}{'p50 ms':>9}{'queries':>9}   × bare list, median (min–max)")
    queries = {page["name"]: page["queries"] for page in targets["pages"]}
    for name, st in stats.items():
        ratios = st["ratios"]
        print(f"{name:<26}{statistics.median(st['samples']):>9.1f}{queries[name]:>9}   "
              f"{statistics.median(ratios):.2f} ({min(ratios):.2f}–{max(ratios):.2f})")  # fmt: skip
    print(f"({args.rounds} rounds × {args.requests} requests, {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
