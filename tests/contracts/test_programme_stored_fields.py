"""What a family programme stores for the coordinator's queue (docs/performance/programmes.md): its
family's project and the earliest end of its open actions, kept in step by every writer (the programme
services, the family's project change, the load generator)."""

import datetime as dt

import pytest
import time_machine
from django.db.models import Min, Q
from django.urls import reverse

from contracts.models import FamilyProgramme
from contracts.services import programmes as programme_services
from families import services as family_services
from families.codes import AssistanceReason
from tests.contracts.factories import make_programme

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 5, 1)


def _running(family, mgi_member, coordinator, service):
    with time_machine.travel(dt.datetime(2024, 5, 1, 10, 0), tick=False):
        programme = make_programme(family=family, author=mgi_member, services=[service], today=TODAY, submit=True)
        programme_services.programme_approve(programme=programme, version_number=1, by=coordinator)
        programme_services.programme_start(programme=programme, by=mgi_member)
    return programme


def _stored(programme) -> tuple:
    programme.refresh_from_db()
    return programme.project_id, programme.next_due_on


def test_a_new_programme_stores_its_familys_project_and_earliest_action_end(family, mgi_member, service):
    programme = make_programme(family=family, author=mgi_member, services=[service], today=TODAY)
    # the catalogue action ends after 60 days, the free-text one after 90
    assert _stored(programme) == (family.project_id, TODAY + dt.timedelta(days=60))


def test_editing_the_actions_moves_the_next_due_date(family, mgi_member, service):
    programme = make_programme(family=family, author=mgi_member, services=[service], today=TODAY)
    kept = programme.actions.order_by("-end_on").first()
    fields = {k: getattr(programme, k) for k in programme_services.PROGRAMME_FIELDS}
    row = {"id": kept.pk, **{k: getattr(kept, k) for k in programme_services.ACTION_FIELDS}}
    programme_services.programme_update(
        programme=programme, lock_version=programme.lock_version, fields=fields,
        goals=[{"person": None, "text": "Cel"}], actions=[row], by=mgi_member,
    )  # fmt: skip
    assert _stored(programme)[1] == kept.end_on
    programme.refresh_from_db()
    programme_services.programme_update(
        programme=programme, lock_version=programme.lock_version, fields=fields,
        goals=[{"person": None, "text": "Cel"}], actions=[], by=mgi_member,
    )  # fmt: skip
    assert _stored(programme)[1] is None


def test_marking_actions_done_moves_the_next_due_date(family, mgi_member, coordinator, service):
    programme = _running(family, mgi_member, coordinator, service)
    first, second = programme.actions.order_by("end_on")
    programme_services.programme_action_mark_done(action=first, done_on=TODAY, by=mgi_member)
    assert _stored(programme)[1] == second.end_on
    programme_services.programme_action_mark_done(action=second, done_on=TODAY, by=mgi_member)
    assert _stored(programme)[1] is None


def test_moving_the_family_to_another_project_moves_its_programmes_and_the_queue(
    family, mgi_member, coordinator, social_worker, login, service, mops
):
    from tests.support_network.factories import ProjectFactory

    programme = make_programme(family=family, author=mgi_member, services=[service], submit=True)
    second = ProjectFactory(leader=mops, title="Drugi projekt")
    family_services.family_update(
        family=family, data={"project": second}, reasons=[AssistanceReason.R1],
        primary_reason=AssistanceReason.R1, by=social_worker,
    )  # fmt: skip
    assert _stored(programme)[0] == second.pk
    client = login(coordinator)  # staff of the first project only
    assert client.get(reverse("contracts:programme_queue")).context["awaiting"] == []
    assert client.get(reverse("contracts:programme_detail", args=[programme.pk])).status_code == 404
    second.staff.add(coordinator)
    assert [p.pk for p in login(coordinator).get(reverse("contracts:programme_queue")).context["awaiting"]] == [
        programme.pk
    ]


def test_the_load_generator_stores_what_the_services_store():
    from demo.loadgen import generate

    generate.run(scale="S", seed=2024, reuse=False, log=lambda *args: None)
    programmes = FamilyProgramme.objects.annotate(
        due=Min("actions__end_on", filter=Q(actions__done_on__isnull=True))
    ).select_related("family")
    assert programmes.exists()
    for programme in programmes:
        assert (programme.project_id, programme.next_due_on) == (programme.family.project_id, programme.due)
