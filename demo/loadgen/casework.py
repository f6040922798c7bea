"""The families' casework: visits (the caseload's next visit due spread around today) and needs
diagnoses."""

import datetime as dt
import random

from demo.loadgen.copy import copy_rows
from demo.loadgen.parallel import PARTS, copy_rows_in_children
from demo.loadgen.world import World, at
from families.models import NeedsDiagnosis, Visit, VisitKind, refresh_visit_dates

BENCH_FAMILY_VISITS = 250  # the family page the benchmark opens: a long file (issue 15)
VISIT_COLUMNS = ["family_id", "visit_date", "visit_time", "kind", "duration_minutes", "notes", "next_steps",
                 "next_visit_on", "author_id", "created_at"]  # fmt: skip
KINDS = [VisitKind.HOME, VisitKind.HOME, VisitKind.HOME, VisitKind.OFFICE, VisitKind.PHONE]
NOTES = "Wizyta w środowisku: omówiono sytuację rodziny i postępy."


def _family_visits(rng: random.Random, family, count: int, today: dt.date):
    """`count` visits every 2–4 weeks (every 5 days for the benchmark's long file, inside the project) up to a last one
    recently; the next visit agreed at the last one is due in the past for about a quarter of
    the families (overdue), in the coming weeks for the rest."""
    interval = 5 if count == BENCH_FAMILY_VISITS else rng.choice([14, 21, 28, 28, 30])
    last = today - dt.timedelta(days=rng.randint(0, interval + 7))
    for k in range(count):
        jitter = rng.randint(0, 2) if k < count - 1 else 0
        day = last - dt.timedelta(days=interval * (count - 1 - k) - jitter)
        next_on = day + dt.timedelta(days=interval)
        yield (family.pk, day, dt.time(9 + k % 7, 0), KINDS[k % len(KINDS)], 45 + 15 * (k % 4), NOTES,
               "Kontynuacja pracy.", next_on, family.social_worker_id, at(day, 17))  # fmt: skip


def create_visits(rng: random.Random, world: World, bench_family_id: int) -> int:
    """The visits of `PARTS` blocks of families, each block with its own random generator (seeded
    from `rng`, so the load stays the same run after run), made in child processes
    (`demo.loadgen.parallel`)."""
    per_family = max(1, world.sizes.visits // len(world.families))
    families, today = world.families, world.today
    bounds = [len(families) * k // PARTS for k in range(PARTS + 1)]
    seeds = [rng.getrandbits(64) for _ in range(PARTS)]

    def make(part: int):
        block_rng = random.Random(seeds[part])
        for family in families[bounds[part] : bounds[part + 1]]:
            count = BENCH_FAMILY_VISITS if family.pk == bench_family_id else per_family
            yield from _family_visits(block_rng, family, count, today)

    return copy_rows_in_children(Visit, VISIT_COLUMNS, PARTS, make)


def refresh_family_dates(world: World) -> int:
    """Each family's latest visit and next visit due, as the visit service stores them (once per
    office: one UPDATE of at most 20,000 families); after the visits' indexes are back."""
    for office in world.offices:
        refresh_visit_dates([f.pk for f in world.families if world.office_of[f.pk] is office])
    return len(world.families)


def create_diagnoses(rng: random.Random, world: World) -> int:
    """A diagnosis of the whole family when its file was opened, and for a third of the families a
    newer one of the head of the family in the last months."""
    rows = []
    for n, family in enumerate(world.families):
        opened = family.created_at.date()
        rows.append((family.pk, None, opened, family.social_worker_id, "Bezrobocie, trudności opiekuńczo-wychowawcze.",
                     "Motywacja do zmiany.", "Brak kwalifikacji.", "Aktywizacja zawodowa, wsparcie rodziny.",
                     "Znalezienie pracy.", at(opened, 15)))  # fmt: skip
        if n % 3 == 0 and family.pk in world.head_of:
            day = world.today - dt.timedelta(days=rng.randint(1, 200))
            rows.append((family.pk, world.head_of[family.pk], day, family.social_worker_id, "Długotrwałe bezrobocie.",
                         "Doświadczenie zawodowe.", "Opieka nad dziećmi.", "Szkolenie zawodowe.", "Stała praca.",
                         at(day, 15)))  # fmt: skip
    columns = ["family_id", "person_id", "diagnosed_on", "author_id", "problems", "resources", "barriers", "needs",
               "expectations", "created_at"]  # fmt: skip
    return copy_rows(NeedsDiagnosis, columns, rows)
