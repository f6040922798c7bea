"""contracts.demo works on families the families room seeds (here: minimal stand-ins) and is idempotent."""

import io

import pytest
from django.contrib.auth import get_user_model

from contracts.models import FamilyProgramme, ProgrammeAction, Referral, SocialContract
from demo.seeders import contracts as demo
from demo.seeders import support_network as network_demo
from support_network.models import Institution, Module, Project, Team
from tests.families.factories import FamilyFactory, PersonFactory
from tests.support_network.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def test_seed_without_families_does_nothing():
    network_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    assert not SocialContract.objects.exists() and not FamilyProgramme.objects.exists()


def test_seed_creates_contracts_and_programmes_once(settings):
    settings.DEBUG = True
    network_demo.seed(io.StringIO())
    users = {u.username: u for u in get_user_model().objects.all()}
    kalisz = Institution.objects.get(short_name="MOPS Kalisz")
    turek = Institution.objects.get(short_name="MOPS Turek")
    wodzislaw = Institution.objects.get(short_name="MOPS Wodzisław Śl.")
    stop = Project.objects.get(short_name="Schematom STOP!")
    ServiceFactory(
        provider=Institution.objects.get(short_name="PUP Turek"), module=Module.EMPLOYMENT, name="Szkolenie zawodowe"
    )
    mgi = Team.objects.get(name="MGI Turek")
    for _ in range(3):
        PersonFactory(family=FamilyFactory(institution=kalisz, social_worker=users["pracownik.kalisz"]))
        PersonFactory(family=FamilyFactory(institution=wodzislaw, social_worker=users["pracownik"]))
        family = FamilyFactory(institution=turek, project=stop, team=mgi)
        PersonFactory(family=family)
        PersonFactory(family=family, first_name="Kacper")
    demo.seed(io.StringIO())
    rows = (SocialContract.objects.count(), FamilyProgramme.objects.count(), Referral.objects.count())
    demo.seed(io.StringIO())
    assert (SocialContract.objects.count(), FamilyProgramme.objects.count(), Referral.objects.count()) == rows
    assert SocialContract.objects.filter(institution=kalisz, status="completed_achieved", kind="B").count() == 3
    assert set(SocialContract.objects.filter(institution=wodzislaw).values_list("status", flat=True)) == {
        "active",
        "draft",
    }
    assert sorted(FamilyProgramme.objects.values_list("status", flat=True)) == ["approved", "returned", "submitted"]
    approved_catalogue_actions = ProgrammeAction.objects.filter(programme__status="approved", service__isnull=False)
    assert approved_catalogue_actions.exists()
    assert Referral.objects.filter(idempotency_key__startswith="programme-action-").count() == (
        approved_catalogue_actions.count()
    )
