import datetime as dt
from decimal import Decimal

import factory
from django.conf import settings
from django.contrib.auth import get_user_model

from support_network.models import (
    Institution,
    InstitutionKind,
    Module,
    Project,
    Role,
    Service,
    StaffMembership,
    Team,
    TeamKind,
)

PASSWORD = "Testowe-haslo-123!"


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Miejski Ośrodek Pomocy Społecznej nr {n}")
    short_name = factory.Sequence(lambda n: f"MOPS {n}")
    kind = InstitutionKind.OPS
    postal_code = "44-300"
    locality = "Wodzisław Śląski"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Jan"
    last_name = factory.Sequence(lambda n: f"Testowy{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def staff_user(role: str, institution: Institution | None = None, **user_kwargs):
    """A user with a membership of `role` in `institution` (a new MOPS by default)."""
    institution = institution or InstitutionFactory()
    user = UserFactory(**user_kwargs)
    StaffMembership.objects.create(
        user=user,
        institution=institution,
        role=role,
        valid_until=dt.date.today() + dt.timedelta(days=30) if role == Role.AUDITOR else None,
    )
    return user


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Projekt testowy {n}")
    agreement_number = factory.Sequence(lambda n: f"POWR.04.01.00-00-{n:04d}/17")
    programme = "PO WER 2014-2020"
    action = "4.1"
    leader = factory.SubFactory(InstitutionFactory)
    start_date = dt.date(2017, 1, 1)
    end_date = dt.date(2019, 12, 31)
    total_value = Decimal("904150.00")
    eu_cofinancing = Decimal("876150.00")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Zespół {n}")
    kind = TeamKind.CASE_TEAM
    institution = factory.SubFactory(InstitutionFactory)


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service

    name = factory.Sequence(lambda n: f"Poradnictwo zawodowe {n}")
    provider = factory.SubFactory(InstitutionFactory, kind=InstitutionKind.PUP)
    module = Module.EMPLOYMENT


def demo_password() -> str:
    return settings.DEMO_PASSWORD
