import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from support_network.forms import AgreementForm, MeetingForm
from support_network.models import Agreement, AgreementStatus, Meeting, Team, TeamKind
from support_network.services import agreement_save
from tests.support_network.factories import TeamFactory

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def agreement_data(parties, **extra):
    return {
        "title": "Porozumienie MOPS – PUP",
        "subject": "Współpraca w pracy z rodzinami",
        "parties": [p.pk for p in parties],
        "status": "signed",
        "signed_on": "2017-09-01",
        **extra,
    }


def test_a_planned_agreement_past_its_deadline_is_flagged(db, mops, pup):
    agreement = Agreement.objects.create(
        title="A", subject="s", status=AgreementStatus.PLANNED, deadline=dt.date(2017, 9, 30)
    )
    agreement.parties.set([mops, pup])
    assert agreement.is_past_deadline_on(dt.date(2017, 10, 1))
    assert not agreement.is_past_deadline_on(dt.date(2017, 9, 30))


def test_a_signed_agreement_past_its_end_counts_as_expired(db):
    agreement = Agreement(
        title="A",
        subject="s",
        status=AgreementStatus.SIGNED,
        signed_on=dt.date(2014, 5, 30),
        valid_until=dt.date(2015, 3, 31),
    )
    assert agreement.status_on(dt.date(2015, 3, 31)) == AgreementStatus.SIGNED
    assert agreement.status_on(dt.date(2015, 4, 1)) == AgreementStatus.EXPIRED


@pytest.mark.django_db
def test_the_demo_wodzislaw_agreement_is_planned_and_flagged(settings, login):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    agreement = Agreement.objects.get(title__startswith="Porozumienie MOPS – PUP w Wodzisławiu")
    assert agreement.status == "planned" and agreement.deadline == dt.date(2017, 9, 30) and agreement.is_past_deadline
    from django.contrib.auth import get_user_model

    page = login(get_user_model().objects.get(username="pracownik")).get(reverse("support_network:agreement_list"))
    assert "po terminie – niezawarte" in page.content.decode()


def test_a_coordinator_uploads_a_scan_and_only_parties_can_download_it(
    login, coordinator, mops, pup, project, other_worker, social_worker
):
    response = login(coordinator).post(
        reverse("support_network:agreement_create"),
        {
            **agreement_data([mops, pup]),
            "project": project.pk,
            "scan": SimpleUploadedFile("skan porozumienia.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.scan.name.endswith(".pdf") and "skan" not in agreement.scan.name
    url = reverse("support_network:agreement_scan", args=[agreement.pk])
    download = login(social_worker).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert login(other_worker).get(url).status_code == 404


@pytest.mark.parametrize(
    "name, content, error",
    [
        ("skan.exe", b"MZ\x90\x00", "PDF, JPG i PNG"),
        ("skan.pdf", b"<html>not a pdf</html>", "nie odpowiada"),
        ("skan.png", b"%PDF-1.4 pretending", "nie odpowiada"),
    ],
)
def test_a_scan_must_be_a_real_pdf_jpg_or_png(login, coordinator, mops, pup, name, content, error):
    response = login(coordinator).post(
        reverse("support_network:agreement_create"),
        {**agreement_data([mops, pup]), "scan": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400 and error in str(response.context["form"].errors["scan"])
    assert not Agreement.objects.exists()


def test_a_scan_over_the_size_limit_is_refused(login, coordinator, mops, pup, settings, monkeypatch):
    from support_network import forms

    monkeypatch.setattr(forms, "SCAN_MAX_BYTES", 100)
    response = login(coordinator).post(
        reverse("support_network:agreement_create"),
        {**agreement_data([mops, pup]), "scan": SimpleUploadedFile("a.pdf", PDF + b"0" * 200)},
    )
    assert response.status_code == 400 and "za duży" in str(response.context["form"].errors["scan"])


def test_planned_needs_a_deadline_and_signed_needs_a_date(login, coordinator, mops, pup):
    client = login(coordinator)
    response = client.post(
        reverse("support_network:agreement_create"), agreement_data([mops, pup], status="planned", signed_on="")
    )
    assert "deadline" in response.context["form"].errors
    response = client.post(reverse("support_network:agreement_create"), agreement_data([mops, pup], signed_on=""))
    assert "signed_on" in response.context["form"].errors
    response = client.post(reverse("support_network:agreement_create"), agreement_data([mops]))
    assert "parties" in response.context["form"].errors


def test_social_workers_cannot_add_agreements(login, social_worker):
    assert login(social_worker).get(reverse("support_network:agreement_create")).status_code == 403


def test_agreements_of_other_institutions_are_not_listed(login, other_worker, mops, pup):
    agreement = Agreement.objects.create(title="Cudze", subject="s", status="signed", signed_on=dt.date(2017, 1, 1))
    agreement.parties.set([mops, pup])
    response = login(other_worker).get(reverse("support_network:agreement_list"))
    assert list(response.context["page"]) == []
    assert login(other_worker).get(reverse("support_network:agreement_scan", args=[agreement.pk])).status_code == 404


# --- teams -------------------------------------------------------------------------------------


@pytest.fixture
def working_group(mops, project, social_worker, partner):
    team = TeamFactory(institution=mops, project=project, name="Grupa Robocza", kind=TeamKind.WORKING_GROUP)
    team.members.add(social_worker, partner)
    return team


def test_the_team_page_lists_upcoming_meetings_first(login, social_worker, working_group):
    now = timezone.now()
    past = Meeting.objects.create(
        team=working_group,
        starts_at=now - dt.timedelta(days=7),
        place="MOPS",
        agenda="Sieć wsparcia",
        decisions="Katalog usług",
    )
    later = Meeting.objects.create(
        team=working_group, starts_at=now + dt.timedelta(days=14), place="PUP", agenda="Aktywizacja zawodowa"
    )
    soon = Meeting.objects.create(
        team=working_group, starts_at=now + dt.timedelta(days=2), place="MOPS, sala", agenda="Narzędzia badawcze"
    )
    response = login(social_worker).get(reverse("support_network:team_detail", args=[working_group.pk]))
    assert response.context["upcoming"] == [soon, later]
    assert list(response.context["past"]) == [past]


def test_a_member_records_a_meeting_with_attendees_and_the_next_date(login, social_worker, partner, working_group):
    response = login(social_worker).post(
        reverse("support_network:meeting_create", args=[working_group.pk]),
        {
            "starts_at": "2017-05-11T14:00",
            "place": "MOPS Wodzisław Śląski, ul. Daszyńskiego 3",
            "agenda": "Aktywizacja zawodowa",
            "attendees": [social_worker.pk, partner.pk],
            "guests": "Przedstawicielki PUP",
            "decisions": "Porozumienie MOPS–PUP najpóźniej w III kwartale",
            "next_meeting_at": "2017-05-16T13:00",
            "next_meeting_note": "Sala konferencyjna MOPS",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert set(meeting.attendees.all()) == {social_worker, partner}
    assert timezone.localtime(meeting.starts_at).hour == 14


def test_the_next_meeting_must_be_later(login, social_worker, working_group):
    response = login(social_worker).post(
        reverse("support_network:meeting_create", args=[working_group.pk]),
        {"starts_at": "2017-05-16T13:00", "place": "MOPS", "agenda": "x", "next_meeting_at": "2017-05-11T14:00"},
    )
    assert response.status_code == 400 and "next_meeting_at" in response.context["form"].errors


def test_teams_of_other_institutions_answer_404(login, other_worker, working_group):
    assert login(other_worker).get(reverse("support_network:team_detail", args=[working_group.pk])).status_code == 404


def test_an_auditor_reads_but_cannot_record_meetings(login, auditor, working_group):
    client = login(auditor)
    assert client.get(reverse("support_network:team_detail", args=[working_group.pk])).status_code == 200
    assert client.get(reverse("support_network:meeting_create", args=[working_group.pk])).status_code == 403


@pytest.mark.django_db
def test_the_demo_working_group_has_the_meetings_of_the_articles(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    team = Team.objects.get(name="Grupa Robocza – Fachowa siła")
    starts = [timezone.localtime(m.starts_at) for m in team.meetings.order_by("starts_at")]
    assert [s.date() for s in starts] == [dt.date(2017, 4, 25), dt.date(2017, 5, 11), dt.date(2017, 5, 16)]
    last = team.meetings.order_by("starts_at").last()
    assert timezone.localtime(last.starts_at).hour == 13 and "Daszyńskiego 3" in last.place
    may_11 = team.meetings.get(starts_at__date=dt.date(2017, 5, 11))
    assert "PUP" in may_11.guests
    assert (
        Meeting.objects.filter(team__kind=TeamKind.PZKW).exists()
        and Meeting.objects.filter(team__kind=TeamKind.MGI).exists()
    )


def test_team_list_query_count_is_constant(login, social_worker, mops, project, django_assert_max_num_queries):
    for i in range(10):
        team = TeamFactory(institution=mops, project=project, name=f"Zespół {i}")
        Meeting.objects.create(team=team, starts_at=timezone.now() + dt.timedelta(days=i + 1), place="x", agenda="y")
    client = login(social_worker)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("support_network:team_list"))
    assert len(response.context["page"]) == 11  # + the social worker's own team
    assert response.status_code == 200


def test_other_institution_teams_are_invisible_in_the_list(login, other_worker, working_group):
    response = login(other_worker).get(reverse("support_network:team_list"))
    assert working_group not in list(response.context["page"])


def test_the_forms_render_for_those_who_may_use_them(login, coordinator, social_worker, working_group, mops, pup):
    assert login(coordinator).get(reverse("support_network:agreement_create")).status_code == 200
    agreement = Agreement.objects.create(title="A", subject="s", status="planned", deadline=dt.date(2017, 9, 30))
    agreement.parties.set([mops, pup])
    assert login(coordinator).get(reverse("support_network:agreement_update", args=[agreement.pk])).status_code == 200
    assert (
        login(social_worker).get(reverse("support_network:meeting_create", args=[working_group.pk])).status_code == 200
    )


texts = st.text(max_size=3000)
dates = st.one_of(
    st.dates().map(str), st.sampled_from(["2017-02-30", "30.02.2017", "", "\x00", "2017-05-16T25:00"]), texts
)


@pytest.mark.django_db
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place=texts, agenda=texts, starts=dates, following=dates, decisions=texts)
def test_meeting_form_never_crashes_on_odd_input(working_group, place, agenda, starts, following, decisions):
    form = MeetingForm(
        {"place": place, "agenda": agenda, "starts_at": starts, "next_meeting_at": following, "decisions": decisions},
        team=working_group,
    )
    if form.is_valid():
        assert "\x00" not in form.cleaned_data["place"]
        if form.cleaned_data["next_meeting_at"]:
            assert form.cleaned_data["next_meeting_at"] > form.cleaned_data["starts_at"]


@pytest.mark.django_db
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=texts,
    subject=texts,
    deadline=dates,
    signed=dates,
    until=dates,
    status=st.sampled_from(["planned", "signed", "expired", "x"]),
)
def test_agreement_form_never_crashes_on_odd_input(
    coordinator, mops, pup, title, subject, deadline, signed, until, status
):
    form = AgreementForm(
        {
            "title": title,
            "subject": subject,
            "parties": [mops.pk, pup.pk],
            "status": status,
            "deadline": deadline,
            "signed_on": signed,
            "valid_until": until,
        },
        user=coordinator,
    )
    if form.is_valid():
        data = form.cleaned_data
        assert data["status"] != "planned" or data["deadline"]
        assert not (data["signed_on"] and data["valid_until"]) or data["valid_until"] >= data["signed_on"]


# --- issue 11, finding 14: whom an agreement may bind ----------------------------------------------


def test_a_coordinator_cannot_bind_institutions_outside_their_projects(login, coordinator, mops, other_mops):
    """The coordinator's own MOPS and another MOPS that is in none of their projects: refused."""
    response = login(coordinator).post(reverse("support_network:agreement_create"), agreement_data([mops, other_mops]))
    assert response.status_code == 400
    assert not Agreement.objects.exists()
    assert other_mops not in response.context["form"].fields["parties"].queryset


def test_the_service_refuses_foreign_parties_even_without_the_form(coordinator, mops, other_mops):
    data = {"title": "A", "subject": "s", "status": "planned", "deadline": dt.date(2030, 1, 1)}
    with pytest.raises(DomainError):
        agreement_save(data={**data, "parties": [mops, other_mops]}, by=coordinator)
    assert not Agreement.objects.exists()


def test_a_coordinator_binds_their_institution_and_their_projects_partners(login, coordinator, mops, pup):
    response = login(coordinator).post(reverse("support_network:agreement_create"), agreement_data([mops, pup]))
    assert response.status_code == 302
    assert set(Agreement.objects.get().parties.all()) == {mops, pup}


def test_a_manager_of_another_project_cannot_bind_this_projects_partner(login, other_coordinator, pup, other_mops):
    response = login(other_coordinator).post(
        reverse("support_network:agreement_create"), agreement_data([other_mops, pup])
    )
    assert response.status_code == 400 and not Agreement.objects.exists()
