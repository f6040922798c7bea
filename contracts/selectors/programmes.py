"""Read queries for family programmes: lists, the coordinator's queue, version diffs."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from contracts.access import programme_project_ids, programmes_visible_to
from contracts.models import (
    FamilyProgramme,
    ProgrammeAction,
    ProgrammeEvent,
    ProgrammeStatus,
    ProgrammeVersion,
    Referral,
)
from core.prepared import IdIn, PreparedRows
from families.selectors import head_name
from support_network.access import role_of
from support_network.models import Module, Role


def programme_list(user):
    return (
        programmes_visible_to(user)
        .select_related("family", "created_by", "team")
        .annotate(version_count=Count("versions", distinct=True))
        .order_by("-updated_at", "-pk")
    )


def programme_detail_qs(user):
    return (
        programmes_visible_to(user)
        .select_related("family", "family__project", "created_by", "team", "diagnosis")
        .prefetch_related(
            "goals__person",
            Prefetch(
                "actions",
                queryset=ProgrammeAction.objects.select_related("service", "service__provider", "person"),
            ),
            Prefetch("versions", queryset=ProgrammeVersion.objects.select_related("submitted_by")),
            Prefetch("events", queryset=ProgrammeEvent.objects.select_related("by", "version")),
        )
    )


def programme_referrals(programme):
    """Referrals created for the programme's catalogue actions (keyed by action id)."""
    keys = [f"programme-action-{pk}" for pk in programme.actions.values_list("pk", flat=True)]
    return Referral.objects.filter(idempotency_key__in=keys).select_related("service", "person", "institution")


class Counted:
    """A list's query with its number of rows already known, for the pager (which asks `count()`
    and slices): the queue counts both of its lists in one query."""

    def __init__(self, rows, count: int):
        self.rows, self.total = rows, count

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key):
        return self.rows[key]


class QueueScope(NamedTuple):
    """What the queue's two lists are built from when its scope is the coordinator's projects: the
    values of a query compiled once per connection (`contracts.selectors.queue_page`)."""

    project_ids: list[int]  # the coordinator's projects
    project_id: int | None  # the one kept by the filter
    late: dt.date  # overdue before this day; awaiting since it when `older`
    older: bool


class Queue:
    """The coordinator's two lists (ordered querysets) and how to count both in one query. The lists
    are built when first asked for: the compiled query (`scope`) needs only the scope's values, and
    building two querysets with their window counts cost a fifth of the page's Python time."""

    def __init__(self, lists: Callable[[], tuple[Any, Any]], counts: Callable[[], dict[str, int]], scope=None):
        self._lists = lists
        self.counts = counts  # {"awaiting": n, "overdue": m}
        self.scope: QueueScope | None = scope  # None: the lists are only these querysets

    @cached_property
    def _both(self) -> tuple[Any, Any]:
        return self._lists()

    @property
    def awaiting(self):
        """The awaiting programmes' ids, oldest submission first."""
        return self._both[0]

    @property
    def overdue(self):
        """The overdue programmes' `(id, overdue actions)` (`OVERDUE_FIELDS`), most overdue actions first."""
        return self._both[1]


def programme_queue(user, *, today: dt.date, project=None, older_than_days: int | None = None) -> Queue:
    """For a coordinator: programmes awaiting decision (oldest submission first) and programmes in
    implementation with overdue actions (most overdue actions first), as two queries of ids — the
    awaiting ones' `pk`, the overdue ones' `(programme, overdue actions)` — that the page paginates
    (each page with its list's length, `contracts.selectors.pages.counted_page`; `counts` counts both
    in one query when a page asked for is past the end), `queue_pages` then fetching the shown
    pages' rows. `project` keeps one of the coordinator's projects; `older_than_days` keeps what has
    waited that long: submitted that many days ago, or with an action overdue that long."""
    if role_of(user) != Role.COORDINATOR:
        awaiting = FamilyProgramme.objects.none().values_list("pk", flat=True)
        overdue = ProgrammeAction.objects.none().annotate(overdue_actions=Value(0)).values_list(*OVERDUE_FIELDS)
        return Queue(
            lambda: (awaiting, overdue),
            lambda: {"awaiting": 0, "overdue": 0},
        )
    late = today if older_than_days is None else today - dt.timedelta(days=older_than_days)
    older = older_than_days is not None

    def scoped():
        programmes = programmes_visible_to(user)
        return programmes if project is None else programmes.filter(project_id=project.pk)

    def counts() -> dict[str, int]:
        awaiting, overdue = queue_conditions(late, older=older)
        return (
            scoped()
            .filter(awaiting | overdue)
            .aggregate(awaiting=Count("pk", filter=awaiting), overdue=Count("pk", filter=overdue))
        )

    project_ids = programme_project_ids(user)
    return Queue(
        lambda: queue_lists(scoped(), late, older=older),
        counts,
        None if project_ids is None else QueueScope(project_ids, project.pk if project else None, late, older),
    )


def queue_conditions(late: dt.date, *, older: bool) -> tuple[Q, Q]:
    """(awaiting, overdue): submitted (before `late` when `older`); in implementation with an action
    overdue before `late`."""
    awaiting = Q(status=ProgrammeStatus.SUBMITTED)
    if older:
        awaiting &= Q(submitted_at__date__lte=late)
    return awaiting, Q(status=ProgrammeStatus.IN_IMPLEMENTATION, next_due_on__lt=late)


OVERDUE_FIELDS = ("programme_id", "overdue_actions")  # the values of the overdue list's rows


def queue_lists(scoped, late: dt.date, *, older: bool) -> tuple[Any, Any]:
    """The two ordered lists of `scoped` programmes: the awaiting ones' ids, the overdue ones'
    `(programme, overdue actions)`."""
    # The scope is the programmes' stored project in the list of the coordinator's projects, and a
    # programme has an action overdue exactly when its stored earliest open action ends before the
    # day: both lists read the programmes by a partial index, no family. The overdue actions are
    # counted in one grouped read of the open actions that ended before the day (their partial
    # index `programme_action_open_end`), not one count per programme (docs/performance/programmes.md).
    awaiting, overdue = queue_conditions(late, older=older)
    overdue_rows = (
        ProgrammeAction.objects.filter(
            done_on__isnull=True, end_on__lt=late, programme__in=scoped.filter(overdue).values("pk")
        )
        .values("programme_id")
        .annotate(overdue_actions=Count("*"))  # COUNT(*): read off the index alone, no row
        .order_by("-overdue_actions", "programme_id")
        .values_list(*OVERDUE_FIELDS)
    )
    awaiting_rows = scoped.filter(awaiting).order_by("submitted_at", "pk").values_list("pk", flat=True)
    return awaiting_rows, overdue_rows


# what the queue's rows show (and the access log names): the rest of the three rows is not read
QUEUE_ROW_FIELDS = (
    "title", "submitted_at", "family", "family__case_number", "created_by",
    "created_by__username", "created_by__first_name", "created_by__last_name",
)  # fmt: skip


def queue_pages(awaiting_ids, overdue_pairs) -> tuple[list, list]:
    """The rows of the queue's two shown pages in one query, each in the order of its page: the
    family's case number and name, the author, the number of versions; the overdue ones with
    their number of overdue actions from their `(programme, overdue actions)` pairs."""
    awaiting_ids, overdue_pairs = list(awaiting_ids), list(overdue_pairs)
    ids = [*awaiting_ids, *(pk for pk, _n in overdue_pairs)]
    if not ids:
        rows = []
    elif connection.vendor == "postgresql":
        rows = _QUEUE_ROWS.rows(ids)  # compiled once per connection: compiling cost more than running
    else:
        rows = queue_rows(FamilyProgramme.objects.filter(pk__in=ids))
    by_id: dict[int, Any] = {row.pk: row for row in rows}
    for pk, count in overdue_pairs:
        by_id[pk].overdue_actions = count
    return [by_id[pk] for pk in awaiting_ids], [by_id[pk] for pk, _n in overdue_pairs]


def queue_rows(queryset):
    """The queue's rows of `queryset`: the family's case number and name, the author, the number of
    versions (only what the rows show)."""
    return (
        queryset.select_related("family", "created_by")
        .order_by()
        .only(*QUEUE_ROW_FIELDS)
        .annotate(
            family_name=head_name("family"),
            version_count=_count(ProgrammeVersion.objects.filter(programme=OuterRef("pk"))),
        )
    )


_QUEUE_ROWS = PreparedRows(lambda marker: queue_rows(FamilyProgramme.objects.filter(IdIn("id", marker))))


def _count(rows):
    """How many `rows` (filtered by the outer programme) as a scalar subquery."""
    counted = rows.order_by().values("programme").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_age(programmes, *, today: dt.date) -> list:
    """The programmes (a page of the queue) with their age in days since submission."""
    programmes = list(programmes)
    for programme in programmes:
        programme.age_days = (today - programme.submitted_at.date()).days
    return programmes


# --- comparing versions ------------------------------------------------------------------------


@dataclass
class ItemDiff:
    state: str  # "added" | "removed" | "changed" | "same"
    label: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, old, new)


GOAL_LABELS = {"person": _("osoba"), "text": _("cel")}
ACTION_LABELS = {
    "module": _("moduł"),
    "service": _("usługa z katalogu"),
    "description": _("opis"),
    "person": _("osoba"),
    "dates": _("terminy"),
    "expected_result": _("oczekiwany rezultat"),
}


def _diff_items(old: list[dict], new: list[dict], labels: dict, label_of) -> list[ItemDiff]:
    old_by_id = {item["id"]: item for item in old}
    new_ids = {item["id"] for item in new}
    result = []
    for item in new:
        before = old_by_id.get(item["id"])
        if before is None:
            result.append(ItemDiff("added", label_of(item)))
            continue
        changes = [
            (labels[k], str(before.get(k, "")), str(item.get(k, ""))) for k in labels if before.get(k) != item.get(k)
        ]
        result.append(ItemDiff("changed" if changes else "same", label_of(item), changes))
    for item in old:
        if item["id"] not in new_ids:
            result.append(ItemDiff("removed", label_of(item)))
    return result


def version_diff(previous: dict | None, current: dict) -> dict:
    """A readable diff of goals and actions between two version snapshots."""
    previous = previous or {"goals": [], "actions": [], "title": "", "summary": "", "period": ""}
    general = [
        (label, str(previous.get(key, "")), str(current.get(key, "")))
        for key, label in (("title", _("tytuł")), ("summary", _("opis")), ("period", _("okres")))
        if previous.get(key) != current.get(key)
    ]
    goals = _diff_items(previous["goals"], current["goals"], GOAL_LABELS, lambda g: f"{g['person']}: {g['text']}")
    actions = _diff_items(
        previous["actions"],
        current["actions"],
        ACTION_LABELS,
        lambda a: f"{a['module']} – {a['service'] or a['description']} ({a['person']})",
    )
    return {
        "general": general,
        "goals": goals,
        "actions": actions,
        "has_changes": bool(general) or any(d.state != "same" for d in goals + actions),
    }


def programme_actions_by_module(programme):
    """Actions grouped by module for display: [(module label, [actions])] in module order."""
    groups: dict[str, list] = {value: [] for value in Module.values}
    for action in programme.actions.all():
        groups[action.module].append(action)
    return [(Module(value).label, actions) for value, actions in groups.items() if actions]


def referrals_on_approval(programme) -> list[dict]:
    """What approving sends: the programme's catalogue actions counted per partner institution
    (one query), for the confirm step ("2 skierowania zostaną wysłane do PUP Turek")."""
    rows = (
        programme.actions.filter(service__isnull=False)
        .values("service__provider__name", "service__provider__short_name")
        .annotate(count=Count("pk"))
        .order_by("service__provider__name")
    )
    return [
        {"institution": row["service__provider__short_name"] or row["service__provider__name"], "count": row["count"]}
        for row in rows
    ]
