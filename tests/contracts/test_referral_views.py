import datetime as dt
import uuid

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.forms.referrals import AttendanceForm, OutcomeForm, ReferralForm
from contracts.models import Referral, ReferralStatus
from contracts.services.referrals import referral_accept, referral_create, referral_send, referral_start
from families.access import families_visible_to, persons_visible_to
from tests.contracts import referral_factories as fixtures
from tests.families.factories import PersonFactory
from tests.support_network.factories import ServiceFactory

S = ReferralStatus

# fixtures shared by the referral tests
family = fixtures.family
other_partner = fixtures.other_partner
other_pup = fixtures.other_pup
person = fixtures.person
workshop = fixtures.workshop


def sent(person, service, by):
    referral = referral_create(person=person, service=service, by=by, reason="Chce podjąć pracę.")
    return referral_send(referral=referral, by=by)


def form_data(person, service, **extra):
    return {
        "person": person.pk,
        "service": service.pk,
        "reason": "Długotrwale bezrobotna, chce wrócić do pracy.",
        "wished_start": "",
        "key": uuid.uuid4().hex,
        **extra,
    }


# --- creating ----------------------------------------------------------------------------------


def test_the_form_preselects_person_and_service_from_the_query(login, social_worker, person, workshop):
    response = login(social_worker).get(
        reverse("contracts:referral_create") + f"?person={person.pk}&service={workshop.pk}"
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["person"] == person.pk and form.initial["service"] == workshop.pk


def test_a_social_worker_sends_a_referral_in_one_step(login, social_worker, person, workshop):
    response = login(social_worker).post(
        reverse("contracts:referral_create"), {**form_data(person, workshop), "send": "1"}
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == reverse("contracts:referral_detail", args=[referral.pk])
    assert (
        referral.status == S.SENT and referral.created_by == social_worker and referral.institution == workshop.provider
    )


def test_a_double_submit_of_the_create_form_gives_one_referral_and_one_send(login, social_worker, person, workshop):
    client = login(social_worker)
    data = {**form_data(person, workshop), "send": "1"}
    first = client.post(reverse("contracts:referral_create"), data)
    second = client.post(reverse("contracts:referral_create"), data)
    assert first.url == second.url
    referral = Referral.objects.get()
    assert referral.events.filter(status=S.SENT).count() == 1


def test_a_key_from_another_users_form_neither_replays_nor_shows_their_referral(
    login, social_worker, colleague, person, workshop
):
    """Issue 11, finding 14: the referral idempotency key is bound to its author."""
    data = {**form_data(person, workshop), "send": "1"}
    first = login(social_worker).post(reverse("contracts:referral_create"), data)
    mine = Referral.objects.get()
    second = login(colleague).post(reverse("contracts:referral_create"), data)
    assert first.status_code == 302 and second.status_code == 400
    assert str(mine.pk) not in second.get("Location", "")
    assert list(Referral.objects.values_list("pk", flat=True)) == [mine.pk]


def test_a_person_outside_the_caseload_cannot_be_referred(login, other_worker, person, workshop):
    response = login(other_worker).post(reverse("contracts:referral_create"), form_data(person, workshop))
    assert response.status_code == 400
    assert "person" in response.context["form"].errors
    assert not Referral.objects.exists()


def test_partner_staff_cannot_open_the_referral_form(login, partner):
    assert login(partner).get(reverse("contracts:referral_create")).status_code == 403


# --- scoping -----------------------------------------------------------------------------------


def test_partner_sees_only_referrals_addressed_to_their_institution(
    login, social_worker, person, workshop, other_pup, other_partner
):
    mine = sent(person, workshop, social_worker)
    theirs = sent(person, ServiceFactory(provider=other_pup, name="Staż"), social_worker)
    client = login(other_partner)
    assert client.get(reverse("contracts:referral_detail", args=[mine.pk])).status_code == 404
    assert client.get(reverse("contracts:referral_detail", args=[theirs.pk])).status_code == 200
    assert client.post(reverse("contracts:referral_accept", args=[mine.pk])).status_code == 404
    inbox = client.get(reverse("contracts:referral_inbox"))
    assert [r.pk for r in inbox.context["page"]] == [theirs.pk]


def test_partner_does_not_see_drafts(login, partner, social_worker, person, workshop):
    draft = referral_create(person=person, service=workshop, by=social_worker, reason="projekt")
    assert login(partner).get(reverse("contracts:referral_detail", args=[draft.pk])).status_code == 404


def test_partner_sees_name_phone_and_reason_but_no_family_file_or_sensitive_answers(
    login, partner, social_worker, person, workshop
):
    referral = sent(person, workshop, social_worker)
    page = login(partner).get(reverse("contracts:referral_detail", args=[referral.pk])).content.decode()
    assert "Maria" in page and "Kowalska" in page and "600 100 200" in page and "Chce podjąć pracę." in page
    family = person.family
    for secret in (person.pesel, family.case_number, family.street, "niepełnosprawn", "uzależni", "Tak"):
        assert secret not in page, secret


def test_partner_staff_see_no_family_data_at_all(partner, person):
    assert not families_visible_to(partner).exists()
    assert not persons_visible_to(partner).exists()


def test_a_worker_of_another_mops_gets_404_on_the_referral(login, other_worker, social_worker, person, workshop):
    referral = sent(person, workshop, social_worker)
    assert login(other_worker).get(reverse("contracts:referral_detail", args=[referral.pk])).status_code == 404


def test_the_social_worker_cannot_answer_for_the_partner(login, social_worker, person, workshop):
    referral = sent(person, workshop, social_worker)
    assert login(social_worker).post(reverse("contracts:referral_accept", args=[referral.pk])).status_code == 403
    referral.refresh_from_db()
    assert referral.status == S.SENT


def test_opening_a_referral_leaves_an_access_log_entry(login, social_worker, person, workshop):
    referral = sent(person, workshop, social_worker)
    login(social_worker).get(reverse("contracts:referral_detail", args=[referral.pk]))
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_pk=str(referral.pk), content_type__model="referral"
    ).exists()


# --- the partner's actions --------------------------------------------------------------------


def test_partner_records_twelve_hours_and_an_employment_outcome(login, partner, social_worker, person, workshop):
    referral = sent(person, workshop, social_worker)
    client = login(partner)
    url = lambda name: reverse(f"contracts:{name}", args=[referral.pk])  # noqa: E731
    assert client.post(url("referral_accept"), {"note": ""}).status_code == 302
    today = timezone.localdate().isoformat()
    response = client.post(
        url("referral_attendance"), {"held_on": today, "sessions": 3, "hours": "12", "key": uuid.uuid4().hex}
    )
    assert response.status_code == 302
    response = client.post(
        url("referral_outcome"),
        {
            "completed": "on",
            "employed": "on",
            "employer": "Zakład Usług Komunalnych",
            "employment_form": "umowa_o_prace",
            "employment_start": today,
        },
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == S.COMPLETED and referral.outcome.employer == "Zakład Usług Komunalnych"
    page = login(social_worker).get(url("referral_detail")).content.decode()
    assert "Zakład Usług Komunalnych" in page and "umowa o pracę" in page and 'id="hours-total">12<' in page


def test_a_stale_outcome_correction_shows_the_differences(login, partner, colleague, social_worker, person, workshop):
    """Issue 11, finding 3: correcting a stored outcome carries the version it was read at."""
    referral = sent(person, workshop, social_worker)
    client = login(partner)
    url = lambda name: reverse(f"contracts:{name}", args=[referral.pk])  # noqa: E731
    client.post(url("referral_accept"), {"note": ""})
    client.post(
        url("referral_attendance"),
        {"held_on": timezone.localdate(), "sessions": 1, "hours": "2", "key": uuid.uuid4().hex},
    )
    assert client.post(url("referral_outcome"), {"completed": "on", "note": "Pierwsza"}).status_code == 302
    version = referral.__class__.objects.get(pk=referral.pk).outcome.lock_version
    # two corrections read at the same version: the first is saved, the second is stale
    assert client.post(url("referral_outcome"), {"note": "Druga", "lock_version": version}).status_code == 302
    stale = client.post(url("referral_outcome"), {"note": "Trzecia", "lock_version": version})
    assert stale.status_code == 409
    page = stale.content.decode()
    assert "Zmieniono w międzyczasie" in page and "Druga" in page and "Trzecia" in page
    assert stale.context["outcome_form"]["lock_version"].value() == str(version + 1)
    referral.outcome.refresh_from_db()
    assert referral.outcome.note == "Druga"


def test_reject_without_a_reason_shows_the_error_next_to_the_field(login, partner, social_worker, person, workshop):
    referral = sent(person, workshop, social_worker)
    response = login(partner).post(reverse("contracts:referral_reject", args=[referral.pk]), {"reject-reason": " "})
    assert response.status_code == 400
    assert response.context["reject_form"].errors["reason"]
    referral.refresh_from_db()
    assert referral.status == S.SENT


def test_a_second_click_on_accept_answers_409_with_the_message(login, partner, social_worker, person, workshop):
    referral = sent(person, workshop, social_worker)
    client = login(partner)
    client.post(reverse("contracts:referral_accept", args=[referral.pk]))
    response = client.post(reverse("contracts:referral_accept", args=[referral.pk]))
    assert response.status_code == 409
    assert "przyjęte" in response.content.decode()
    assert referral.events.filter(status=S.ACCEPTED).count() == 1


def test_employment_outcome_without_employer_is_refused_next_to_the_field(
    login, partner, social_worker, person, workshop
):
    referral = sent(person, workshop, social_worker)
    referral_accept(referral=referral, by=partner)
    referral_start(referral=referral, by=partner)
    response = login(partner).post(
        reverse("contracts:referral_outcome", args=[referral.pk]), {"completed": "on", "employed": "on"}
    )
    assert response.status_code == 400
    errors = response.context["outcome_form"].errors
    assert {"employer", "employment_form", "employment_start"} <= set(errors)
    referral.refresh_from_db()
    assert referral.status == S.IN_PROGRESS


# --- lists: query counts ----------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 25])
def test_sent_list_runs_a_constant_number_of_queries(
    login, social_worker, family, workshop, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        sent(PersonFactory(family=family), workshop, social_worker)
    client = login(social_worker)
    with django_assert_max_num_queries(10):  # + the page's ACCESS entry (core/access_log.py)
        response = client.get(reverse("contracts:referral_sent"))
    assert len(response.context["page"]) == rows


@pytest.mark.parametrize("rows", [1, 25])
def test_partner_inbox_runs_a_constant_number_of_queries(
    login, partner, social_worker, family, workshop, rows, django_assert_max_num_queries
):
    for _ in range(rows):
        sent(PersonFactory(family=family), workshop, social_worker)
    client = login(partner)
    with django_assert_max_num_queries(10):  # + the page's ACCESS entry (core/access_log.py)
        response = client.get(reverse("contracts:referral_inbox"))
    assert len(response.context["page"]) == rows


def test_overdue_referrals_show_on_both_sides(login, partner, social_worker, person, workshop):
    referral = sent(person, workshop, social_worker)
    Referral.objects.filter(pk=referral.pk).update(answer_due=timezone.localdate() - dt.timedelta(days=1))
    for user, name in ((social_worker, "referral_sent"), (partner, "referral_inbox")):
        page = login(user).get(reverse(f"contracts:{name}") + "?pokaz=overdue").content.decode()
        assert "brak odpowiedzi w terminie" in page and f"#{referral.pk}" in page


def test_waiting_position_is_shown_in_the_list(login, social_worker, family, workshop):
    workshop.capacity = 1
    workshop.save()
    sent(PersonFactory(family=family), workshop, social_worker)
    waiting = sent(PersonFactory(family=family), workshop, social_worker)
    page = login(social_worker).get(reverse("contracts:referral_sent")).content.decode()
    assert waiting.status == S.WAITING and "pozycja 1 na liście rezerwowej" in page


def test_home_page_counts_overdue_referrals_for_the_partner(login, partner, social_worker, person, workshop):
    referral = sent(person, workshop, social_worker)
    Referral.objects.filter(pk=referral.pk).update(answer_due=timezone.localdate() - dt.timedelta(days=1))
    page = login(partner).get(reverse("home")).content.decode()
    assert "po terminie: 1" in page


# --- forms: whatever a person can type --------------------------------------------------------

texts = st.text(max_size=6000)
dates = st.one_of(
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["2026-02-30", "31.13.2026", "0000-00-00", "9999-99-99", "", "\x00"]),
    texts,
)


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(reason=texts, wished_start=dates, key=texts)
def test_referral_form_never_crashes_on_odd_input(social_worker, person, workshop, reason, wished_start, key):
    form = ReferralForm(
        {"person": person.pk, "service": workshop.pk, "reason": reason, "wished_start": wished_start, "key": key},
        user=social_worker,
    )
    if form.is_valid():
        assert "\x00" not in form.cleaned_data["reason"] and len(form.cleaned_data["reason"]) <= 4000
        assert len(form.cleaned_data["key"]) == 32


@settings(max_examples=80, deadline=None)
@given(held_on=dates, sessions=texts, hours=texts, note=texts)
def test_attendance_form_never_crashes_on_odd_input(held_on, sessions, hours, note):
    form = AttendanceForm({"held_on": held_on, "sessions": sessions, "hours": hours, "note": note, "key": "d" * 32})
    if form.is_valid():
        assert form.cleaned_data["hours"] > 0 and form.cleaned_data["held_on"] <= timezone.localdate()


@settings(max_examples=80, deadline=None)
@given(employer=texts, start=dates, qualification_on=dates, employed=st.booleans(), qualified=st.booleans())
def test_outcome_form_never_crashes_and_demands_what_employment_needs(
    employer, start, qualification_on, employed, qualified
):
    data = {
        "employer": employer,
        "employment_start": start,
        "employment_form": "umowa_o_prace",
        "qualification_on": qualification_on,
    }
    if employed:
        data["employed"] = "on"
    if qualified:
        data["qualification_obtained"] = "on"
    form = OutcomeForm(data)
    if form.is_valid() and employed:
        assert form.cleaned_data["employer"].strip() and form.cleaned_data["employment_start"]


@pytest.mark.parametrize(
    ("extra", "error_field"),
    [
        ({"job_seeking_kind": "registered"}, "job_seeking_on"),
        ({"progress_categories": ["b", "c"]}, "progress_on"),
        ({"school_started_on": "2999-01-01"}, "school_started_on"),
        ({"employment_fte": "0.5", "employment_form": "umowa_cywilnoprawna"}, "employment_fte"),
        ({"employment_fte": "1.5"}, "employment_fte"),
    ],
)
def test_outcome_form_checks_the_efs_outcomes(extra, error_field):
    data = {"employed": "on", "employer": "Firma", "employment_form": "umowa_o_prace",
            "employment_start": "2018-06-01", **extra}  # fmt: skip
    form = OutcomeForm(data)
    assert not form.is_valid() and error_field in form.errors


def test_outcome_form_gives_the_progress_categories_as_letters():
    form = OutcomeForm({"progress_categories": ["c", "b"], "progress_on": "2018-05-01", "employment_fte": ""})
    assert form.is_valid(), form.errors
    assert form.outcome()["progress_categories"] == "bc"
    shown = OutcomeForm(initial={"progress_categories": "bc"})
    assert shown.initial["progress_categories"] == ["b", "c"]
