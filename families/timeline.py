"""One timeline per family or person, assembled from the rooms' providers.

A lower room never imports a higher one, so higher rooms (contracts, reporting) contribute
their entries through providers listed in settings.TIMELINE_PROVIDERS. A provider is a function

    provider(*, family=None, person=None, user) -> Iterable[TimelineEntry]

called with exactly one of `family` / `person`, already scoped for `user`. Each provider runs a
constant number of queries, whatever the number of rows.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class TimelineEntry:
    at: dt.datetime | dt.date
    kind: str  # "visit", "diagnosis", "assessment", "referral", "contract", "programme", ...
    title: str
    detail: str = ""
    url: str = ""
    person_id: int | None = None

    @property
    def sort_key(self) -> dt.datetime:
        if isinstance(self.at, dt.datetime):
            return self.at
        return timezone.make_aware(dt.datetime.combine(self.at, dt.time.max))


def _collect(*, family=None, person=None, user) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    for dotted in settings.TIMELINE_PROVIDERS:
        entries.extend(import_string(dotted)(family=family, person=person, user=user))
    return sorted(entries, key=lambda e: e.sort_key, reverse=True)


def family_timeline(family, *, user) -> list[TimelineEntry]:
    return _collect(family=family, user=user)


def person_timeline(person, *, user) -> list[TimelineEntry]:
    return _collect(person=person, user=user)


def casework_entries(*, family=None, person=None, user) -> Iterable[TimelineEntry]:
    """Visits, diagnoses and assessments of this room (filled in by the families issue)."""
    return []
