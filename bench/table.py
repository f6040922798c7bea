"""Render var/bench/results*.json as the Markdown tables of the docs: `python bench/table.py`.

The figures are scale L's (results-L.json) when it ran. With results of both scales (results-S.json
and results-L.json) each page also gets its L/S p50
ratio (in-process), beside the bare list's own L/S ratio."""

import json
from pathlib import Path

VAR = Path(__file__).resolve().parent.parent / "var" / "bench"
PAGES = ["trivial", "bare_list", "caseload", "caseload_coordinator", "caseload_manager", "family_page",
         "family_page_history", "catalogue", "catalogue_search", "referrals_sent", "referral_inbox",
         "referral_inbox_last", "coordinator_queue", "participant_list", "indicator_page",
         "indicator_page_miss"]  # fmt: skip
STAT_SUFFIXES = {"rps", "p50", "p95", "queries", "errors", "in_process_p50", "in_process_p95"}


def _load(name: str) -> dict:
    path = VAR / name
    return {r["name"]: r for r in json.loads(path.read_text())} if path.exists() else {}


def _ratio(row: dict | None) -> str:
    if not row or row.get("ratio_to_baseline") is None:
        return ""
    return f"{row['ratio_to_baseline']} ({row.get('ratio_min')}–{row.get('ratio_max')})"


def _scaling(small: dict, large: dict, page: str) -> str:
    s, l_ = small.get(f"{page}.in_process_p50"), large.get(f"{page}.in_process_p50")
    return f"{l_['value'] / s['value']:.2f}" if s and l_ and s["value"] else ""


def main() -> None:
    small, large = _load("results-S.json"), _load("results-L.json")
    rows = large or _load("results.json")  # the figures of scale L when it ran, else of the last run
    print(
        "| page | wrk p50 ms | wrk p95 ms | × bare list, wrk (min–max) | in-process p50 / p95 ms "
        "| × bare list, in-process (min–max) | SQL queries | L/S | errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for page in PAGES:
        wrk50, wrk95 = rows.get(f"{page}.p50"), rows.get(f"{page}.p95")
        ip50, ip95 = rows.get(f"{page}.in_process_p50"), rows.get(f"{page}.in_process_p95")
        if not (wrk50 or ip50):
            continue
        errors = rows.get(f"{page}.errors")
        print(
            f"| {page} | {wrk50['value'] if wrk50 else '–'} | {wrk95['value'] if wrk95 else '–'} | {_ratio(wrk50)} | "
            f"{ip50['value'] if ip50 else '–'} / {ip95['value'] if ip95 else '–'} | {_ratio(ip50)} | "
            f"{rows.get(f'{page}.queries', {}).get('value', '')} | {_scaling(small, large, page)} | "
            f"{errors['value'] if errors else ''} |"
        )
    print()
    print("| measurement | value |")
    print("|---|---:|")
    for name, row in rows.items():
        if name.rsplit(".", 1)[-1] not in STAT_SUFFIXES:
            print(f"| {name} | {row['value']} {row['unit']} |")


if __name__ == "__main__":
    main()
