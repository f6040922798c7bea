"""Demo data of this room for seed_demo: families of the four demo projects, with members,
visits (a few overdue), needs diagnoses and, for Kalisz, entry and exit competence assessments.

Idempotent: families by (institution, case number), persons by (family, PESEL); visits, diagnoses
and assessments are added only to a family that has none yet. Deterministic: no randomness, the
names, dates and synthetic PESELs (families.pesel.make_pesel) follow from the position in the lists.
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from core.crypto import keyed_hash
from families.codes import AssistanceReason, Education, LabourStatus, LabourStatusDetail, Relation, Sex
from families.instruments import ensure_social_competences
from families.models import (
    Assessment,
    AssessmentKind,
    AssessmentScore,
    Dimension,
    Family,
    FamilyReason,
    FamilyStatus,
    Instrument,
    NeedsDiagnosis,
    Person,
    Visit,
    VisitKind,
    refresh_visit_dates,
)
from families.pesel import make_pesel
from support_network.models import Institution, Project, Team

SURNAMES = [
    ("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"), ("Wójcik", "Wójcik"),
    ("Kowalczyk", "Kowalczyk"), ("Kamiński", "Kamińska"), ("Lewandowski", "Lewandowska"), ("Zieliński", "Zielińska"),
    ("Szymański", "Szymańska"), ("Woźniak", "Woźniak"), ("Dąbrowski", "Dąbrowska"), ("Kozłowski", "Kozłowska"),
    ("Jankowski", "Jankowska"), ("Mazur", "Mazur"), ("Kwiatkowski", "Kwiatkowska"), ("Krawczyk", "Krawczyk"),
    ("Piotrowski", "Piotrowska"), ("Grabowski", "Grabowska"), ("Nowakowski", "Nowakowska"), ("Pawłowski", "Pawłowska"),
    ("Michalski", "Michalska"), ("Nowicki", "Nowicka"), ("Adamczyk", "Adamczyk"), ("Dudek", "Dudek"),
    ("Zając", "Zając"), ("Wieczorek", "Wieczorek"), ("Jabłoński", "Jabłońska"), ("Król", "Król"),
    ("Majewski", "Majewska"), ("Olszewski", "Olszewska"),
]  # fmt: skip
MEN = [
    "Jan",
    "Andrzej",
    "Piotr",
    "Krzysztof",
    "Stanisław",
    "Tomasz",
    "Paweł",
    "Józef",
    "Marcin",
    "Marek",
    "Michał",
    "Grzegorz",
    "Jerzy",
    "Tadeusz",
    "Adam",
    "Łukasz",
    "Zbigniew",
    "Ryszard",
    "Dariusz",
    "Henryk",
]
WOMEN = [
    "Anna",
    "Maria",
    "Katarzyna",
    "Małgorzata",
    "Agnieszka",
    "Barbara",
    "Ewa",
    "Krystyna",
    "Elżbieta",
    "Zofia",
    "Teresa",
    "Magdalena",
    "Joanna",
    "Danuta",
    "Monika",
    "Irena",
    "Beata",
    "Aleksandra",
    "Jadwiga",
    "Halina",
]
BOYS = ["Kacper", "Szymon", "Jakub", "Filip", "Mateusz", "Bartosz", "Wiktor", "Dawid", "Igor", "Oskar"]
GIRLS = ["Julia", "Zuzanna", "Maja", "Lena", "Hanna", "Oliwia", "Amelia", "Natalia", "Wiktoria", "Alicja"]

WILCHWY_STREETS = [
    "ul. Wilchwiańska",
    "ul. Mszańska",
    "ul. Jana Pawła II",
    "ul. Kokoszycka",
    "ul. Grabowa",
    "ul. Zwycięstwa",
]
VISIT_NOTES = [
    ("Rozmowa z rodziną o sytuacji mieszkaniowej i zadłużeniu czynszowym.", "Złożyć wniosek o dodatek mieszkaniowy."),
    ("Omówiono postępy dzieci w szkole; babcia pomaga w opiece po lekcjach.", "Kontakt z pedagogiem szkolnym."),
    ("Rozmowa o ofercie PUP i szkoleniu zawodowym dla rodzica.", "Umówić wizytę u doradcy zawodowego w PUP."),
    ("Rodzina zgłosiła potrzebę porady prawnej w sprawie alimentów.", "Skierować na poradnictwo prawne."),
    ("Kontrola realizacji ustaleń; rodzina uczestniczy w warsztatach.", "Kontynuować udział w warsztatach."),
]


def seed(stdout) -> None:
    instrument = ensure_social_competences(Instrument, Dimension)
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=["pracownik", "mgi", "pracownik.kalisz", "pracownik.sochaczew"]
        )
    }
    institutions = {i.short_name: i for i in Institution.objects.all()}
    projects = {p.short_name: p for p in Project.objects.all()}
    teams = {t.name: t for t in Team.objects.all()}
    today = dt.date.today()
    counts = {}
    with transaction.atomic():
        counts["Fachowa siła"] = _seed_project(
            _wilchwy_families(),
            project=projects["Fachowa siła"],
            institution=institutions["MOPS Wodzisław Śl."],
            worker=users["pracownik"],
            team=teams["Zespół pracowników socjalnych – Wilchwy"],
            today=today,
        )
        counts["Schematom STOP!"] = _seed_project(
            _turek_families(),
            project=projects["Schematom STOP!"],
            institution=institutions["MOPS Turek"],
            worker=users["mgi"],
            team=teams["MGI Turek"],
            today=today,
            visit_kind=VisitKind.MGI_FIELD,
        )
        counts["Razem Skuteczniej"] = _seed_project(
            _single_clients(
                "RS/2017",
                20,
                offset=40,
                locality="Kalisz",
                postal="62-800",
                gmina_teryt="3061011",
                streets=["ul. Majkowska", "ul. Wrocławska", "ul. Górnośląska", "ul. Złota"],
                area="Obszar rewitalizacji – Śródmieście",
            ),
            project=projects["Razem Skuteczniej"],
            institution=institutions["MOPS Kalisz"],
            worker=users["pracownik.kalisz"],
            team=teams["Zespół MOPS–PUP Kalisz"],
            today=today,
            visit_kind=VisitKind.OFFICE,
            instrument=instrument,
        )
        counts["KIS Sochaczew"] = _seed_project(
            _single_clients(
                "KIS/2013",
                15,
                offset=70,
                locality="Sochaczew",
                postal="96-500",
                gmina_teryt="1428011",
                streets=["ul. Staszica", "ul. Warszawska", "ul. 15 Sierpnia", "ul. Chopina"],
                area="Sochaczew",
                inactive=True,
            ),
            project=projects["KIS Sochaczew"],
            institution=institutions["KIS Sochaczew"],
            worker=users["pracownik.sochaczew"],
            team=teams["Kadra KIS Sochaczew"],
            today=today,
            visit_kind=VisitKind.OFFICE,
        )
        counts["Wilchwy – kontynuacja"] = _seed_current(projects, institutions, users, teams, today)
    for name, n in counts.items():
        stdout.write(f"  rodziny: {name} – {n}")


def _seed_current(projects, institutions, users, teams, today):
    """Today's project (illustrative): four households of the Wilchwy worker's current caseload, dated
    back from today, one of them with an overdue next visit."""
    if "Wilchwy – kontynuacja" not in projects:
        return 0
    return _seed_project(
        _single_clients("W/2025", 4, offset=100, locality="Wodzisław Śląski", postal="44-304", gmina_teryt="2415041",
                        streets=WILCHWY_STREETS, area="Wilchwy"),
        project=projects["Wilchwy – kontynuacja"], institution=institutions["MOPS Wodzisław Śl."],
        worker=users["pracownik"], team=teams["Zespół pracowników socjalnych – Wilchwy"], today=today,
    )  # fmt: skip


def _person(surname_idx, first, sex, birth, relation, generation, serial, **extra):
    male, female = SURNAMES[surname_idx % len(SURNAMES)]
    return {
        "first_name": first, "last_name": male if sex == Sex.MALE else female, "sex": sex, "birth_date": birth,
        "relation": relation, "generation": generation, "pesel": make_pesel(birth, serial, sex), **extra,
    }  # fmt: skip


def _wilchwy_families():
    """About twelve three-generation families in Wilchwy (Fachowa siła): grandparent(s), parents, children."""
    families = []
    for i in range(12):
        serial = 100 + i * 10
        head_birth = dt.date(1975 + i % 9, 1 + i % 12, 3 + i)
        members = [
            _person(
                i,
                WOMEN[i],
                Sex.FEMALE,
                head_birth,
                Relation.HEAD,
                2,
                serial,
                education=Education.ISCED2,
                labour_status=LabourStatus.UNEMPLOYED_REGISTERED,
                labour_status_detail=LabourStatusDetail.LONG_TERM_UNEMPLOYED,
                pup_registered_on=dt.date(2015, 3, 1 + i),
                phone=f"600 100 {100 + i}",
            ),
            _person(
                i,
                WOMEN[(i + 7) % 20],
                Sex.FEMALE,
                dt.date(1950 + i % 6, 2 + i % 10, 10 + i),
                Relation.PARENT,
                1,
                serial + 1,
                education=Education.ISCED1,
                labour_status=LabourStatus.INACTIVE,
                benefits="emerytura",
            ),
        ]
        if i % 3 != 0:
            members.append(
                _person(
                    i,
                    MEN[i],
                    Sex.MALE,
                    dt.date(1973 + i % 8, 5, 1 + i),
                    Relation.SPOUSE,
                    2,
                    serial + 2,
                    education=Education.ISCED3,
                    labour_status=LabourStatus.EMPLOYED,
                    labour_status_detail=LabourStatusDetail.SME,
                )
            )
        if i % 4 == 1:
            members.append(
                _person(
                    i,
                    MEN[(i + 5) % 20],
                    Sex.MALE,
                    dt.date(1948 + i % 5, 7, 2 + i),
                    Relation.PARENT,
                    1,
                    serial + 3,
                    labour_status=LabourStatus.INACTIVE,
                    benefits="renta",
                )
            )
        for c in range(1 + i % 3):
            boy = (i + c) % 2 == 0
            members.append(
                _person(
                    i,
                    (BOYS if boy else GIRLS)[(i + c) % 10],
                    Sex.MALE if boy else Sex.FEMALE,
                    dt.date(2004 + c * 3 + i % 3, 1 + (i + c) % 12, 5 + c),
                    Relation.CHILD,
                    3,
                    serial + 4 + c,
                    education=Education.ISCED1,
                    labour_status=LabourStatus.INACTIVE,
                    labour_status_detail=LabourStatusDetail.LEARNING,
                )
            )
        families.append({
            "case_number": f"FS/2017/{i + 1:03d}",
            "street": WILCHWY_STREETS[i % len(WILCHWY_STREETS)], "building": str(3 + i * 2), "flat": str(1 + i % 4),
            "postal_code": "44-304", "locality": "Wodzisław Śląski", "gmina": "Wodzisław Śląski",
            "gmina_teryt": "2415041", "area": "Wilchwy", "intergenerational_poverty": True,
            "reasons": [AssistanceReason.R1, AssistanceReason.R4, AssistanceReason.R9], "primary": AssistanceReason.R1,
            "members": members,
        })  # fmt: skip
    return families


def _turek_families():
    """Ten families of Schematom STOP! (unemployment, also across generations)."""
    families = []
    for i in range(10):
        serial = 300 + i * 10
        surname = 12 + i
        members = [
            _person(
                surname,
                MEN[(i + 3) % 20],
                Sex.MALE,
                dt.date(1970 + i, 3 + i % 9, 4 + i),
                Relation.HEAD,
                2,
                serial,
                education=Education.ISCED2,
                labour_status=LabourStatus.UNEMPLOYED_REGISTERED,
                labour_status_detail=LabourStatusDetail.LONG_TERM_UNEMPLOYED,
                pup_registered_on=dt.date(2012, 1 + i, 10),
            ),
            _person(
                surname,
                WOMEN[(i + 4) % 20],
                Sex.FEMALE,
                dt.date(1972 + i, 6, 1 + i),
                Relation.SPOUSE,
                2,
                serial + 1,
                education=Education.ISCED3,
                labour_status=LabourStatus.UNEMPLOYED_UNREGISTERED,
            ),
            _person(
                surname,
                GIRLS[i],
                Sex.FEMALE,
                dt.date(1996 + i % 5, 9, 3 + i),
                Relation.CHILD,
                3,
                serial + 2,
                education=Education.ISCED3,
                labour_status=LabourStatus.UNEMPLOYED_REGISTERED,
                labour_status_detail=LabourStatusDetail.OTHER,
            ),
        ]
        if i % 2 == 0:
            members.append(
                _person(
                    surname,
                    MEN[(i + 9) % 20],
                    Sex.MALE,
                    dt.date(1945 + i, 11, 2 + i),
                    Relation.PARENT,
                    1,
                    serial + 3,
                    labour_status=LabourStatus.INACTIVE,
                    benefits="emerytura",
                )
            )
        families.append({
            "case_number": f"ST/2014/{i + 1:02d}",
            "street": ["ul. Kaliska", "ul. Uniejowska", "ul. Kolska", "ul. Polna"][i % 4], "building": str(10 + i),
            "flat": "", "postal_code": "62-700", "locality": "Turek", "gmina": "Turek", "gmina_teryt": "3027011",
            "area": "Turek", "intergenerational_poverty": i % 2 == 0,
            "reasons": [AssistanceReason.R4, AssistanceReason.R1], "primary": AssistanceReason.R4,
            "members": members,
        })  # fmt: skip
    return families


def _single_clients(prefix, n, *, offset, locality, postal, gmina_teryt, streets, area, inactive=False):
    """One-person households (individual clients of the Kalisz and Sochaczew projects)."""
    families = []
    for i in range(n):
        male = i % 2 == 0
        status = LabourStatus.INACTIVE if inactive else LabourStatus.UNEMPLOYED_REGISTERED
        detail = LabourStatusDetail.NOT_IN_EDUCATION if inactive else LabourStatusDetail.LONG_TERM_UNEMPLOYED
        person = _person(
            offset + i,
            (MEN if male else WOMEN)[(i + offset) % 20],
            Sex.MALE if male else Sex.FEMALE,
            dt.date(1965 + i % 25, 1 + i % 12, 1 + i % 28),
            Relation.HEAD,
            2,
            500 + offset * 10 + i,
            education=[Education.ISCED1, Education.ISCED2, Education.ISCED3][i % 3],
            labour_status=status,
            labour_status_detail=detail,
            pup_registered_on=None if inactive else dt.date(2014, 1 + i % 12, 5),
            phone=f"601 {offset:03d} {100 + i}",
        )
        families.append({
            "case_number": f"{prefix}/{i + 1:02d}", "street": streets[i % len(streets)], "building": str(2 + i),
            "flat": str(1 + i % 9), "postal_code": postal, "locality": locality, "gmina": locality,
            "gmina_teryt": gmina_teryt, "area": area, "intergenerational_poverty": False,
            "reasons": [AssistanceReason.R4, AssistanceReason.R1], "primary": AssistanceReason.R4,
            "members": [person],
        })  # fmt: skip
    return families


def _seed_project(specs, *, project, institution, worker, team, today, visit_kind=VisitKind.HOME, instrument=None):
    for index, family_spec in enumerate(specs):
        spec = dict(family_spec)
        members, reasons, primary = spec.pop("members"), spec.pop("reasons"), spec.pop("primary")
        family, _ = Family.objects.get_or_create(
            institution=institution,
            case_number=spec.pop("case_number"),
            defaults={**spec, "project": project, "social_worker": worker, "team": team, "status": FamilyStatus.ACTIVE},
        )
        for code in reasons:
            FamilyReason.objects.get_or_create(family=family, code=code, defaults={"is_primary": code == primary})
        persons = []
        for member in members:
            data = dict(member)
            pesel = data.pop("pesel")  # encrypted: the record is found by the PESEL's keyed hash
            person, _ = Person.objects.get_or_create(
                family=family, pesel_hash=keyed_hash(pesel), defaults={**data, "pesel": pesel}
            )
            persons.append(person)
        if not family.visits.exists():
            _seed_casework(family, persons, worker, index, _anchor(project, today), visit_kind)
        if instrument is not None and not Assessment.objects.filter(person__in=persons).exists():
            _seed_assessments(persons[0], instrument, worker, index, project)
    return len(specs)


def _anchor(project, today):
    """The day the casework of a project is dated back from: today while the project runs, its last
    day once it has ended (a 2014 project's visits are not dated 2026). `ended` says which."""
    if project.end_date and project.end_date < today:
        return project.end_date, True
    return today, False


def _next_visit(day, index, latest, anchor):
    """The agreed next visit: none after the last visit of an ended project (nothing left open);
    while it runs, every fourth family is overdue (the agreed next visit has passed)."""
    today, ended = anchor
    if not latest:
        return day + dt.timedelta(days=14)
    if ended:
        return None
    following = today - dt.timedelta(days=2 + index) if index % 4 == 0 else today + dt.timedelta(days=3 + index)
    return max(following, day)


def _seed_casework(family, persons, worker, index, anchor, kind):
    today = anchor[0]
    start = family.project.start_date if family.project_id else today - dt.timedelta(days=365)
    for v in range(1 + index % 3):
        day = max(start, today - dt.timedelta(days=14 * (3 - v) + index))
        following = _next_visit(day, index, v == index % 3, anchor)
        notes, steps = VISIT_NOTES[(index + v) % len(VISIT_NOTES)]
        visit = Visit.objects.create(
            family=family, visit_date=day, visit_time=dt.time(9 + (index + v) % 7, 0), kind=kind,
            duration_minutes=45 + 15 * (v % 3), notes=notes, next_steps=steps, next_visit_on=following,
            author=worker,
        )  # fmt: skip
        visit.persons_present.set(persons[: 1 + v])
    refresh_visit_dates([family.pk])  # the caseload's stored last/next visit, as the visit service keeps them
    if index % 3 == 0:
        NeedsDiagnosis.objects.create(
            family=family, diagnosed_on=max(start, today - dt.timedelta(days=180 + index)), author=worker,
            problems="Długotrwałe bezrobocie, zadłużenie, niskie kwalifikacje.",
            resources="Wsparcie dziadków w opiece nad dziećmi.", barriers="Brak doświadczenia zawodowego.",
            needs="Aktywizacja zawodowa, pomoc w spłacie zadłużenia.", expectations="Praca blisko domu.",
        )  # fmt: skip
    NeedsDiagnosis.objects.create(
        family=family, diagnosed_on=max(start, today - dt.timedelta(days=40 + index)), author=worker,
        problems="Bezrobocie i niskie dochody rodziny; trudności w organizacji dnia.",
        resources="Motywacja do zmiany, dobre relacje w rodzinie.",
        barriers="Brak opieki nad dziećmi w godzinach pracy, słaby dojazd.",
        needs="Poradnictwo zawodowe, szkolenie, opieka nad dziećmi.",
        expectations="Najpierw porada prawna w sprawie zadłużenia, potem doradca zawodowy." if index % 2
        else "Szkolenie zawodowe i pomoc w znalezieniu pracy.",
    )  # fmt: skip


def _seed_assessments(person, instrument, worker, index, project):
    dimensions = list(instrument.dimensions.all())
    entry_on = project.start_date + dt.timedelta(days=10 + index % 10)
    exit_on = project.end_date - dt.timedelta(days=20 - index % 10)
    for kind, day, lift in ((AssessmentKind.ENTRY, entry_on, 0), (AssessmentKind.EXIT, exit_on, 1)):
        assessment = Assessment.objects.create(
            person=person, instrument=instrument, kind=kind, assessed_on=day, author=worker
        )
        AssessmentScore.objects.bulk_create(
            AssessmentScore(assessment=assessment, dimension=d,
                            score=min(5, 1 + (index + n) % 3 + lift * (1 + (index + n) % 2)))
            for n, d in enumerate(dimensions)
        )  # fmt: skip
