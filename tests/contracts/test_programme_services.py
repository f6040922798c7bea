"""The family-programme workflow: drafting with optimistic locking, versions, decisions,
referrals created once, implementation."""

import datetime as dt

import pytest

from contracts.models import ProgrammeEventKind, ProgrammeStatus, ProgrammeVersion, Referral
from contracts.selectors.programmes import version_diff
from contracts.services import programmes as services
from core.errors import DomainError
from tests.contracts.factories import make_programme

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()


def fields_of(programme, **changes):
    return {name: getattr(programme, name) for name in services.PROGRAMME_FIELDS} | changes


def goals_of(programme):
    return [{"id": g.pk, "person": g.person, "text": g.text} for g in programme.goals.all()]


def actions_of(programme):
    return [
        {"id": a.pk, **{name: getattr(a, name) for name in services.ACTION_FIELDS}} for a in programme.actions.all()
    ]


def test_mgi_member_drafts_a_programme(family, mgi_member, service):
    programme = make_programme(family=family, author=mgi_member, services=[service])
    assert programme.status == ProgrammeStatus.DRAFT and programme.created_by == mgi_member
    assert programme.actions.count() == 2 and programme.goals.count() == 1
    assert programme.events.get().kind == ProgrammeEventKind.CREATED


def test_partner_or_outsider_cannot_draft(family, partner, other_worker):
    for user in (partner, other_worker):
        with pytest.raises(DomainError):
            make_programme(family=family, author=user)


def test_goal_for_a_person_of_another_family_is_refused(family, other_family, mgi_member):
    with pytest.raises(DomainError):
        make_programme(family=family, author=mgi_member, goals=[{"person": other_family.members.first(), "text": "x"}])


def test_edit_with_the_current_lock_version_is_saved(family, mgi_member):
    programme = make_programme(family=family, author=mgi_member)
    services.programme_update(
        programme=programme,
        lock_version=programme.lock_version,
        fields=fields_of(programme, title="Nowy tytuł"),
        goals=goals_of(programme),
        actions=actions_of(programme),
        by=mgi_member,
    )
    programme.refresh_from_db()
    assert programme.title == "Nowy tytuł" and programme.lock_version == 2


def test_edit_of_a_programme_changed_meanwhile_is_refused(family, mgi_member, social_worker):
    programme = make_programme(family=family, author=mgi_member)
    seen = programme.lock_version
    services.programme_update(
        programme=programme,
        lock_version=seen,
        fields=fields_of(programme, title="Zmiana kolegi"),
        goals=goals_of(programme),
        actions=actions_of(programme),
        by=social_worker,
    )
    with pytest.raises(DomainError) as error:
        services.programme_update(
            programme=programme,
            lock_version=seen,
            fields=fields_of(programme, title="Moja zmiana"),
            goals=[],
            actions=[],
            by=mgi_member,
        )
    assert error.value.conflict and "w międzyczasie" in error.value.message
    programme.refresh_from_db()
    assert programme.title == "Zmiana kolegi" and programme.goals.count() == 1


def test_submitted_programme_cannot_be_edited(family, mgi_member):
    programme = make_programme(family=family, author=mgi_member, submit=True)
    with pytest.raises(DomainError) as error:
        services.programme_update(
            programme=programme, lock_version=programme.lock_version, fields=fields_of(programme), by=mgi_member
        )
    assert error.value.conflict


def test_submission_is_an_immutable_version(family, mgi_member, service):
    programme = make_programme(family=family, author=mgi_member, services=[service], submit=True)
    version = programme.versions.get()
    assert programme.status == ProgrammeStatus.SUBMITTED and programme.submitted_at is not None
    assert version.number == 1 and len(version.snapshot["actions"]) == 2
    assert version.snapshot["goals"][0]["text"] == "Podjęcie pracy przez matkę"
    version.snapshot = {}
    with pytest.raises(ValueError):
        version.save()
    assert ProgrammeVersion.objects.get().snapshot["goals"]


def test_submitting_twice_or_empty_is_refused(family, mgi_member):
    programme = make_programme(family=family, author=mgi_member, submit=True)
    with pytest.raises(DomainError) as error:
        services.programme_submit(programme=programme, by=mgi_member)
    assert error.value.conflict
    empty = make_programme(family=family, author=mgi_member, goals=[])
    with pytest.raises(DomainError):
        services.programme_submit(programme=empty, by=mgi_member)


def test_submit_with_a_stale_lock_version_is_refused(family, mgi_member):
    programme = make_programme(family=family, author=mgi_member)
    with pytest.raises(DomainError) as error:
        services.programme_submit(programme=programme, lock_version=programme.lock_version - 1, by=mgi_member)
    assert error.value.conflict


def test_coordinator_returns_with_a_comment(family, mgi_member, coordinator):
    programme = make_programme(family=family, author=mgi_member, submit=True)
    with pytest.raises(DomainError):
        services.programme_return(programme=programme, version_number=1, comment="  ", by=coordinator)
    services.programme_return(programme=programme, version_number=1, comment="Dodaj cel dla dziecka.", by=coordinator)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.RETURNED
    event = programme.events.get(kind=ProgrammeEventKind.RETURNED)
    assert event.comment == "Dodaj cel dla dziecka." and event.version.number == 1 and event.by == coordinator


def test_revised_programme_is_resubmitted_as_version_two_with_a_readable_diff(family, mgi_member, coordinator):
    programme = make_programme(family=family, author=mgi_member, submit=True)
    services.programme_return(programme=programme, version_number=1, comment="Popraw", by=coordinator)
    programme.refresh_from_db()
    child = family.members.exclude(pk=family.members.first().pk).first()
    goals = goals_of(programme)
    goals[0]["text"] = "Podjęcie pracy na pełny etat"
    goals.append({"id": None, "person": child, "text": "Regularne uczęszczanie do szkoły"})
    services.programme_update(
        programme=programme,
        lock_version=programme.lock_version,
        fields=fields_of(programme),
        goals=goals,
        actions=[],
        by=mgi_member,
    )
    with pytest.raises(DomainError):  # no actions left
        services.programme_submit(programme=programme, by=mgi_member)
    programme.refresh_from_db()
    services.programme_update(
        programme=programme,
        lock_version=programme.lock_version,
        fields=fields_of(programme),
        goals=goals_of(programme),
        actions=[
            {
                "id": None,
                "module": "social",
                "service": None,
                "description": "Trening kompetencji",
                "person": None,
                "start_on": TODAY,
                "end_on": TODAY,
                "expected_result": "Lepsza komunikacja",
            }
        ],
        by=mgi_member,
    )
    services.programme_submit(programme=programme, by=mgi_member)
    first, second = programme.versions.order_by("number")
    assert second.number == 2
    diff = version_diff(first.snapshot, second.snapshot)
    states = {d.state for d in diff["goals"]}
    assert states == {"changed", "added"}
    changed = next(d for d in diff["goals"] if d.state == "changed")
    assert ("cel", "Podjęcie pracy przez matkę", "Podjęcie pracy na pełny etat") in [
        tuple(map(str, c)) for c in changed.changes
    ]
    assert {d.state for d in diff["actions"]} == {"added", "removed"}


def test_approval_creates_one_referral_per_catalogue_action(family, mgi_member, coordinator, service, second_service):
    programme = make_programme(family=family, author=mgi_member, services=[service, second_service], submit=True)
    services.programme_approve(programme=programme, version_number=1, by=coordinator)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.APPROVED
    referrals = Referral.objects.order_by("pk")
    assert referrals.count() == 2
    assert {r.service for r in referrals} == {service, second_service}
    action = programme.actions.get(service=service)
    assert referrals.get(service=service).idempotency_key == f"programme-action-{action.pk}"
    assert all(r.person == action.person and r.created_by == mgi_member for r in referrals)


def test_approving_twice_or_retrying_never_duplicates_referrals(family, mgi_member, coordinator, service):
    programme = make_programme(family=family, author=mgi_member, services=[service], submit=True)
    services.programme_approve(programme=programme, version_number=1, by=coordinator)
    first = list(Referral.objects.values_list("pk", flat=True))
    with pytest.raises(DomainError) as error:
        services.programme_approve(programme=programme, version_number=1, by=coordinator)
    assert error.value.conflict and "już rozstrzygnięto" in error.value.message
    retried = services.programme_create_referrals(programme=programme)
    assert [r.pk for r in retried] == first
    assert Referral.objects.count() == 1


def test_author_never_decides_on_their_own_programme(family, mgi_member, coordinator):
    programme = make_programme(family=family, author=mgi_member, submit=True)
    type(programme).objects.filter(pk=programme.pk).update(created_by=coordinator)
    with pytest.raises(DomainError) as error:
        services.programme_approve(programme=programme, version_number=1, by=coordinator)
    assert not error.value.conflict
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.SUBMITTED


@pytest.mark.parametrize("who", ["mgi_member", "social_worker", "other_coordinator", "manager", "partner"])
def test_only_a_coordinator_of_the_project_decides(family, mgi_member, request, who):
    programme = make_programme(family=family, author=mgi_member, submit=True)
    user = request.getfixturevalue(who)
    for decide in (services.programme_approve, services.programme_return):
        with pytest.raises(DomainError):
            decide(programme=programme, version_number=1, comment="x", by=user)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.SUBMITTED


def test_decision_on_an_outdated_version_is_refused(family, mgi_member, coordinator):
    programme = make_programme(family=family, author=mgi_member, submit=True)
    with pytest.raises(DomainError) as error:
        services.programme_approve(programme=programme, version_number=2, by=coordinator)
    assert error.value.conflict


@pytest.mark.parametrize("status", ["draft", "returned", "approved"])
def test_decision_outside_submitted_is_refused(family, mgi_member, coordinator, status):
    programme = make_programme(family=family, author=mgi_member, submit=True)
    if status == "draft":
        programme = make_programme(family=family, author=mgi_member)
    elif status == "returned":
        services.programme_return(programme=programme, version_number=1, comment="x", by=coordinator)
    else:
        services.programme_approve(programme=programme, version_number=1, by=coordinator)
    with pytest.raises(DomainError):
        services.programme_return(programme=programme, version_number=1, comment="x", by=coordinator)


def test_approved_programme_goes_into_implementation_and_completes(family, mgi_member, coordinator):
    programme = make_programme(family=family, author=mgi_member, submit=True)
    with pytest.raises(DomainError):
        services.programme_start(programme=programme, by=mgi_member)
    services.programme_approve(programme=programme, version_number=1, by=coordinator)
    with pytest.raises(DomainError):
        services.programme_complete(programme=programme, comment="x", by=mgi_member)
    services.programme_start(programme=programme, by=mgi_member)
    with pytest.raises(DomainError):
        services.programme_start(programme=programme, by=mgi_member)
    with pytest.raises(DomainError):
        services.programme_complete(programme=programme, comment=" ", by=mgi_member)
    action = programme.actions.first()
    services.programme_action_mark_done(action=action, done_on=TODAY, by=mgi_member)
    with pytest.raises(DomainError):
        services.programme_action_mark_done(action=action, done_on=TODAY, by=mgi_member)
    services.programme_complete(programme=programme, comment="Cele osiągnięte.", by=mgi_member)
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.COMPLETED
    assert list(programme.events.values_list("kind", flat=True)) == [
        "created",
        "submitted",
        "approved",
        "started",
        "completed",
    ]


def test_partner_cannot_start_or_complete(family, mgi_member, coordinator, partner):
    programme = make_programme(family=family, author=mgi_member, submit=True)
    services.programme_approve(programme=programme, version_number=1, by=coordinator)
    with pytest.raises(DomainError):
        services.programme_start(programme=programme, by=partner)


def test_invalid_model_data_is_a_refused_transition_not_a_crash(family, mgi_member):
    with pytest.raises(DomainError):
        services.programme_create(
            family=family,
            fields={"title": "x", "prepared_by": "mgi", "period_start": TODAY, "period_end": TODAY - dt.timedelta(1)},
            by=mgi_member,
        )
    assert not family.programmes.exists()


def test_a_worker_outside_the_family_cannot_submit_or_run(family, mgi_member, coordinator, other_worker, partner):
    programme = make_programme(family=family, author=mgi_member)
    with pytest.raises(DomainError) as exc:
        services.programme_submit(programme=programme, by=other_worker)
    assert not exc.value.conflict and exc.value.message == "Nie możesz przekazać tego programu."
    services.programme_submit(programme=programme, by=mgi_member)
    services.programme_approve(programme=programme, version_number=1, by=coordinator)
    services.programme_start(programme=programme, by=mgi_member)
    with pytest.raises(DomainError) as exc:
        services.programme_complete(programme=programme, comment="Koniec.", by=partner)
    assert exc.value.message == "Nie możesz zakończyć tego programu."
    programme.refresh_from_db()
    assert programme.status == "in_implementation"
