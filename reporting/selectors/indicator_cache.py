"""The indicator pages' cache. Computing every indicator of a 25,000-participant project is one
query of about 0.1 s (it was a second before the engine's one-pass query); the page and the
dashboard show the same numbers until the project's data change.

The numbers are current under the project's data revision, bumped whenever a participation, an
outcome, a target or the project's rules change (signals for ordinary saves and deletes; the services that
bulk-insert call `indicator_data_changed` themselves). A participation's save bumps it only when it
may have changed a field the numbers read (`INDICATOR_FIELDS`): editing a phone number or an
address keeps the cached numbers. The revision is bumped immediately and again after commit so a
reader racing with the writer cannot keep old numbers. Supports have a revision of their own
(`indicator_supports_changed`), in the stamp only of the rule sets that count them
(`RuleSetEngine.reads_supports`): the EFS 2014 table does not, so the supports a referral's
attendance adds every day leave its cached page as it is. Reports (PDF) and the `indicators`
command always compute afresh; `TTL` bounds how long any numbers count as current.

Single flight: on a miss, only the request that takes the stamp's lock (`cache.add`, atomic in Redis)
computes; concurrent misses of the same stamp wait for its result (polling the cache) instead of
all computing at once, and compute themselves only if it has not come within `LOCK_WAIT` seconds.

One entry per project, rule set and period holds the numbers last counted with the stamp (data
revisions and report date) they were counted under and when: they are current while the stamp is
the project's and younger than `TTL`. The indicator page does not wait for a count
(`page_figures`): after a change it shows the last numbers counted for the period, marked with
when they were counted, and asks for the current ones (`cached_project_indicators`, the page's
figures view), which htmx swaps in. Only a period not counted in the last `KEEP` is counted before
the page answers.
"""

import datetime as dt
import time
from dataclasses import dataclass
from typing import NamedTuple

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from reporting.rulesets import engine_for, page_table

TTL = 10 * 60  # seconds the numbers count as current without a change (a bound on any missed invalidation)
KEEP = 24 * 60 * 60  # seconds the last numbers of a period are kept to show while the current ones are counted
LOCK_TTL = 30  # seconds: a computing process that dies frees the lock by then
LOCK_WAIT = 10.0  # seconds a concurrent miss waits for the computing one's result
POLL = 0.05
SUPPORTS = ":supports"


# The participation fields the numbers are computed from: every rule set's table (with the pending
# ids), its members and data gaps, the drill-down, the reconciliation of submitted reports.
# tests/reporting/test_indicator_cache_fields.py runs them and fails if their SQL reads a column of
# the participation not named here (or the engine stops reading one named here).
INDICATOR_FIELDS = frozenset({
    "project", "sex", "birth_date", "age_at_start", "education", "labour_status", "labour_status_detail",
    "disability", "at_risk", "start_date", "end_date",
})  # fmt: skip


def participation_save_changes_indicators(*, created: bool, update_fields) -> bool:
    """Whether a participation's save (post_save's `created` and `update_fields`) may have changed
    the numbers: a new one does; a save of all fields (update_fields None) may have; a save of
    named fields does if one of them is read by the numbers."""
    return created or update_fields is None or not INDICATOR_FIELDS.isdisjoint(update_fields)


def _revision_key(project_id: int, kind: str = "") -> str:
    return f"reporting:indicators:rev{kind}:{project_id}"


def _fresh_revision() -> int:
    """A start value no earlier revision can have had (milliseconds since the epoch)."""
    return int(time.time() * 1000)


def _bump(project_id: int, kind: str = "") -> None:
    try:
        cache.incr(_revision_key(project_id, kind))
    except ValueError:  # no revision yet (or evicted): a fresh value invalidates old keys
        cache.set(_revision_key(project_id, kind), _fresh_revision(), None)


def indicator_data_changed(project_id: int) -> None:
    _bump(project_id)
    transaction.on_commit(lambda: _bump(project_id))


def indicator_supports_changed(project_id: int) -> None:
    """A support of the project was added, changed or removed (only the sets that count them miss)."""
    _bump(project_id, SUPPORTS)
    transaction.on_commit(lambda: _bump(project_id, SUPPORTS))


def data_revision(project_id: int, kind: str = "") -> int:
    """The project's indicator data revision (changes whenever the data the numbers come from change;
    `kind` SUPPORTS: its supports' revision)."""
    revision = cache.get_or_set(_revision_key(project_id, kind), _fresh_revision, None)
    return int(revision) if revision is not None else _fresh_revision()


@dataclass(frozen=True)
class PageFigures:
    """The numbers the indicator page shows: `report` (the rule set's table) and, when they are not
    the current ones, `counted_at` (when they were counted; None: current)."""

    report: object
    counted_at: dt.datetime | None = None


class _Entry(NamedTuple):
    """What the cache keeps per project, rule set and period: the last numbers counted."""

    stamp: str
    counted_at: dt.datetime
    report: object


def _entry_key(project, date_from, date_to) -> str:
    return f"reporting:indicators:{project.pk}:{project.rule_set}:{date_from}:{date_to}"


def _lookup(project, date_from, date_to) -> tuple[str, "_Entry | None"]:
    """(the project's current stamp, the period's entry if one is kept)."""
    return _stamp(project), cache.get(_entry_key(project, date_from, date_to))


def _stamp(project) -> str:
    """What the current numbers were counted under: the data revision (with the supports' for the
    rule sets that count them) and the report date (the 3-month windows end on it)."""
    stamp = f"{timezone.localdate()}:{data_revision(project.pk)}"
    if engine_for(project).reads_supports:
        stamp += f":{data_revision(project.pk, SUPPORTS)}"
    return stamp


def _current(entry: _Entry | None, stamp: str):
    """The entry's report if it was counted under `stamp` less than `TTL` ago, else None."""
    if entry is None or entry.stamp != stamp or (timezone.now() - entry.counted_at).total_seconds() >= TTL:
        return None
    return entry.report


def page_figures(project, *, date_from, date_to) -> PageFigures:
    """The indicator page's numbers without waiting for a count when there is something to show:
    the current ones; else the last ones counted for this period (with when); else, for a period
    not counted in the last `KEEP`, the ones counted now."""
    stamp, entry = _lookup(project, date_from, date_to)
    report = _current(entry, stamp)
    if report is not None:
        return PageFigures(report)
    if entry is not None:
        return PageFigures(entry.report, counted_at=entry.counted_at)
    return PageFigures(_count(project, date_from=date_from, date_to=date_to, stamp=stamp))


def cached_project_indicators(project, *, date_from, date_to):
    """The project's current table under its rule set (reporting.rulesets): from the cache, else
    counted now (once for all concurrent requests)."""
    stamp, entry = _lookup(project, date_from, date_to)
    report = _current(entry, stamp)
    if report is not None:
        return report
    return _count(project, date_from=date_from, date_to=date_to, stamp=stamp)


def _count(project, *, date_from, date_to, stamp: str):
    """Counts the table under `stamp` and keeps it; single flight: a concurrent count of the same
    stamp is waited for (up to `LOCK_WAIT`) instead of run again."""
    key = _entry_key(project, date_from, date_to)
    lock = f"{key}:{stamp}:lock"
    if not cache.add(lock, 1, LOCK_TTL):
        report = _wait_for(key, stamp)
        if report is not None:
            return report
    try:
        report = page_table(project, date_from=date_from, date_to=date_to)
        cache.set(key, _Entry(stamp, timezone.now(), report), KEEP)
    finally:
        cache.delete(lock)
    return report


def _wait_for(key: str, stamp: str):
    """The table another process is counting under `stamp`, or None if it does not come in time."""
    deadline = time.monotonic() + LOCK_WAIT
    while time.monotonic() < deadline:
        time.sleep(POLL)
        report = _current(cache.get(key), stamp)
        if report is not None:
            return report
    return None
