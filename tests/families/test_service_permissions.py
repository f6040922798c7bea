"""The casework services check the acting user (families.access): whoever may not write is refused
with a DomainError and nothing is written."""

import datetime as dt

import pytest

from core.errors import DomainError
from families import services
from families.codes import AssistanceReason, Relation
from families.models import Assessment, Family, NeedsDiagnosis, Person, PersonMerge, Visit
from tests.families.factories import PersonFactory, social_competences


def _family_data(project, case_number="FS/2017/099"):
    return {"case_number": case_number, "project": project, "street": "Długa", "building": "1",
            "postal_code": "44-300", "locality": "Wodzisław Śląski", "status": "active"}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "manager", "auditor", "partner", "administrator"])
def test_only_caseworkers_found_a_family(request, project, who):
    user = request.getfixturevalue(who)
    with pytest.raises(DomainError, match="zakłada pracownik socjalny"):
        services.family_create(
            data=_family_data(project), reasons=[AssistanceReason.R1], primary_reason=AssistanceReason.R1, by=user
        )
    assert not Family.objects.filter(case_number="FS/2017/099").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["coordinator", "auditor", "partner", "other_worker"])
def test_a_user_outside_the_casework_cannot_change_the_family(request, family, who):
    user = request.getfixturevalue(who)
    with pytest.raises(DomainError, match="możesz ją tylko przeglądać"):
        services.family_update(
            family=family,
            data={**_family_data(family.project, case_number="ZMIENIONY"), "street": "Inna"},
            reasons=[AssistanceReason.R2],
            primary_reason=AssistanceReason.R2,
            by=user,
        )
    family.refresh_from_db()
    assert family.case_number == "FS/2017/001" and family.street != "Inna"
    assert set(family.reasons.values_list("code", flat=True)) == {AssistanceReason.R1, AssistanceReason.R4}


@pytest.mark.django_db
def test_members_visits_and_diagnoses_are_written_only_by_caseworkers_in_scope(family, head, coordinator,
                                                                              other_worker):  # fmt: skip
    members = family.members.count()
    with pytest.raises(DomainError):
        services.person_create(
            family=family, data={"first_name": "Ola", "last_name": "Wilk", "relation": Relation.CHILD}, by=coordinator
        )
    with pytest.raises(DomainError):
        services.person_update(person=head, data={"first_name": "Zmieniona"}, by=other_worker)
    with pytest.raises(DomainError):
        services.visit_create(
            family=family, data={"visited_on": dt.date(2017, 3, 1), "notes": "x"}, persons_present=[head],
            by=coordinator,
        )  # fmt: skip
    with pytest.raises(DomainError):
        services.diagnosis_create(family=family, data={"person": head}, by=other_worker)
    assert family.members.count() == members
    head.refresh_from_db()
    assert head.first_name == "Maria"
    assert not Visit.objects.exists() and not NeedsDiagnosis.objects.exists()


@pytest.mark.django_db
def test_an_assessment_is_refused_to_a_read_only_role(head, auditor):
    instrument = social_competences()
    scores = {d.pk: 3 for d in instrument.dimensions.all()}
    with pytest.raises(DomainError, match="możesz ją tylko przeglądać"):
        services.assessment_create(
            person=head, instrument=instrument, kind="entry", assessed_on=dt.date(2017, 3, 10), scores=scores,
            by=auditor,
        )  # fmt: skip
    assert not Assessment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["social_worker", "manager", "other_coordinator"])
def test_only_a_coordinator_who_sees_both_records_merges_them(request, family, head, who):
    duplicate = PersonFactory(family=family, first_name=head.first_name, last_name=head.last_name, pesel="",
                              no_pesel=True)  # fmt: skip
    with pytest.raises(DomainError, match="scala koordynator|które widzisz"):
        services.person_merge(keep=head, remove=duplicate, by=request.getfixturevalue(who))
    assert Person.objects.filter(pk=duplicate.pk).exists() and not PersonMerge.objects.exists()
