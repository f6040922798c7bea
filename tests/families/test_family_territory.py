"""Issue 14 item 2: the family's gmina is chosen from the TERYT register."""

import pytest
from django.urls import reverse

from families.forms import FamilyForm
from families.models import Family
from tests.families.test_forms import _family_post

pytestmark = pytest.mark.django_db


def test_choosing_a_gmina_fills_its_name_from_the_register(login, social_worker, team, project):
    data = _family_post(social_worker, team, project=project.pk, gmina_teryt="2415041", gmina="")
    response = login(social_worker).post(reverse("families:family_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    family = Family.objects.get()
    assert (family.gmina_teryt, family.gmina) == ("2415041", "Wodzisław Śląski")


def test_a_code_not_in_the_register_is_refused(login, social_worker, team, project):
    data = _family_post(social_worker, team, project=project.pk, gmina_teryt="2415049")
    response = login(social_worker).post(reverse("families:family_create"), data)
    assert response.status_code == 200
    assert "nie ma w rejestrze TERYT" in response.content.decode()
    assert not Family.objects.exists()


def test_a_unique_gmina_name_typed_in_the_picker_is_taken(social_worker, team, project):
    form = FamilyForm(_family_post(social_worker, team, project=project.pk, gmina_teryt="Wodzisław Śląski",
                                   gmina=""), user=social_worker)  # fmt: skip
    assert form.is_valid(), form.errors
    assert form.cleaned_data["gmina_teryt"] == "2415041"


def test_the_family_form_renders_the_searchable_picker(social_worker):
    html = str(FamilyForm(user=social_worker)["gmina_teryt"])
    assert 'list="id_gmina_teryt-options"' in html and "<datalist" in html
    assert 'hx-get="/siec/teryt/gminy/"' in html
