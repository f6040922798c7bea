"""The demo catalogue ("sieć wsparcia"), agreements and team meetings (DOMAIN.md §4, shared/seeds).

Legal bases: PUP instruments under the labour-market act (ustawa z 20 marca 2025 r. o rynku pracy
i służbach zatrudnienia, from 1 June 2025; before: ustawa z 20 kwietnia 2004 r. o promocji
zatrudnienia i instytucjach rynku pracy). Article numbers are general knowledge, not verified
(DOMAIN.md marks them [GK]); costs and capacities are illustrative.
"""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from support_network.models import Module, ServiceForm, ServiceUnit

WARSAW = ZoneInfo("Europe/Warsaw")
E, SOC, FAM, SPORT, ACC = Module.EMPLOYMENT, Module.SOCIAL, Module.FAMILY, Module.SPORT_CULTURE, Module.ACCOMPANYING
IND, GRP = ServiceForm.INDIVIDUAL, ServiceForm.GROUP
H, D, M, ONCE = ServiceUnit.HOUR, ServiceUnit.DAY, ServiceUnit.MONTH, ServiceUnit.ONE_OFF

UPZ_2004 = "ustawa z 20 kwietnia 2004 r. o promocji zatrudnienia i instytucjach rynku pracy"
URP_2025 = "ustawa z 20 marca 2025 r. o rynku pracy i służbach zatrudnienia (od 1.06.2025)"
UPS = "ustawa z 12 marca 2004 r. o pomocy społecznej"
UWR = "ustawa z 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy zastępczej"
UZS = "ustawa z 13 czerwca 2003 r. o zatrudnieniu socjalnym"
UNEMPLOYED = "Osoby bezrobotne zarejestrowane w PUP (dla których ustalono profil pomocy / IPD)."


def _pup(name, module, form, unit, capacity, period, cost, article, eligibility, description=""):
    return {
        "name": name,
        "module": module,
        "form": form,
        "unit": unit,
        "capacity": capacity,
        "capacity_period": period,
        "unit_cost": Decimal(cost),
        "legal_basis": f"{URP_2025}; wcześniej {UPZ_2004}, {article}",
        "eligibility": eligibility,
        "description": description,
    }


def pup_services(edition: str):
    return [
        _pup(
            "Pośrednictwo pracy",
            E,
            IND,
            ONCE,
            None,
            "",
            "0",
            "art. 36",
            UNEMPLOYED,
            "Dobór ofert pracy, kontakt z pracodawcami.",
        ),
        _pup(
            "Poradnictwo zawodowe indywidualne",
            E,
            IND,
            H,
            30,
            "miesiąc",
            "0",
            "art. 38",
            "Osoby bezrobotne i poszukujące pracy.",
            "Rozmowa z doradcą zawodowym, informacja zawodowa, testy.",
        ),
        _pup(
            "Warsztaty z poradnictwa zawodowego",
            E,
            GRP,
            H,
            12,
            edition,
            "0",
            "art. 38",
            UNEMPLOYED,
            "Grupowe warsztaty aktywizacyjne (12 godzin): rynek pracy, CV, rozmowa kwalifikacyjna.",
        ),
        _pup(
            "Klub Pracy – szkolenie z umiejętności poszukiwania pracy",
            E,
            GRP,
            D,
            15,
            edition,
            "0",
            "art. 38",
            UNEMPLOYED,
        ),
        _pup(
            "Szkolenia zawodowe",
            E,
            GRP,
            H,
            20,
            "rok",
            "25.00",
            "art. 40",
            UNEMPLOYED + " Szkolenie wskazane w IPD.",
            "Kursy kwalifikacyjne grupowe i indywidualne.",
        ),
        _pup(
            "Staż",
            E,
            IND,
            M,
            10,
            "rok",
            "1994.40",
            "art. 53",
            UNEMPLOYED,
            "Do 6 miesięcy (do 12 dla osób do 30. roku życia) u pracodawcy, stypendium stażowe.",
        ),
        _pup(
            "Prace interwencyjne",
            E,
            IND,
            M,
            8,
            "rok",
            "1800.00",
            "art. 51",
            UNEMPLOYED,
            "Refundacja części kosztów zatrudnienia pracodawcy.",
        ),
        _pup(
            "Roboty publiczne",
            E,
            IND,
            M,
            20,
            "rok",
            "2000.00",
            "art. 57",
            UNEMPLOYED + " Priorytet: osoby długotrwale bezrobotne, korzystające z pomocy społecznej.",
            "Zatrudnienie przy pracach organizowanych przez gminę (np. 5 miesięcy – Kalisz).",
        ),
        _pup(
            "Prace społecznie użyteczne",
            E,
            IND,
            H,
            25,
            "rok",
            "9.80",
            "art. 73a",
            "Bezrobotni bez prawa do zasiłku korzystający ze świadczeń pomocy społecznej (skierowanie z OPS).",
            "Do 40 godzin w miesiącu, organizowane przez gminę w porozumieniu z PUP.",
        ),
        _pup(
            "Jednorazowe środki na podjęcie działalności gospodarczej (dotacja)",
            E,
            IND,
            ONCE,
            5,
            "rok",
            "36000.00",
            "art. 46",
            UNEMPLOYED + " Brak działalności w ostatnich 12 miesiącach.",
            "Dotacja do 6-krotności przeciętnego wynagrodzenia.",
        ),
        _pup(
            "Refundacja kosztów wyposażenia stanowiska pracy",
            E,
            IND,
            ONCE,
            5,
            "rok",
            "30000.00",
            "art. 46",
            "Pracodawcy zatrudniający skierowaną osobę bezrobotną.",
        ),
        _pup(
            "Zwrot kosztów opieki nad dzieckiem do lat 7",
            ACC,
            IND,
            M,
            None,
            "",
            "600.00",
            "art. 61",
            "Bezrobotni samotnie wychowujący dzieci, podejmujący pracę, staż lub szkolenie.",
        ),
    ]


def _svc(name, module, form, unit, capacity, period, cost, legal, eligibility="", description=""):
    return {
        "name": name,
        "module": module,
        "form": form,
        "unit": unit,
        "capacity": capacity,
        "capacity_period": period,
        "unit_cost": Decimal(cost),
        "legal_basis": legal,
        "eligibility": eligibility,
        "description": description,
    }


MOPS = [
    _svc(
        "Praca socjalna", SOC, IND, H, None, "", "0", f"{UPS}, art. 45", "Osoby i rodziny korzystające z pomocy MOPS."
    ),
    _svc(
        "Kontrakt socjalny",
        SOC,
        IND,
        ONCE,
        None,
        "",
        "0",
        f"{UPS}, art. 108",
        "Osoby w trudnej sytuacji życiowej, z pracownikiem socjalnym.",
    ),
    _svc(
        "Asystent rodziny",
        FAM,
        IND,
        M,
        15,
        "rok",
        "450.00",
        f"{UWR}, art. 11 i 15",
        "Rodziny przeżywające trudności w wypełnianiu funkcji opiekuńczo-wychowawczych.",
    ),
    _svc(
        "Grupa wsparcia dla rodziców",
        FAM,
        GRP,
        H,
        12,
        "edycja",
        "40.00",
        f"{UPS}, art. 36",
        "Rodzice z rodzin objętych projektem.",
    ),
    _svc("Trening kompetencji społecznych", SOC, GRP, H, 12, "edycja", "45.00", f"{UPS}, art. 36"),
    _svc(
        "Szkoła dla rodziców – warsztaty umiejętności wychowawczych",
        FAM,
        GRP,
        H,
        14,
        "edycja",
        "40.00",
        f"{UWR}, art. 10",
    ),
    _svc(
        "Poradnictwo specjalistyczne (prawne, psychologiczne, rodzinne)",
        SOC,
        IND,
        H,
        20,
        "miesiąc",
        "80.00",
        f"{UPS}, art. 46",
    ),
    _svc(
        "Opieka nad dziećmi w czasie zajęć rodziców",
        ACC,
        GRP,
        H,
        10,
        "miesiąc",
        "25.00",
        "regulamin projektu (wsparcie towarzyszące)",
        "Dzieci do lat 7 uczestników projektu.",
    ),
    _svc(
        "Konsultacje i profilaktyka zdrowotna",
        ACC,
        IND,
        ONCE,
        20,
        "rok",
        "150.00",
        "regulamin projektu (wsparcie towarzyszące)",
        "Uczestnicy projektu i członkowie ich rodzin.",
        "Badania profilaktyczne, konsultacje lekarskie, edukacja zdrowotna.",
    ),
    _svc(
        "Wyjścia kulturalne dla rodzin (kino, teatr, muzeum)",
        SPORT,
        GRP,
        ONCE,
        30,
        "rok",
        "60.00",
        "regulamin projektu",
    ),
    _svc("Zajęcia sportowe i wycieczki integracyjne", SPORT, GRP, D, 30, "rok", "80.00", "regulamin projektu"),
]

PCPR = [
    _svc("Specjalistyczne poradnictwo rodzinne", FAM, IND, H, 20, "miesiąc", "80.00", f"{UPS}, art. 19 pkt 12"),
    _svc(
        "Interwencja kryzysowa",
        SOC,
        IND,
        H,
        None,
        "",
        "0",
        f"{UPS}, art. 47",
        "Osoby i rodziny w sytuacji kryzysowej, bez względu na dochód.",
    ),
    _svc("Terapia rodzinna", FAM, IND, H, 10, "miesiąc", "120.00", f"{UWR}, art. 10"),
    _svc("Mediacje rodzinne", FAM, IND, H, 10, "miesiąc", "100.00", f"{UWR}, art. 10"),
    _svc(
        "Rehabilitacja społeczna osób z niepełnosprawnościami (PFRON)",
        SOC,
        IND,
        ONCE,
        None,
        "",
        "0",
        "ustawa z 27 sierpnia 1997 r. o rehabilitacji zawodowej i społecznej oraz zatrudnianiu osób niepełnosprawnych",
        "Osoby z orzeczeniem o niepełnosprawności.",
        "Turnusy rehabilitacyjne, likwidacja barier, sprzęt.",
    ),
]

KIS_LEGAL = f"{UZS}, art. 18 (Klub Integracji Społecznej)"
KIS = [
    _svc(
        "Szkolenia KIS",
        SOC,
        GRP,
        H,
        15,
        "cykl 9-miesięczny",
        "30.00",
        KIS_LEGAL,
        "Uczestnicy KIS (osoby nieaktywne zawodowo, zagrożone wykluczeniem).",
    ),
    _svc("Warsztaty aktywizujące", SOC, GRP, H, 15, "cykl 9-miesięczny", "30.00", KIS_LEGAL),
    _svc("Grupa wsparcia", SOC, GRP, H, 15, "cykl 9-miesięczny", "35.00", KIS_LEGAL),
    _svc("Doradca zawodowy", E, IND, H, 15, "cykl 9-miesięczny", "60.00", KIS_LEGAL),
    _svc("Psycholog – pomoc indywidualna i grupowa", SOC, IND, H, 15, "cykl 9-miesięczny", "80.00", KIS_LEGAL),
    _svc("Terapeuta", SOC, IND, H, 10, "cykl 9-miesięczny", "80.00", KIS_LEGAL),
    _svc("Prawnik – pomoc prawna", SOC, IND, H, 15, "cykl 9-miesięczny", "80.00", KIS_LEGAL),
    _svc(
        "Nauka obsługi komputera",
        SOC,
        GRP,
        H,
        10,
        "cykl 9-miesięczny",
        "25.00",
        KIS_LEGAL,
        "",
        "Podstawy obsługi komputera i wyszukiwania ofert pracy w internecie.",
    ),
    _svc("Doradztwo finansowe – domowy budżet", SOC, IND, H, 15, "cykl 9-miesięczny", "60.00", KIS_LEGAL),
]

CIS = [
    _svc(
        "Reintegracja społeczna i zawodowa w CIS (IPZS)",
        E,
        GRP,
        M,
        20,
        "rok",
        "1500.00",
        f"{UZS}, art. 3 i 11",
        "Osoby zagrożone wykluczeniem społecznym (art. 1 ust. 2 ustawy o zatrudnieniu socjalnym).",
        "Indywidualny program zatrudnienia socjalnego, warsztaty zawodowe, świadczenie integracyjne.",
    ),
    _svc("Trening pracy", E, IND, M, 10, "rok", "900.00", f"{UZS}, art. 15a"),
    _svc("Zatrudnienie wspierane", E, IND, M, 5, "rok", "1200.00", f"{UZS}, art. 16"),
]

HISTORICAL_PUP = _pup(
    "Przygotowanie zawodowe dorosłych",
    E,
    IND,
    M,
    5,
    "rok",
    "0",
    "art. 53a",
    UNEMPLOYED,
    "Instrument historyczny (zniesiony przed 2025 r.) – pozostawiony w katalogu jako archiwalny.",
)

CATALOGUE = {
    "pup_wodzislaw": pup_services("edycja jesień 2017"),
    "pup_kalisz": pup_services("edycja 2017 (Razem Skuteczniej)"),
    "pup_turek": pup_services("pilotaż 2014/2015"),
    "mops_wodzislaw": MOPS,
    "mops_kalisz": [s for s in MOPS if s["name"] in {"Praca socjalna", "Kontrakt socjalny", "Asystent rodziny"}],
    "mops_turek": [
        s
        for s in MOPS
        if s["name"]
        in {
            "Praca socjalna",
            "Kontrakt socjalny",
            "Asystent rodziny",
            "Wyjścia kulturalne dla rodzin (kino, teatr, muzeum)",
            "Zajęcia sportowe i wycieczki integracyjne",
        }
    ],
    "mops_sochaczew": [s for s in MOPS if s["name"] in {"Praca socjalna", "Kontrakt socjalny"}],
    "pcpr_turek": PCPR,
    "kis_sochaczew": KIS,
    "cis_rybnik": CIS,
}

AGREEMENTS = [
    {
        "title": "Porozumienie MOPS – PUP w Wodzisławiu Śląskim o współpracy w pracy z rodzinami projektu",
        "subject": "Zasady współpracy MOPS i PUP w pracy z rodzinami objętymi projektem „Fachowa siła "
        "przyszłością dla rodziny”: kierowanie do usług i instrumentów rynku pracy, ścieżka klienta "
        "doradcy zawodowego, wymiana informacji.",
        "parties": ["mops_wodzislaw", "pup_wodzislaw"],
        "project": "fachowa_sila",
        "status": "planned",
        "deadline": dt.date(2017, 9, 30),
        "notes": "Ustalenie Grupy Roboczej z 11.05.2017: porozumienie zostanie zawarte najpóźniej w III kwartale "
        "2017 r.",
    },
    {
        "title": "Umowa partnerska pilotażu „Schematom STOP!” (ilustracyjna)",
        "subject": "Wspólne działania PUP, PCPR i MOPS w Turku: powołanie PZKW i MGI, Lokalny Program "
        "Interdyscyplinarnej Współpracy, programy rodzinne dla 10 rodzin.",
        "parties": ["pup_turek", "pcpr_turek", "mops_turek"],
        "project": "schematom_stop",
        "status": "signed",
        "signed_on": dt.date(2014, 5, 30),
        "valid_until": dt.date(2015, 3, 31),
        "notes": "Daty ilustracyjne; koniec pilotażu 31.03.2015 według artykułu.",
    },
    {
        "title": "Porozumienie MOPS – PUP w Kaliszu „Razem Skuteczniej” (ilustracyjne)",
        "subject": "Wspólna obsługa 20 osób długotrwale bezrobotnych – wspólnych klientów MOPS i PUP: diagnoza, "
        "kontrakty socjalne, warsztaty z poradnictwa zawodowego, roboty publiczne.",
        "parties": ["mops_kalisz", "pup_kalisz"],
        "project": "razem_skuteczniej",
        "status": "signed",
        "signed_on": dt.date(2017, 2, 20),
        "valid_until": dt.date(2017, 12, 31),
        "notes": "Daty ilustracyjne.",
    },
]


def _at(y, m, d, hour, minute=0):
    return dt.datetime(y, m, d, hour, minute, tzinfo=WARSAW)


MEETINGS = [
    {
        "team": "Grupa Robocza – Fachowa siła",
        "starts_at": _at(2017, 4, 25, 10),
        "place": "MOPS Wodzisław Śląski, ul. Daszyńskiego 3",
        "agenda": "Wybór i omówienie „sieci wsparcia”.\nRola pracownika socjalnego w tworzonym modelu pracy socjalnej.",
        "guests": "Przedstawiciele CRIS Rybnik; specjaliści – nauczyciele akademiccy i szkolni.",
        "decisions": "Sieć wsparcia = katalog usług, z których pracownik MOPS korzysta, pomagając mieszkańcowi: "
        "specjalistyczne doradztwo, aktywizacja zawodowa, zdrowie oraz wsparcie towarzyszące (opieka nad "
        "dziećmi). Określono zarys modelu pracy pracownika socjalnego w środowisku z dziedziczonym ubóstwem.",
        "next_meeting_at": _at(2017, 5, 11, 14),
        "next_meeting_note": "Aktywizacja zawodowa i działania instytucji pomocowych.",
        "attendees": ["pracownik"],
    },
    {
        "team": "Grupa Robocza – Fachowa siła",
        "starts_at": _at(2017, 5, 11, 14),
        "place": "MOPS Wodzisław Śląski, ul. Daszyńskiego 3",
        "agenda": "Aktywizacja zawodowa i działania instytucji pomocowych w tym zakresie.\n"
        "Katalog usług i form aktywizacji PUP.",
        "guests": "Zaproszeni goście: przedstawicielki PUP w Wodzisławiu Śląskim; CRIS Rybnik; specjaliści – "
        "nauczyciele akademiccy i szkolni.",
        "decisions": "PUP przedstawił katalog usług, formy aktywizacji (w tym podnoszenie kwalifikacji) i wsparcia "
        "finansowego oraz ścieżkę pracy doradcy zawodowego z klientem; złożył wstępną deklarację udziału w "
        "wypracowywanym modelu. Szczegóły współpracy MOPS–PUP zostaną doprecyzowane w porozumieniu zawartym "
        "najpóźniej w III kwartale 2017 r.",
        "next_meeting_at": _at(2017, 5, 16, 13),
        "next_meeting_note": "Sala konferencyjna MOPS, ul. Daszyńskiego 3: analiza koncepcji i narzędzi "
        "badawczych, czynności pracownika socjalnego.",
        "attendees": ["pracownik", "partner"],
    },
    {
        "team": "Grupa Robocza – Fachowa siła",
        "starts_at": _at(2017, 5, 16, 13),
        "place": "Sala konferencyjna MOPS, ul. Daszyńskiego 3, Wodzisław Śląski",
        "agenda": "Analiza koncepcji i narzędzi badawczych.\nOmówienie czynności pracownika socjalnego.",
        "guests": "",
        "decisions": "",
        "next_meeting_at": None,
        "next_meeting_note": "",
        "attendees": ["pracownik"],
    },
    {
        "team": "PZKW Turek",
        "starts_at": _at(2014, 6, 10, 10),
        "place": "PUP Turek, ul. Kaliska 59 (ilustracyjne)",
        "agenda": "Powołanie PZKW.\nHarmonogram prac nad Lokalnym Programem Interdyscyplinarnej Współpracy.",
        "guests": "Przedstawiciele PCPR i MOPS w Turku.",
        "decisions": "PZKW opracuje Lokalny Program Interdyscyplinarnej Współpracy i będzie opiniować programy "
        "rodzinne przygotowane przez MGI.",
        "next_meeting_at": _at(2014, 7, 8, 10),
        "next_meeting_note": "Projekt Lokalnego Programu.",
        "attendees": ["koordynator"],
    },
    {
        "team": "MGI Turek",
        "starts_at": _at(2014, 7, 15, 9),
        "place": "MOPS Turek, ul. Żeromskiego 3 (ilustracyjne)",
        "agenda": "Diagnoza sytuacji 10 rodzin.\nPodział rodzin między członków MGI; plan wizyt w terenie.",
        "guests": "",
        "decisions": "Programy rodzinne powstaną po ocenie sytuacji i diagnozie potrzeb każdej rodziny; wsparcie w "
        "czterech modułach (prozatrudnieniowy, społeczny i integracyjny, rodzinny, sport i kultura).",
        "next_meeting_at": None,
        "next_meeting_note": "",
        "attendees": ["mgi", "partner.pcpr"],
    },
]
