"""The demo partnership built from the five source articles (shared/seeds).

Facts from the articles are used as they are; what the articles do not say (agreement numbers of
three projects, dates, values) is marked "ilustracyjne" in the README. Idempotent: natural keys.
"""

import datetime as dt
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from demo.catalogue import AGREEMENTS, CATALOGUE, HISTORICAL_PUP, MEETINGS
from support_network import mfa
from support_network.models import (
    Agreement,
    Institution,
    InstitutionKind,
    Meeting,
    Project,
    Role,
    RuleSet,
    Service,
    StaffMembership,
    Team,
    TeamKind,
)
from support_network.territory import degurba_load, parse_degurba

INSTITUTIONS = [
    # key, name, short, kind, street, postal code, locality
    (
        "mops_wodzislaw",
        "Miejski Ośrodek Pomocy Społecznej w Wodzisławiu Śląskim",
        "MOPS Wodzisław Śl.",
        InstitutionKind.OPS,
        "ul. Daszyńskiego 3",
        "44-300",
        "Wodzisław Śląski",
    ),
    (
        "pup_wodzislaw",
        "Powiatowy Urząd Pracy w Wodzisławiu Śląskim",
        "PUP Wodzisław Śl.",
        InstitutionKind.PUP,
        "ul. Pszowska 92a",
        "44-300",
        "Wodzisław Śląski",
    ),
    (
        "cis_rybnik",
        "Centrum Rozwoju Inicjatyw Społecznych CRIS w Rybniku",
        "CIS Rybnik",
        InstitutionKind.NGO,
        "ul. Gliwicka 4",
        "44-200",
        "Rybnik",
    ),
    (
        "pup_turek",
        "Powiatowy Urząd Pracy w Turku",
        "PUP Turek",
        InstitutionKind.PUP,
        "ul. Kaliska 59",
        "62-700",
        "Turek",
    ),
    (
        "pcpr_turek",
        "Powiatowe Centrum Pomocy Rodzinie w Turku",
        "PCPR Turek",
        InstitutionKind.PCPR,
        "ul. Kaliska 59",
        "62-700",
        "Turek",
    ),
    (
        "mops_turek",
        "Miejski Ośrodek Pomocy Społecznej w Turku",
        "MOPS Turek",
        InstitutionKind.OPS,
        "ul. Żeromskiego 3",
        "62-700",
        "Turek",
    ),
    (
        "mops_kalisz",
        "Miejski Ośrodek Pomocy Społecznej w Kaliszu",
        "MOPS Kalisz",
        InstitutionKind.OPS,
        "ul. Kordeckiego 25a",
        "62-800",
        "Kalisz",
    ),
    (
        "pup_kalisz",
        "Powiatowy Urząd Pracy w Kaliszu",
        "PUP Kalisz",
        InstitutionKind.PUP,
        "ul. Staszica 2",
        "62-800",
        "Kalisz",
    ),
    (
        "mops_sochaczew",
        "Miejski Ośrodek Pomocy Społecznej w Sochaczewie",
        "MOPS Sochaczew",
        InstitutionKind.OPS,
        "ul. Staszica 4",
        "96-500",
        "Sochaczew",
    ),
    (
        "kis_sochaczew",
        "Klub Integracji Społecznej w Sochaczewie",
        "KIS Sochaczew",
        InstitutionKind.KIS,
        "ul. Staszica 4",
        "96-500",
        "Sochaczew",
    ),
]

# "zawarty w …": the locative of each locality above (documents are signed "w Wodzisławiu Śląskim").
LOCATIVES = {
    "Wodzisław Śląski": "Wodzisławiu Śląskim",
    "Rybnik": "Rybniku",
    "Turek": "Turku",
    "Kalisz": "Kaliszu",
    "Sochaczew": "Sochaczewie",
}

PROJECTS = [
    {
        "key": "fachowa_sila",
        "title": "Fachowa siła przyszłością dla rodziny",
        "short_name": "Fachowa siła",
        "agreement_number": "POWR.04.01.00-IZ.00-00-004/16",
        "call_number": "POWR.04.01.00-IZ.00-00-004/16",
        "programme": "PO WER 2014-2020",
        "action": "4.1 Innowacje społeczne (makro-innowacje: przerwanie procesu dziedziczonego ubóstwa "
        "na obszarach zdegradowanych)",
        "leader": "mops_wodzislaw",
        "partners": ["cis_rybnik", "pup_wodzislaw"],
        "start_date": dt.date(2017, 1, 1),
        "end_date": dt.date(2019, 12, 31),
        "total_value": Decimal("904150.00"),
        "eu_cofinancing": Decimal("876150.00"),
        "target_group": "Rodziny 3-pokoleniowe zamieszkujące dzielnicę Wilchwy, u których zdiagnozowano "
        "międzypokoleniowe dziedziczenie ubóstwa.",
        "area": "Wodzisław Śląski, dzielnica Wilchwy (obszar zdegradowany)",
        "participants_target": 60,
    },
    {
        "key": "schematom_stop",
        "title": "Schematom STOP! Wspólne działania instytucji pomocy społecznej i instytucji rynku pracy – pilotaż",
        "short_name": "Schematom STOP!",
        "agreement_number": "PILOTAZ-TUREK-2014",
        "call_number": "",
        "programme": "PO KL 2007-2013",
        "action": "Pilotaż współpracy instytucji pomocy społecznej i rynku pracy",
        "leader": "pup_turek",
        "partners": ["pcpr_turek", "mops_turek"],
        "start_date": dt.date(2014, 6, 1),
        "end_date": dt.date(2015, 3, 31),
        "total_value": Decimal("250000.00"),
        "eu_cofinancing": Decimal("212500.00"),
        "target_group": "10 rodzin zagrożonych wykluczeniem społecznym z tytułu bezrobocia lub trwałego "
        "pokoleniowego bezrobocia.",
        "area": "Turek",
        "participants_target": 30,
    },
    {
        "key": "razem_skuteczniej",
        "title": "Razem Skuteczniej",
        "short_name": "Razem Skuteczniej",
        "agreement_number": "ROPS-POZNAN-RS-2017",
        "call_number": "",
        "programme": "Program Regionalny Samorządu Województwa Wielkopolskiego (ROPS w Poznaniu)",
        "action": "Aktywizacja zawodowa i społeczna osób długotrwale bezrobotnych",
        "leader": "mops_kalisz",
        "partners": ["pup_kalisz"],
        "start_date": dt.date(2017, 3, 1),
        "end_date": dt.date(2017, 12, 31),
        "total_value": Decimal("120000.00"),
        "eu_cofinancing": Decimal("0.00"),
        "target_group": "20 osób długotrwale bezrobotnych, wspólnych klientów MOPS i PUP w Kaliszu, "
        "zamieszkałych na obszarze Gminnego Programu Rewitalizacji.",
        "area": "Kalisz – obszar Gminnego Programu Rewitalizacji",
        "participants_target": 20,
        # paid from the voivodeship's own funds, not EFS: plain counts, no SL2014 indicators or KES/KEZ
        "rule_set": RuleSet.NO_EFS_2014,
    },
    {
        "key": "kis_sochaczew",
        "title": "Kompleksowe formy reintegracji społeczno-zawodowej w środowisku lokalnym (KIS Sochaczew)",
        "short_name": "KIS Sochaczew",
        "agreement_number": "POKL.07.01.01-14-KIS/13",
        "call_number": "",
        "programme": "PO KL 2007-2013",
        "action": "7.1.1 Rozwój i upowszechnianie aktywnej integracji przez ośrodki pomocy społecznej",
        "leader": "mops_sochaczew",
        "partners": ["kis_sochaczew"],
        "start_date": dt.date(2013, 12, 1),
        "end_date": dt.date(2014, 8, 31),
        "total_value": Decimal("113000.00"),
        "eu_cofinancing": Decimal("113000.00"),
        "target_group": "15 uczestników nieaktywnych zawodowo; 9-miesięczny cykl zajęć KIS.",
        "area": "Sochaczew",
        "participants_target": 15,
        # PO KL 2007–2013 had its own, older monitoring: plain counts, no 2014–2020 indicators
        "rule_set": RuleSet.NO_EFS_2014,
    },
    {
        # today's project (illustrative, not from the articles): the MOPS's current casework, so the
        # demo office has visits, contracts and deadlines due this week next to the ended projects
        "key": "wilchwy_fers",
        "title": "Rodziny z Wilchw – kontynuacja (ilustracyjny, FERS 2021–2027)",
        "short_name": "Wilchwy – kontynuacja",
        "agreement_number": "FERS-WILCHWY-DEMO",
        "call_number": "",
        "programme": "FERS 2021-2027",
        "action": "Aktywna integracja rodzin (ilustracyjne)",
        "leader": "mops_wodzislaw",
        "partners": ["cis_rybnik", "pup_wodzislaw"],
        "start_date": dt.date(2025, 1, 1),
        "end_date": dt.date(2027, 12, 31),
        "total_value": Decimal("300000.00"),
        "eu_cofinancing": Decimal("255000.00"),
        "target_group": "Rodziny z dzielnicy Wilchwy objęte pracą socjalną po zakończeniu projektu Fachowa siła.",
        "area": "Wodzisław Śląski, dzielnica Wilchwy",
        "participants_target": 10,
        "rule_set": RuleSet.NO_EFS_2014,
    },
]

TEAMS = [
    # project key, name, kind, lead institution
    ("fachowa_sila", "Grupa Robocza – Fachowa siła", TeamKind.WORKING_GROUP, "mops_wodzislaw"),
    ("fachowa_sila", "Zespół pracowników socjalnych – Wilchwy", TeamKind.CASE_TEAM, "mops_wodzislaw"),
    ("schematom_stop", "PZKW Turek", TeamKind.PZKW, "pup_turek"),
    ("schematom_stop", "MGI Turek", TeamKind.MGI, "mops_turek"),
    ("razem_skuteczniej", "Zespół MOPS–PUP Kalisz", TeamKind.CASE_TEAM, "mops_kalisz"),
    ("kis_sochaczew", "Kadra KIS Sochaczew", TeamKind.CASE_TEAM, "kis_sochaczew"),
]

# username, first, last, role, institution, projects (staff), teams
USERS = [
    (
        "pracownik",
        "Anna",
        "Nowak",
        Role.SOCIAL_WORKER,
        "mops_wodzislaw",
        [],
        ["Grupa Robocza – Fachowa siła", "Zespół pracowników socjalnych – Wilchwy"],
    ),
    (
        "pracownik2",
        "Beata",
        "Lis",
        Role.SOCIAL_WORKER,
        "mops_wodzislaw",
        [],
        ["Zespół pracowników socjalnych – Wilchwy"],
    ),
    ("pracownik.kalisz", "Karol", "Wiśniewski", Role.SOCIAL_WORKER, "mops_kalisz", [], ["Zespół MOPS–PUP Kalisz"]),
    ("pracownik.sochaczew", "Zofia", "Kamińska", Role.SOCIAL_WORKER, "kis_sochaczew", [], ["Kadra KIS Sochaczew"]),
    ("mgi", "Marek", "Zieliński", Role.MGI_MEMBER, "mops_turek", [], ["MGI Turek"]),
    ("koordynator", "Katarzyna", "Wójcik", Role.COORDINATOR, "pup_turek", ["schematom_stop"], ["PZKW Turek"]),
    (
        "kierownik",
        "Tomasz",
        "Kowalczyk",
        Role.PROJECT_MANAGER,
        "mops_wodzislaw",
        ["fachowa_sila", "razem_skuteczniej", "kis_sochaczew", "schematom_stop", "wilchwy_fers"],
        [],
    ),
    ("partner", "Ewa", "Szymańska", Role.PARTNER_STAFF, "pup_wodzislaw", [], ["Grupa Robocza – Fachowa siła"]),
    ("partner.kalisz", "Marta", "Pawlak", Role.PARTNER_STAFF, "pup_kalisz", [], ["Zespół MOPS–PUP Kalisz"]),
    ("partner.pcpr", "Joanna", "Dąbrowska", Role.PARTNER_STAFF, "pcpr_turek", [], ["MGI Turek"]),
    ("audytor", "Piotr", "Lewandowski", Role.AUDITOR, "mops_wodzislaw", ["fachowa_sila"], []),
    ("admin", "Adam", "Mazur", Role.ADMINISTRATOR, "mops_wodzislaw", [], []),
]


DEMO_DEGURBA = Path(__file__).resolve().parent.parent / "data" / "degurba_demo.csv"


def seed(stdout) -> None:
    # the demo gminas' DEGURBA classes (illustrative; production loads the official file)
    degurba_load(parse_degurba(DEMO_DEGURBA.read_bytes(), DEMO_DEGURBA.name), source="demo")
    institutions = {}
    for key, name, short, kind, street, postal, locality in INSTITUTIONS:
        institutions[key], _ = Institution.objects.update_or_create(
            name=name,
            defaults={
                "short_name": short, "kind": kind, "street": street, "postal_code": postal, "locality": locality,
                "locality_locative": LOCATIVES.get(locality, ""),
            },
        )  # fmt: skip
    projects = {}
    for spec in PROJECTS:
        data = dict(spec)
        key, leader, partners = data.pop("key"), data.pop("leader"), data.pop("partners")
        agreement = data.pop("agreement_number")
        project, _ = Project.objects.update_or_create(
            agreement_number=agreement, defaults={**data, "leader": institutions[leader]}
        )
        project.partners.set([institutions[p] for p in partners])
        projects[key] = project
    teams = {}
    for project_key, name, kind, lead in TEAMS:
        teams[name], _ = Team.objects.update_or_create(
            project=projects[project_key], name=name, defaults={"kind": kind, "institution": institutions[lead]}
        )
    seed_users(stdout, institutions, projects, teams)
    seed_catalogue(stdout, institutions)
    seed_agreements(stdout, institutions, projects)
    seed_meetings(stdout, teams)


def seed_catalogue(stdout, institutions) -> None:
    count = 0
    for key, services in CATALOGUE.items():
        for spec in services:
            data = dict(spec)
            Service.objects.update_or_create(
                provider=institutions[key], name=data.pop("name"), defaults={**data, "is_active": True}
            )
            count += 1
    for key in ("pup_wodzislaw", "pup_kalisz", "pup_turek"):
        data = dict(HISTORICAL_PUP)
        Service.objects.update_or_create(
            provider=institutions[key],
            name=data.pop("name"),
            defaults={**data, "valid_to": dt.date(2025, 5, 31), "is_active": False},
        )
    stdout.write(
        ngettext(
            "Katalog usług: %(n)d usługa aktywna (+ archiwalne).",
            "Katalog usług: %(n)d usług aktywnych (+ archiwalne).",
            count,
        )
        % {"n": count}
    )


def seed_agreements(stdout, institutions, projects) -> None:
    for spec in AGREEMENTS:
        data = dict(spec)
        parties = data.pop("parties")
        data["project"] = projects[data.pop("project")]
        agreement, _ = Agreement.objects.update_or_create(title=data.pop("title"), defaults=data)
        agreement.parties.set([institutions[p] for p in parties])


def seed_meetings(stdout, teams) -> None:
    User = get_user_model()
    for spec in MEETINGS:
        data = dict(spec)
        team = teams[data.pop("team")]
        attendees = data.pop("attendees")
        meeting, _ = Meeting.objects.update_or_create(team=team, starts_at=data.pop("starts_at"), defaults=data)
        meeting.attendees.set(User.objects.filter(username__in=attendees))


def seed_users(stdout, institutions, projects, teams) -> None:
    User = get_user_model()
    can_set_password = settings.DEBUG
    for username, first, last, role, institution, project_keys, team_names in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.invalid"},
        )
        if role == Role.ADMINISTRATOR and not user.is_staff:
            user.is_staff = user.is_superuser = True
        if can_set_password:
            user.set_password(settings.DEMO_PASSWORD)
        elif created:
            user.set_unusable_password()
        user.save()
        StaffMembership.objects.update_or_create(
            user=user,
            defaults={
                "institution": institutions[institution],
                "role": role,
                "is_demo": True,
                "valid_until": dt.date.today() + dt.timedelta(days=365) if role == Role.AUDITOR else None,
            },
        )
        for key in project_keys:
            projects[key].staff.add(user)
        for name in team_names:
            teams[name].members.add(user)
    if can_set_password:
        stdout.write(f"Konta demonstracyjne (hasło: {settings.DEMO_PASSWORD}):")
        for username, _first, _last, role, institution, *_ in USERS:
            stdout.write(f"  {username:<20} {Role(role).label} – {institutions[institution]}")
        seed_second_factors(stdout)
    else:
        stdout.write(
            "DEBUG wyłączony: hasła demonstracyjne nie zostały ustawione (logowanie kontami demo jest blokowane)."
        )


def seed_second_factors(stdout) -> None:
    """Each demo account gets an authenticator app (DEBUG only, like the demo password): the
    verification page shows its current code in DEBUG, and the secret printed here can be added
    to a real authenticator app."""
    User = get_user_model()
    stdout.write("Drugi składnik kont demonstracyjnych (klucz TOTP do aplikacji; w trybie DEBUG strona")
    stdout.write("weryfikacji sama podpowiada bieżący kod):")
    for username, *_ in USERS:
        user = User.objects.get(username=username)
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        device = device or TOTPDevice.objects.create(user=user, name=mfa.APP_DEVICE, confirmed=True)
        stdout.write(f"  {username:<20} {mfa.secret_text(device)}   bieżący kod: {mfa.current_code(device)}")
