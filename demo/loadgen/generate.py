import random

from django.db import connection, transaction
from django.db.models import Count

from contracts.models import FamilyProgramme, Referral, SocialContract
from demo.loadgen import base, rooms
from demo.loadgen.audit import create_audit_history
from families.models import Family, Person, Visit
from reporting.models import Participation


class LoadDataError(Exception):
    pass


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
        "participations": Participation.objects.filter(project__agreement_number__startswith=base.LOAD_PREFIX).count(),
    }


def run(*, scale: str, seed: int, reuse: bool, log) -> dict[str, int]:
    sizes = base.Sizes(scale)
    existing = counts()
    if existing["families"]:
        if reuse and existing["families"] == sizes.families:
            log(f"Dane skali {scale} już są – bez zmian.")
            return existing
        raise LoadDataError("Baza zawiera już dane obciążeniowe innej skali: użyj pustej bazy.")
    rng = random.Random(seed)
    with transaction.atomic():
        staff = base.create_staff(rng, sizes)
        log("pracownicy, projekty, zespoły")
        family_ids, person_ids = base.create_families(rng, sizes, staff)
        log(f"rodziny: {len(family_ids)}, osoby: {len(person_ids)}")
        services = rooms.create_services(staff)
        bench_family = pick_bench_family(family_ids)
        log(f"wizyty: {rooms.create_visits(rng, sizes, staff, family_ids, bench_family)}")
        log(f"skierowania: {rooms.create_referrals(rng, sizes, staff, person_ids, services)}")
        log(f"kontrakty: {rooms.create_contracts(rng, sizes, staff, family_ids)}")
        log(f"programy: {rooms.create_programmes(rng, sizes, staff, family_ids, services)}")
        log(f"uczestnictwa: {rooms.create_participations(rng, sizes, staff)}")
        log(f"historia zmian: {create_audit_history(staff, family_ids)}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # (`bench/run.py` runs VACUUM ANALYZE after the load)
    return counts()
