"""Offices (institutions, staff, teams), projects, families and persons.

Scale L is one large city: a MOPS, the powiat's PUP and PCPR, 60 social workers, 20,000 families.
Scale XL is a voivodeship's centre hosting ten such offices on one PostgreSQL (ten times the
institutions, teams, workers and families, not more rows per worker), all taking part in one
regional project (250,000 participations) besides three smaller ones; S and M are 1/100 and 1/10
of L. Dates are relative to the day of the load (`today`), inside the projects' periods."""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from demo.loadgen.copy import build, copy_objects
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


SCALES = {"S": 0.01, "M": 0.1, "L": 1.0, "XL": 10.0}


class Sizes:
    def __init__(self, scale: str):
        factor = SCALES[scale]
        self.scale = scale
        self.today = timezone.localdate()
        self.offices = 10 if scale == "XL" else 1  # XL: ten offices of L's size, not bigger offices
        self.families = int(20_000 * factor)
        self.workers_per_office = 60 if factor >= 1 else max(3, int(60 * factor))
        self.visits = int(400_000 * factor)
        self.referrals = int(60_000 * factor)
        self.contracts = int(10_000 * factor)
        self.programmes = int(8_000 * factor)
        self.main_participations = int(25_000 * factor)
        self.small_participations = int(1_000 * factor)


def _office_users(k: int, sizes: Sizes, password: str) -> list:
    """Workers, then the partner (PUP), the MGI member: office 0 keeps the usernames of scale L."""
    User = get_user_model()
    prefix = "load." if k == 0 else f"load.o{k:02d}."
    users = [
        User(username=f"{prefix}worker{i:02d}", first_name="Pracownik", last_name=f"{k:02d}-{i:02d}", password=password)
        for i in range(sizes.workers_per_office)
    ]
    users += [User(username=f"{prefix}{name}", first_name=name, last_name="Load", password=password)
              for name in ("partner", "mgi")]  # fmt: skip
    return users


def _institutions(k: int, city: str) -> tuple[Institution, Institution, Institution]:
    tag = "" if k == 0 else f" {k:02d}"
    mops = Institution.objects.create(
        name=f"{LOAD_PREFIX} Miejski Ośrodek Pomocy Społecznej{tag}",
        short_name=f"MOPS{tag} (load)",
        kind=InstitutionKind.OPS,
        locality=city,
    )
    pup = Institution.objects.create(
        name=f"{LOAD_PREFIX} Powiatowy Urząd Pracy{tag}",
        short_name=f"PUP{tag} (load)",
        kind=InstitutionKind.PUP,
        locality=city,
    )
    pcpr = Institution.objects.create(
        name=f"{LOAD_PREFIX} Powiatowe Centrum Pomocy Rodzinie{tag}",
        short_name=f"PCPR{tag} (load)",
        kind=InstitutionKind.PCPR,
        locality=city,
    )
    return mops, pup, pcpr  # fmt: skip


def create_offices(sizes: Sizes, password: str) -> list[dict]:
    """One MOPS with its powiat's PUP and PCPR per office, its workers, partner and MGI member."""
    User = get_user_model()
    offices, users = [], []
    for k in range(sizes.offices):
        mops, pup, pcpr = _institutions(k, "Miasto" if k == 0 else f"Miasto {k:02d}")
        office_users = _office_users(k, sizes, password)
        users += office_users
        offices.append({"k": k, "mops": mops, "pup": pup, "pcpr": pcpr, "users": office_users})
    User.objects.bulk_create(users, batch_size=BATCH)
    memberships = []
    for office in offices:
        *workers, partner, mgi = office.pop("users")
        office.update(workers=workers, partner=partner, mgi=mgi)
        memberships += [StaffMembership(user=u, institution=office["mops"], role=Role.SOCIAL_WORKER) for u in workers]
        memberships += [StaffMembership(user=partner, institution=office["pup"], role=Role.PARTNER_STAFF),
                        StaffMembership(user=mgi, institution=office["mops"], role=Role.MGI_MEMBER)]  # fmt: skip
    StaffMembership.objects.bulk_create(memberships, batch_size=BATCH)
    return offices


def create_projects(sizes: Sizes, offices: list[dict], project_staff: list) -> list[Project]:
    """The main project (regional at XL: every office takes part) and three smaller ones; they run
    from January three years ago to December next year, so today is inside every period."""
    today = sizes.today
    projects = []
    for i, title in enumerate(["Miasto bez barier", "Rodzina w centrum", "Aktywni razem", "Krok do pracy"]):
        project = Project.objects.create(
            title=f"{LOAD_PREFIX} {title}", short_name=title,
            agreement_number=f"{LOAD_PREFIX}-POWR.09.01.00-{i:04d}/18",
            programme="RPO 2021-2027", action="9.1 Aktywna integracja", leader=offices[0]["mops"],
            start_date=dt.date(today.year - 3, 1, 1), end_date=dt.date(today.year + 1, 12, 31),
            total_value=Decimal("12000000.00") * len(offices), eu_cofinancing=Decimal("10200000.00") * len(offices),
            participants_target=sizes.main_participations if i == 0 else sizes.small_participations,
        )  # fmt: skip
        project.partners.add(*(o[kind] for o in offices for kind in ("pup", "pcpr")), *(o["mops"] for o in offices[1:]))
        project.staff.add(*project_staff)
        projects.append(project)
    return projects


def create_teams(offices: list[dict], project: Project) -> None:
    for office in offices:
        workers, teams = office["workers"], []
        for t in range(max(1, len(workers) // 6)):
            team = Team.objects.create(name=f"{LOAD_PREFIX} Zespół {office['k']:02d}-{t + 1}", kind=TeamKind.CASE_TEAM,
                                       project=project, institution=office["mops"])  # fmt: skip
            team.members.add(*workers[t * 6 : (t + 1) * 6])
            teams.append(team)
        office["teams"] = teams
        office["mgi_team"] = Team.objects.create(name=f"{LOAD_PREFIX} MGI {office['k']:02d}", kind=TeamKind.MGI,
                                                 project=project, institution=office["mops"])  # fmt: skip
        office["mgi_team"].members.add(office["mgi"])


def create_staff(rng: random.Random, sizes: Sizes):
    User = get_user_model()
    password = make_password(PASSWORD)
    offices = create_offices(sizes, password)
    heads = User.objects.bulk_create([User(username=name, first_name=name, last_name="Load", password=password)
                                      for name in ("load.coordinator", "load.manager", "load.auditor")])  # fmt: skip
    coordinator, manager, auditor = heads
    mops = offices[0]["mops"]
    StaffMembership.objects.bulk_create([
        StaffMembership(user=coordinator, institution=mops, role=Role.COORDINATOR),
        StaffMembership(user=manager, institution=mops, role=Role.PROJECT_MANAGER),
        StaffMembership(user=auditor, institution=mops, role=Role.AUDITOR, valid_until=dt.date(2099, 12, 31)),
    ])  # fmt: skip
    projects = create_projects(sizes, offices, heads)
    create_teams(offices, projects[0])
    first = offices[0]
    return {
        **{key: first[key] for key in ("mops", "pup", "pcpr", "partner", "mgi", "teams", "mgi_team")},
        "offices": offices,
        "workers": [w for office in offices for w in office["workers"]],
        "coordinator": coordinator,
        "manager": manager,
        "auditor": auditor,
        "projects": projects,
        "today": sizes.today,
    }


def office_of_family(i: int, sizes: Sizes) -> int:
    return i * sizes.offices // max(1, sizes.families)


def create_families(rng: random.Random, sizes: Sizes, staff) -> tuple[list[Family], list[Person]]:
    """Families of 1–5 persons (3 on average, up to three generations), in contiguous blocks per
    office."""
    projects, offices = staff["projects"], staff["offices"]
    families = []
    for i in range(sizes.families):
        office = offices[office_of_family(i, sizes)]
        workers = office["workers"]
        families.append(
            build(
                Family,
                institution=office["mops"],
                case_number=f"{LOAD_PREFIX}/{i:06d}",
                project=projects[0 if i % 5 else 1 + i % 3],
                street=f"ul. {rng.choice(STREETS)}",
                building=str(rng.randint(1, 120)),
                flat=str(rng.randint(1, 40)),
                postal_code=f"{rng.randint(10, 99)}-{rng.randint(100, 999)}",
                locality=office["mops"].locality,
                gmina=office["mops"].locality,
                area=rng.choice(AREAS),
                social_worker=workers[i % len(workers)],
                team=office["mgi_team"] if i % 50 == 0 else None,
                status=FamilyStatus.ACTIVE if i % 10 else FamilyStatus.CANDIDATE,
                intergenerational_poverty=i % 3 == 0,
                created_at=timezone.now() - dt.timedelta(days=700 - (i % 600)),
            )
        )
    copy_objects(Family, families)
    persons = _persons(rng, sizes, [f.pk for f in families])
    copy_objects(Person, persons)
    return families, persons


def _persons(rng: random.Random, sizes: Sizes, family_ids: list[int]) -> list[Person]:
    persons: list[Person] = []
    serial, used = 0, set()
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
                build(
                    Person,
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
    return persons
