"""Demo group sessions for seed_demo (idempotent: a group is skipped when its name exists).

- Razem Skuteczniej (Kalisz, 2017): the 12-hour vocational-guidance workshops of PUP Kalisz, 3 × 4 h,
  for its 20 participants in two editions of 10 (the service has 12 places), with attendance, the
  ratings at the last session and a sample "signed list" PDF attached to the first session.
- KIS Sochaczew (12.2013–08.2014): the 9-month club cycle run by the KIS specialists (psychologist,
  lawyer, career adviser, IT and finance trainers), one session a month.

Participants come through referrals written by the families' social worker and accepted by the
running institution, so the attendance reaches the referrals' hours; each referral is completed.
"""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from contracts.models import Referral, ReferralEvent, ReferralEventKind, ReferralStatus, SessionGroup
from contracts.selectors.sessions import session_for_detail
from contracts.services import referrals as referral_services
from contracts.services import sessions as session_services
from core.errors import DomainError
from core.pdf import render_pdf
from families.models import Family
from support_network.models import Institution, Project, Role, Service, Specialty, StaffMembership

# username, first, last, institution short name, specialty
SPECIALISTS = [
    ("doradca.kalisz", "Agnieszka", "Pawlak", "PUP Kalisz", Specialty.CAREER_ADVISER),
    ("psycholog.kis", "Monika", "Grabowska", "KIS Sochaczew", Specialty.PSYCHOLOGIST),
    ("prawnik.kis", "Robert", "Michalski", "KIS Sochaczew", Specialty.LAWYER),
    ("doradca.kis", "Elżbieta", "Król", "KIS Sochaczew", Specialty.CAREER_ADVISER),
    ("informatyk.kis", "Paweł", "Jabłoński", "KIS Sochaczew", Specialty.IT_TRAINER),
    ("finanse.kis", "Halina", "Wróbel", "KIS Sochaczew", Specialty.FINANCE_TRAINER),
]

WORKSHOP_TOPICS = (
    "Mój potencjał zawodowy – bilans umiejętności",
    "Dokumenty aplikacyjne: CV i list motywacyjny",
    "Rozmowa kwalifikacyjna – ćwiczenia",
)
# month's session of the KIS cycle: date, topic, specialist
KIS_CYCLE = [
    (dt.date(2013, 12, 10), "Spotkanie organizacyjne i integracja grupy", "psycholog.kis"),
    (dt.date(2014, 1, 14), "Komunikacja i radzenie sobie ze stresem", "psycholog.kis"),
    (dt.date(2014, 2, 11), "Prawa i obowiązki osoby bezrobotnej", "prawnik.kis"),
    (dt.date(2014, 3, 11), "Planowanie ścieżki zawodowej", "doradca.kis"),
    (dt.date(2014, 4, 8), "Obsługa komputera i poczty elektronicznej", "informatyk.kis"),
    (dt.date(2014, 5, 13), "Szukanie ofert pracy w internecie", "informatyk.kis"),
    (dt.date(2014, 6, 10), "Domowy budżet i zadłużenie", "finanse.kis"),
    (dt.date(2014, 7, 8), "Umowy, alimenty, mieszkanie – porady prawne", "prawnik.kis"),
    (dt.date(2014, 8, 12), "Podsumowanie cyklu i plan na przyszłość", "doradca.kis"),
]


def _specialists(stdout) -> dict[str, StaffMembership]:
    User = get_user_model()
    institutions = {i.short_name: i for i in Institution.objects.filter(short_name__in={s[3] for s in SPECIALISTS})}
    made = {}
    for username, first, last, short_name, specialty in SPECIALISTS:
        if short_name not in institutions:
            continue
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.invalid"},
        )
        if settings.DEBUG:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        elif created:
            user.set_unusable_password()
            user.save()
        made[username], _ = StaffMembership.objects.update_or_create(
            user=user,
            defaults={
                "institution": institutions[short_name],
                "role": Role.PARTNER_STAFF,
                "specialty": specialty,
                "position": Specialty(specialty).label,
                "is_demo": True,
            },
        )
    stdout.write("Specjaliści prowadzący zajęcia: " + ", ".join(sorted(made)) + ".")
    return made


def _persons(institution_short_name: str, limit: int):
    families = Family.objects.filter(institution__short_name=institution_short_name).order_by("case_number")
    persons = []
    for family in families.prefetch_related("members").select_related("social_worker"):
        members = list(family.members.all())
        if members and family.social_worker is not None:
            persons.append((members[0], family.social_worker))
    return persons[:limit]


def _accepted_referrals(persons, service, runner_user) -> list[Referral]:
    referrals = []
    for person, worker in persons:
        referral = referral_services.referral_create(
            person=person, service=service, by=worker, reason="Udział w zajęciach grupowych projektu."
        )
        referral = referral_services.referral_send(referral=referral, by=worker)
        if referral.status == ReferralStatus.SENT:
            referrals.append(referral_services.referral_accept(referral=referral, by=runner_user))
    return referrals


def _cycle(*, name, service, project, runner, persons, plan, place, absent, ratings) -> SessionGroup | None:
    """One group: refer and accept, enrol, hold the sessions of `plan` (date, topic, trainer, hours)
    with everybody present except `absent` (session index -> enrolment positions), rate, complete."""
    if SessionGroup.objects.filter(name=name).exists() or not persons:
        return None
    by = runner.user
    referrals = _accepted_referrals(persons, service, by)
    group = session_services.group_create(by=by, service=service, name=name, project=project)
    session_services.group_enrol(group=group, by=by, referrals=referrals)
    enrolments = list(group.enrolments.order_by("person__last_name", "person__first_name", "pk"))
    for index, (day, topic, trainer, starts_at, hours) in enumerate(plan):
        session = session_services.session_create(
            group=group, by=by, held_on=day, starts_at=starts_at, hours=hours, place=place, topic=topic, trainer=trainer
        )
        missing = absent.get(index, ())
        present = {e.pk for position, e in enumerate(enrolments) if position not in missing}
        session_services.attendance_save(session=session, by=by, present=present)
    for position, enrolment in enumerate(enrolments):
        rating = ratings[position % len(ratings)]
        session_services.enrolment_rate(enrolment=enrolment, by=by, rating=rating)
    last_day = plan[-1][0]
    for referral in Referral.objects.filter(pk__in=[r.pk for r in referrals], status=ReferralStatus.IN_PROGRESS):
        referral_services.referral_complete(referral=referral, by=by, finished_on=last_day, outcome={"completed": True})
    _date_referrals(referrals, first_day=plan[0][0], last_day=last_day, project=project)
    return group


def _date_referrals(referrals, *, first_day: dt.date, last_day: dt.date, project) -> None:
    """The services stamp today; the group's referrals were sent up to two weeks before its first
    session (not before the project began) and answered within days, inside the project's period
    (tests/demo/test_demo_dates.py)."""
    sent = max(first_day - dt.timedelta(days=14), project.start_date)
    answered = min(sent + dt.timedelta(days=3), first_day)
    rows = Referral.objects.filter(pk__in=[r.pk for r in referrals])
    rows.update(sent_at=_at(sent), answer_due=min(sent + dt.timedelta(days=7), project.end_date),
                answered_at=_at(answered), status_changed_at=_at(last_day))  # fmt: skip
    early = [ReferralStatus.DRAFT, ReferralStatus.SENT, ReferralStatus.ACCEPTED]
    events = ReferralEvent.objects.filter(referral__in=rows, kind=ReferralEventKind.STATUS)
    events.filter(status__in=early).update(at=_at(sent))
    events.exclude(status__in=early).update(at=_at(last_day))
    ReferralEvent.objects.filter(referral__in=rows).exclude(kind=ReferralEventKind.STATUS).update(at=_at(last_day))


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _attach_sample_list(group: SessionGroup, runner) -> None:
    """The first session's attendance list, printed as PDF, stands in for the signed scan."""
    first = group.sessions.order_by("held_on").first()
    if first is None:
        return
    session = session_for_detail(SessionGroup.objects.filter(pk=group.pk), first.pk)
    data = render_pdf(
        "contracts/pdf/attendance_list.html",
        {"session": session, "group": session.group, "enrolments": session.group.enrolment_list},
    )
    session_services.signed_list_attach(
        session=session, by=runner.user, upload=ContentFile(data, name="lista-podpisana.pdf")
    )


def seed_razem_skuteczniej(stdout, specialists) -> int:
    runner = specialists.get("doradca.kalisz")
    project = Project.objects.filter(short_name="Razem Skuteczniej").first()
    service = Service.objects.filter(
        provider__short_name="PUP Kalisz", name="Warsztaty z poradnictwa zawodowego"
    ).first()
    if runner is None or project is None or service is None:
        return 0
    persons = _persons("MOPS Kalisz", 20)
    editions = [
        (persons[:10], [dt.date(2017, 4, 3), dt.date(2017, 4, 5), dt.date(2017, 4, 7)]),
        (persons[10:20], [dt.date(2017, 4, 19), dt.date(2017, 4, 21), dt.date(2017, 4, 24)]),
    ]
    made = 0
    for number, (batch, days) in enumerate(editions, start=1):
        plan = [
            (day, topic, runner, dt.time(9, 0), Decimal("4")) for day, topic in zip(days, WORKSHOP_TOPICS, strict=True)
        ]
        group = _cycle(
            name=f"Warsztaty z poradnictwa zawodowego – edycja {number} (Razem Skuteczniej)",
            service=service, project=project, runner=runner, persons=batch, plan=plan,
            place="PUP Kalisz, ul. Częstochowska 130, sala szkoleniowa nr 12",
            absent={2: (number,)}, ratings=(5, 4, 5, 5, None),
        )  # fmt: skip
        if group is not None:
            made += 1
            if number == 1:
                _attach_sample_list(group, runner)
    return made


def seed_kis_sochaczew(stdout, specialists) -> int:
    runner = specialists.get("psycholog.kis")
    project = Project.objects.filter(short_name="KIS Sochaczew").first()
    service = Service.objects.filter(provider__short_name="KIS Sochaczew", name="Warsztaty aktywizujące").first()
    if runner is None or project is None or service is None:
        return 0
    plan = [
        (day, topic, specialists[trainer], dt.time(10, 0), Decimal("3"))
        for day, topic, trainer in KIS_CYCLE
        if trainer in specialists
    ]
    group = _cycle(
        name="Klub Integracji Społecznej – cykl 9-miesięczny 2013/2014",
        service=service, project=project, runner=runner, persons=_persons("KIS Sochaczew", 15), plan=plan,
        place="KIS Sochaczew, sala zajęć grupowych",
        absent={1: (0, 3), 4: (3,), 5: (3, 7), 6: (3,)}, ratings=(4, 5, 3, None, 5),
    )  # fmt: skip
    return 1 if group is not None else 0


def seed(stdout) -> None:
    specialists = _specialists(stdout)
    try:
        with transaction.atomic():
            counts = (seed_razem_skuteczniej(stdout, specialists), seed_kis_sochaczew(stdout, specialists))
    except DomainError as exc:  # the demo's other data changed under it: say so, keep the rest
        stdout.write(f"Zajęcia grupowe pominięte: {exc.message}")
        return
    stdout.write(f"Zajęcia grupowe: Razem Skuteczniej {counts[0]}, KIS Sochaczew {counts[1]}.")
