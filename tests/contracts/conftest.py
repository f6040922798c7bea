import pytest

from tests.families.factories import FamilyFactory, PersonFactory
from tests.support_network.factories import ServiceFactory


@pytest.fixture
def family(db, mops, project, team, social_worker):
    family = FamilyFactory(institution=mops, project=project, team=team, social_worker=social_worker)
    PersonFactory(family=family, first_name="Grażyna", last_name="Żółkiewska")
    PersonFactory(family=family, first_name="Łukasz", last_name="Żółkiewski", relation="child", sex="M")
    return family


@pytest.fixture
def other_family(db, other_mops, other_project):
    family = FamilyFactory(institution=other_mops, project=other_project)
    PersonFactory(family=family, first_name="Jan", last_name="Obcy")
    return family


@pytest.fixture
def head(family):
    return family.members.order_by("pk").first()


@pytest.fixture
def service(db, pup):
    return ServiceFactory(provider=pup, name="Warsztaty aktywnego poszukiwania pracy")


@pytest.fixture
def second_service(db, pup):
    from support_network.models import Module

    return ServiceFactory(provider=pup, name="Szkolenie zawodowe – kucharz", module=Module.EMPLOYMENT)


@pytest.fixture
def second_coordinator(db, mops, project):
    from support_network.models import Role
    from tests.support_network.factories import staff_user

    user = staff_user(Role.COORDINATOR, mops, username="koordynator_b", first_name="Barbara")
    project.staff.add(user)
    return user
