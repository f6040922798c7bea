import random

from django.db import connection, transaction

from families.models import Family, Person
from reporting.loadgen import base


class LoadDataError(Exception):
    pass


def counts() -> dict[str, int]:
    return {
        "families": Family.objects.filter(case_number__startswith=base.LOAD_PREFIX).count(),
        "persons": Person.objects.filter(family__case_number__startswith=base.LOAD_PREFIX).count(),
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
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts()
