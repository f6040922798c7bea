"""Institutions, staff, projects, teams, families and persons."""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from families.codes import Education, LabourStatus, Relation, Sex
from families.models import Family, FamilyStatus, Person
from families.pesel import make_pesel
from support_network.models import Institution, InstitutionKind, Project, Role, StaffMembership, Team, TeamKind

BATCH = 5000
LOAD_PREFIX = "LOAD"
PASSWORD = "Bench-haslo-2024!"  # noqa: S105 - benchmark database only
FIRST_F = ["Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna", "Zofia", "Jadwiga"]
FIRST_M = ["Jan", "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Marek", "Michał", "Józef", "Stanisław"]
LAST = [
    "Nowak",
    "Kowalsk",
    "Wiśniewsk",
    "Wójcik",
    "Kowalczyk",
    "Kamińsk",
    "Lewandowsk",
    "Zielińsk",
    "Szymańsk",
    "Woźniak",
    "Dąbrowsk",
    "Kozłowsk",
    "Jankowsk",
    "Mazur",
    "Kwiatkowsk",
    "Krawczyk",
    "Piotrowsk",
    "Grabowsk",
]
STREETS = [
    "Piłsudskiego",
    "Mickiewicza",
    "Słowackiego",
    "Kościuszki",
    "Wojska Polskiego",
    "Długa",
    "Krótka",
    "Ogrodowa",
    "Polna",
    "Leśna",
    "Szkolna",
    "Kolejowa",
]
AREAS = ["Śródmieście", "Stare Miasto", "Osiedle Północ", "Zatorze", "Wilchwy", "Nowe Miasto", "Podgórze"]


def surname(base: str, sex: str) -> str:
    if base.endswith("sk"):
        return base + ("a" if sex == Sex.FEMALE else "i")
    return base


class Sizes:
    def __init__(self, scale: str):
        factor = {"S": 0.01, "M": 0.1, "L": 1.0}[scale]
        self.families = int(20_000 * factor)
        self.workers = max(3, int(60 * factor)) if scale != "L" else 60
        self.visits = int(400_000 * factor)
        self.referrals = int(60_000 * factor)
        self.contracts = int(10_000 * factor)
        self.programmes = int(8_000 * factor)
        self.main_participations = int(25_000 * factor)
        self.small_participations = int(1_000 * factor)


def create_staff(rng: random.Random, sizes: Sizes):
    User = get_user_model()
    mops = Institution.objects.create(
        name=f"{LOAD_PREFIX} Miejski Ośrodek Pomocy Społecznej",
        short_name="MOPS (load)",
        kind=InstitutionKind.OPS,
        locality="Miasto",
    )
    pup = Institution.objects.create(
        name=f"{LOAD_PREFIX} Powiatowy Urząd Pracy",
        short_name="PUP (load)",
        kind=InstitutionKind.PUP,
        locality="Miasto",
    )
    pcpr = Institution.objects.create(
        name=f"{LOAD_PREFIX} Powiatowe Centrum Pomocy Rodzinie",
        short_name="PCPR (load)",
        kind=InstitutionKind.PCPR,
        locality="Miasto",
    )
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        [
            User(username=f"load.worker{i:02d}", first_name="Pracownik", last_name=f"{i:02d}", password=password)
            for i in range(sizes.workers)
        ]
        + [
            User(username=name, first_name=name, last_name="Load", password=password)
            for name in ("load.coordinator", "load.manager", "load.partner", "load.auditor", "load.mgi")
        ]
    )
    workers, (coordinator, manager, partner, auditor, mgi) = users[: sizes.workers], users[sizes.workers :]
    memberships = [StaffMembership(user=u, institution=mops, role=Role.SOCIAL_WORKER) for u in workers]
    memberships += [
        StaffMembership(user=coordinator, institution=mops, role=Role.COORDINATOR),
        StaffMembership(user=manager, institution=mops, role=Role.PROJECT_MANAGER),
        StaffMembership(user=partner, institution=pup, role=Role.PARTNER_STAFF),
        StaffMembership(user=auditor, institution=mops, role=Role.AUDITOR, valid_until=dt.date(2099, 12, 31)),
        StaffMembership(user=mgi, institution=mops, role=Role.MGI_MEMBER),
    ]
    StaffMembership.objects.bulk_create(memberships)
    projects = []
    for i, title in enumerate(["Miasto bez barier", "Rodzina w centrum", "Aktywni razem", "Krok do pracy"]):
        project = Project.objects.create(
            title=f"{LOAD_PREFIX} {title}",
            short_name=title,
            agreement_number=f"{LOAD_PREFIX}-POWR.09.01.00-{i:04d}/18",
            programme="RPO 2014-2020",
            action="9.1 Aktywna integracja",
            leader=mops,
            start_date=dt.date(2018, 1, 1),
            end_date=dt.date(2023, 12, 31),
            total_value=Decimal("12000000.00"),
            eu_cofinancing=Decimal("10200000.00"),
            participants_target=sizes.main_participations if i == 0 else sizes.small_participations,
        )
        project.partners.add(pup, pcpr)
        project.staff.add(coordinator, manager, auditor)
        projects.append(project)
    teams = []
    for t in range(max(1, sizes.workers // 6)):
        team = Team.objects.create(
            name=f"{LOAD_PREFIX} Zespół {t + 1}", kind=TeamKind.CASE_TEAM, project=projects[0], institution=mops
        )
        team.members.add(*workers[t * 6 : (t + 1) * 6])
        teams.append(team)
    mgi_team = Team.objects.create(name=f"{LOAD_PREFIX} MGI", kind=TeamKind.MGI, project=projects[0], institution=mops)
    mgi_team.members.add(mgi)
    return {
        "mops": mops,
        "pup": pup,
        "pcpr": pcpr,
        "workers": workers,
        "coordinator": coordinator,
        "manager": manager,
        "partner": partner,
        "auditor": auditor,
        "mgi": mgi,
        "projects": projects,
        "teams": teams,
        "mgi_team": mgi_team,
    }


def create_families(rng: random.Random, sizes: Sizes, staff) -> tuple[list[int], list[int]]:
    """Families of 1–5 persons (3 on average, up to three generations). Returns (family ids, person ids)."""
    workers, projects = staff["workers"], staff["projects"]
    families = []
    for i in range(sizes.families):
        team = staff["mgi_team"] if i % 50 == 0 else None
        families.append(
            Family(
                institution=staff["mops"],
                case_number=f"{LOAD_PREFIX}/{i:06d}",
                project=projects[0 if i % 5 else 1 + i % 3],
                street=f"ul. {rng.choice(STREETS)}",
                building=str(rng.randint(1, 120)),
                flat=str(rng.randint(1, 40)),
                postal_code=f"{rng.randint(10, 99)}-{rng.randint(100, 999)}",
                locality="Miasto",
                gmina="Miasto",
                area=rng.choice(AREAS),
                social_worker=workers[i % len(workers)],
                team=team,
                status=FamilyStatus.ACTIVE if i % 10 else FamilyStatus.CANDIDATE,
                intergenerational_poverty=i % 3 == 0,
            )
        )
    Family.objects.bulk_create(families, batch_size=BATCH)
    family_ids = [f.pk for f in families]
    persons, serial, used = [], 0, set()
    target_persons = sizes.families * 3
    sizes_cycle = [1, 2, 3, 3, 3, 4, 5]
    for n, family_pk in enumerate(family_ids):
        remaining = target_persons - len(persons)
        count = min(sizes_cycle[n % len(sizes_cycle)], max(1, remaining - (len(family_ids) - n - 1)))
        last = rng.choice(LAST)
        for k in range(count):
            generation = [2, 2, 3, 1, 3][k]
            relation = [Relation.HEAD, Relation.SPOUSE, Relation.CHILD, Relation.PARENT, Relation.CHILD][k]
            year = {1: 1950, 2: 1978, 3: 2004}[generation] + rng.randint(0, 12)
            sex = Sex.MALE if (k + n) % 2 else Sex.FEMALE
            birth = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
            serial += 1
            pesel = make_pesel(birth, serial, sex)
            while pesel in used:  # make_pesel repeats after 5,000 serials on one birth date
                serial += 1
                pesel = make_pesel(birth, serial, sex)
            used.add(pesel)
            persons.append(
                Person(
                    family_id=family_pk,
                    first_name=rng.choice(FIRST_M if sex == Sex.MALE else FIRST_F),
                    last_name=surname(last, sex),
                    pesel=pesel,
                    birth_date=birth,
                    sex=sex,
                    relation=relation,
                    generation=generation,
                    education=rng.choice(list(Education)),
                    labour_status=rng.choice(list(LabourStatus)),
                )
            )
    Person.objects.bulk_create(persons, batch_size=BATCH)
    return family_ids, [p.pk for p in persons]
