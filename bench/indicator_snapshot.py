"""Every number of the indicator engine, for every project of the database, as JSON: the check that
a rewrite of the engine changes no number (EFS_RULES.md).

    DATABASE_URL=... python bench/indicator_snapshot.py before.json      # with the old code
    DATABASE_URL=... python bench/indicator_snapshot.py after.json       # with the new code
    python bench/indicator_snapshot.py --compare before.json after.json

For each project, several periods and report dates (`as_of`): the table of its rule set
(`as_dict()`: every count K / M / total, KES / KEZ parts, pending ids, data gaps), the members of
every cell (the reconciliation's query) and the drill-down of every row, column and part.
"""

import datetime as dt
import json
import os
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
D = dt.date
AS_OF = (D(2019, 6, 30), D(2021, 3, 1), D(2023, 7, 1), D(2026, 1, 1))
PERIODS = (
    (D(2018, 1, 1), D(2023, 6, 30)),
    (D(2018, 1, 1), D(2018, 12, 31)),
    (D(2019, 1, 1), D(2019, 12, 31)),
    (D(2020, 1, 1), D(2020, 12, 31)),
    (D(2021, 1, 1), D(2021, 12, 31)),
    (D(2022, 1, 1), D(2022, 12, 31)),
    (D(2019, 4, 1), D(2019, 6, 30)),
    (D(2020, 2, 29), D(2020, 5, 31)),
)


def snapshot() -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from reporting.rulesets import engine_for  # noqa: PLC0415 - only once Django is set up
    from support_network.models import Project  # noqa: PLC0415

    out: dict = {}
    for project in Project.objects.order_by("pk"):
        engine = engine_for(project)
        periods = [(project.start_date, project.end_date), *PERIODS]
        for date_from, date_to in periods:
            for as_of in AS_OF if (date_from, date_to) in periods[:3] else AS_OF[-1:]:
                table = engine.table(project, date_from=date_from, date_to=date_to, as_of=as_of)
                out[f"{project.pk}|{date_from}|{date_to}|{as_of}|table"] = table.as_dict()
        for date_from, date_to in periods[:2]:
            as_of = AS_OF[2]
            keys = list(engine.cells(engine.table(project, date_from=date_from, date_to=date_to, as_of=as_of)))
            members = engine.members(project, keys, date_from=date_from, date_to=date_to, as_of=as_of)
            out[f"{project.pk}|{date_from}|{date_to}|{as_of}|members"] = {k: sorted(v) for k, v in members.items()}
            drill = {}
            for code in engine.drilldown_codes():
                for column in ("period", "cumulative"):
                    for part in (None, "numerator", "denominator", "pending"):
                        try:
                            qs = engine.drilldown(project, code=code, column=column, date_from=date_from,
                                                  date_to=date_to, part=part, as_of=as_of)  # fmt: skip
                        except KeyError:
                            continue
                        drill[f"{code}:{column}:{part}"] = list(qs.values_list("pk", flat=True))
            out[f"{project.pk}|{date_from}|{date_to}|{as_of}|drilldown"] = drill
    return out


def compare(before: dict, after: dict) -> int:
    if before.keys() != after.keys():
        print("different keys:", sorted(before.keys() ^ after.keys())[:10])
        return 1
    bad = [key for key in before if before[key] != after[key]]
    for key in bad[:10]:
        print("DIFFERENT:", key)
    print(f"{len(before)} snapshots compared, {len(bad)} different")
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--compare"]:
        return compare(*(json.loads(Path(name).read_text()) for name in argv[1:3]))
    started = time.perf_counter()
    data = snapshot()
    Path(argv[0]).write_text(json.dumps(data, sort_keys=True, indent=0, default=str))
    print(f"{len(data)} snapshots in {time.perf_counter() - started:.1f} s -> {argv[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
