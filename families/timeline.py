"""One timeline per family or person, assembled from the rooms' providers.

A lower room never imports a higher one, so higher rooms (contracts, reporting) contribute
their entries through providers listed in settings.TIMELINE_PROVIDERS. A provider is a function

    provider(*, family=None, person=None, user, limit=None) -> Iterable[TimelineEntry]

called with exactly one of `family` / `person`, already scoped for `user`. Each provider runs a
constant number of queries, whatever the number of rows. With a `limit` it returns (at least) its
newest `limit` entries -- those that come first in the timeline's order, newest first, ties in the
provider's own order -- so a family with years of visits reads only the window the page shows.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Avg, DateField, F, FloatField, OuterRef, Subquery, TimeField, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from core.labels import choice_labels
from core.prepared import PreparedQuery
from families.models import Assessment, AssessmentKind, AssessmentScore, NeedsDiagnosis, Visit, VisitKind
from families.selectors import diagnoses_shown

DETAIL_CHARS = 300


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime | dt.date
    kind: str  # "visit", "diagnosis", "assessment", "referral", "contract", "programme", ...
    title: str
    detail: str = ""
    url: str = ""
    person_id: int | None = None

    @property
    def when(self) -> str:
        """The date (and the local time) as the page shows it, without the `date` filter per entry."""
        if isinstance(self.at, dt.datetime):
            return timezone.localtime(self.at).strftime("%d.%m.%Y %H:%M")
        return self.at.strftime("%d.%m.%Y")

    @property
    def short_detail(self) -> str:
        """The detail cut to 300 characters, as `truncatechars:300` cuts it (only a long one needs it)."""
        return self.detail if len(self.detail) <= DETAIL_CHARS else Truncator(self.detail).chars(DETAIL_CHARS)

    @property
    def sort_key(self) -> dt.datetime:
        if isinstance(self.at, dt.datetime):
            return self.at
        return timezone.make_aware(dt.datetime.combine(self.at, dt.time.max))


def _collect(*, family=None, person=None, user, limit: int | None = None) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for dotted in settings.TIMELINE_PROVIDERS:
        entries.extend(import_string(dotted)(family=family, person=person, user=user, limit=limit))
    entries.sort(key=lambda e: e.sort_key, reverse=True)  # stable: ties keep the providers' order
    return entries if limit is None else entries[:limit]


def family_timeline(family, *, user, limit: int | None = None) -> list[TimelineEntry]:
    """The family's timeline, newest first; with `limit`, only its newest `limit` entries (the same
    entries, in the same order, as the first `limit` of the whole timeline)."""
    return _collect(family=family, user=user, limit=limit)


def person_timeline(person, *, user) -> list[TimelineEntry]:
    return _collect(person=person, user=user)


def casework_entries(*, family=None, person=None, user, limit: int | None = None) -> Iterable[TimelineEntry]:
    """Visits, diagnoses and assessments of this room: two queries whatever the number of rows (the
    family page's diagnoses come with the page: one). Visits and assessments are one UNION ALL in the
    timeline's order (a visit without a time, and an assessment, count as the end of their day, so
    they come before the same day's timed visits; then visits before assessments), so a `limit` is
    a LIMIT."""
    if family is not None:
        rows = _FAMILY_ROWS.rows(family.pk, limit)
        if hasattr(family, "diagnosis_list"):
            diagnoses = family.diagnosis_list[:limit]  # the page read them already (families.selectors.family_for_page)
        else:
            diagnoses = diagnoses_shown(NeedsDiagnosis.objects.filter(family=family))[:limit]
    else:
        rows = _rows(Visit.objects.filter(persons_present=person), Assessment.objects.filter(person=person), limit)
        diagnoses = diagnoses_shown(NeedsDiagnosis.objects.filter(person=person))[:limit]
    kinds = {**choice_labels(VisitKind), **choice_labels(AssessmentKind, "assessment:")}  # not per row
    pages: dict[int, str] = {}
    next_visit = _("kolejna wizyta: %(date)s")  # translated once, not per visit
    entries = [_row_entry(row, kinds, pages, next_visit) for row in rows]
    return [  # the order of equal times in the timeline: visits, diagnoses, assessments
        *(entry for entry in entries if entry.kind == "visit"),
        *(_diagnosis_entry(diagnosis, pages) for diagnosis in diagnoses),
        *(entry for entry in entries if entry.kind == "assessment"),
    ]


def _rows(visits, assessments, limit: int | None):
    """Visits and assessments as one UNION ALL in the timeline's order; with a `limit`, its newest."""
    rows = _visit_rows(visits).union(_assessment_rows(assessments), all=True)
    return rows.order_by("-day", F("at_time").desc(nulls_first=True), "source", "-row_id")[:limit]


# A family's rows compiled once per connection and window size (core.prepared): building and
# compiling the UNION ALL cost more than running it (docs/performance/casework.md).
_FAMILY_ROWS = PreparedQuery(
    lambda family_id, limit: _rows(
        Visit.objects.filter(family_id=family_id), Assessment.objects.filter(person__family_id=family_id), limit
    ),
    plan_kept=True,
)


# One row shape for visits and assessments (the UNION ALL's columns, in this order).
ROW_COLUMNS = ("source", "row_id", "day", "at_time", "code", "text1", "text2", "due")
ROW_NAMES = ("first", "last", "login", "ref", "label", "mean")


def _visit_rows(visits):
    return (
        visits.order_by()
        .annotate(
            source=Value(0),
            row_id=F("pk"),
            day=F("visit_date"),
            at_time=F("visit_time"),
            code=F("kind"),
            text1=F("notes"),
            text2=F("next_steps"),
            due=F("next_visit_on"),
            first=F("author__first_name"),
            last=F("author__last_name"),
            login=F("author__username"),
            ref=F("family_id"),
            label=Value(""),
            mean=Value(None, output_field=FloatField()),
        )
        .values(*ROW_COLUMNS, *ROW_NAMES)
    )


def _assessment_rows(assessments):
    mean = AssessmentScore.objects.filter(assessment=OuterRef("pk")).order_by().values("assessment")
    mean = mean.annotate(m=Avg("score")).values("m")
    return (
        assessments.order_by()
        .annotate(
            source=Value(2),
            row_id=F("pk"),
            day=F("assessed_on"),
            at_time=Value(None, output_field=TimeField()),
            code=Concat(Value("assessment:"), F("kind")),
            text1=Value(""),
            text2=Value(""),
            due=Value(None, output_field=DateField()),
            first=F("person__first_name"),
            last=F("person__last_name"),
            login=Value(""),
            ref=F("person_id"),
            label=F("instrument__name"),
            mean=Subquery(mean, output_field=FloatField()),
        )
        .values(*ROW_COLUMNS, *ROW_NAMES)
    )


def _row_entry(row: dict, kinds: dict[str, str], pages: dict[int, str], next_visit: str) -> TimelineEntry:
    return _visit_entry(row, kinds, pages, next_visit) if row["source"] == 0 else _assessment_entry(row, kinds)


def _visit_entry(row: dict, kinds: dict[str, str], pages: dict[int, str], next_visit: str) -> TimelineEntry:
    day, time = row["day"], row["at_time"]
    detail = row["text2"] or row["text1"]
    if row["due"]:
        detail = f"{detail} · " if detail else ""
        detail += next_visit % {"date": row["due"].strftime("%d.%m.%Y")}
    author = f"{row['first']} {row['last']}".strip() or row["login"]
    return TimelineEntry(
        at=timezone.make_aware(dt.datetime.combine(day, time)) if time else day,
        kind="visit",
        title=f"{kinds.get(row['code'], row['code'])} ({author})",
        detail=detail,
        url=_family_page(row["ref"], pages) + f"#visit-{row['row_id']}",
    )


def _family_page(family_id: int, pages: dict[int, str]) -> str:
    if family_id not in pages:
        pages[family_id] = reverse("families:family_detail", args=[family_id])
    return pages[family_id]


def _diagnosis_entry(diagnosis, pages: dict[int, str]) -> TimelineEntry:
    whom = diagnosis.person.full_name if diagnosis.person_id else _("cała rodzina")
    return TimelineEntry(
        at=diagnosis.diagnosed_on,
        kind="diagnosis",
        title=_("Diagnoza potrzeb: %(whom)s (%(author)s)") % {"whom": whom, "author": _author(diagnosis.author)},
        detail=diagnosis.needs,
        url=_family_page(diagnosis.family_id, pages) + f"#diagnosis-{diagnosis.pk}",
        person_id=diagnosis.person_id,
    )


def _assessment_entry(row: dict, kinds: dict[str, str]) -> TimelineEntry:
    return TimelineEntry(
        at=row["day"],
        kind="assessment",
        title=_("Ocena %(kind)s: %(person)s – %(instrument)s")
        % {
            "kind": kinds.get(row["code"], row["code"]),
            "person": f"{row['first']} {row['last']}",
            "instrument": row["label"],
        },
        detail=_("średnia %(mean)s") % {"mean": f"{float(row['mean'] or 0):.1f}".replace(".", ",")},
        url=reverse("families:person_detail", args=[row["ref"]]) + "#assessments",
        person_id=row["ref"],
    )


def _author(user) -> str:
    return user.get_full_name() or user.username
