"""Demo data of the reporting room (participants half) for seed_demo: indicator targets per demo
project and participation records with complete entry data, exits and outcomes, so that every
indicator shows real numbers. Runs after the families and contracts demo; idempotent (natural
keys: project + person, project + PESEL, outcome kind + date + category).

- "Fachowa siła" and "Schematom STOP!": the members (15+) of the demo families of the project,
  whatever families/demo.py created;
- "Razem Skuteczniej" (Kalisz): 20 long-term unemployed, 5 months of public works, then all 20 took
  up a job on an umowa o pracę (the article), with the talk after one month of work done;
- "KIS Sochaczew": 15 inactive participants of the 9-month KIS cycle, with social progress,
  job-seeking, a few qualifications and jobs;
- Kalisz and Sochaczew participants are the project's family members when the families demo has
  them, topped up with records outside the MOPS file (person empty) to the article's numbers.
Names, PESELs (valid, synthetic), dates and employers are illustrative.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import F
from django.utils import timezone

from core.crypto import keyed_hash
from demo.seeders.placements import KALISZ_EMPLOYERS
from families.codes import LABOUR_DETAIL_FOR, Answer, Education, LabourStatus, LabourStatusDetail, Sex
from families.models import Person
from families.pesel import make_pesel
from reporting.codes import EarlyExitReason, EmploymentForm, Indicator, JobSeekingKind, OutcomeKind
from reporting.dates import add_months
from reporting.models import FollowUp, IndicatorTarget, OutcomeEvent, Participation
from reporting.services.followups import followup_schedule_for_employment, followups_schedule_for_exit
from reporting.services.participation import initial_from_person
from support_network.models import Project
from support_network.territory import fill_address, gmina_code_from_names

FACHOWA, TUREK, KALISZ, SOCHACZEW = (
    "POWR.04.01.00-IZ.00-00-004/16",
    "PILOTAZ-TUREK-2014",
    "ROPS-POZNAN-RS-2017",
    "POKL.07.01.01-14-KIS/13",
)

TARGETS = {
    FACHOWA: {"OUT_AROPE": 60, "OUT_UNEMPLOYED": 20, "OUT_LTU": 10, "OUT_INACTIVE": 25, "OUT_DISABLED": 4,
              "OUT_LOWQUAL": 45, "OUT_U25": 12, "OUT_50PLUS": 8, "RES_QUAL": 10, "RES_JOBSEEK": 6, "RES_EMPLOYED": 12,
              "KES": 34, "KEZ": 22, "KEZ_DISABLED": 12},
    TUREK: {"OUT_AROPE": 30, "OUT_UNEMPLOYED": 15, "OUT_LTU": 10, "OUT_INACTIVE": 10, "OUT_DISABLED": 2,
            "OUT_LOWQUAL": 24, "OUT_U25": 6, "OUT_50PLUS": 4, "RES_QUAL": 5, "RES_JOBSEEK": 4, "RES_EMPLOYED": 6,
            "KES": 34, "KEZ": 22, "KEZ_DISABLED": 12},
    KALISZ: {"OUT_AROPE": 20, "OUT_UNEMPLOYED": 20, "OUT_LTU": 20, "OUT_LOWQUAL": 14, "OUT_50PLUS": 4,
             "RES_EMPLOYED": 16, "KES": 34, "KEZ": 22},
    SOCHACZEW: {"OUT_AROPE": 15, "OUT_INACTIVE": 15, "OUT_DISABLED": 2, "OUT_LOWQUAL": 12, "OUT_U25": 3,
                "OUT_50PLUS": 3, "RES_QUAL": 4, "RES_JOBSEEK": 5, "RES_EMPLOYED": 2, "KES": 34, "KEZ": 22,
                "KEZ_DISABLED": 12},
}  # fmt: skip

FIRST_NAMES = {
    Sex.MALE: ["Jan", "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Marcin", "Michał", "Grzegorz", "Józef"],
    Sex.FEMALE: ["Anna", "Maria", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Krystyna", "Elżbieta",
                 "Joanna"],
}  # fmt: skip
LAST_NAMES = {
    Sex.MALE: ["Nowicki", "Wróbel", "Pawlak", "Michalski", "Król", "Wieczorek", "Jabłoński", "Majewski", "Olszewski",
               "Jaworski"],
    Sex.FEMALE: ["Adamczyk", "Dudek", "Zając", "Wieczorek", "Sikora", "Baran", "Szewczyk", "Ostrowska", "Tomaszewska",
                 "Pietrzak"],
}  # fmt: skip
EDUCATION_CYCLE = [Education.ISCED2, Education.ISCED1, Education.ISCED3, Education.ISCED2, Education.ISCED4,
                   Education.ISCED3, Education.ISCED0]  # fmt: skip
NOTE = "Kontakt telefoniczny z uczestnikiem – dane potwierdzone (demo)."


def seed(stdout) -> None:
    manager = get_user_model().objects.filter(username="kierownik").first()
    projects = {p.agreement_number: p for p in Project.objects.filter(agreement_number__in=TARGETS)}
    for number, targets in TARGETS.items():
        if number in projects:
            for code, value in targets.items():
                IndicatorTarget.objects.update_or_create(project=projects[number], code=Indicator(code),
                                                         defaults={"value": Decimal(value)})  # fmt: skip
    counts = {}
    for number in (FACHOWA, TUREK):
        if number in projects:
            counts[number] = _seed_family_project(projects[number], manager)
    if KALISZ in projects:
        counts[KALISZ] = _seed_kalisz(projects[KALISZ], manager)
    if SOCHACZEW in projects:
        counts[SOCHACZEW] = _seed_sochaczew(projects[SOCHACZEW], manager)
    for project in projects.values():
        _fill_territory(project)
    stdout.write("Uczestnicy EFS (demo): " + ", ".join(f"{projects[n]}: {c}" for n, c in counts.items()))


def _fill_territory(project) -> None:
    """Województwo, Powiat, Gmina and DEGURBA of every demo participation from the TERYT register:
    by the family's gmina code, else by the names the record carries (idempotent: a re-run fixes
    records seeded before the register existed)."""
    for participation in Participation.objects.filter(project=project).select_related("person__family"):
        family = participation.person.family if participation.person else None
        code = (
            participation.gmina_teryt
            or (family.gmina_teryt if family else "")
            or gmina_code_from_names(
                voivodeship=participation.voivodeship, county=participation.county, gmina=participation.gmina
            )
        )
        if code and fill_address(participation, code):
            participation.gmina_teryt = code
            participation.save(update_fields=["gmina_teryt", "voivodeship", "county", "gmina", "degurba"])


def _confirmed(manager) -> dict:
    return {"entry_confirmed_at": timezone.now(), "entry_confirmed_by": manager, "created_by": manager}


def _outcome(participation, kind, occurred_on, manager, **details) -> OutcomeEvent:
    event, _created = OutcomeEvent.objects.get_or_create(
        participation=participation, kind=kind, occurred_on=occurred_on,
        progress_category=details.pop("progress_category", ""),
        defaults={"evidence": details.pop("evidence", "dokument w aktach projektu (demo)"), "created_by": manager,
                  **details},
    )  # fmt: skip
    if kind == OutcomeKind.EMPLOYMENT:
        followup_schedule_for_employment(outcome=event)
    return event


def _exit(participation, end_date, manager, *, completed=True, reason="") -> None:
    if participation.end_date is None:
        participation.end_date, participation.completed_as_planned = end_date, completed
        participation.early_exit_reason = reason
        participation.save(update_fields=["end_date", "completed_as_planned", "early_exit_reason", "updated_at"])
    followups_schedule_for_exit(participation=participation)


def _close_followups(participation, manager, *, keep_open: bool) -> None:
    """Follow-ups done on their due day, except a few left for "Monitoring" while the project runs
    (a project that ended long ago leaves nothing open on today's lists)."""
    ended = participation.project.end_date is not None and participation.project.end_date < timezone.localdate()
    if manager is None or (keep_open and not ended):
        return
    FollowUp.objects.filter(participation=participation, done_on__isnull=True).update(
        done_on=F("due_on"), done_by=manager, note=NOTE
    )


def _seed_family_project(project, manager) -> int:
    persons = (
        Person.objects.filter(family__project=project).select_related("family")
        .order_by("family__case_number", "last_name", "first_name", "birth_date", "pk")
    )  # fmt: skip
    span = max((project.end_date - project.start_date).days - 200, 30)
    index = 0
    for person in persons:
        start = project.start_date + dt.timedelta(days=(index * 37) % span)
        if person.age_on(start) < 15:
            continue
        participation = Participation.objects.filter(project=project, person=person).first()
        if participation is None:
            if (
                person.pesel
                and Participation.objects.filter(project=project, pesel_hash=keyed_hash(person.pesel)).exists()
            ):
                continue
            data = initial_from_person(person, project=project, today=start)
            data.update({"start_date": start, "at_risk": True})
            data["labour_status"] = data["labour_status"] or (
                LabourStatus.INACTIVE if person.age_on(start) < 25 else LabourStatus.UNEMPLOYED_REGISTERED
            )
            if data["labour_status_detail"] and data["labour_status_detail"] not in _details_for(data["labour_status"]):
                data["labour_status_detail"] = ""
            data["education"] = "" if index % 7 == 3 else (data["education"] or EDUCATION_CYCLE[index % 7])
            for field in ("disability", "minority", "homeless", "other_disadvantage"):
                data[field] = data[field] or Answer.NO
            participation = Participation.objects.create(project=project, person=person, **data,
                                                         **_confirmed(manager))  # fmt: skip
        _history(participation, index, manager)
        index += 1
    return index


def _details_for(status):
    return LABOUR_DETAIL_FOR.get(LabourStatus(status), set())


def _history(participation, index, manager) -> None:
    """Exits for two thirds, and outcomes by the entry status (deterministic by position)."""
    if index % 3 == 2:
        return
    start = participation.start_date
    end = min(start + dt.timedelta(days=150), participation.project.end_date)
    early = index % 5 == 0
    _exit(participation, end, manager, completed=not early, reason=EarlyExitReason.EMPLOYMENT if early else "")
    active = participation.labour_status in (LabourStatus.UNEMPLOYED_REGISTERED, LabourStatus.UNEMPLOYED_UNREGISTERED,
                                             LabourStatus.INACTIVE)  # fmt: skip
    if active and (early or index % 2 == 0):
        _outcome(participation, OutcomeKind.EMPLOYMENT, end + dt.timedelta(days=1), manager,
                 employment_form=EmploymentForm.CONTRACT, fte=Decimal("1") if index % 4 else Decimal("0.5"),
                 planned_months=12 if index % 4 else 6, employer="Lokalny pracodawca (demo)")  # fmt: skip
    if index % 3 == 0:
        for category in ("b", "c"):
            _outcome(participation, OutcomeKind.SOCIAL_PROGRESS, end - dt.timedelta(days=5), manager,
                     progress_category=category)  # fmt: skip
    if index % 4 == 1:
        _outcome(participation, OutcomeKind.QUALIFICATION, end - dt.timedelta(days=20), manager,
                 qualification_name="kurs zawodowy z egzaminem (demo)")  # fmt: skip
    if participation.labour_status == LabourStatus.INACTIVE and index % 2 == 1:
        _outcome(participation, OutcomeKind.JOB_SEEKING, end + dt.timedelta(days=7), manager,
                 job_seeking_kind=JobSeekingKind.REGISTERED)  # fmt: skip
    _close_followups(participation, manager, keep_open=index % 4 == 0)


def _clients(project, target: int, manager, make_data) -> list[Participation]:
    """The project's family members first, then records outside the MOPS file up to `target`."""
    participations = list(Participation.objects.filter(project=project).order_by("pk"))  # creation order = i
    if len(participations) < target:
        for person in Person.objects.filter(family__project=project).order_by("last_name", "first_name", "pk"):
            if len(participations) >= target:
                break
            if Participation.objects.filter(project=project, person=person).exists():
                continue
            data = initial_from_person(person, project=project, today=project.start_date)
            data.update(make_data(len(participations), person=person))
            participations.append(Participation.objects.create(project=project, person=person, **data,
                                                               **_confirmed(manager)))  # fmt: skip
    serial = 0
    while len(participations) < target:
        data = make_data(len(participations), person=None)
        pesel = make_pesel(data["birth_date"], 700 + serial, data["sex"])
        serial += 1
        participation, created = Participation.objects.get_or_create(  # PESELs are encrypted: found by hash
            project=project, pesel_hash=keyed_hash(pesel), defaults={**data, "pesel": pesel, **_confirmed(manager)}
        )
        if created or participation not in participations:
            participations.append(participation)
    return participations[:target]


def _identity(i: int, *, born_from: int, locality: str, postal_code: str, gmina: str, voivodeship: str,
              county: str, degurba: str, gmina_teryt: str) -> dict:  # fmt: skip
    sex = Sex.FEMALE if i % 2 else Sex.MALE
    return {
        "first_name": FIRST_NAMES[sex][i % 10], "last_name": LAST_NAMES[sex][(i * 3) % 10], "sex": sex,
        "birth_date": dt.date(born_from + (i * 7) % 36, 1 + i % 12, 1 + (i * 5) % 28), "locality": locality,
        "postal_code": postal_code, "gmina": gmina, "voivodeship": voivodeship, "county": county,
        "degurba": degurba, "gmina_teryt": gmina_teryt, "street": "ul. Demonstracyjna", "building": str(10 + i),
    }  # fmt: skip


def _seed_kalisz(project, manager) -> int:
    start = dt.date(2017, 3, 6)

    def make_data(i, *, person):
        data = {} if person else _identity(i, born_from=1962, locality="Kalisz", postal_code="62-800",
                                           gmina="Kalisz", voivodeship="wielkopolskie", county="Kalisz",
                                           degurba="", gmina_teryt="3061011")  # fmt: skip
        return {**data, "start_date": start, "education": EDUCATION_CYCLE[i % 7] if i != 17 else "",
                "labour_status": LabourStatus.UNEMPLOYED_REGISTERED,
                "labour_status_detail": LabourStatusDetail.LONG_TERM_UNEMPLOYED, "at_risk": True,
                "disability": Answer.NO, "minority": Answer.NO, "homeless": Answer.NO,
                "other_disadvantage": Answer.YES}  # fmt: skip

    participations = _clients(project, 20, manager, make_data)
    for i, participation in enumerate(participations):
        end = dt.date(2017, 8, 4)  # 5 months of public works (roboty publiczne) completed
        _exit(participation, end, manager)
        _outcome(
            participation,
            OutcomeKind.EMPLOYMENT,
            dt.date(2017, 8, 7),
            manager,
            employment_form=EmploymentForm.CONTRACT,
            fte=Decimal("1"),
            planned_months=12,
            employer=KALISZ_EMPLOYERS[i % len(KALISZ_EMPLOYERS)],
            evidence="umowa o pracę – kopia w aktach",
        )
        if i % 5 != 4:  # social competences assessed at entry and at the end: progress for most
            _outcome(participation, OutcomeKind.SOCIAL_PROGRESS, dt.date(2017, 8, 1), manager, progress_category="c",
                     evidence="ocena kompetencji społecznych na wyjściu")  # fmt: skip
        _close_followups(participation, manager, keep_open=i >= 18)
    return len(participations)


def _seed_sochaczew(project, manager) -> int:
    start = dt.date(2013, 12, 2)

    def make_data(i, *, person):
        data = {} if person else _identity(i + 3, born_from=1960, locality="Sochaczew", postal_code="96-500",
                                           gmina="Sochaczew", voivodeship="mazowieckie", county="sochaczewski",
                                           degurba="", gmina_teryt="1428011")  # fmt: skip
        return {**data, "start_date": start + dt.timedelta(days=i % 3),
                "education": "" if i in (4, 11) else EDUCATION_CYCLE[(i + 2) % 7],
                "labour_status": LabourStatus.INACTIVE,
                "labour_status_detail": LabourStatusDetail.NOT_IN_EDUCATION if i % 3 else LabourStatusDetail.OTHER,
                "at_risk": True, "disability": Answer.YES if i in (2, 9) else Answer.NO,
                "minority": Answer.REFUSED if i == 6 else Answer.NO, "homeless": Answer.NO,
                "other_disadvantage": Answer.NO}  # fmt: skip

    participations = _clients(project, 15, manager, make_data)
    for i, participation in enumerate(participations):
        early = i in (5, 12)
        end = dt.date(2014, 4, 30) if early else dt.date(2014, 8, 29)
        _exit(participation, end, manager, completed=not early,
              reason=EarlyExitReason.RESIGNATION if early else "")  # fmt: skip
        if early:
            _close_followups(participation, manager, keep_open=False)
            continue
        for category in ("bcd"[i % 3], "c"):
            _outcome(participation, OutcomeKind.SOCIAL_PROGRESS, dt.date(2014, 8, 20), manager,
                     progress_category=category, evidence="bilans zamknięcia KIS")  # fmt: skip
        if i % 3 == 0:
            _outcome(participation, OutcomeKind.JOB_SEEKING, dt.date(2014, 9, 10), manager,
                     job_seeking_kind=JobSeekingKind.REGISTERED, evidence="zaświadczenie z PUP")  # fmt: skip
        if i % 4 == 1:
            _outcome(participation, OutcomeKind.QUALIFICATION, dt.date(2014, 8, 25), manager,
                     qualification_name="podstawy obsługi komputera – certyfikat")  # fmt: skip
        if i in (3, 8):
            _outcome(
                participation,
                OutcomeKind.EMPLOYMENT,
                dt.date(2014, 10, 1),
                manager,
                employment_form=EmploymentForm.CIVIL,
                planned_months=3,
                employer="Spółdzielnia socjalna (demo)",
            )
        if i == 10:
            _outcome(participation, OutcomeKind.EMPLOYMENT, add_months(end, 1), manager,
                     employment_form=EmploymentForm.CONTRACT, fte=Decimal("0.5"), planned_months=6,
                     employer="Sklep spożywczy (demo)")  # fmt: skip
        _close_followups(participation, manager, keep_open=i >= 13)
    return len(participations)
