"""Render var/bench/results.json as the Markdown table of the README: `python bench/table.py`."""

import json
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent / "var" / "bench" / "results.json"
PAGES = ["trivial", "bare_list", "caseload", "family_page", "catalogue_search", "referral_inbox",
         "coordinator_queue", "indicator_page"]  # fmt: skip


def main() -> None:
    rows = {r["name"]: r for r in json.loads(RESULTS.read_text())}
    print("| page | req/s | p50 ms | p95 ms | × bare-list p50 | SQL queries | errors |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for page in PAGES:
        if f"{page}.rps" not in rows:
            continue
        ratio = rows[f"{page}.p50"].get("ratio_to_baseline")
        print(
            f"| {page} | {rows[f'{page}.rps']['value']:.1f} | {rows[f'{page}.p50']['value']:.0f} | "
            f"{rows[f'{page}.p95']['value']:.0f} | {ratio} | {rows[f'{page}.queries']['value']} | "
            f"{rows[f'{page}.errors']['value']} |"
        )
    print()
    print("| measurement | value |")
    print("|---|---:|")
    for name, row in rows.items():
        if name.rsplit(".", 1)[-1] not in {"rps", "p50", "p95", "queries", "errors"}:
            print(f"| {name} | {row['value']} {row['unit']} |")


if __name__ == "__main__":
    main()
