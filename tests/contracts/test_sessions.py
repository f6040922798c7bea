"""Group sessions (issue 13 items 3, 4, 7): enrolment, attendance mirrored into the referral's
attendance, the flag below the required attendance, the attendance-list PDF, the signed scan,
specialists' hours, scoping and constant query counts."""

import datetime as dt
import subprocess
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.urls import reverse

from contracts import access
from contracts.models import GroupEnrolment, ReferralAttendance, ReferralStatus, SessionAttendance
from contracts.selectors import sessions as selectors
from contracts.services import sessions as services
from contracts.services.referrals import referral_accept, referral_create, referral_send
from core.errors import DomainError
from support_network.models import Role, Specialty
from tests.contracts import referral_factories as fixtures
from tests.families.factories import PersonFactory
from tests.support_network.factories import staff_user

family = fixtures.family
other_partner = fixtures.other_partner
other_pup = fixtures.other_pup
workshop = fixtures.workshop

DAY = dt.date(2024, 3, 4)
PESEL = "85010112345"


def accepted(person, service, worker, partner):
    referral = referral_create(person=person, service=service, by=worker, reason="Warsztaty.")
    referral = referral_send(referral=referral, by=worker)
    return referral_accept(referral=referral, by=partner)


@pytest.fixture
def trainer(pup):
    user = staff_user(Role.PARTNER_STAFF, pup, username="psycholog", first_name="Irena", last_name="Psycholog")
    user.membership.specialty = Specialty.PSYCHOLOGIST
    user.membership.save()
    return user.membership


def build(family, workshop, social_worker, partner, project, trainer, *, people=1, sessions=1):
    group = services.group_create(by=partner, service=workshop, name="Warsztaty – edycja 1", project=project)
    referrals = []
    for n in range(people):
        person = PersonFactory(family=family, first_name=f"Osoba{n}", last_name=f"Nowak{n:02d}", pesel=PESEL)
        referrals.append(accepted(person, workshop, social_worker, partner))
    services.group_enrol(group=group, by=partner, referrals=referrals)
    made = [
        services.session_create(
            group=group,
            by=partner,
            held_on=DAY + dt.timedelta(days=n),
            starts_at=dt.time(9, 0),
            hours=Decimal("4"),
            place="Sala 12, PUP",
            topic=f"Rynek pracy {n + 1}",
            trainer=trainer,
        )  # fmt: skip
        for n in range(sessions)
    ]
    return group, referrals, made


def test_attendance_writes_the_referrals_hours_once_and_removes_them(
    family, workshop, social_worker, partner, project, trainer
):
    group, referrals, made = build(family, workshop, social_worker, partner, project, trainer, people=2, sessions=3)
    enrolments = list(group.enrolments.order_by("person__last_name"))
    for session in made:
        services.attendance_save(session=session, by=partner, present={enrolments[0].pk})
        services.attendance_save(session=session, by=partner, present={enrolments[0].pk})  # idempotent
    first = referrals[0]
    first.refresh_from_db()
    assert first.status == ReferralStatus.IN_PROGRESS
    assert ReferralAttendance.objects.filter(referral=first).count() == 3
    assert ReferralAttendance.objects.filter(referral=first).aggregate(h=Sum("hours"))["h"] == Decimal("12")
    services.attendance_save(session=made[0], by=partner, present={enrolments[1].pk})
    assert ReferralAttendance.objects.filter(referral=first).count() == 2
    assert ReferralAttendance.objects.filter(referral=referrals[1]).count() == 1
    assert SessionAttendance.objects.count() == 3


def test_session_hours_changed_are_followed_by_the_referral(family, workshop, social_worker, partner, project, trainer):
    group, referrals, (session,) = build(family, workshop, social_worker, partner, project, trainer)
    enrolment = group.enrolments.get()
    services.attendance_save(session=session, by=partner, present={enrolment.pk})
    session.hours = Decimal("3.5")
    session.save()
    services.attendance_save(session=session, by=partner, present={enrolment.pk})
    assert ReferralAttendance.objects.get(referral=referrals[0]).hours == Decimal("3.5")


def test_participant_below_required_attendance_is_flagged(
    client, family, workshop, social_worker, partner, project, trainer
):
    group, _referrals, made = build(family, workshop, social_worker, partner, project, trainer, people=2, sessions=3)
    first, second = group.enrolments.order_by("person__last_name")
    for session in made:
        services.attendance_save(
            session=session, by=partner, present={first.pk} | ({second.pk} if session == made[0] else set())
        )
    client.force_login(partner)
    page = client.get(reverse("contracts:group_detail", args=[group.pk]))
    rows = {row.enrolment.pk: row for row in page.context["rows"]}
    assert not rows[first.pk].below and rows[first.pk].hours == Decimal("12")
    assert rows[second.pk].below and rows[second.pk].rate == Decimal("33.3")
    assert "poniżej wymaganej" in page.content.decode()


def test_enrolling_a_person_of_another_service_by_hand_keeps_no_referral(
    family, workshop, social_worker, partner, project, trainer
):
    group, _r, _s = build(family, workshop, social_worker, partner, project, trainer, people=0, sessions=0)
    from tests.support_network.factories import ServiceFactory

    other = ServiceFactory(provider=workshop.provider, name="Pośrednictwo pracy")
    person = PersonFactory(family=family, first_name="Ręczna", last_name="Osoba")
    accepted(person, other, social_worker, partner)
    services.group_enrol(group=group, by=partner, persons=[person])
    assert GroupEnrolment.objects.get(group=group).referral is None


def test_enrolling_someone_the_partner_cannot_see_is_refused(
    family, workshop, social_worker, partner, project, trainer
):
    group, _r, _s = build(family, workshop, social_worker, partner, project, trainer, people=0, sessions=0)
    stranger = PersonFactory(family=family, first_name="Obca", last_name="Osoba")
    with pytest.raises(DomainError):
        services.group_enrol(group=group, by=partner, persons=[stranger])


def test_future_session_attendance_is_refused(family, workshop, social_worker, partner, project, trainer):
    group, _r, (session,) = build(family, workshop, social_worker, partner, project, trainer)
    session.held_on = dt.date.today() + dt.timedelta(days=3)
    session.save()
    with pytest.raises(DomainError):
        services.attendance_save(session=session, by=partner, present={group.enrolments.get().pk})


def test_another_institution_gets_404_and_the_manager_reads_only(
    client, family, workshop, social_worker, partner, project, trainer, other_partner, manager
):
    group, _r, (session,) = build(family, workshop, social_worker, partner, project, trainer)
    client.force_login(other_partner)
    assert client.get(reverse("contracts:group_detail", args=[group.pk])).status_code == 404
    assert client.get(reverse("contracts:session_pdf", args=[session.pk])).status_code == 404
    client.force_login(manager)
    assert client.get(reverse("contracts:group_detail", args=[group.pk])).status_code == 200
    answer = client.post(reverse("contracts:session_attendance", args=[session.pk]), {"present": "1"})
    assert answer.status_code == 403
    assert not SessionAttendance.objects.exists()


def test_attendance_list_pdf_has_the_facts_and_one_row_per_participant_and_no_pesel(
    client, family, workshop, social_worker, partner, project, trainer
):
    _group, _r, (session,) = build(family, workshop, social_worker, partner, project, trainer, people=3)
    client.force_login(partner)
    answer = client.get(reverse("contracts:session_pdf", args=[session.pk]))
    assert answer["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=answer.content,
        capture_output=True,
        check=True,  # noqa: S607
    ).stdout.decode()
    for fact in ("LISTA OBECNOŚCI", "04.03.2024", "09:00", "Rynek pracy 1", "Sala 12, PUP", "Irena Psycholog",
                 project.agreement_number, "Europejskiego Funduszu Społecznego"):  # fmt: skip
        assert fact in text, fact
    rows = [line for line in text.splitlines() if "Nowak" in line]
    assert len(rows) == 3
    assert PESEL not in text


def test_cycle_summary_pdf_lists_hours_per_participant(
    client, family, workshop, social_worker, partner, project, trainer
):
    group, _r, made = build(family, workshop, social_worker, partner, project, trainer, people=2, sessions=2)
    for session in made:
        services.attendance_save(
            session=session, by=partner, present=set(group.enrolments.values_list("pk", flat=True))
        )
    client.force_login(partner)
    answer = client.get(reverse("contracts:group_pdf", args=[group.pk]))
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=answer.content, capture_output=True,  # noqa: S607
                          check=True).stdout.decode()  # fmt: skip
    assert len([line for line in text.splitlines() if "Nowak" in line and "100,0" in line]) == 2


def test_signed_list_is_checked_by_content_and_served_only_in_scope(
    client, family, workshop, social_worker, partner, project, trainer, other_partner, tmp_path, settings
):
    settings.MEDIA_ROOT = str(tmp_path)
    _group, _r, (session,) = build(family, workshop, social_worker, partner, project, trainer)
    client.force_login(partner)
    url = reverse("contracts:session_signed_list", args=[session.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("lista.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    assert client.post(url, {"scan": fake}).status_code == 400
    real = SimpleUploadedFile("lista.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    assert client.post(url, {"scan": real}).status_code == 302
    session.refresh_from_db()
    assert session.signed_list.name.startswith("attendance_lists/")
    download = reverse("contracts:session_signed_list_file", args=[session.pk])
    assert b"".join(client.get(download).streaming_content).startswith(b"%PDF-")
    client.force_login(other_partner)
    assert client.get(download).status_code == 404


def test_specialist_hours_are_the_sum_of_their_sessions(
    client, family, workshop, social_worker, partner, project, trainer, manager
):
    group, _r, _made = build(family, workshop, social_worker, partner, project, trainer, sessions=3)
    client.force_login(manager)
    page = client.get(reverse("contracts:group_list"))
    (row,) = page.context["specialists"]
    assert row.pk == trainer.pk and row.hours == Decimal("12") and row.session_count == 3


def test_rating_is_saved_and_bounded(client, family, workshop, social_worker, partner, project, trainer):
    group, _r, _s = build(family, workshop, social_worker, partner, project, trainer)
    enrolment = group.enrolments.get()
    client.force_login(partner)
    client.post(reverse("contracts:enrolment_rating", args=[enrolment.pk]), {"rating": "5"})
    client.post(reverse("contracts:enrolment_rating", args=[enrolment.pk]), {"rating": "9"})
    enrolment.refresh_from_db()
    assert enrolment.rating == 5


@pytest.mark.parametrize("size", [1, 12])
def test_pages_use_constant_queries(
    client, django_assert_max_num_queries, family, workshop, social_worker, partner, project, trainer, size
):
    group, _r, made = build(family, workshop, social_worker, partner, project, trainer, people=size, sessions=size)
    everyone = set(group.enrolments.values_list("pk", flat=True))
    for session in made:
        services.attendance_save(session=session, by=partner, present=everyone)
    client.force_login(partner)
    for name, pk in (("group_list", None), ("group_detail", group.pk), ("session_detail", made[0].pk),
                     ("session_pdf", made[0].pk), ("group_pdf", group.pk)):  # fmt: skip
        url = reverse(f"contracts:{name}", args=[pk] if pk else [])
        with django_assert_max_num_queries(24):
            assert client.get(url).status_code == 200


def _pdf_text(content: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=content,
        capture_output=True,
        check=True,  # noqa: S607
    ).stdout.decode()


def test_a_project_without_eu_money_prints_no_eu_band(
    client, family, workshop, social_worker, partner, project, trainer
):
    project.eu_cofinancing = Decimal("0")
    project.save()
    _group, _r, (session,) = build(family, workshop, social_worker, partner, project, trainer)
    client.force_login(partner)
    text = _pdf_text(client.get(reverse("contracts:session_pdf", args=[session.pk])).content)
    assert "LISTA OBECNOŚCI" in text and "Europejskiego Funduszu" not in text


def test_attendance_is_recorded_from_the_day_of_the_session(
    time_machine, family, workshop, social_worker, partner, project, trainer
):
    group, _r, (session,) = build(family, workshop, social_worker, partner, project, trainer)
    present = {group.enrolments.get().pk}
    time_machine.move_to(dt.datetime(2024, 3, 3, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    with pytest.raises(DomainError):
        services.attendance_save(session=session, by=partner, present=present)
    time_machine.move_to(dt.datetime(2024, 3, 4, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=1))))
    services.attendance_save(session=session, by=partner, present=present)
    assert SessionAttendance.objects.count() == 1


def test_the_printed_list_leaves_one_access_log_entry(
    client, family, workshop, social_worker, partner, project, trainer
):
    from auditlog.models import LogEntry

    _group, _r, (session,) = build(family, workshop, social_worker, partner, project, trainer, people=2)
    client.force_login(partner)
    before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
    client.get(reverse("contracts:session_pdf", args=[session.pk]))
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == before + 1


def test_query_counts_do_not_grow_with_sessions_and_participants(
    client, family, workshop, social_worker, partner, project, trainer
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    group, _r, made = build(family, workshop, social_worker, partner, project, trainer, people=1, sessions=1)
    client.force_login(partner)
    urls = [
        reverse("contracts:group_list"),
        reverse("contracts:group_detail", args=[group.pk]),
        reverse("contracts:session_detail", args=[made[0].pk]),
        reverse("contracts:group_pdf", args=[group.pk]),
    ]

    def counts():
        services.attendance_save(
            session=made[0], by=partner, present=set(group.enrolments.values_list("pk", flat=True))
        )
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            # the idle-timeout middleware saves the session now and then: not the page's own queries
            own = [
                q for q in queries.captured_queries if "django_session" not in q["sql"] and "SAVEPOINT" not in q["sql"]
            ]
            result.append(len(own))
        return result

    few = counts()
    for n in range(1, 9):
        person = PersonFactory(family=family, first_name=f"Dodatkowa{n}", last_name=f"Nowak9{n}")
        services.group_enrol(group=group, by=partner, referrals=[accepted(person, workshop, social_worker, partner)])
        services.session_create(group=group, by=partner, held_on=DAY + dt.timedelta(days=n), starts_at=dt.time(9),
                                hours=Decimal("2"), place="Sala", topic="Temat", trainer=trainer)  # fmt: skip
    assert counts() == few


def test_the_group_page_offers_persons_by_hand_only_as_matches_of_a_typed_name(
    client, family, workshop, social_worker, partner, project, trainer, django_assert_max_num_queries
):
    """A partner reaches every person it ever had a referral for (about 28,000 at scale L): the
    enrolment form lists none of them until a name is typed, then at most 25 matches, found without
    case and diacritics; a ticked person posted by hand is still enrolled."""
    group, _r, _s = build(family, workshop, social_worker, partner, project, trainer, people=0, sessions=0)
    from tests.support_network.factories import ServiceFactory

    other = ServiceFactory(provider=workshop.provider, name="Pośrednictwo pracy")
    szymanska = PersonFactory(family=family, first_name="Elżbieta", last_name="Szymańska")
    for person in [szymanska, *(PersonFactory(family=family, last_name=f"Kowal{n}") for n in range(30))]:
        accepted(person, other, social_worker, partner)
    client.force_login(partner)
    url = reverse("contracts:group_detail", args=[group.pk])
    offered = client.get(url).context["enrol_form"].fields["persons"].queryset
    assert list(offered) == []
    found = client.get(url, {"osoba": "SZYMANSKA"}).context["enrol_form"].fields["persons"].queryset
    assert list(found) == [szymanska]
    with django_assert_max_num_queries(30):
        many = client.get(url, {"osoba": "kowal"}).context["enrol_form"].fields["persons"].queryset
        assert len(list(many)) == 25
    response = client.post(reverse("contracts:group_enrol", args=[group.pk]), {"persons": [szymanska.pk]})
    assert response.status_code == 302
    assert GroupEnrolment.objects.filter(group=group, person=szymanska).exists()


def test_a_busy_services_referrals_are_offered_25_at_a_time_and_found_by_name(
    client, family, workshop, social_worker, partner, project, trainer
):
    """A group service with a thousand accepted referrals (scale L) offers the first 25 by name and
    says how many there are; a typed name finds the others; ticking one still enrols its person."""
    group, _r, _s = build(family, workshop, social_worker, partner, project, trainer, people=0, sessions=0)
    workshop.capacity = None  # no waiting list: every referral is accepted
    workshop.save()
    referrals = [accepted(PersonFactory(family=family, last_name=f"Adamska{n:02d}"), workshop, social_worker, partner)
                 for n in range(27)]  # fmt: skip
    last = referrals[-1]
    client.force_login(partner)
    url = reverse("contracts:group_detail", args=[group.pk])
    page = client.get(url)
    offered = list(page.context["enrol_form"].fields["referrals"].queryset)
    assert len(offered) == 25 and last not in offered and "z 27 skierowań" in page.content.decode()
    found = list(client.get(url, {"osoba": "adamska26"}).context["enrol_form"].fields["referrals"].queryset)
    assert found == [last]
    assert client.post(reverse("contracts:group_enrol", args=[group.pk]), {"referrals": [last.pk]}).status_code == 302
    assert GroupEnrolment.objects.filter(group=group, referral=last).exists()


def _group_facts(group):
    sessions = [(s.pk, s.held_on, s.hours, s.present, s.trainer_label, s.group is group) for s in group.session_list]
    enrolments = [
        (e.pk, e.rating, e.referral_id, e.referral and e.referral.status, e.person.pk, e.person.family_id,
         e.person.last_name, e.person.first_name, e.person.get_deferred_fields(), e.get_deferred_fields(),
         e.sessions_attended, e.hours_attended, e.group is group)
        for e in group.enrolment_list
    ]  # fmt: skip
    return group.service.name, group.institution.name, sessions, enrolments


def test_the_group_pages_lists_from_the_compiled_queries_are_the_prefetched_ones(
    family, workshop, social_worker, partner, project, trainer
):
    group, _r, made = build(family, workshop, social_worker, partner, project, trainer, people=3, sessions=2)
    services.attendance_save(session=made[0], by=partner, present=set(group.enrolments.values_list("pk", flat=True)))
    GroupEnrolment.objects.create(  # a participant without a referral
        group=group, person=PersonFactory(family=family, last_name="Bez skierowania"), enrolled_by=partner, rating=4
    )
    groups = access.groups_visible_to(partner)
    for _ in range(2):  # the second call runs the queries compiled by the first
        shown = selectors.group_for_detail(groups, group.pk)
        plain = selectors.group_prefetched(groups, group.pk)
        assert len(shown.enrolment_list) == 4 and len(shown.session_list) == 2
        assert _group_facts(shown) == _group_facts(plain)


def _session_facts(session):
    enrolments = [
        (e.pk, e.present, e.person.pk, e.person.family_id, e.person.last_name, e.person.first_name,
         e.person.get_deferred_fields(), e.get_deferred_fields(), e.group is session.group)
        for e in session.group.enrolment_list
    ]  # fmt: skip
    return session.pk, session.group.service.name, session.trainer_label, enrolments


def test_the_session_pages_participants_from_the_compiled_query_are_the_prefetched_ones(
    family, workshop, social_worker, partner, project, trainer
):
    group, _r, made = build(family, workshop, social_worker, partner, project, trainer, people=3, sessions=2)
    present = set(group.enrolments.order_by("pk").values_list("pk", flat=True)[:2])
    services.attendance_save(session=made[0], by=partner, present=present)
    groups = access.groups_visible_to(partner)
    for session in made * 2:  # the second round runs the query compiled by the first
        shown = selectors.session_for_detail(groups, session.pk)
        plain = selectors.session_prefetched(groups, session.pk)
        assert len(shown.group.enrolment_list) == 3
        assert _session_facts(shown) == _session_facts(plain)
    assert sum(e.present for e in selectors.session_for_detail(groups, made[0].pk).group.enrolment_list) == 2
