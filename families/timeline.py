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
from django.db.models import Avg, F
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from families.models import Assessment, NeedsDiagnosis, Visit, VisitKind
from families.selectors import AUTHOR_COLUMNS, PERSON_COLUMNS, diagnoses_shown


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime | dt.date
    kind: str  # "visit", "diagnosis", "assessment", "referral", "contract", "programme", ...
    title: str
    detail: str = ""
    url: str = ""
    person_id: int | None = None

    @property
    def has_time(self) -> bool:
        return isinstance(self.at, dt.datetime)

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
    """Visits, diagnoses and assessments of this room: three queries whatever the number of rows.
    Each query is in the timeline's order (a visit without a time counts as the end of its day,
    so it comes before the same day's timed visits), so a `limit` is a LIMIT."""
    if family is not None:
        visits = Visit.objects.filter(family=family)
        diagnoses = NeedsDiagnosis.objects.filter(family=family)
        assessments = Assessment.objects.filter(person__family=family)
    else:
        visits = Visit.objects.filter(persons_present=person)
        diagnoses = NeedsDiagnosis.objects.filter(person=person)
        assessments = Assessment.objects.filter(person=person)
    visits = (
        visits.select_related("author")
        .only(*VISIT_COLUMNS, *AUTHOR_COLUMNS)
        .order_by("-visit_date", F("visit_time").desc(nulls_first=True), "-pk")
    )
    diagnoses = diagnoses_shown(diagnoses)
    assessments = (
        assessments.select_related("instrument", "person", "author")
        .only(*ASSESSMENT_COLUMNS, *AUTHOR_COLUMNS)
        .annotate(mean=Avg("scores__score"))
        .order_by("-assessed_on", "-pk")
    )
    if limit is not None:
        visits, diagnoses, assessments = visits[:limit], diagnoses[:limit], assessments[:limit]
    if family is not None and hasattr(family, "diagnosis_list"):
        diagnoses = family.diagnosis_list[:limit]  # the page read them already (families.selectors.family_for_page)
    kinds = {str(value): str(label) for value, label in VisitKind.choices}  # labels and URLs once, not per row
    pages: dict[int, str] = {}
    return [
        *(_visit_entry(visit, kinds, pages) for visit in visits),
        *(_diagnosis_entry(diagnosis) for diagnosis in diagnoses),
        *(_assessment_entry(assessment) for assessment in assessments),
    ]


# The columns the entries show: the rows' other columns (a person's encrypted answers, a user's
# password hash) are not read.
VISIT_COLUMNS = ("family", "visit_date", "visit_time", "kind", "notes", "next_steps", "next_visit_on", "author")
ASSESSMENT_COLUMNS = ("person", "instrument", "kind", "assessed_on", "author", "instrument__name", *PERSON_COLUMNS)


def _visit_entry(visit, kinds: dict[str, str], pages: dict[int, str]) -> TimelineEntry:
    when = dt.datetime.combine(visit.visit_date, visit.visit_time or dt.time(0, 0))
    detail = visit.next_steps or visit.notes
    if visit.next_visit_on:
        detail = f"{detail} · " if detail else ""
        detail += _("kolejna wizyta: %(date)s") % {"date": visit.next_visit_on.strftime("%d.%m.%Y")}
    return TimelineEntry(
        at=timezone.make_aware(when) if visit.visit_time else visit.visit_date,
        kind="visit",
        title=f"{kinds.get(visit.kind, visit.kind)} ({_author(visit.author)})",
        detail=detail,
        url=_family_page(visit.family_id, pages) + f"#visit-{visit.pk}",
    )


def _family_page(family_id: int, pages: dict[int, str]) -> str:
    if family_id not in pages:
        pages[family_id] = reverse("families:family_detail", args=[family_id])
    return pages[family_id]


def _diagnosis_entry(diagnosis) -> TimelineEntry:
    whom = diagnosis.person.full_name if diagnosis.person_id else _("cała rodzina")
    return TimelineEntry(
        at=diagnosis.diagnosed_on,
        kind="diagnosis",
        title=_("Diagnoza potrzeb: %(whom)s (%(author)s)") % {"whom": whom, "author": _author(diagnosis.author)},
        detail=diagnosis.needs,
        url=reverse("families:family_detail", args=[diagnosis.family_id]) + f"#diagnosis-{diagnosis.pk}",
        person_id=diagnosis.person_id,
    )


def _assessment_entry(assessment) -> TimelineEntry:
    return TimelineEntry(
        at=assessment.assessed_on,
        kind="assessment",
        title=_("Ocena %(kind)s: %(person)s – %(instrument)s")
        % {
            "kind": assessment.get_kind_display(),
            "person": assessment.person.full_name,
            "instrument": assessment.instrument.name,
        },
        detail=_("średnia %(mean)s") % {"mean": f"{assessment.mean or 0:.1f}".replace(".", ",")},
        url=reverse("families:person_detail", args=[assessment.person_id]) + "#assessments",
        person_id=assessment.person_id,
    )


def _author(user) -> str:
    return user.get_full_name() or user.username
