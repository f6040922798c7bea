import pytest
from django.apps import apps
from django.core.management import call_command

from support_network.models import Project


def snapshot():
    return {
        model._meta.label: sorted(model.objects.values_list("pk", flat=True))
        for model in apps.get_models()
        if model._meta.app_label in {"support_network", "families", "contracts", "reporting", "auth"}
        and model._meta.model_name not in {"permission"}
    }


@pytest.mark.django_db
def test_seed_demo_twice_gives_the_same_rows(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    first = snapshot()
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    assert snapshot() == first
    assert sum(len(v) for v in first.values()) > 0


@pytest.mark.django_db
def test_seed_demo_loads_the_four_projects_with_their_facts(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    fachowa = Project.objects.get(agreement_number="POWR.04.01.00-IZ.00-00-004/16")
    assert fachowa.title == "Fachowa siła przyszłością dla rodziny"
    assert str(fachowa.total_value) == "904150.00" and str(fachowa.eu_cofinancing) == "876150.00"
    assert {i.short_name for i in fachowa.institutions()} == {"MOPS Wodzisław Śl.", "CIS Rybnik", "PUP Wodzisław Śl."}
    turek = Project.objects.get(short_name="Schematom STOP!")
    assert turek.leader.short_name == "PUP Turek"
    assert {t.kind for t in turek.teams.all()} == {"pzkw", "mgi"}
    assert Project.objects.get(short_name="Razem Skuteczniej").participants_target == 20
    assert Project.objects.get(short_name="KIS Sochaczew").participants_target == 15


@pytest.mark.django_db
def test_seed_demo_without_debug_sets_no_demo_password(settings):
    from django.contrib.auth import get_user_model

    settings.DEBUG = False
    call_command("seed_demo", stdout=open("/dev/null", "w"))
    user = get_user_model().objects.get(username="pracownik")
    assert not user.check_password(settings.DEMO_PASSWORD)
