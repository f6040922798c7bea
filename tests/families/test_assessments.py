import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from families.models import Assessment, AssessmentKind, AssessmentScore
from tests.families.factories import make_assessment, social_competences


def _url(person):
    return reverse("families:assessment_create", args=[person.pk])


def _post(instrument, kind, day, scores):
    data = {"instrument": instrument.pk, "kind": kind, "assessed_on": day}
    for dimension, score in zip(instrument.dimensions.all(), scores, strict=True):
        data[f"dim_{dimension.pk}"] = score
    return data


@pytest.mark.django_db
def test_the_seeded_instrument_has_six_dimensions():
    instrument = social_competences()
    assert instrument.name == "Kwestionariusz kompetencji społecznych"
    assert [d.name for d in instrument.dimensions.all()] == [
        "komunikacja", "współpraca", "rozwiązywanie problemów", "samodzielność", "motywacja do pracy",
        "radzenie sobie ze stresem",
    ]  # fmt: skip


@pytest.mark.django_db
def test_entry_then_exit_assessment_with_one_score_per_dimension(login, social_worker, head):
    instrument = social_competences()
    client = login(social_worker)
    assert client.post(_url(head), _post(instrument, "entry", "2024-01-10", [2, 2, 3, 1, 2, 3])).status_code == 302
    assert client.post(_url(head), _post(instrument, "exit", "2024-06-10", [4, 3, 3, 3, 4, 4])).status_code == 302
    assert AssessmentScore.objects.filter(assessment__person=head).count() == 12


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "day", "scores", "field"),
    [
        ("entry", "2024-01-10", [2, 2, 3, 1, 2, 6], "dim"),
        ("entry", "2024-01-10", [2, 2, 3, 1, 2, 0], "dim"),
        ("entry", "2999-01-10", [2, 2, 3, 1, 2, 3], "assessed_on"),
        ("exit", "2024-01-10", [2, 2, 3, 1, 2, 3], "kind"),
    ],
)
def test_invalid_assessment_saves_nothing(login, social_worker, head, kind, day, scores, field):
    instrument = social_competences()
    response = login(social_worker).post(_url(head), _post(instrument, kind, day, scores))
    assert response.status_code == 200
    assert any(name.startswith(field) for name in response.context["form"].errors)
    assert not Assessment.objects.exists()


@pytest.mark.django_db
def test_exit_before_entry_is_refused(login, social_worker, head):
    instrument = social_competences()
    make_assessment(head, AssessmentKind.ENTRY, [2] * 6, day=dt.date(2024, 3, 1))
    response = login(social_worker).post(_url(head), _post(instrument, "exit", "2024-02-01", [3] * 6))
    assert "wcześniejsza niż wejściowa" in " ".join(response.context["form"].errors["assessed_on"])


@pytest.mark.django_db
def test_second_entry_assessment_is_refused(login, social_worker, head):
    instrument = social_competences()
    make_assessment(head, AssessmentKind.ENTRY, [2] * 6)
    response = login(social_worker).post(_url(head), _post(instrument, "entry", "2024-02-01", [3] * 6))
    assert "kind" in response.context["form"].errors
    assert Assessment.objects.count() == 1


@pytest.mark.django_db
def test_person_page_shows_entry_and_exit_side_by_side_with_a_chart(login, coordinator, head):
    make_assessment(head, AssessmentKind.ENTRY, [1, 2, 3, 2, 1, 2], day=dt.date(2017, 3, 10))
    make_assessment(head, AssessmentKind.EXIT, [3, 3, 4, 4, 3, 3], day=dt.date(2017, 11, 20))
    response = login(coordinator).get(reverse("families:person_detail", args=[head.pk]))
    comparison, chart = response.context["comparisons"][0]
    assert [(row[1], row[2], row[3]) for row in comparison.rows][:2] == [(1, 3, 2), (2, 3, 1)]
    html = response.content.decode()
    assert "<svg" in html and "ocena wejściowa" in html and "ocena końcowa" in html
    assert "10.03.2017" in html and "20.11.2017" in html and "+2" in html


@pytest.mark.django_db
def test_without_exit_assessment_no_chart_yet(login, social_worker, head):
    make_assessment(head, AssessmentKind.ENTRY, [2] * 6)
    response = login(social_worker).get(reverse("families:person_detail", args=[head.pk]))
    assert response.context["comparisons"][0][1] is None
    assert "<svg" not in response.content.decode()


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.text(max_size=20), day=st.text(max_size=20), score=st.text(max_size=5), instrument=st.text(max_size=8))
def test_assessment_form_never_answers_500(login, social_worker, head, kind, day, score, instrument):
    social_competences()
    data = {"kind": kind, "assessed_on": day, "instrument": instrument}
    data.update({f"dim_{i}": score for i in range(1, 40)})
    response = login(social_worker).post(_url(head), data)
    assert response.status_code in (200, 302, 404)
    if response.status_code != 302:
        assert not Assessment.objects.exists()
