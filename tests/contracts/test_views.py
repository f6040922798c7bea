"""Pages of contracts and programmes: scoping (404 outside scope), forms, conflicts, query counts."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from contracts.models import ContractStatus, FamilyProgramme, ProgrammeStatus, Referral, SocialContract
from contracts.services import programmes as programme_services
from tests.contracts.factories import make_contract, make_programme
from tests.families.factories import FamilyFactory, PersonFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


@pytest.fixture
def contract(family, head, social_worker):
    return make_contract(family=family, person=head, worker=social_worker)


@pytest.fixture
def programme(family, mgi_member, service):
    return make_programme(family=family, author=mgi_member, services=[service], submit=True)


def contract_urls(contract):
    pk = contract.pk
    evaluation = contract.evaluations.first().pk
    action = contract.actions.first().pk
    return [
        ("get", reverse("contracts:contract_detail", args=[pk])),
        ("get", reverse("contracts:contract_pdf", args=[pk])),
        ("get", reverse("contracts:contract_edit", args=[pk])),
        ("get", reverse("contracts:contract_sign", args=[pk])),
        ("get", reverse("contracts:contract_refuse", args=[pk])),
        ("get", reverse("contracts:contract_amend", args=[pk])),
        ("get", reverse("contracts:contract_close", args=[pk])),
        ("get", reverse("contracts:evaluation_record", args=[pk, evaluation])),
        ("post", reverse("contracts:contract_action_done", args=[pk, action])),
        ("get", reverse("contracts:contract_create") + f"?family={contract.family_id}"),
        ("get", reverse("contracts:contract_create") + f"?person={contract.person_id}"),
    ]


def programme_urls(programme):
    pk = programme.pk
    return [
        ("get", reverse("contracts:programme_detail", args=[pk])),
        ("get", reverse("contracts:programme_edit", args=[pk])),
        ("post", reverse("contracts:programme_submit", args=[pk])),
        ("post", reverse("contracts:programme_decide", args=[pk])),
        ("post", reverse("contracts:programme_start", args=[pk])),
        ("post", reverse("contracts:programme_complete", args=[pk])),
        ("post", reverse("contracts:programme_action_done", args=[pk, programme.actions.first().pk])),
        ("get", reverse("contracts:programme_create") + f"?family={programme.family_id}"),
    ]


@pytest.mark.parametrize("who", ["other_worker", "other_coordinator", "partner", "administrator"])
def test_outsiders_get_404_on_every_contract_page(contract, login, request, who):
    client = login(request.getfixturevalue(who))
    for method, url in contract_urls(contract):
        assert getattr(client, method)(url).status_code == 404, url
    assert SocialContract.objects.get().status == ContractStatus.DRAFT


@pytest.mark.parametrize("who", ["other_worker", "other_coordinator", "partner", "administrator"])
def test_outsiders_get_404_on_every_programme_page(programme, login, request, who):
    client = login(request.getfixturevalue(who))
    for method, url in programme_urls(programme):
        assert getattr(client, method)(url, {"decision": "approve", "version": 1}).status_code == 404, url
    assert FamilyProgramme.objects.get().status == ProgrammeStatus.SUBMITTED


@pytest.mark.parametrize("who", ["social_worker", "colleague", "coordinator", "manager", "auditor"])
def test_people_in_scope_read_the_contract_and_an_access_is_logged(contract, login, request, who):
    client = login(request.getfixturevalue(who))
    response = client.get(reverse("contracts:contract_detail", args=[contract.pk]))
    assert response.status_code == 200 and "Podjęcie zatrudnienia" in response.text
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_pk=str(contract.pk)).exists()


@pytest.mark.parametrize("who", ["coordinator", "manager", "auditor", "mgi_member"])
def test_only_the_social_worker_manages_contracts(contract, login, request, who):
    client = login(request.getfixturevalue(who))
    assert client.get(reverse("contracts:contract_sign", args=[contract.pk])).status_code in (403, 404)
    response = client.post(reverse("contracts:contract_sign", args=[contract.pk]), {"signed_on": TODAY.isoformat()})
    assert response.status_code in (403, 404)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFT


def contract_post_data(family, head, **extra):
    data = {
        "kind": "A",
        "number": "KS/1/2024",
        "person": head.pk,
        "concluded_on": TODAY.isoformat(),
        "period_start": TODAY.isoformat(),
        "period_end": (TODAY + dt.timedelta(days=90)).isoformat(),
        "causes": "Bezrobocie",
        "resources": "",
        "limitations": "",
        "pup_referral": "",
        "unemployment_causes": "",
        "previous_activation": "",
        "activation_failure": "",
        "main_goal": "Praca",
        "evaluation_method": "Rozmowa",
        "covered_members": [m.pk for m in family.members.exclude(pk=head.pk)],
    }
    for prefix, rows in (
        ("goals", [{"text": "Ukończenie kursu"}]),
        ("actions", [{"description": "Kurs", "owner": "client", "deadline": TODAY.isoformat()}]),
        ("evaluations", [{"due_on": TODAY.isoformat()}]),
    ):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": len(rows),
                f"{prefix}-INITIAL_FORMS": 0,
                f"{prefix}-MIN_NUM_FORMS": 0,
                f"{prefix}-MAX_NUM_FORMS": 1000,
            }
        )
        for i, row in enumerate(rows):
            data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    data.update(extra)
    return data


def test_social_worker_creates_signs_and_prints_a_contract(family, head, social_worker, login):
    client = login(social_worker)
    url = reverse("contracts:contract_create") + f"?family={family.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, contract_post_data(family, head))
    contract = SocialContract.objects.get()
    assert response.status_code == 302 and response.url == reverse("contracts:contract_detail", args=[contract.pk])
    assert contract.covered_members.count() == 1 and contract.goals.get().text == "Ukończenie kursu"
    response = client.post(reverse("contracts:contract_sign", args=[contract.pk]), {"signed_on": TODAY.isoformat()})
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE
    response = client.post(reverse("contracts:contract_sign", args=[contract.pk]), {"signed_on": TODAY.isoformat()})
    assert response.status_code == 409


def test_invalid_contract_form_saves_nothing(family, head, social_worker, login):
    client = login(social_worker)
    url = reverse("contracts:contract_create") + f"?family={family.pk}"
    data = contract_post_data(family, head, period_end="2001-02-30", **{"actions-0-owner": "partner"})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Wskaż instytucję" in response.text
    assert not SocialContract.objects.exists()


def test_close_page_rates_each_goal(contract, social_worker, login):
    client = login(social_worker)
    client.post(reverse("contracts:contract_sign", args=[contract.pk]), {"signed_on": TODAY.isoformat()})
    goal = contract.goals.get()
    response = client.post(
        reverse("contracts:contract_close", args=[contract.pk]),
        {
            "status": "terminated_noncompliance",
            "closed_on": TODAY.isoformat(),
            "reason": "Nie stawia się",
            f"goal_{goal.pk}": "not_achieved",
            f"goal_{goal.pk}_note": "brak działań",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    goal.refresh_from_db()
    assert contract.status == ContractStatus.TERMINATED_NONCOMPLIANCE and goal.achievement == "not_achieved"
    page = client.get(reverse("contracts:contract_detail", args=[contract.pk])).text
    assert "Nie stawia się" in page and "nieosiągnięty" in page


def programme_post_data(programme, **extra):
    data = {
        "title": programme.title,
        "prepared_by": "mgi",
        "team": "",
        "diagnosis": "",
        "summary": programme.summary,
        "period_start": programme.period_start.isoformat(),
        "period_end": programme.period_end.isoformat(),
        "lock_version": programme.lock_version,
    }
    goals = list(programme.goals.all())
    actions = list(programme.actions.all())
    data.update(
        {
            "goals-TOTAL_FORMS": len(goals),
            "goals-INITIAL_FORMS": len(goals),
            "goals-MIN_NUM_FORMS": 0,
            "goals-MAX_NUM_FORMS": 1000,
            "actions-TOTAL_FORMS": len(actions),
            "actions-INITIAL_FORMS": len(actions),
            "actions-MIN_NUM_FORMS": 0,
            "actions-MAX_NUM_FORMS": 1000,
        }
    )
    for i, goal in enumerate(goals):
        data.update({f"goals-{i}-id": goal.pk, f"goals-{i}-person": goal.person_id or "", f"goals-{i}-text": goal.text})
    for i, action in enumerate(actions):
        data.update(
            {
                f"actions-{i}-id": action.pk,
                f"actions-{i}-module": action.module,
                f"actions-{i}-service": action.service_id or "",
                f"actions-{i}-description": action.description,
                f"actions-{i}-person": action.person_id or "",
                f"actions-{i}-start_on": action.start_on.isoformat(),
                f"actions-{i}-end_on": action.end_on.isoformat(),
                f"actions-{i}-expected_result": action.expected_result,
            }
        )
    data.update(extra)
    return data


def test_stale_edit_is_refused_with_a_message_not_overwritten(family, mgi_member, social_worker, login):
    programme = make_programme(family=family, author=mgi_member)
    stale = programme_post_data(programme, title="Wersja Marka")
    colleague_edit = programme_post_data(programme, title="Wersja Anny")
    assert (
        login(social_worker).post(reverse("contracts:programme_edit", args=[programme.pk]), colleague_edit).status_code
        == 302
    )
    response = login(mgi_member).post(reverse("contracts:programme_edit", args=[programme.pk]), stale)
    assert response.status_code == 409 and "w międzyczasie" in response.text
    programme.refresh_from_db()
    assert programme.title == "Wersja Anny"


def test_coordinator_returns_then_approves_through_the_pages(family, mgi_member, coordinator, login, service):
    programme = make_programme(family=family, author=mgi_member, services=[service], submit=True)
    client = login(coordinator)
    detail = client.get(reverse("contracts:programme_detail", args=[programme.pk]))
    assert "Zatwierdź" in detail.text and "Pierwsza wersja" in detail.text
    response = client.post(
        reverse("contracts:programme_decide", args=[programme.pk]), {"decision": "return", "version": 1, "comment": ""}
    )
    programme.refresh_from_db()
    assert response.status_code == 302 and programme.status == ProgrammeStatus.SUBMITTED  # a return needs a comment
    client.post(
        reverse("contracts:programme_decide", args=[programme.pk]),
        {"decision": "return", "version": 1, "comment": "Dodaj cel dla syna"},
    )
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.RETURNED
    author = login(mgi_member)
    data = programme_post_data(programme, **{"goals-0-text": "Praca na pełny etat"})
    assert author.post(reverse("contracts:programme_edit", args=[programme.pk]), data).status_code == 302
    programme.refresh_from_db()
    author.post(reverse("contracts:programme_submit", args=[programme.pk]), {"lock_version": programme.lock_version})
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.SUBMITTED
    client = login(coordinator)
    detail = client.get(reverse("contracts:programme_detail", args=[programme.pk])).text
    assert "Praca na pełny etat" in detail and "zmieniono" in detail and "Dodaj cel dla syna" in detail
    client.post(
        reverse("contracts:programme_decide", args=[programme.pk]),
        {"decision": "approve", "version": 2, "confirmed": "1"},
    )
    assert Referral.objects.count() == 1
    late = client.post(
        reverse("contracts:programme_decide", args=[programme.pk]),
        {"decision": "approve", "version": 2, "confirmed": "1"},
    )
    assert late.status_code == 409 and "już rozstrzygnięto" in late.text
    assert Referral.objects.count() == 1


def test_author_sees_no_decision_buttons(family, mgi_member, login):
    programme = make_programme(family=family, author=mgi_member, submit=True)
    page = login(mgi_member).get(reverse("contracts:programme_detail", args=[programme.pk])).text
    assert 'value="approve"' not in page
    response = login(mgi_member).post(
        reverse("contracts:programme_decide", args=[programme.pk]), {"decision": "approve", "version": 1}
    )
    assert response.status_code == 404
    programme.refresh_from_db()
    assert programme.status == ProgrammeStatus.SUBMITTED


def test_programme_create_page_saves_a_draft(family, mgi_member, login, service):
    client = login(mgi_member)
    url = reverse("contracts:programme_create") + f"?family={family.pk}"
    assert client.get(url).status_code == 200
    person = family.members.first()
    data = {
        "title": "Program Żółkiewskich",
        "prepared_by": "mgi",
        "team": "",
        "diagnosis": "",
        "summary": "",
        "period_start": TODAY.isoformat(),
        "period_end": (TODAY + dt.timedelta(days=90)).isoformat(),
        "goals-TOTAL_FORMS": 1,
        "goals-INITIAL_FORMS": 0,
        "goals-MIN_NUM_FORMS": 0,
        "goals-MAX_NUM_FORMS": 1000,
        "goals-0-person": person.pk,
        "goals-0-text": "Praca",
        "actions-TOTAL_FORMS": 2,
        "actions-INITIAL_FORMS": 0,
        "actions-MIN_NUM_FORMS": 0,
        "actions-MAX_NUM_FORMS": 1000,
        "actions-0-module": "employment",
        "actions-0-service": service.pk,
        "actions-0-person": "",
        "actions-0-start_on": TODAY.isoformat(),
        "actions-0-end_on": TODAY.isoformat(),
        "actions-0-expected_result": "x",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "wymaga wskazania osoby" in response.text
    data["actions-0-person"] = person.pk
    response = client.post(url, data)
    programme = FamilyProgramme.objects.get()
    assert response.status_code == 302 and programme.actions.get().service == service


def many_families(n, *, mops, project, team, social_worker, mgi_member, coordinator, service):
    for _ in range(n):
        family = FamilyFactory(institution=mops, project=project, team=team, social_worker=social_worker)
        head = PersonFactory(family=family)
        make_contract(family=family, person=head, worker=social_worker, signed=True)
        programme = make_programme(family=family, author=mgi_member, services=[service], submit=True)
        if _ % 2:
            programme_services.programme_approve(programme=programme, version_number=1, by=coordinator)
            programme_services.programme_start(programme=programme, by=mgi_member)
            FamilyProgramme.objects.filter(pk=programme.pk)
            programme.actions.update(end_on=TODAY - dt.timedelta(days=1), start_on=TODAY - dt.timedelta(days=2))


@pytest.mark.parametrize("n", [1, 6])
def test_list_pages_run_a_constant_number_of_queries(
    n, mops, project, team, social_worker, mgi_member, coordinator, service, login, django_assert_max_num_queries
):
    many_families(
        n,
        mops=mops,
        project=project,
        team=team,
        social_worker=social_worker,
        mgi_member=mgi_member,
        coordinator=coordinator,
        service=service,
    )
    # each limit includes the one INSERT of the page's ACCESS entry (core/access_log.py)
    for user, name, limit in (
        (social_worker, "contracts:contract_list", 10),
        (social_worker, "contracts:reminders", 10),
        (mgi_member, "contracts:programme_list", 10),
        (coordinator, "contracts:programme_queue", 14),  # + one COUNT of both paginated lists, the projects
        (coordinator, "contracts:contract_list", 10),
    ):
        client = login(user)
        with django_assert_max_num_queries(limit):
            response = client.get(reverse(name))
        assert response.status_code == 200


def test_queue_lists_oldest_first_with_age_and_overdue_programmes(
    family, mgi_member, coordinator, other_coordinator, login, service
):
    import time_machine

    with time_machine.travel(dt.datetime(2024, 5, 2, 10, 0), tick=False):
        older = make_programme(family=family, author=mgi_member, today=dt.date(2024, 5, 2), submit=True)
    with time_machine.travel(dt.datetime(2024, 5, 10, 10, 0), tick=False):
        newer = make_programme(family=family, author=mgi_member, today=dt.date(2024, 5, 10), submit=True)
        running = make_programme(family=family, author=mgi_member, today=dt.date(2024, 5, 1), submit=True)
        programme_services.programme_approve(programme=running, version_number=1, by=coordinator)
        programme_services.programme_start(programme=running, by=mgi_member)
    with time_machine.travel(dt.datetime(2024, 7, 31, 10, 0), tick=False):
        page = login(coordinator).get(reverse("contracts:programme_queue"))
        awaiting = page.context["awaiting"]
        assert [p.pk for p in awaiting] == [older.pk, newer.pk]
        assert [p.age_days for p in awaiting] == [90, 82]
        assert [(p.pk, p.overdue_actions) for p in page.context["overdue"]] == [(running.pk, 1)]
        other = login(other_coordinator).get(reverse("contracts:programme_queue"))
        assert other.context["awaiting"] == [] and other.context["overdue"] == []
    with time_machine.travel(dt.datetime(2024, 7, 30, 10, 0), tick=False):  # the action ends on 30.07: not overdue
        assert login(coordinator).get(reverse("contracts:programme_queue")).context["overdue"] == []


@pytest.mark.parametrize("who", ["social_worker", "mgi_member", "partner", "manager"])
def test_queue_is_for_coordinators_only(login, request, who):
    assert login(request.getfixturevalue(who)).get(reverse("contracts:programme_queue")).status_code == 403


@pytest.mark.parametrize("who", ["coordinator", "manager", "auditor"])
def test_readers_of_the_family_get_403_on_programme_writes_and_nothing_changes(
    family, mgi_member, coordinator, login, request, who
):
    """Found by the access matrix: the read-only roles were redirected to the programme page with a
    message (302) instead of being refused; a refusal is a 403, before the service is called."""
    draft = make_programme(family=family, author=mgi_member)
    running = make_programme(family=family, author=mgi_member, submit=True)
    programme_services.programme_approve(programme=running, version_number=1, by=coordinator)
    programme_services.programme_start(programme=running, by=mgi_member)
    action = running.actions.first()
    client = login(request.getfixturevalue(who))
    writes = [
        reverse("contracts:programme_submit", args=[draft.pk]),
        reverse("contracts:programme_action_done", args=[running.pk, action.pk]),
    ]
    if who != "coordinator":  # the project's coordinator starts and completes programmes
        writes.append(reverse("contracts:programme_complete", args=[running.pk]))
    for url in writes:
        assert client.post(url, {"done_on": TODAY.isoformat(), "comment": "Koniec"}).status_code == 403, url
    draft.refresh_from_db(), running.refresh_from_db(), action.refresh_from_db()
    assert draft.status == ProgrammeStatus.DRAFT and running.status == ProgrammeStatus.IN_IMPLEMENTATION
    assert action.done_on is None


@pytest.mark.parametrize("who", ["manager", "auditor"])
def test_only_caseworkers_and_the_coordinator_start_an_approved_programme(
    family, mgi_member, coordinator, login, request, who
):
    approved = make_programme(family=family, author=mgi_member, submit=True)
    programme_services.programme_approve(programme=approved, version_number=1, by=coordinator)
    response = login(request.getfixturevalue(who)).post(reverse("contracts:programme_start", args=[approved.pk]))
    assert response.status_code == 403
    approved.refresh_from_db()
    assert approved.status == ProgrammeStatus.APPROVED


@pytest.mark.parametrize("digits", ["²", "١٢", "４２", "9" * 40])
def test_non_ascii_or_huge_digits_in_ids_are_refused_not_a_500(
    family, contract, programme, social_worker, login, digits
):
    """Found by the hostile-input gate: "²".isdigit() is True, and int("²") raised a 500."""
    client = login(social_worker)
    assert client.get(reverse("contracts:contract_create"), {"family": digits}).status_code == 404
    assert client.get(reverse("contracts:contract_create"), {"person": digits}).status_code == 404
    assert client.get(reverse("contracts:programme_create"), {"family": digits}).status_code == 404
    assert client.get(reverse("contracts:referral_create"), {"person": digits, "service": digits}).status_code == 200
    assert client.get(reverse("contracts:programme_detail", args=[programme.pk]), {"wersja": digits}).status_code == 200
    draft = make_programme(family=family, author=social_worker)
    response = client.post(reverse("contracts:programme_submit", args=[draft.pk]), {"lock_version": digits})
    assert response.status_code == 302
