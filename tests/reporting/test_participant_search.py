"""The participant list's search ignores case and diacritics (issue 12 item 9), on both databases."""

import pytest

from reporting.models import Participation
from reporting.selectors.participants import participant_list
from tests.reporting.factories import ParticipationFactory


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["szymanska", "SZYMAŃSKA", "Elzbieta", "ELŻBIETA szymańska"])
def test_participant_search_ignores_case_and_diacritics(manager, project, text):
    found = ParticipationFactory(project=project, first_name="Elżbieta", last_name="Szymańska")
    ParticipationFactory(project=project, first_name="Anna", last_name="Nowak")
    assert list(participant_list(manager, project, q=text)) == [found]


@pytest.mark.django_db
def test_search_name_follows_a_changed_name(project):
    row = ParticipationFactory(project=project, first_name="Jan", last_name="Łaski")
    assert Participation.objects.get(pk=row.pk).search_name == "laski jan"
    row.last_name = "Żuk"
    row.save(update_fields=["last_name"])
    assert Participation.objects.get(pk=row.pk).search_name == "zuk jan"
