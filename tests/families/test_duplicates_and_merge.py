import datetime as dt

import pytest
from django.urls import reverse

from contracts.models import Referral
from core.crypto import keyed_hash
from core.errors import DomainError
from families.codes import Relation, Sex
from families.models import AssessmentKind, FamilyStatus, Person, PersonMerge, Visit
from families.pesel import make_pesel
from families.services import person_merge
from reporting.models import Participation
from tests.families.factories import (
    DiagnosisFactory,
    FamilyFactory,
    PersonFactory,
    VisitFactory,
    make_assessment,
)
from tests.support_network.factories import ServiceFactory


def _post_person(client, family, **data):
    base = {"first_name": "Zofia", "last_name": "Wilk", "relation": "child", "generation": ""}
    return client.post(reverse("families:person_create", args=[family.pk]), {**base, **data})


@pytest.fixture
def second_family(mops, project, team, social_worker):
    """Another family of the same team and project (so the project's coordinator sees both)."""
    return FamilyFactory(
        institution=mops, project=project, team=team, social_worker=social_worker, case_number="FS/2017/002"
    )


@pytest.mark.django_db
def test_same_pesel_in_an_active_family_is_refused_with_a_link(login, social_worker, family, head, second_family):
    response = _post_person(login(social_worker), second_family, pesel=head.pesel, confirm_not_duplicate="on")
    assert response.status_code == 200
    assert "aktywnej rodziny" in " ".join(response.context["form"].errors["pesel"])
    assert reverse("families:person_detail", args=[head.pk]).encode() in response.content
    assert Person.objects.filter(pesel_hash=keyed_hash(head.pesel)).count() == 1


@pytest.mark.django_db
def test_same_name_and_birth_date_warns_until_confirmed(login, social_worker, family, head, second_family):
    client = login(social_worker)
    pesel = make_pesel(dt.date(1970, 1, 1), 1, Sex.FEMALE)
    data = {"no_pesel": "on", "first_name": head.first_name, "last_name": head.last_name.upper(),
            "birth_date": head.birth_date.isoformat(), "sex": "K", "foreign_document_type": "passport",
            "foreign_document_number": "X1"}  # fmt: skip
    response = _post_person(client, second_family, **data)
    assert response.status_code == 200
    assert "to nie ta sama osoba" in " ".join(response.context["form"].errors["confirm_not_duplicate"])
    assert reverse("families:person_detail", args=[head.pk]).encode() in response.content
    assert not second_family.members.exists()
    assert _post_person(client, second_family, **data, confirm_not_duplicate="on").status_code == 302
    assert second_family.members.count() == 1
    assert pesel  # a different person with another PESEL needs no confirmation:
    assert _post_person(client, second_family, pesel=pesel).status_code == 302


@pytest.mark.django_db
def test_same_pesel_of_a_closed_family_may_be_added_after_confirmation(
    login, social_worker, family, head, second_family
):
    family.status, family.closed_on, family.closed_reason = FamilyStatus.CLOSED, dt.date(2023, 1, 1), "Przeprowadzka"
    family.save()
    client = login(social_worker)
    assert _post_person(client, second_family, pesel=head.pesel).status_code == 200
    assert _post_person(client, second_family, pesel=head.pesel, confirm_not_duplicate="on").status_code == 302


@pytest.mark.django_db
def test_duplicates_in_another_institution_are_not_reported(login, other_worker, other_family, head):
    assert _post_person(login(other_worker), other_family, pesel=head.pesel).status_code == 302


@pytest.mark.django_db
def test_merge_moves_every_reverse_relation_and_deletes_the_duplicate(social_worker, coordinator, family, head,
                                                                      second_family, project):  # fmt: skip
    duplicate = PersonFactory(
        family=second_family, first_name=head.first_name, last_name=head.last_name, birth_date=head.birth_date,
        pesel="", no_pesel=True, foreign_document_type="passport", foreign_document_number="P1", phone="600 000 000",
    )  # fmt: skip
    visit = VisitFactory(family=second_family, author=social_worker)
    visit.persons_present.add(duplicate)
    both = VisitFactory(family=family, author=social_worker)
    both.persons_present.add(duplicate, head)
    DiagnosisFactory(family=second_family, person=duplicate, author=social_worker)
    make_assessment(duplicate, AssessmentKind.ENTRY, [2] * 6)
    service = ServiceFactory()
    referral = Referral.objects.create(
        person=duplicate, service=service, institution=service.provider, created_by=social_worker, reason="Doradztwo"
    )
    participation = Participation.objects.create(project=project, person=duplicate, first_name="x", last_name="y")

    record = person_merge(keep=head, remove=duplicate, by=coordinator)

    assert not Person.objects.filter(pk=duplicate.pk).exists()
    head.refresh_from_db()
    assert head.phone == "600 000 000"  # empty field filled in
    assert set(Visit.objects.filter(persons_present=head).values_list("pk", flat=True)) == {visit.pk, both.pk}
    assert head.diagnoses.count() == 1 and head.assessments.count() == 1
    referral.refresh_from_db()
    participation.refresh_from_db()
    assert referral.person_id == head.pk and participation.person_id == head.pk
    assert record.removed_person_id == duplicate.pk and record.by == coordinator
    assert record.moved["families.Visit"] == 1 and record.moved["contracts.Referral"] == 1


@pytest.mark.django_db
def test_merge_that_would_lose_data_stops_with_a_message_and_changes_nothing(coordinator, family, head, second_family):
    duplicate = PersonFactory(family=second_family, first_name=head.first_name, last_name=head.last_name,
                              birth_date=head.birth_date, pesel="", no_pesel=True, foreign_document_type="passport",
                              foreign_document_number="P1")  # fmt: skip
    make_assessment(head, AssessmentKind.ENTRY, [2] * 6)
    make_assessment(duplicate, AssessmentKind.ENTRY, [3] * 6)
    with pytest.raises(DomainError, match="ocen"):
        person_merge(keep=head, remove=duplicate, by=coordinator)
    assert Person.objects.filter(pk=duplicate.pk).exists() and duplicate.assessments.count() == 1
    assert not PersonMerge.objects.exists()


@pytest.mark.django_db
def test_records_with_different_pesels_cannot_be_merged(coordinator, family, head, second_family):
    other = PersonFactory(family=second_family, first_name=head.first_name, last_name=head.last_name)
    with pytest.raises(DomainError, match="różne numery PESEL"):
        person_merge(keep=head, remove=other, by=coordinator)


@pytest.mark.django_db
def test_coordinator_merges_through_the_page(login, coordinator, family, head, second_family):
    duplicate = PersonFactory(family=second_family, first_name=head.first_name, last_name=head.last_name,
                              birth_date=head.birth_date, relation=Relation.HEAD, pesel="", no_pesel=True,
                              foreign_document_type="passport", foreign_document_number="P1")  # fmt: skip
    second_family.project = family.project
    second_family.save()
    url = reverse("families:person_merge", args=[head.pk])
    client = login(coordinator)
    page = client.get(url)
    assert list(page.context["form"].fields["remove"].queryset) == [duplicate]
    assert client.post(url, {"remove": duplicate.pk}).status_code == 200  # confirmation required
    response = client.post(url, {"remove": duplicate.pk, "confirm": "on"})
    assert response.status_code == 302
    assert not Person.objects.filter(pk=duplicate.pk).exists()


@pytest.mark.django_db
def test_merge_page_offers_no_record_outside_the_coordinators_scope(login, coordinator, family, head, other_family):
    outsider = other_family.members.get()
    response = login(coordinator).post(
        reverse("families:person_merge", args=[head.pk]), {"remove": outsider.pk, "confirm": "on"}
    )
    assert response.status_code == 200 and "remove" in response.context["form"].errors
    assert Person.objects.filter(pk=outsider.pk).exists()


@pytest.mark.django_db
def test_editing_a_person_keeps_the_pesel_rule_and_saves_changes(login, social_worker, family, head, second_family):
    other = PersonFactory(family=second_family)
    url = reverse("families:person_edit", args=[other.pk])
    data = {"first_name": "Ola", "last_name": other.last_name, "relation": "head", "generation": "2", "lock_version": 1}
    response = login(social_worker).post(url, {**data, "pesel": head.pesel, "confirm_not_duplicate": "on"})
    assert "aktywnej rodziny" in " ".join(response.context["form"].errors["pesel"])
    assert login(social_worker).post(url, {**data, "pesel": other.pesel}).status_code == 302
    other.refresh_from_db()
    assert other.first_name == "Ola"
