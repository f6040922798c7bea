"""The rooms' rows: catalogue, visits, referrals, social contracts, family programmes, participations."""

import datetime as dt
import random
from decimal import Decimal

from django.utils import timezone

from contracts.models import (
    ContractStatus,
    FamilyProgramme,
    PreparedBy,
    ProgrammeAction,
    ProgrammeGoal,
    ProgrammeStatus,
    Referral,
    ReferralStatus,
    SocialContract,
)
from demo.loadgen.base import BATCH
from families.codes import Answer, Education, LabourStatus, LabourStatusDetail
from families.models import Family, Person, Visit, VisitKind, refresh_visit_dates
from reporting.codes import EmploymentForm, OutcomeKind, ProgressCategory
from reporting.models import OutcomeEvent, Participation
from support_network.models import Module, Service, ServiceForm, ServiceUnit

BENCH_FAMILY_VISITS = 250  # the family page the benchmark opens: a long file (issue 15)
TODAY = dt.date(2023, 6, 30)  # the load data describes a project in its last half-year
SERVICES = [
    ("pup", Module.EMPLOYMENT, "Poradnictwo zawodowe indywidualne"), ("pup", Module.EMPLOYMENT, "Szkolenie zawodowe"),
    ("pup", Module.EMPLOYMENT, "Staż"), ("pup", Module.EMPLOYMENT, "Prace interwencyjne"),
    ("pup", Module.EMPLOYMENT, "Roboty publiczne"), ("pup", Module.EMPLOYMENT, "Prace społecznie użyteczne"),
    ("pup", Module.EMPLOYMENT, "Warsztaty aktywnego poszukiwania pracy"), ("pup", Module.EMPLOYMENT, "Dotacja"),
    ("pcpr", Module.FAMILY, "Poradnictwo specjalistyczne"), ("pcpr", Module.FAMILY, "Interwencja kryzysowa"),
    ("pcpr", Module.FAMILY, "Terapia rodzinna"), ("mops", Module.SOCIAL, "Grupa wsparcia"),
    ("mops", Module.SOCIAL, "Trening kompetencji społecznych"), ("mops", Module.FAMILY, "Asystent rodziny"),
    ("mops", Module.SPORT_CULTURE, "Zajęcia sportowe dla dzieci"), ("mops", Module.ACCOMPANYING, "Opieka nad dziećmi"),
]  # fmt: skip


def create_services(staff) -> list[Service]:
    services = [
        Service(name=name, provider=staff[provider], module=module, form=ServiceForm.GROUP if i % 2 else
                ServiceForm.INDIVIDUAL, unit=ServiceUnit.HOUR, capacity=None if i % 3 else 100000,
                unit_cost=Decimal("45.00"), description=f"{name} – usługa katalogowa w dużym mieście.")
        for i, (provider, module, name) in enumerate(SERVICES)
    ]  # fmt: skip
    return Service.objects.bulk_create(services)


def create_visits(rng: random.Random, sizes, staff, family_ids: list[int], bench_family_id: int) -> int:
    workers = staff["workers"]
    per_family = max(1, sizes.visits // len(family_ids))
    rows, created = [], 0

    def flush():
        nonlocal rows, created
        Visit.objects.bulk_create(rows, batch_size=BATCH)
        created += len(rows)
        rows = []

    for n, family_id in enumerate(family_ids):
        count = BENCH_FAMILY_VISITS if family_id == bench_family_id else per_family
        start = TODAY - dt.timedelta(days=7 * count)
        for k in range(count):
            day = start + dt.timedelta(days=7 * k + rng.randint(0, 3))
            rows.append(Visit(
                family_id=family_id, visit_date=day, kind=VisitKind.HOME, duration_minutes=45 + 15 * (k % 4),
                notes="Wizyta w środowisku: omówiono sytuację rodziny i postępy.", next_steps="Kontynuacja pracy.",
                next_visit_on=day + dt.timedelta(days=rng.choice([7, 14, 21, 30])),
                author=workers[n % len(workers)],
            ))  # fmt: skip
        if len(rows) >= BATCH * 4:
            flush()
    flush()
    refresh_visit_dates(family_ids)  # as the visit service does, once for the whole batch
    return created


def create_referrals(rng: random.Random, sizes, staff, person_ids: list[int], services: list[Service]) -> int:
    statuses = [
        ReferralStatus.SENT,
        ReferralStatus.ACCEPTED,
        ReferralStatus.IN_PROGRESS,
        ReferralStatus.COMPLETED,
        ReferralStatus.COMPLETED,
        ReferralStatus.REJECTED,
        ReferralStatus.DROPPED,
        ReferralStatus.DRAFT,
    ]
    now = timezone.now()
    rows = []
    for i in range(sizes.referrals):
        status = statuses[i % len(statuses)]
        service = services[i % len(services)]
        sent = now - dt.timedelta(days=rng.randint(1, 400))
        rows.append(Referral(
            person_id=person_ids[(i * 7) % len(person_ids)], service=service, institution_id=service.provider_id,
            created_by=staff["workers"][i % len(staff["workers"])], reason="Wsparcie zgodne z diagnozą potrzeb.",
            wished_start=sent.date() + dt.timedelta(days=14), status=status,
            sent_at=None if status == ReferralStatus.DRAFT else sent,
            answer_due=None if status == ReferralStatus.DRAFT else sent.date() + dt.timedelta(days=7),
            answered_at=None if status in (ReferralStatus.DRAFT, ReferralStatus.SENT) else sent + dt.timedelta(days=3),
            rejection_reason="Brak spełnienia warunków." if status == ReferralStatus.REJECTED else "",
            drop_reason="Rezygnacja uczestnika." if status == ReferralStatus.DROPPED else "",
        ))  # fmt: skip
    Referral.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def create_contracts(rng: random.Random, sizes, staff, family_ids: list[int]) -> int:
    heads = dict(Person.objects.filter(family_id__in=family_ids, relation="head").values_list("family_id", "pk"))
    workers = dict(Family.objects.filter(pk__in=family_ids).values_list("pk", "social_worker_id"))
    rows = []
    for i in range(sizes.contracts):
        family_id = family_ids[(i * 2) % len(family_ids)]
        concluded = TODAY - dt.timedelta(days=rng.randint(10, 700))
        status = ContractStatus.ACTIVE if i % 4 else ContractStatus.COMPLETED_ACHIEVED
        rows.append(SocialContract(
            institution=staff["mops"], number=f"KS/{i:05d}", family_id=family_id, person_id=heads.get(family_id),
            social_worker_id=workers[family_id], concluded_on=concluded, signed_on=concluded,
            period_start=concluded, period_end=concluded + dt.timedelta(days=365), causes="Długotrwałe bezrobocie.",
            main_goal="Podjęcie zatrudnienia i poprawa sytuacji rodziny.", status=status,
            created_by_id=workers[family_id],
        ))  # fmt: skip
    SocialContract.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def create_programmes(rng: random.Random, sizes, staff, family_ids: list[int], services: list[Service]) -> int:
    heads = dict(Person.objects.filter(family_id__in=family_ids, relation="head").values_list("family_id", "pk"))
    now = timezone.now()
    statuses = [ProgrammeStatus.SUBMITTED, ProgrammeStatus.IN_IMPLEMENTATION, ProgrammeStatus.IN_IMPLEMENTATION,
                ProgrammeStatus.APPROVED, ProgrammeStatus.DRAFT, ProgrammeStatus.COMPLETED, ProgrammeStatus.RETURNED,
                ProgrammeStatus.IN_IMPLEMENTATION]  # fmt: skip
    programmes = []
    for i in range(sizes.programmes):
        status = statuses[i % len(statuses)]
        start = TODAY - dt.timedelta(days=rng.randint(30, 400))
        programmes.append(FamilyProgramme(
            family_id=family_ids[(i * 3 + 1) % len(family_ids)], prepared_by=PreparedBy.MGI, team=staff["mgi_team"],
            summary="Program aktywizacji rodziny trzypokoleniowej.", period_start=start,
            period_end=start + dt.timedelta(days=270), status=status,
            submitted_at=now - dt.timedelta(days=rng.randint(1, 60)) if status != ProgrammeStatus.DRAFT else None,
            created_by=staff["mgi"],
        ))  # fmt: skip
    FamilyProgramme.objects.bulk_create(programmes, batch_size=BATCH)
    goals, actions = [], []
    for n, programme in enumerate(programmes):
        person_id = heads.get(programme.family_id)
        goals.append(ProgrammeGoal(programme=programme, person_id=person_id, text="Podjęcie pracy przez rodzica."))
        service = services[n % 8]
        for k in range(2):
            start = programme.period_start + dt.timedelta(days=30 * k)
            actions.append(ProgrammeAction(
                programme=programme, module=service.module, service=service if k == 0 else None,
                description="" if k == 0 else "Spotkania z asystentem rodziny.", person_id=person_id,
                start_on=start, end_on=start + dt.timedelta(days=60), expected_result="Udział w zajęciach.",
                order=k,
            ))  # fmt: skip
    ProgrammeGoal.objects.bulk_create(goals, batch_size=BATCH)
    ProgrammeAction.objects.bulk_create(actions, batch_size=BATCH)
    return len(programmes)


def create_participations(rng: random.Random, sizes, staff) -> int:
    created = 0
    for index, project in enumerate(staff["projects"]):
        target = sizes.main_participations if index == 0 else sizes.small_participations
        persons = list(
            Person.objects.filter(family__project=project, birth_date__lte=dt.date(2003, 1, 1)).values(
                "pk", "first_name", "last_name", "pesel", "sex", "birth_date"
            )[:target]
        )
        rows = []
        for i, p in enumerate(persons):
            start = project.start_date + dt.timedelta(days=rng.randint(0, 1500))
            ended = i % 5 < 3 and start < TODAY - dt.timedelta(days=60)
            status = [LabourStatus.UNEMPLOYED_REGISTERED, LabourStatus.INACTIVE, LabourStatus.UNEMPLOYED_UNREGISTERED,
                      LabourStatus.EMPLOYED][i % 4]  # fmt: skip
            rows.append(Participation(
                project=project, person_id=p["pk"], first_name=p["first_name"], last_name=p["last_name"],
                pesel=p["pesel"], sex=p["sex"], birth_date=p["birth_date"], locality="Miasto", gmina="Miasto",
                voivodeship="śląskie", county="Miasto", postal_code="44-300", degurba="1", start_date=start,
                education="" if i % 97 == 0 else list(Education)[i % 6], labour_status=status,
                labour_status_detail=LabourStatusDetail.LONG_TERM_UNEMPLOYED if status in (
                    LabourStatus.UNEMPLOYED_REGISTERED, LabourStatus.UNEMPLOYED_UNREGISTERED) and i % 2 else "",
                disability=[Answer.NO, Answer.YES, Answer.NO, Answer.REFUSED][i % 4], minority=Answer.NO,
                homeless=Answer.NO, other_disadvantage=Answer.YES if i % 3 == 0 else Answer.NO, at_risk=i % 10 != 0,
                entry_confirmed_at=timezone.now(), end_date=min(TODAY, start + dt.timedelta(days=180)) if ended
                else None, completed_as_planned=True if ended else None,
            ))  # fmt: skip
        for row in rows:  # bulk_create skips save(): derive the stored age here
            row.age_at_start = row.compute_age_at_start()
        Participation.objects.bulk_create(rows, batch_size=BATCH)
        created += len(rows)
        create_outcomes(rng, [r for r in rows if r.end_date])
    return created


def create_outcomes(rng: random.Random, ended: list[Participation]) -> None:
    events = []
    for i, p in enumerate(ended):
        if i % 4 == 0:
            events.append(OutcomeEvent(
                participation=p, kind=OutcomeKind.EMPLOYMENT, occurred_on=p.end_date + dt.timedelta(days=i % 40),
                employment_form=[EmploymentForm.CONTRACT, EmploymentForm.CIVIL, EmploymentForm.BUSINESS][i % 3],
                fte=Decimal("1.00") if i % 3 == 0 else None, planned_months=6, employer="Zakład Usług Komunalnych",
                evidence="Kopia umowy.",
            ))  # fmt: skip
        if i % 5 == 0:
            events.append(
                OutcomeEvent(
                    participation=p,
                    kind=OutcomeKind.QUALIFICATION,
                    occurred_on=p.end_date,
                    qualification_name="Operator wózka widłowego",
                    evidence="Certyfikat.",
                )
            )
        if i % 2 == 0:
            events.append(
                OutcomeEvent(
                    participation=p,
                    kind=OutcomeKind.SOCIAL_PROGRESS,
                    occurred_on=p.end_date + dt.timedelta(days=10),
                    progress_category=list(ProgressCategory)[i % 8],
                    evidence="Ocena doradcy.",
                )
            )
    OutcomeEvent.objects.bulk_create(events, batch_size=BATCH)
