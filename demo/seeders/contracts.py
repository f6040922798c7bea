"""Demo data of this room for seed_demo (idempotent: contracts by OPS + number, programmes by
family + title). Families come from families/demo.py, which runs first; families that are not
there yet are skipped, so this seed is safe on its own."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from contracts.access import can_write_programmes_for, is_programme_coordinator
from contracts.models import (
    ActionOwner,
    ContractKind,
    ContractStatus,
    FamilyProgramme,
    Referral,
    ReferralEvent,
    ReferralStatus,
    SocialContract,
)
from contracts.services import programmes as programme_services
from contracts.services import social_contracts as contract_services
from core.errors import DomainError
from families.models import Family
from support_network.models import Module, Service

DEMO_PROGRAMME_TITLE = "Program rodzinny (demo)"


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _families(institution_short_name, limit=None):
    families = (
        Family.objects.filter(institution__short_name=institution_short_name)
        .select_related("project")
        .order_by("case_number")
    )
    families = [f for f in families.prefetch_related("members") if f.members.all()]
    return families[:limit] if limit else families


def _contract(*, family, number, worker, kind, start, end, goals, actions, signed=True, **texts):
    if SocialContract.objects.filter(institution=family.institution, number=number).exists():
        return None
    person = family.members.all()[0]
    contract = contract_services.contract_create(
        family=family,
        fields={
            "kind": kind,
            "person": person,
            "concluded_on": start,
            "period_start": start,
            "period_end": end,
            **texts,
        },
        covered_members=list(family.members.all())[1:3] if kind == ContractKind.A else [],
        goals=[{"text": g} for g in goals],
        actions=actions,
        evaluations=[{"due_on": start + dt.timedelta(days=60)}, {"due_on": end}],
        by=worker,
        number=number,  # the numbers of the paper register, carried over
    )
    # the service dates the "created" event today; a demo contract was drafted on its conclusion day
    contract.events.filter(from_status="").update(on=start)
    if signed:
        contract_services.contract_sign(contract=contract, signed_on=start, by=worker)
    return contract


def _carry_out(contract, *, closed_on):
    """A contract of a project that has ended: its actions done by their deadlines and its
    evaluations held on their due dates (not later than the close), so nothing is left open."""
    by = contract.social_worker
    for action in contract.actions.filter(done_on__isnull=True):
        contract_services.action_mark_done(action=action, done_on=min(action.deadline, closed_on), by=by)
    for evaluation in contract.evaluations.filter(held_on__isnull=True):
        contract_services.evaluation_record(
            evaluation=evaluation, held_on=min(evaluation.due_on, closed_on), by=by,
            result="Ustalenia realizowane zgodnie z kontraktem.",
        )  # fmt: skip


def seed_kalisz(stdout) -> int:
    """Razem Skuteczniej: a kontrakt socjalny (type B: common clients of MOPS and PUP) signed with
    every participant; all 20 took up employment, so the contracts are completed."""
    worker = _user("pracownik.kalisz")
    if worker is None:
        return 0
    created = 0
    start, end = dt.date(2017, 3, 15), dt.date(2017, 12, 31)
    for index, family in enumerate(_families("MOPS Kalisz"), start=1):
        contract = _contract(
            family=family,
            number=f"KS/RS/2017/{index:03d}",
            worker=family.social_worker or worker,
            kind=ContractKind.B,
            start=start,
            end=end,
            pup_referral=f"PUP Kalisz, skierowanie nr CAZ.{index:03d}/2017",
            causes="Długotrwałe bezrobocie, niskie kwalifikacje, trudna sytuacja mieszkaniowa.",
            resources="Gotowość do podjęcia pracy, wsparcie rodziny.",
            limitations="Brak doświadczenia zawodowego w ostatnich latach.",
            unemployment_causes="Pozostawanie bez pracy ponad 12 miesięcy, brak aktualnych kwalifikacji.",
            previous_activation="Staż w 2015 r., szkolenie komputerowe.",
            activation_failure="Brak zatrudnienia po stażu, problemy z dojazdem.",
            main_goal="Podjęcie i utrzymanie zatrudnienia.",
            goals=[
                "Udział w 12-godzinnych warsztatach doradztwa zawodowego",
                "Podjęcie pracy w ramach 5-miesięcznych robót publicznych",
            ],
            actions=[
                {
                    "description": "Udział w warsztatach doradztwa zawodowego (12 godz.)",
                    "owner": ActionOwner.CLIENT,
                    "deadline": dt.date(2017, 4, 30),
                },
                {
                    "description": "Skierowanie na roboty publiczne",
                    "owner": ActionOwner.OPS,
                    "deadline": dt.date(2017, 5, 31),
                },
            ],
        )
        if contract is None:
            continue
        created += 1
        _carry_out(contract, closed_on=end)
        contract_services.contract_close(
            contract=contract,
            status=ContractStatus.COMPLETED_ACHIEVED,
            closed_on=end,
            reason="Uczestnik podjął zatrudnienie na podstawie umowy o pracę.",
            ratings={g.pk: {"achievement": "achieved", "note": ""} for g in contract.goals.all()},
            by=contract.social_worker,
        )
    return created


def seed_wodzislaw(stdout) -> int:
    """Contracts (type A, with families) in Wilchwy: while the project runs, a few running and one
    draft; once it has ended, each dated in its period, carried out and closed."""
    worker = _user("pracownik")
    if worker is None:
        return 0
    today = timezone.localdate()
    created = 0
    families = sorted(_families("MOPS Wodzisław Śl."), key=lambda f: not _runs(f, today))  # today's project first
    for index, family in enumerate(families[:3], start=1):
        end_of_project = family.project.end_date if family.project_id else None
        ended = end_of_project is not None and end_of_project < today
        start = (
            (end_of_project - dt.timedelta(days=180 + 40 * index)) if ended else today - dt.timedelta(days=40 * index)
        )
        contract = _contract(
            family=family,
            number=f"KS/W/{start.year}/{index:03d}",
            worker=family.social_worker or worker,
            kind=ContractKind.A,
            start=start,
            end=start + dt.timedelta(days=180),
            signed=ended or index != 3,
            causes="Bezrobocie dorosłych członków rodziny, zadłużenie czynszowe, bezradność w sprawach opiekuńczo-"
            "wychowawczych.",
            resources="Silne więzi rodzinne, babcia pomaga w opiece nad dziećmi.",
            limitations="Brak kwalifikacji, problemy zdrowotne najstarszego pokolenia.",
            main_goal="Wyjście rodziny z ubóstwa i przerwanie jego dziedziczenia.",
            goals=[
                "Spłata zadłużenia czynszowego w ratach",
                "Regularne uczęszczanie dzieci do szkoły",
                "Podjęcie zatrudnienia przez jedną osobę dorosłą",
            ],
            actions=[
                {
                    "description": "Zawarcie porozumienia o spłacie zadłużenia",
                    "owner": ActionOwner.CLIENT,
                    "deadline": start + dt.timedelta(days=30),
                },
                {
                    "description": "Doradztwo zawodowe w PUP",
                    "owner": ActionOwner.CLIENT,
                    "deadline": start + dt.timedelta(days=50),
                },
                {
                    "description": "Pomoc w kontakcie ze szkołą i świetlicą",
                    "owner": ActionOwner.OPS,
                    "deadline": start + dt.timedelta(days=45),
                },
            ],
        )
        created += contract is not None
        if contract is not None and ended:
            _close_achieved(contract, closed_on=start + dt.timedelta(days=180))
    return created


def _runs(family, today) -> bool:
    return family.project_id is not None and (family.project.end_date is None or family.project.end_date >= today)


def _close_achieved(contract, *, closed_on):
    _carry_out(contract, closed_on=closed_on)
    contract_services.contract_close(
        contract=contract, status=ContractStatus.COMPLETED_ACHIEVED, closed_on=closed_on,
        reason="Cele kontraktu osiągnięte w okresie projektu.",
        ratings={g.pk: {"achievement": "achieved", "note": ""} for g in contract.goals.all()},
        by=contract.social_worker,
    )  # fmt: skip


def seed_turek(stdout) -> int:
    """Family programmes of the MGI in Turek in different states: submitted, returned with a
    comment, approved (with referrals for its catalogue actions)."""
    author, coordinator = _user("mgi"), _user("koordynator")
    if author is None or coordinator is None:
        return 0
    states = ["submitted", "returned", "approved"]
    created = 0
    for family, state in zip(_families("MOPS Turek"), states, strict=False):
        if FamilyProgramme.objects.filter(family=family, title=DEMO_PROGRAMME_TITLE).exists():
            continue
        if not can_write_programmes_for(author, family):
            continue
        members = list(family.members.all())
        start = dt.date(2014, 9, 1)
        services = (
            Service.objects.filter(
                provider__in=[family.project.leader_id, *family.project.partners.values_list("pk", flat=True)]
            )
            if family.project_id
            else Service.objects.none()
        )
        actions = [
            {
                "module": Module.FAMILY,
                "service": None,
                "description": "Spotkania z asystentem rodziny co tydzień",
                "person": None,
                "start_on": start,
                "end_on": dt.date(2015, 3, 31),
                "expected_result": "Uporządkowany budżet domowy i plan dnia dzieci",
            },
            {
                "module": Module.SPORT_CULTURE,
                "service": None,
                "description": "Rodzinne wyjście do kina i muzeum",
                "person": None,
                "start_on": dt.date(2014, 10, 1),
                "end_on": dt.date(2014, 12, 31),
                "expected_result": "Wspólnie spędzony czas, integracja rodziny",
            },
        ]
        for service in services[:2]:
            actions.append(
                {
                    "module": service.module,
                    "service": service,
                    "description": "",
                    "person": members[0],
                    "start_on": dt.date(2014, 10, 1),
                    "end_on": dt.date(2015, 1, 31),
                    "expected_result": "Ukończenie usługi i wzrost aktywności zawodowej",
                }
            )
        programme = programme_services.programme_create(
            family=family,
            fields={
                "title": DEMO_PROGRAMME_TITLE,
                "prepared_by": "mgi",
                "team": None,
                "diagnosis": family.diagnoses.first(),
                "summary": "Rodzina trzypokoleniowa, trwałe pokoleniowe bezrobocie.",
                "period_start": start,
                "period_end": dt.date(2015, 3, 31),
            },
            goals=[{"person": members[0], "text": "Podjęcie zatrudnienia"}]
            + [{"person": m, "text": "Regularna nauka i zajęcia pozalekcyjne"} for m in members[1:2]],
            actions=actions,
            by=author,
        )
        created += 1
        programme_services.programme_submit(programme=programme, by=author)
        if not is_programme_coordinator(coordinator, programme):
            continue
        try:
            if state == "returned":
                programme_services.programme_return(
                    programme=programme,
                    version_number=1,
                    by=coordinator,
                    comment="Proszę dodać cele dla dzieci w module sport i kultura oraz terminy spotkań z PUP.",
                )
            elif state == "approved":
                programme_services.programme_approve(programme=programme, version_number=1, by=coordinator)
        except DomainError:
            continue
        _date_in_period(programme, submitted_on=dt.date(2014, 8, 25), decided_on=dt.date(2014, 8, 29))
    return created


def _at(day, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _date_in_period(programme, *, submitted_on, decided_on):
    """The services stamp today; a 2014 programme was submitted and decided in 2014. Its referrals
    (sent on the approval) were answered, carried out and completed within the project's period."""
    programme.events.filter(kind="created").update(at=_at(submitted_on, 9))
    programme.events.filter(kind="submitted").update(at=_at(submitted_on))
    programme.events.exclude(kind__in=["created", "submitted"]).update(at=_at(decided_on))
    programme.versions.update(submitted_at=_at(submitted_on))
    FamilyProgramme.objects.filter(pk=programme.pk).update(submitted_at=_at(submitted_on),
                                                           status_changed_at=_at(decided_on))  # fmt: skip
    referrals = Referral.objects.filter(
        idempotency_key__startswith="programme-action-", person__family=programme.family
    )
    referrals.update(
        status=ReferralStatus.COMPLETED, sent_at=_at(decided_on), answer_due=decided_on + dt.timedelta(days=7),
        answered_at=_at(decided_on + dt.timedelta(days=3)), overdue_at=None, queued_at=None,
        started_on=dt.date(2014, 10, 1), finished_on=dt.date(2015, 1, 31), status_changed_at=_at(dt.date(2015, 1, 31)),
    )  # fmt: skip
    ReferralEvent.objects.filter(referral__in=referrals).update(at=_at(decided_on))


def seed(stdout) -> None:
    counts = (seed_kalisz(stdout), seed_wodzislaw(stdout), seed_turek(stdout))
    stdout.write(f"Kontrakty socjalne: Kalisz {counts[0]}, Wodzisław {counts[1]}; programy rodzinne Turek {counts[2]}.")
