import datetime as dt

import pytest

from families.codes import AssistanceReason, Relation, Sex
from families.models import FamilyReason
from tests.families.factories import FamilyFactory, PersonFactory


@pytest.fixture
def family(db, mops, project, team, social_worker):
    """A three-generation family of the social worker's team in the coordinator's project."""
    family = FamilyFactory(
        institution=mops, project=project, team=team, social_worker=social_worker, case_number="FS/2017/001"
    )
    FamilyReason.objects.create(family=family, code=AssistanceReason.R1, is_primary=True)
    FamilyReason.objects.create(family=family, code=AssistanceReason.R4)
    PersonFactory(family=family, first_name="Maria", last_name="Wilk", relation=Relation.HEAD, generation=2)
    PersonFactory(
        family=family,
        first_name="Helena",
        last_name="Wilk",
        relation=Relation.PARENT,
        generation=1,
        birth_date=dt.date(1950, 5, 1),
    )
    PersonFactory(
        family=family,
        first_name="Kacper",
        last_name="Wilk",
        relation=Relation.CHILD,
        generation=3,
        birth_date=dt.date(2008, 9, 9),
        sex=Sex.MALE,
    )
    return family


@pytest.fixture
def head(family):
    return family.members.get(relation=Relation.HEAD)


@pytest.fixture
def other_family(db, other_mops, other_worker, other_project):
    family = FamilyFactory(institution=other_mops, project=other_project, social_worker=other_worker)
    PersonFactory(family=family, first_name="Jan", last_name="Obcy")
    return family
