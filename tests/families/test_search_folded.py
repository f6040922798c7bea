"""Searching names without diacritics and case (issue 12 item 9), on SQLite and PostgreSQL alike;
a typo in the surname only on PostgreSQL (pg_trgm). Run with and without DATABASE_URL."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse

from core.text import fold
from families.models import Family, Person
from families.selectors import merge_candidates, possible_duplicates, search_families, search_persons
from families.services import person_merge
from tests.families.factories import FamilyFactory, PersonFactory

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram similarity needs pg_trgm")


@pytest.fixture
def szymanska(family):
    return PersonFactory(family=family, first_name="Elżbieta", last_name="Szymańska")


@pytest.fixture
def second_family(mops, project, team, social_worker):
    return FamilyFactory(
        institution=mops, project=project, team=team, social_worker=social_worker, case_number="FS/2017/002"
    )


def test_fold_lowers_and_removes_polish_diacritics():
    assert fold("  SZYMAŃSKA  Elżbieta ") == "szymanska elzbieta"
    assert fold("Łódź Żółć Ęą Śń") == "lodz zolc ea sn"
    assert fold(None) == ""


@pytest.mark.django_db
def test_search_name_is_kept_on_save_and_update_fields(szymanska):
    assert Person.objects.get(pk=szymanska.pk).search_name == "szymanska elzbieta"
    szymanska.last_name = "Łukasik"
    szymanska.save(update_fields=["last_name"])
    assert Person.objects.get(pk=szymanska.pk).search_name == "lukasik elzbieta"


@pytest.mark.django_db
def test_bulk_create_fills_the_search_name(family):
    (person,) = Person.objects.bulk_create([PersonFactory.build(family=family, first_name="Ąda", last_name="ŻAK")])
    assert Person.objects.get(pk=person.pk).search_name == "zak ada"


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["Szymanska", "SZYMAŃSKA", "szymańska", "ELŻBIETA", "elzbieta szymanska", "SZYM"])
def test_family_search_ignores_case_and_diacritics(szymanska, second_family, text):
    PersonFactory(family=second_family, first_name="Anna", last_name="Nowak")
    assert list(search_families(Family.objects.all(), text)) == [szymanska.family]


@pytest.mark.django_db
def test_every_word_must_match_the_same_person(szymanska, second_family):
    PersonFactory(family=second_family, first_name="Elżbieta", last_name="Nowak")
    assert list(search_families(Family.objects.all(), "elzbieta nowak")) == [second_family]
    assert list(search_families(Family.objects.all(), "Zenon Szymański")) == []


@pytest.mark.django_db
def test_caseload_search_finds_without_diacritics(login, social_worker, szymanska):
    client = login(social_worker)
    response = client.post(reverse("families:caseload"), {"q": "SZYMANSKA"}, follow=True)
    assert list(response.context["page"].object_list) == [szymanska.family]


@pytest.mark.django_db
def test_person_search_ranks_exact_and_prefix_first(family, second_family):
    later = PersonFactory(family=second_family, first_name="Jan", last_name="Kowalski-Szymański")
    first = PersonFactory(family=family, first_name="Jan", last_name="Szymański")
    found = list(search_persons(Person.objects.all(), "szymanski"))
    assert found[:2] == [first, later]


@pytest.mark.django_db
def test_typo_finds_nothing_without_trigrams_but_exact_still_works(szymanska):
    found = list(search_persons(Person.objects.all(), "Szymamska"))
    if connection.vendor == "postgresql":
        assert found == [szymanska]
    else:
        assert found == []
    assert list(search_persons(Person.objects.all(), "szymanska")) == [szymanska]


@postgres_only
@pytest.mark.django_db
def test_one_typo_in_the_surname_finds_the_family_exact_first(szymanska, second_family):
    typo_match = PersonFactory(family=second_family, first_name="Jan", last_name="Szymamska")
    found = list(search_families(Family.objects.all(), "Szymanska"))
    assert found == [szymanska.family, typo_match.family]
    assert list(search_families(Family.objects.all(), "Szymnska")) != []
    assert list(search_families(Family.objects.all(), "Kwiatkowska")) == []


@postgres_only
@pytest.mark.django_db
def test_the_trigram_index_exists():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'families_person_search_name_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition


@pytest.mark.django_db
def test_possible_duplicates_ignore_case_and_diacritics(mops, szymanska):
    found = possible_duplicates(
        institution=mops, first_name="ELZBIETA", last_name="szymanska", birth_date=szymanska.birth_date
    )
    assert list(found) == [szymanska]


@pytest.mark.django_db
def test_merge_candidates_ignore_diacritics_and_can_be_searched(coordinator, szymanska, second_family):
    twin = PersonFactory(
        family=second_family, first_name="ELZBIETA", last_name="SZYMANSKA", birth_date=dt.date(1990, 1, 1)
    )
    other = PersonFactory(family=second_family, first_name="Ela", last_name="Szymańska-Nowak")
    assert list(merge_candidates(coordinator, szymanska)) == [twin]
    assert set(merge_candidates(coordinator, szymanska, q="Szymanska")) == {twin, other}
    assert list(merge_candidates(coordinator, szymanska, q="nowak")) == [other]


@pytest.mark.django_db
def test_merge_page_searches_and_keeps_the_search_for_the_merge(login, coordinator, szymanska, second_family):
    other = PersonFactory(family=second_family, first_name="Ela", last_name="Kowalczyk", pesel="", no_pesel=True,
                          foreign_document_type="passport", foreign_document_number="AB123")  # fmt: skip
    client = login(coordinator)
    url = reverse("families:person_merge", args=[szymanska.pk])
    response = client.post(url, {"q": "KOWALCZYK"})
    assert response.status_code == 302 and "KOWALCZYK" not in response.url
    page = client.get(response.url)
    assert list(page.context["form"].fields["remove"].queryset) == [other]
    merged = client.post(response.url, {"remove": other.pk, "confirm": "on"})
    assert merged.status_code == 302
    szymanska.refresh_from_db()
    assert szymanska.foreign_document_number == "" and szymanska.foreign_document_type == ""
    assert not Person.objects.filter(pk=other.pk).exists()


@pytest.mark.django_db
def test_merge_never_copies_a_foreign_document_onto_a_record_with_a_pesel(coordinator, szymanska, second_family):
    other = PersonFactory(family=second_family, first_name="Elżbieta", last_name="Szymańska", pesel="",
                          no_pesel=True, foreign_document_type="passport", foreign_document_number="ZZ999",
                          phone="600100200")  # fmt: skip
    person_merge(keep=szymanska, remove=other, by=coordinator)
    szymanska.refresh_from_db()
    assert (szymanska.foreign_document_type, szymanska.foreign_document_number) == ("", "")
    assert szymanska.phone == "600100200"  # other empty fields are still filled
