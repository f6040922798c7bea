"""The catalogue, social contracts and family programmes (with their versions and events)."""

import datetime as dt
import json
import random
from decimal import Decimal

from contracts.models import (
    ContractStatus,
    FamilyProgramme,
    PreparedBy,
    ProgrammeAction,
    ProgrammeEvent,
    ProgrammeGoal,
    ProgrammeStatus,
    ProgrammeVersion,
    SocialContract,
)
from demo.loadgen.copy import build, copy_objects, copy_rows
from demo.loadgen.world import World, at
from support_network.models import Module, Service, ServiceForm, ServiceUnit

GROUP, ONE = ServiceForm.GROUP, ServiceForm.INDIVIDUAL
SERVICES = [
    ("pup", Module.EMPLOYMENT, "Poradnictwo zawodowe indywidualne", ONE),
    ("pup", Module.EMPLOYMENT, "Szkolenie zawodowe", GROUP),
    ("pup", Module.EMPLOYMENT, "Staż", ONE), ("pup", Module.EMPLOYMENT, "Prace interwencyjne", ONE),
    ("pup", Module.EMPLOYMENT, "Roboty publiczne", ONE), ("pup", Module.EMPLOYMENT, "Prace społecznie użyteczne", ONE),
    ("pup", Module.EMPLOYMENT, "Warsztaty aktywnego poszukiwania pracy", GROUP),
    ("pup", Module.EMPLOYMENT, "Dotacja", ONE),
    ("pcpr", Module.FAMILY, "Poradnictwo specjalistyczne", ONE), ("pcpr", Module.FAMILY, "Interwencja kryzysowa", ONE),
    ("pcpr", Module.FAMILY, "Terapia rodzinna", ONE), ("mops", Module.SOCIAL, "Grupa wsparcia", GROUP),
    ("mops", Module.SOCIAL, "Trening kompetencji społecznych", GROUP), ("mops", Module.FAMILY, "Asystent rodziny", ONE),
    ("mops", Module.SPORT_CULTURE, "Zajęcia sportowe dla dzieci", GROUP),
    ("mops", Module.ACCOMPANYING, "Opieka nad dziećmi", ONE),
]  # fmt: skip


def create_services(world: World) -> list[Service]:
    """Each office's catalogue: 16 services of its MOPS, PUP and PCPR (a third with a capacity)."""
    services = [
        Service(name=name, provider=office[provider], module=module, form=form, unit=ServiceUnit.HOUR,
                capacity=None if i % 3 else 100000, unit_cost=Decimal("45.00"),
                description=f"{name} – usługa katalogowa w dużym mieście.")
        for office in world.offices for i, (provider, module, name, form) in enumerate(SERVICES)
    ]  # fmt: skip
    return Service.objects.bulk_create(services)


CONTRACT_ENDS = [ContractStatus.COMPLETED_ACHIEVED, ContractStatus.COMPLETED_PARTIAL,
                 ContractStatus.TERMINATED_NONCOMPLIANCE, ContractStatus.EXPIRED]  # fmt: skip


def create_contracts(rng: random.Random, world: World) -> int:
    """Contracts concluded over the last two years for a year: those still running are active, the
    older ones ended one way or another (mostly achieved)."""
    today, rows = world.today, []
    for i in range(world.sizes.contracts):
        family = world.families[(i * 2) % len(world.families)]
        concluded = today - dt.timedelta(days=rng.randint(5, 730))
        end = concluded + dt.timedelta(days=365)
        status = ContractStatus.ACTIVE if end >= today else CONTRACT_ENDS[0 if i % 3 else (i // 3) % 4]
        rows.append(build(SocialContract,
            institution_id=family.institution_id, number=f"KS/{i:06d}", family_id=family.pk,
            person_id=world.head_of.get(family.pk), social_worker_id=family.social_worker_id, concluded_on=concluded,
            signed_on=concluded, period_start=concluded, period_end=end, causes="Długotrwałe bezrobocie.",
            main_goal="Podjęcie zatrudnienia i poprawa sytuacji rodziny.", status=status,
            closed_on=None if status == ContractStatus.ACTIVE else min(end, today),
            created_by_id=family.social_worker_id, created_at=at(concluded), status_changed_at=at(concluded),
        ))  # fmt: skip
    copy_objects(SocialContract, rows)
    return len(rows)


# status -> the events it went through after "created" (a returned one was resubmitted once in two)
PROGRAMME_PATHS = {
    ProgrammeStatus.DRAFT: [],
    ProgrammeStatus.SUBMITTED: ["submitted"],
    ProgrammeStatus.RETURNED: ["submitted", "returned"],
    ProgrammeStatus.APPROVED: ["submitted", "approved"],
    ProgrammeStatus.IN_IMPLEMENTATION: ["submitted", "approved", "started"],
    ProgrammeStatus.COMPLETED: ["submitted", "approved", "started", "completed"],
}
PROGRAMME_STATUSES = [ProgrammeStatus.SUBMITTED, ProgrammeStatus.IN_IMPLEMENTATION, ProgrammeStatus.IN_IMPLEMENTATION,
                      ProgrammeStatus.APPROVED, ProgrammeStatus.DRAFT, ProgrammeStatus.COMPLETED,
                      ProgrammeStatus.RETURNED, ProgrammeStatus.IN_IMPLEMENTATION]  # fmt: skip


def _programme_dates(rng: random.Random, status, today: dt.date) -> tuple[dt.date, dt.date]:
    """(created on, implementation start): completed ones began long ago, drafts recently."""
    if status == ProgrammeStatus.COMPLETED:
        start = today - dt.timedelta(days=rng.randint(280, 700))
    elif status == ProgrammeStatus.IN_IMPLEMENTATION:
        start = today - dt.timedelta(days=rng.randint(10, 260))
    else:
        created = today - dt.timedelta(days=rng.randint(3, 40))
        return created, created + dt.timedelta(days=45)
    return start - dt.timedelta(days=rng.randint(20, 45)), start


def _timeline(rng: random.Random, programme, returned_once: bool, today: dt.date) -> list[tuple[str, dt.datetime]]:
    """The programme's events (kind, when) from its creation; a programme returned once and
    corrected has two submissions."""
    path = list(PROGRAMME_PATHS[programme.status])
    if path and returned_once and programme.status != ProgrammeStatus.RETURNED:
        path = ["submitted", "returned", *path]
    now = at(today, 16)
    when = programme.created_at
    timeline = [("created", when)]
    for kind in path:
        if kind == "started":
            when = max(when, at(programme.period_start))
        elif kind == "completed":
            when = max(when, at(programme.period_end))
        else:
            when = min(when + dt.timedelta(days=rng.randint(1, 6), hours=rng.randint(0, 6)), now)
        timeline.append((kind, when))
    return timeline


def create_programmes(rng: random.Random, world: World, services: list[Service]) -> int:
    today, programmes = world.today, []
    for i in range(world.sizes.programmes):
        status = PROGRAMME_STATUSES[i % len(PROGRAMME_STATUSES)]
        family = world.families[(i * 3 + 1) % len(world.families)]
        office = world.office_of[family.pk]
        created, start = _programme_dates(rng, status, today)
        programme = build(FamilyProgramme,
            family_id=family.pk, project_id=family.project_id, prepared_by=PreparedBy.MGI, team=office["mgi_team"],
            summary="Program aktywizacji rodziny trzypokoleniowej.", period_start=start,
            period_end=start + dt.timedelta(days=270), status=status, created_by=office["mgi"], created_at=at(created),
        )  # fmt: skip
        programme.timeline = _timeline(rng, programme, i % 5 == 0, today)
        programme.submitted_at = max((w for k, w in programme.timeline if k == "submitted"), default=None)
        programme.status_changed_at = programme.timeline[-1][1]
        # as the programme services keep it: the earliest end of an open action (set here, not by
        # refresh_next_due after the COPY, whose per-programme subquery has no index during the load)
        programme.next_due_on = min((end for _, end, done in _action_dates(programme, i, today) if done is None),
                                    default=None)  # fmt: skip
        programmes.append(programme)
    copy_objects(FamilyProgramme, programmes)
    _programme_contents(world, programmes, services)
    _programme_history(world, programmes)
    return len(programmes)


def _programme_contents(world: World, programmes, services: list[Service]) -> None:
    """A goal and two actions each: a catalogue service of the family's office and a free-text
    one; actions that ended before today are done, except one in six (the coordinator's queue)."""
    goals, actions, per_office = [], [], len(services) // len(world.offices)
    for n, programme in enumerate(programmes):
        person_id = world.head_of.get(programme.family_id)
        office = world.office_of[programme.family_id]
        goals.append((programme.pk, person_id, "Podjęcie pracy przez rodzica.", 0))
        service = services[office["k"] * per_office + n % 8]
        for k, (start, end, done) in enumerate(_action_dates(programme, n, world.today)):
            actions.append((
                programme.pk, service.module, service.pk if k == 0 else None,
                "" if k == 0 else "Spotkania z asystentem rodziny.", person_id, start, end, "Udział w zajęciach.", done,
                k,
            ))  # fmt: skip
    copy_rows(ProgrammeGoal, ["programme_id", "person_id", "text", "order"], goals)
    copy_rows(ProgrammeAction, ["programme_id", "module", "service_id", "description", "person_id", "start_on",
                                "end_on", "expected_result", "done_on", "order"], actions)  # fmt: skip


def _action_dates(programme, n: int, today: dt.date) -> list[tuple[dt.date, dt.date, dt.date | None]]:
    """(start, end, done) of the `n`-th programme's two actions."""
    dates = []
    for k in range(2):
        start = programme.period_start + dt.timedelta(days=45 * k)
        end = start + dt.timedelta(days=60)
        running = programme.status in (ProgrammeStatus.IN_IMPLEMENTATION, ProgrammeStatus.COMPLETED)
        dates.append((start, end, end if running and end < today and (n + k) % 6 else None))
    return dates


def _snapshot(programme, number: int) -> dict:
    return {
        "title": programme.title, "summary": programme.summary,
        "period": f"{programme.period_start:%d.%m.%Y} – {programme.period_end:%d.%m.%Y}",
        "goals": [{"id": None, "person": "głowa rodziny", "text": "Podjęcie pracy przez rodzica."}],
        "actions": [{"id": None, "module": "moduł prozatrudnieniowy", "service": "usługa z katalogu",
                     "description": "" if number == 1 else "Uzupełniono harmonogram.", "person": "głowa rodziny",
                     "dates": f"{programme.period_start:%d.%m.%Y} – {programme.period_end:%d.%m.%Y}",
                     "expected_result": "Udział w zajęciach."}],
    }  # fmt: skip


def _programme_history(world: World, programmes) -> None:
    """A version per submission and an event per transition, as the timeline says."""
    versions, events = [], []
    coordinator = world.staff["coordinator"].pk
    for programme in programmes:
        number = 0
        for kind, when in programme.timeline:
            if kind == "submitted":
                number += 1
                versions.append((programme.pk, number, programme.created_by_id, _snapshot(programme, number), when))
            version = (programme.pk, number) if kind in ("submitted", "returned", "approved") else None
            comment = "Proszę doprecyzować harmonogram działań." if kind == "returned" else ""
            by = coordinator if kind in ("returned", "approved") else programme.created_by_id
            events.append((programme.pk, version, kind, comment, by, when))
    version_ids = copy_rows(ProgrammeVersion, ["programme_id", "number", "submitted_by_id", "snapshot",
                                               "submitted_at"],
                            [(*v[:3], json.dumps(v[3], ensure_ascii=False), v[4]) for v in versions],
                            with_ids=True)  # fmt: skip
    ids = {(v[0], v[1]): pk for v, pk in zip(versions, version_ids, strict=True)}
    copy_rows(ProgrammeEvent, ["programme_id", "version_id", "kind", "comment", "by_id", "at"],
              [(p, ids[v] if v else None, k, c, b, w) for p, v, k, c, b, w in events])  # fmt: skip
