"""Render var/bench/results*.json as the Markdown tables of the docs: `python bench/table.py`.

The figures are scale L's (results-L.json) when it ran, else the last run's. Per page: wrk's p50 and
p95, the interleaved ratio to the bare list with its min–max (wrk and in-process), SQL queries per
request, and how the page scales: its in-process p50 at L over S (results-S.json) and at XL over L
(results-XL.json), each followed by the same ratio divided by the bare list's own (1.0 = the page
grows like the bare list; the bare list's row shows its own ratio)."""

import json
from pathlib import Path

VAR = Path(__file__).resolve().parent.parent / "var" / "bench"
PAGES = ["trivial", "bare_list", "caseload", "caseload_coordinator", "caseload_manager", "family_page",
         "family_page_history", "catalogue", "catalogue_search", "referrals_sent", "referral_inbox",
         "referral_inbox_last", "coordinator_queue", "participant_list", "participant_page", "outcome_queue",
         "group_page", "session_attendance", "indicator_page", "indicator_page_miss",
         "indicator_recount"]  # fmt: skip
STAT_SUFFIXES = {"rps", "p50", "p95", "queries", "errors", "in_process_p50", "in_process_p95"}


def _load(name: str) -> dict:
    path = VAR / name
    return {r["name"]: r for r in json.loads(path.read_text())} if path.exists() else {}


def _ratio(row: dict | None) -> str:
    if not row or row.get("ratio_to_baseline") is None:
        return ""
    return f"{row['ratio_to_baseline']} ({row.get('ratio_min')}–{row.get('ratio_max')})"


def _growth(small: dict, large: dict, page: str) -> float | None:
    s, l_ = small.get(f"{page}.in_process_p50"), large.get(f"{page}.in_process_p50")
    return l_["value"] / s["value"] if s and l_ and s["value"] else None


def _scaling(small: dict, large: dict, page: str) -> str:
    """`page's growth (÷ the bare list's growth)`, empty when a scale is missing."""
    own, bare = _growth(small, large, page), _growth(small, large, "bare_list")
    if own is None:
        return ""
    return f"{own:.2f}" if page == "bare_list" or not bare else f"{own:.2f} ({own / bare:.2f})"


def _value(row: dict | None) -> str:
    return str(row["value"]) if row else "–"


def main() -> None:
    small, large, huge = _load("results-S.json"), _load("results-L.json"), _load("results-XL.json")
    rows = large or _load("results.json")  # the figures of scale L when it ran, else of the last run
    print(
        "| page | wrk p50 ms | wrk p95 ms | × bare list, wrk (min–max) | in-process p50 / p95 ms "
        "| × bare list, in-process (min–max) | SQL queries | L/S (÷ bare list's) | XL/L (÷ bare list's) | errors |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for page in PAGES:
        wrk50, wrk95 = rows.get(f"{page}.p50"), rows.get(f"{page}.p95")
        ip50, ip95 = rows.get(f"{page}.in_process_p50"), rows.get(f"{page}.in_process_p95")
        if not (wrk50 or ip50):
            continue
        errors = rows.get(f"{page}.errors")
        print(
            f"| {page} | {_value(wrk50)} | {_value(wrk95)} | {_ratio(wrk50)} | {_value(ip50)} / {_value(ip95)} | "
            f"{_ratio(ip50)} | {rows.get(f'{page}.queries', {}).get('value', '')} | {_scaling(small, large, page)} | "
            f"{_scaling(large, huge, page)} | {errors['value'] if errors else ''} |"
        )
    print()
    print("| measurement | value |" + (" XL |" if huge else ""))
    print("|---|---:|" + ("---:|" if huge else ""))
    for name, row in rows.items():
        if name.rsplit(".", 1)[-1] not in STAT_SUFFIXES:
            extra = (
                f" {huge[name]['value']} {huge[name]['unit']} |" if huge and name in huge else (" |" if huge else "")
            )
            print(f"| {name} | {row['value']} {row['unit']} |{extra}")


if __name__ == "__main__":
    main()
