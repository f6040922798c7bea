import pytest
from django.core.management import call_command
from django.db.models import Count

from families.models import Assessment, Family, Person, Visit
from families.pesel import validate_pesel
from families.selectors import caseload
from support_network.models import Project


@pytest.fixture
def seeded(settings, db):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))


def _families(short_name):
    return Family.objects.filter(project=Project.objects.get(short_name=short_name))


@pytest.mark.django_db
def test_demo_families_per_project(seeded):
    wilchwy = _families("Fachowa siła")
    assert wilchwy.count() == 12 and set(wilchwy.values_list("area", flat=True)) == {"Wilchwy"}
    assert all(set(f.members.values_list("generation", flat=True)) == {1, 2, 3} for f in wilchwy)
    assert set(wilchwy.values_list("social_worker__username", "team__name", "institution__short_name")) == {
        ("pracownik", "Zespół pracowników socjalnych – Wilchwy", "MOPS Wodzisław Śl.")
    }
    assert _families("Schematom STOP!").filter(team__name="MGI Turek", social_worker__username="mgi").count() == 10
    kalisz = _families("Razem Skuteczniej").annotate(n=Count("members"))
    assert kalisz.count() == 20 and set(kalisz.values_list("n", flat=True)) == {1}
    assert _families("KIS Sochaczew").filter(social_worker__username="pracownik.sochaczew").count() == 15


@pytest.mark.django_db
def test_demo_persons_have_valid_unique_pesels_and_casework(seeded):
    pesels = list(Person.objects.values_list("pesel", flat=True))
    for pesel in pesels:
        validate_pesel(pesel)
    assert len(pesels) == len(set(pesels))
    assert not Family.objects.annotate(v=Count("visits")).filter(v=0).exists()
    assert not Family.objects.annotate(d=Count("diagnoses")).filter(d=0).exists()
    kalisz = Person.objects.filter(family__project__short_name="Razem Skuteczniej")
    assert Assessment.objects.filter(person__in=kalisz).values("kind").distinct().count() == 2
    assert Assessment.objects.filter(person__in=kalisz).count() == 40
    assert Visit.objects.exists()


@pytest.mark.django_db
def test_demo_caseload_has_a_few_overdue_visits(seeded):
    from django.contrib.auth import get_user_model

    worker = get_user_model().objects.get(username="pracownik")
    rows = caseload(worker)
    assert rows.count() == 12 + 4  # Wilchwy in Fachowa siła (ended 2019) and in today's project
    overdue = rows.filter(is_overdue=True)
    assert 1 <= overdue.count() <= 4
    assert set(overdue.values_list("project__short_name", flat=True)) == {"Wilchwy – kontynuacja"}
