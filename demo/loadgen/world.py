"""What the generator's steps share: the sizes, the staff and offices, the families and persons
made so far, and the day the load describes (`today`: the day it runs)."""

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils import timezone

from families.models import Family, Person


@lru_cache(maxsize=65536)
def at(day: dt.date, hour: int = 10) -> dt.datetime:
    """An aware moment on `day` (office hours by default); cached: millions of rows share a few
    thousand days, and making a time aware is the slowest part of a row."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@dataclass
class World:
    sizes: object
    staff: dict
    families: list[Family] = field(default_factory=list)
    persons: list[Person] = field(default_factory=list)
    office_of: dict[int, dict] = field(default_factory=dict)  # family id -> its office
    head_of: dict[int, int] = field(default_factory=dict)  # family id -> the head's person id

    @property
    def today(self) -> dt.date:
        return self.staff["today"]

    @property
    def offices(self) -> list[dict]:
        return self.staff["offices"]

    def add_families(self, families: list[Family], persons: list[Person]) -> None:
        by_institution = {office["mops"].pk: office for office in self.offices}
        self.families, self.persons = families, persons
        self.office_of = {f.pk: by_institution[f.institution_id] for f in families}
        self.head_of = {p.family_id: p.pk for p in persons if p.relation == "head"}
