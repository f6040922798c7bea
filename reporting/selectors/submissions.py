"""Reads about submitted reports (EFS_RULES.md §7): the reconciliation of each with today's data,
the claims that counted a participation, and the participations new or changed since the last
submitted claim (the SL2014 module's "only new or changed participants")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from reporting.models import OutcomeEvent, Participation, ParticipationAmendment, ReportSubmission, Support
from reporting.rulesets import RULE_SETS
from reporting.selectors.indicator_cache import data_revision

RECONCILIATION_TTL = 10 * 60


@dataclass(frozen=True)
class CellDifference:
    key: str
    label: str
    submitted: int | str | None
    today: int | str | None
    entered: list[int] = field(default_factory=list)  # participations counted today, not then
    left: list[int] = field(default_factory=list)  # counted then, not today


@dataclass(frozen=True)
class Reconciliation:
    submission: ReportSubmission
    cells: list[CellDifference]
    gaps_added: list[int]
    gaps_removed: list[int]

    @property
    def differs(self) -> bool:
        return bool(self.cells or self.gaps_added or self.gaps_removed)

    @property
    def participations(self) -> list[int]:
        """Every participation that makes today's numbers differ (by internal id)."""
        ids = {pk for cell in self.cells for pk in (*cell.entered, *cell.left)}
        return sorted(ids | set(self.gaps_added) | set(self.gaps_removed))


def reconcile(submission: ReportSubmission, *, as_of: dt.date | None = None) -> Reconciliation:
    """Today's numbers of the submitted report's period, under the rule set it was computed with,
    against its frozen snapshot: the cells whose value or whose participations differ, and the
    participations that entered or left them (the same number with other people differs too: the
    SL2014 participant list would). Two queries: the numbers and the participations per cell."""
    snapshot = submission.run.snapshot
    engine = RULE_SETS[snapshot["rule_set"]]()
    project = submission.project
    date_from, date_to = dt.date.fromisoformat(snapshot["from"]), dt.date.fromisoformat(snapshot["to"])
    as_of = as_of or timezone.localdate()
    table = engine.table(project, date_from=date_from, date_to=date_to, as_of=as_of)
    now, then = engine.cells(table), snapshot["cells"]
    keys = [*then, *(key for key in now if key not in then)]
    members = engine.members(project, keys, date_from=date_from, date_to=date_to, as_of=as_of)
    cells = []
    for key in keys:
        submitted, today = (then[key][1] if key in then else None), (now[key].value if key in now else None)
        before, after = set(snapshot["members"].get(key, [])), members.get(key, set())
        if submitted == today and (key not in members or before == after):
            continue
        cells.append(CellDifference(
            key=key, label=now[key].label if key in now else then[key][0], submitted=submitted, today=today,
            entered=sorted(after - before) if key in members else [],
            left=sorted(before - after) if key in members else [],
        ))  # fmt: skip
    gaps_then = {gap["id"] for gap in snapshot["data_gaps"]}
    gaps_now = {gap.id for gap in table.data_gaps}
    return Reconciliation(submission=submission, cells=cells, gaps_added=sorted(gaps_now - gaps_then),
                          gaps_removed=sorted(gaps_then - gaps_now))  # fmt: skip


def project_submissions(project) -> QuerySet:
    return ReportSubmission.objects.filter(project=project).select_related("run", "submitted_by", "project")


def reconcile_project(project, *, as_of: dt.date | None = None) -> list[Reconciliation]:
    """The reconciliation of every submitted report of the project, latest claim first (cached
    until the project's indicator data change, like the indicator pages)."""
    as_of = as_of or timezone.localdate()
    key = f"reporting:reconciliation:{project.pk}:{as_of}:{data_revision(project.pk)}"
    found = cache.get(key)
    if found is None:
        found = [reconcile(submission, as_of=as_of) for submission in project_submissions(project)]
        cache.set(key, found, RECONCILIATION_TTL)
    return found


def claims_counting(participation_ids) -> dict[int, list[str]]:
    """Participation id -> numbers of the submitted claims whose report counted it. Any write that
    changes entry data (the form's amendment, an import's update) asks this first: a participation
    with claims is changed only by an amendment with a reason (EFS_RULES.md §7)."""
    through = ReportSubmission.counted.through.objects.filter(participation_id__in=list(participation_ids))
    claims: dict[int, list[str]] = {}
    for pk, number in through.order_by("reportsubmission__claim_date", "reportsubmission_id").values_list(
        "participation_id", "reportsubmission__claim_number"
    ):
        claims.setdefault(pk, []).append(number)
    return claims


# What marks a participation as changed after a moment: (model, its participation field, its timestamp).
# The SL2014 supports (branch layout: reporting.Support) add their own line here.
CHANGE_MARKERS: list[tuple[type[models.Model], str, str]] = [
    (OutcomeEvent, "participation", "created_at"),
    (ParticipationAmendment, "participation", "at"),
    (Support, "participation", "updated_at"),  # a support form added or corrected
]


def participations_changed_since_last_claim(project) -> QuerySet:
    """The participations new or changed since the last submitted claim of the project (its
    submission time): created after it, or with entry data, exit data, outcomes or supports changed
    after it (an amendment, a saved exit, an outcome recorded or deleted). Every participation
    when nothing was submitted yet."""
    qs = Participation.objects.filter(project=project).order_by("pk")
    last = ReportSubmission.objects.filter(project=project).order_by("-submitted_at", "-pk").first()
    if last is None:
        return qs
    since = last.submitted_at
    changed = Q(created_at__gt=since) | Q(updated_at__gt=since)
    for model, link, stamp in CHANGE_MARKERS:
        changed |= Q(Exists(model._default_manager.filter(**{link: OuterRef("pk"), f"{stamp}__gt": since})))
    return qs.filter(changed)
