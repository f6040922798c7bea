"""One realistic world for the project-wide gates (the access matrix, hostile input).

`build_world()` creates the usual cast (the same shapes as tests/conftest.py) and, for the
social worker's team in the coordinator's project, a three-generation family with visits, a
needs diagnosis, an entry assessment, referrals to the PUP's service in every state an action
needs, social contracts (draft and signed), family programmes (draft, submitted, approved, in
progress), an EFS participation with an outcome and follow-ups, a finished report run with its
PDF, a budget line with an expense, an agreement with a scan and a team meeting.

`world_fixture()` makes a module-scoped pytest fixture of it: the world is built once inside an
outer transaction (each test then runs in a savepoint that pytest-django rolls back), and the
outer transaction is rolled back when the module is done, so no other test ever sees it.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from contracts.services import programmes as programme_services
from contracts.services import referrals as referral_services
from contracts.services import sessions as session_services
from families.codes import AssistanceReason, Relation, Sex
from families.models import AssessmentKind, FamilyReason
from reporting.codes import OutcomeKind
from reporting.models import FollowUp, ReportRun, Support
from reporting.services.followups import followup_schedule_for_employment
from reporting.services.participation import participation_record_exit
from reporting.services.placements import placement_add
from reporting.services.reports import report_render, report_request
from support_network.models import (
    Agreement,
    AgreementStatus,
    InstitutionKind,
    Meeting,
    Module,
    NotificationKind,
    Role,
    TeamKind,
)
from support_network.services import notification_create
from tests.contracts.factories import make_contract, make_programme
from tests.families.factories import (
    DiagnosisFactory,
    FamilyFactory,
    PersonFactory,
    VisitFactory,
    make_assessment,
)
from tests.reporting.factories import OutcomeEventFactory, ParticipationFactory
from tests.reporting.factories_indicators import BudgetLineFactory, ExpenseFactory
from tests.support_network.factories import (
    InstitutionFactory,
    ProjectFactory,
    ServiceFactory,
    TeamFactory,
    staff_user,
)

ANONYMOUS = "anonymous"
# The roles of the matrix, in the order the issue lists them (the administrator added).
ROLES = (
    ANONYMOUS,
    "social_worker",
    "colleague",
    "other_worker",
    "mgi_member",
    "coordinator",
    "other_coordinator",
    "partner",
    "manager",
    "auditor",
    "administrator",
)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Strings only the family's caseworkers and the project's staff may ever see on a page.
CANARY_SURNAME = "Kanarkowska"
CANARY_CASE_NUMBER = "KANAR/2018/777"
CANARY_VISIT_NOTE = "Notatka-kanarek z wizyty domowej"


@dataclass
class World:
    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["objects"][name]
        except KeyError:
            raise AttributeError(name) from None


def _cast(world: World) -> None:
    mops = InstitutionFactory(name="Miejski Ośrodek Pomocy Społecznej w Wodzisławiu Śląskim", short_name="MOPS W")
    other_mops = InstitutionFactory(name="Miejski Ośrodek Pomocy Społecznej w Kaliszu", short_name="MOPS K")
    pup = InstitutionFactory(
        name="Powiatowy Urząd Pracy w Wodzisławiu Śląskim", short_name="PUP W", kind=InstitutionKind.PUP
    )
    project = ProjectFactory(leader=mops, title="Fachowa siła przyszłością dla rodziny")
    project.partners.add(pup)
    other_project = ProjectFactory(leader=other_mops, title="Razem Skuteczniej")
    team = TeamFactory(institution=mops, project=project, name="Zespół Wilchwy")
    mgi_team = TeamFactory(institution=mops, project=project, name="MGI Wodzisław", kind=TeamKind.MGI)

    users = world.users
    users["social_worker"] = staff_user(Role.SOCIAL_WORKER, mops, username="m_pracownik", first_name="Anna")
    users["colleague"] = staff_user(Role.SOCIAL_WORKER, mops, username="m_kolega", first_name="Beata")
    users["other_worker"] = staff_user(Role.SOCIAL_WORKER, other_mops, username="m_obcy", first_name="Karol")
    users["mgi_member"] = staff_user(Role.MGI_MEMBER, mops, username="m_mgi", first_name="Marek")
    users["coordinator"] = staff_user(Role.COORDINATOR, mops, username="m_koordynator", first_name="Katarzyna")
    users["other_coordinator"] = staff_user(Role.COORDINATOR, other_mops, username="m_koordynator2", first_name="Kinga")
    users["partner"] = staff_user(Role.PARTNER_STAFF, pup, username="m_partner", first_name="Ewa")
    users["manager"] = staff_user(Role.PROJECT_MANAGER, mops, username="m_kierownik", first_name="Tomasz")
    users["auditor"] = staff_user(Role.AUDITOR, mops, username="m_audytor", first_name="Piotr")
    admin = staff_user(Role.ADMINISTRATOR, mops, username="m_admin", first_name="Adam")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    users["administrator"] = admin
    team.members.add(users["social_worker"], users["colleague"], users["mgi_member"])
    mgi_team.members.add(users["mgi_member"])
    project.staff.add(users["coordinator"], users["manager"], users["auditor"])
    other_project.staff.add(users["other_coordinator"])
    world.objects.update(
        mops=mops, other_mops=other_mops, pup=pup, project=project, other_project=other_project, team=team,
        mgi_team=mgi_team,
    )  # fmt: skip


def _casework(world: World) -> None:
    o, u = world.objects, world.users
    family = FamilyFactory(
        institution=o["mops"],
        project=o["project"],
        team=o["team"],
        social_worker=u["social_worker"],
        case_number=CANARY_CASE_NUMBER,
    )
    FamilyReason.objects.create(family=family, code=AssistanceReason.R1, is_primary=True)
    FamilyReason.objects.create(family=family, code=AssistanceReason.R4)
    head = PersonFactory(
        family=family,
        first_name="Maria",
        last_name=CANARY_SURNAME,
        relation=Relation.HEAD,
        generation=2,
        disability="tak",
    )
    grandmother = PersonFactory(
        family=family,
        first_name="Helena",
        last_name=CANARY_SURNAME,
        relation=Relation.PARENT,
        generation=1,
        birth_date=dt.date(1950, 5, 1),
    )
    child = PersonFactory(
        family=family,
        first_name="Kacper",
        last_name="Kanarkowski",
        relation=Relation.CHILD,
        generation=3,
        birth_date=dt.date(2008, 9, 9),
        sex=Sex.MALE,
    )
    visit = VisitFactory(family=family, author=u["social_worker"], notes=CANARY_VISIT_NOTE)
    diagnosis = DiagnosisFactory(family=family, author=u["social_worker"])
    assessment = make_assessment(head, AssessmentKind.ENTRY, [2, 3, 2, 3, 2], author=u["social_worker"])
    # a second family of the team: programmes are per family, and each state needs one
    family2 = FamilyFactory(institution=o["mops"], project=o["project"], team=o["team"], social_worker=u["colleague"])
    PersonFactory(family=family2, first_name="Jan", last_name="Drugi", relation=Relation.HEAD)
    other_family = FamilyFactory(institution=o["other_mops"], project=o["other_project"],
                                 social_worker=u["other_worker"])  # fmt: skip
    PersonFactory(family=other_family, first_name="Jan", last_name="Obcy")
    o.update(
        family=family, head=head, grandmother=grandmother, child=child, visit=visit, diagnosis=diagnosis,
        assessment=assessment, family2=family2, other_family=other_family,
    )  # fmt: skip


def _referrals(world: World) -> None:
    o, u = world.objects, world.users
    worker = u["social_worker"]
    partner = u["partner"]
    service = ServiceFactory(provider=o["pup"], name="Warsztaty aktywnego poszukiwania pracy",
                             module=Module.EMPLOYMENT, capacity=50)  # fmt: skip
    o["service"] = service

    def referral(person, reason="Długotrwale bezrobotna, chce wrócić na rynek pracy."):
        return referral_services.referral_create(person=person, service=service, by=worker, reason=reason)

    o["referral_draft"] = referral(o["head"])
    o["referral_sent"] = referral_services.referral_send(referral=referral(o["grandmother"]), by=worker)
    accepted = referral_services.referral_send(referral=referral(o["child"]), by=worker)
    o["referral_accepted"] = referral_services.referral_accept(referral=accepted, by=partner)
    running = referral_services.referral_send(referral=referral(o["head"]), by=worker)
    running = referral_services.referral_accept(referral=running, by=partner)
    o["referral_in_progress"] = referral_services.referral_start(referral=running, by=partner)
    referral_services.referral_record_attendance(
        referral=running, by=partner, held_on=timezone.localdate(), hours=Decimal("3"), sessions=1
    )


def _sessions(world: World) -> None:
    """A workshop group of the PUP in the project: the running referral's person enrolled, one past
    session with the attendance and a signed list."""
    o, partner = world.objects, world.users["partner"]
    group = session_services.group_create(by=partner, service=o["service"], name="Warsztaty – edycja 1",
                                          project=o["project"])  # fmt: skip
    session_services.group_enrol(group=group, by=partner, referrals=[o["referral_in_progress"]])
    session = session_services.session_create(
        group=group, by=partner, held_on=timezone.localdate() - dt.timedelta(days=1), starts_at=dt.time(9, 0),
        hours=Decimal("4"), place="Sala 12", topic="Rynek pracy", trainer_name="Jan Trener",
    )  # fmt: skip
    enrolment = group.enrolments.get()
    session_services.attendance_save(session=session, by=partner, present={enrolment.pk})
    session_services.signed_list_attach(
        session=session, by=partner, upload=ContentFile(b"%PDF-1.4\n%%EOF\n", name="lista.pdf")
    )
    o.update(group=group, group_session=session, enrolment=enrolment)


def _contracts_and_programmes(world: World) -> None:
    o, u = world.objects, world.users
    worker, coordinator = u["social_worker"], u["coordinator"]
    o["contract_draft"] = make_contract(family=o["family"], person=o["head"], worker=worker)
    signed = make_contract(family=o["family"], person=o["head"], worker=worker, signed=True)
    o["contract_signed"] = signed
    o["contract_evaluation"] = signed.evaluations.first()
    o["contract_action"] = signed.actions.first()

    o["programme_draft"] = make_programme(family=o["family2"], author=worker)
    o["programme_submitted"] = make_programme(family=o["family"], author=worker, submit=True)
    approved = make_programme(family=o["family2"], author=worker, submit=True)
    programme_services.programme_approve(programme=approved, version_number=1, by=coordinator)
    o["programme_approved"] = approved
    running = make_programme(family=o["family"], author=u["mgi_member"], submit=True)
    programme_services.programme_approve(programme=running, version_number=1, by=coordinator)
    programme_services.programme_start(programme=running, by=worker)
    o["programme_in_progress"] = running
    o["programme_action"] = running.actions.order_by("pk").first()


def _reporting(world: World) -> None:
    o, u = world.objects, world.users
    project, manager = o["project"], u["manager"]
    participation = ParticipationFactory(
        project=project, person=o["head"], first_name="Maria", last_name=CANARY_SURNAME,
        pesel=o["head"].pesel, birth_date=o["head"].birth_date, sex=o["head"].sex,
        start_date=dt.date(2018, 2, 1), entry_confirmed_by=manager,
    )  # fmt: skip
    participation_record_exit(participation=participation, end_date=dt.date(2018, 6, 30),
                              completed_as_planned=True, by=manager)  # fmt: skip
    o["participation"] = participation
    o["outcome"] = OutcomeEventFactory(
        participation=participation, kind=OutcomeKind.EMPLOYMENT, occurred_on=dt.date(2018, 7, 10)
    )
    o["followup"] = FollowUp.objects.filter(participation=participation).order_by("due_on").first()
    o["support"] = Support.objects.create(participation=participation, form="szkolenie/kurs",
                                          start_date=dt.date(2018, 2, 1))  # fmt: skip
    o["employment_followup"] = followup_schedule_for_employment(outcome=o["outcome"])
    o["placement"] = placement_add(participation=participation, by=manager, today=dt.date(2018, 7, 1), values={
        "kind": "public_works", "employer": "Zakład Usług Komunalnych", "hours_per_month": 160,
        "planned_start": dt.date(2018, 2, 5), "planned_end": dt.date(2018, 6, 29)})  # fmt: skip
    ParticipationFactory(project=o["other_project"], last_name="Obcy")
    line = BudgetLineFactory(project=project, category="Wynagrodzenia", planned_amount=Decimal("500000"))
    o["expense"] = ExpenseFactory(line=line, amount=Decimal("1200.00"), spent_on=dt.date(2018, 5, 10))
    o["budget_line"] = line
    run, _created = report_request(project=project, date_from=dt.date(2018, 1, 1), date_to=dt.date(2018, 12, 31),
                                   by=manager)  # fmt: skip
    report_render(run_id=run.pk)
    o["report_run"] = ReportRun.objects.get(pk=run.pk)
    o["participant_upload"] = _participant_upload(project, manager)


def _participant_upload(project, manager):
    """The manager's participant file waiting on its preview (one new participant)."""
    from reporting.importing import layout as L
    from reporting.importing.reader import NO_DEADLINE
    from reporting.models import ParticipantUpload
    from reporting.services.participant_uploads import upload_preview

    values = {L.H_FIRST_NAME: "Jan", L.H_LAST_NAME: "Wgrany", L.H_PESEL: "81040277715", L.H_NO_PESEL: "Nie",
              L.H_START: "2018-03-01", L.H_EDUCATION: "podstawowe (ISCED 1)", L.H_AT_RISK: "Tak"}  # fmt: skip
    content = ";".join(L.HEADERS) + "\n" + ";".join(values.get(h, "") for h in L.HEADERS) + "\n"
    _preview, token = upload_preview(project=project, data=content.encode(), filename="uczestnicy.csv", by=manager,
                                     deadline=NO_DEADLINE)  # fmt: skip
    return ParticipantUpload.objects.get(token=token)


def _partnership(world: World) -> None:
    o, u = world.objects, world.users
    agreement = Agreement.objects.create(
        title="Porozumienie MOPS – PUP w Wodzisławiu Śląskim",
        subject="Współpraca w aktywizacji zawodowej rodzin",
        project=o["project"],
        status=AgreementStatus.SIGNED,
        signed_on=dt.date(2017, 9, 1),
        created_by=u["coordinator"],
    )
    agreement.parties.set([o["mops"], o["pup"]])
    agreement.scan.save("skan.pdf", ContentFile(PDF), save=True)
    o["agreement"] = agreement
    meeting = Meeting.objects.create(
        team=o["team"],
        starts_at=timezone.now() - dt.timedelta(days=3),
        place="MOPS, pokój 12",
        agenda="Omówienie sytuacji rodzin",
        created_by=u["coordinator"],
    )
    meeting.attendees.add(u["social_worker"], u["mgi_member"])
    o["meeting"] = meeting
    o["notification"] = notification_create(
        recipient=u["social_worker"], kind=NotificationKind.OVERDUE, text="Powiadomienie", link="/"
    )


def build_world() -> World:
    world = World()
    _cast(world)
    _casework(world)
    _referrals(world)
    _sessions(world)
    _contracts_and_programmes(world)
    _reporting(world)
    _partnership(world)
    return world


def world_fixture():
    """A module-scoped fixture `world`: built once, rolled back after the module."""

    @pytest.fixture(scope="module")
    def world(django_db_setup, django_db_blocker, tmp_path_factory):
        media = tmp_path_factory.mktemp("world-media")
        with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)):
            atomic = transaction.atomic()
            atomic.__enter__()
            try:
                yield build_world()
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)

    return world
