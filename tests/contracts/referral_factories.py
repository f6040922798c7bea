"""Factories and fixtures of the referral tests (imported explicitly by the test modules, so this
room keeps out of the shared tests/contracts/conftest.py)."""

import factory
import pytest

from contracts.models import Referral
from support_network.models import Module, ServiceForm, ServiceUnit
from tests.families.factories import FamilyFactory, PersonFactory
from tests.support_network.factories import ServiceFactory


class ReferralFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referral

    person = factory.SubFactory(PersonFactory)
    service = factory.SubFactory(ServiceFactory)
    institution = factory.LazyAttribute(lambda r: r.service.provider)
    created_by = None
    reason = "Długotrwale bezrobotna, chce wrócić na rynek pracy."


@pytest.fixture
def family(mops, team, social_worker, project):
    return FamilyFactory(institution=mops, team=team, social_worker=social_worker, project=project)


@pytest.fixture
def person(family):
    return PersonFactory(
        family=family, first_name="Maria", last_name="Kowalska", phone="600 100 200", disability="tak", addiction="tak"
    )


@pytest.fixture
def workshop(pup):
    return ServiceFactory(
        provider=pup,
        name="Warsztaty z poradnictwa zawodowego",
        module=Module.EMPLOYMENT,
        form=ServiceForm.GROUP,
        unit=ServiceUnit.HOUR,
        capacity=12,
    )


@pytest.fixture
def other_pup(db):
    from support_network.models import InstitutionKind
    from tests.support_network.factories import InstitutionFactory

    return InstitutionFactory(name="Powiatowy Urząd Pracy w Kaliszu", short_name="PUP K", kind=InstitutionKind.PUP)


@pytest.fixture
def other_partner(other_pup):
    from support_network.models import Role
    from tests.support_network.factories import staff_user

    return staff_user(Role.PARTNER_STAFF, other_pup, username="partner2", first_name="Ola")
