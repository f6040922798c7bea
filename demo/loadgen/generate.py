import random
import time

from auditlog.models import LogEntry
from django.db import connection, transaction
from django.db.models import Count

from contracts.models import (
    FamilyProgramme,
    GroupEnrolment,
    GroupSession,
    ProgrammeAction,
    ProgrammeEvent,
    ProgrammeGoal,
    ProgrammeVersion,
    Referral,
    ReferralAttendance,
    ReferralEvent,
    ReferralOutcome,
    SessionAttendance,
    SessionGroup,
    SocialContract,
)
from demo.loadgen import base, casework, efs, referrals, rooms
from demo.loadgen.audit import create_audit_history
from demo.loadgen.indexes import DeferredIndexes
from demo.loadgen.world import World
from families.models import Assessment, AssessmentScore, Family, NeedsDiagnosis, Person, Visit
from reporting.models import OutcomeEvent, OutcomeProposal, Participation, Support


class LoadDataError(Exception):
    pass


# the tables written with COPY: their secondary indexes and foreign keys wait for the end of the load
LOADED = [Family, Person, Visit, NeedsDiagnosis, Referral, ReferralEvent, ReferralAttendance, SessionGroup,
          GroupSession, GroupEnrolment, SessionAttendance, SocialContract, FamilyProgramme, ProgrammeGoal,
          ProgrammeAction, ProgrammeVersion, ProgrammeEvent, Participation, Support, Assessment, AssessmentScore,
          ReferralOutcome, OutcomeEvent, OutcomeProposal, LogEntry]  # fmt: skip


def pick_bench_family(family_ids: list[int]) -> int:
    """The family the benchmark opens: three generations (five members), 250 visits."""
    return (
        Person.objects.filter(family_id__in=family_ids)
        .values("family_id")
        .annotate(n=Count("pk"))
        .filter(n=5)
        .order_by("family_id")
        .values_list("family_id", flat=True)
        .first()
    )


def counts() -> dict[str, int]:
    load_families = Family.objects.filter(case_number__startswith=base.LOAD_PREFIX)
    return {
        "families": load_families.count(),
        "persons": Person.objects.filter(family__in=load_families).count(),
        "visits": Visit.objects.filter(family__in=load_families).count(),
        "referrals": Referral.objects.filter(person__family__in=load_families).count(),
        "contracts": SocialContract.objects.filter(family__in=load_families).count(),
        "programmes": FamilyProgramme.objects.filter(family__in=load_families).count(),
        "group_sessions": GroupSession.objects.filter(group__service__name__in=[s[2] for s in rooms.SERVICES],
                                                      group__institution__name__startswith=base.LOAD_PREFIX).count(),
        "participations": Participation.objects.filter(project__agreement_number__startswith=base.LOAD_PREFIX).count(),
        "supports": Support.objects.filter(
            participation__project__agreement_number__startswith=base.LOAD_PREFIX).count(),
        "outcome_proposals": OutcomeProposal.objects.filter(
            participation__project__agreement_number__startswith=base.LOAD_PREFIX).count(),
    }  # fmt: skip


class Steps:
    """Runs the generator's steps, logging each with its count and time."""

    def __init__(self, log):
        self.log, self.started = log, time.perf_counter()

    def __call__(self, label: str, func, *args):
        started = time.perf_counter()
        result = func(*args)
        if isinstance(result, tuple):
            shown = ", ".join(str(len(part)) for part in result)
        elif isinstance(result, dict) and all(isinstance(v, int) for v in result.values()):
            shown = result
        elif isinstance(result, list | dict):
            shown = len(result)
        else:
            shown = result
        self.log(f"{label}: {shown} ({time.perf_counter() - started:.1f} s)")
        return result


def run(*, scale: str, seed: int, reuse: bool, log) -> dict[str, int]:
    if connection.vendor != "postgresql":
        raise LoadDataError("Dane obciążeniowe wymagają PostgreSQL (COPY).")
    sizes = base.Sizes(scale)
    existing = counts()
    if existing["families"]:
        if reuse and existing["families"] == sizes.families:
            log(f"Dane skali {scale} już są – bez zmian.")
            return existing
        raise LoadDataError("Baza zawiera już dane obciążeniowe innej skali: użyj pustej bazy.")
    rng = random.Random(seed)
    step = Steps(log)
    deferred = DeferredIndexes(LOADED)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")  # one commit, of a throw-away load
        step("indeksy i klucze obce odłożone", deferred.drop)
        world = World(sizes=sizes, staff=step("pracownicy, projekty, zespoły", base.create_staff, rng, sizes))
        world.add_families(*step("rodziny i osoby", base.create_families, rng, sizes, world.staff))
        services = step("katalog usług", rooms.create_services, world)
        bench_family = pick_bench_family([f.pk for f in world.families[:200]])
        step("wizyty", casework.create_visits, rng, world, bench_family)
        step("indeksy wizyt", deferred.restore, Visit)  # the next step reads each family's latest visit
        step("daty wizyt w rodzinach", casework.refresh_family_dates, world)
        step("diagnozy potrzeb", casework.create_diagnoses, rng, world)
        refs = step("skierowania", referrals.create_referrals, rng, world, services)
        step("historia skierowań", referrals.create_referral_events, world, refs)
        step("obecności (usługi indywidualne)", referrals.create_individual_attendance, world, refs)
        step("grupy, zajęcia, obecności", referrals.create_groups, rng, world, refs)
        step("kontrakty", rooms.create_contracts, rng, world)
        step("programy, wersje, zdarzenia", rooms.create_programmes, rng, world, services)
        participations = step("uczestnictwa", efs.create_participations, rng, world, refs)
        supported = step("formy wsparcia", efs.create_supports, world, participations, refs)
        step("oceny kompetencji", efs.create_assessments, rng, world, participations)
        step("rezultaty skierowań i propozycje", efs.create_referral_outcomes, rng, world, refs, supported)
        step("rezultaty wpisane ręcznie", efs.create_manual_outcomes, world, participations)
        step("historia zmian", create_audit_history, world)
        step("indeksy i klucze obce", deferred.restore_all)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # (`bench/run.py` runs VACUUM ANALYZE after the load)
    return counts()
