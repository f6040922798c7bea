import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from families.codes import Answer, Relation
from families.models import AssessmentKind, Family, Person
from families.timeline import family_timeline, person_timeline
from tests.families.factories import DiagnosisFactory, PersonFactory, VisitFactory, make_assessment


def _url(family):
    return reverse("families:family_detail", args=[family.pk])


@pytest.mark.django_db
def test_family_page_draws_three_generation_rows(login, social_worker, family):
    response = login(social_worker).get(_url(family))
    tree = response.context["tree"]
    assert [row.generation for row in tree] == [1, 2, 3]
    assert [[m.first_name for m in row.members] for row in tree] == [["Helena"], ["Maria"], ["Kacper"]]
    html = response.content.decode()
    assert 'class="family-tree"' in html and "css/families.css" in html
    assert "style=" not in html


@pytest.mark.django_db
def test_family_timeline_has_visits_diagnoses_and_assessments_newest_first(social_worker, family, head):
    VisitFactory(family=family, author=social_worker, visit_date=dt.date(2024, 1, 5))
    DiagnosisFactory(family=family, author=social_worker, diagnosed_on=dt.date(2024, 2, 1))
    make_assessment(head, AssessmentKind.ENTRY, [2] * 6, day=dt.date(2024, 3, 1))
    entries = family_timeline(family, user=social_worker)
    assert [e.kind for e in entries] == ["assessment", "diagnosis", "visit"]
    assert [e.kind for e in person_timeline(head, user=social_worker)] == ["assessment"]


@pytest.mark.django_db
def test_person_timeline_shows_visits_they_attended(social_worker, family, head):
    visit = VisitFactory(family=family, author=social_worker)
    visit.persons_present.add(head)
    VisitFactory(family=family, author=social_worker)
    assert [e.kind for e in person_timeline(head, user=social_worker)] == ["visit"]


@pytest.mark.django_db
def test_a_newer_diagnosis_keeps_the_old_one_readable(login, social_worker, family):
    DiagnosisFactory(family=family, author=social_worker, diagnosed_on=dt.date(2023, 1, 1), needs="Stara potrzeba")
    DiagnosisFactory(family=family, author=social_worker, diagnosed_on=dt.date(2024, 1, 1), needs="Nowa potrzeba")
    html = login(social_worker).get(_url(family)).content.decode()
    assert html.index("Nowa potrzeba") < html.index("Stara potrzeba")


@pytest.mark.django_db
@pytest.mark.parametrize("model,view", [(Family, "family_detail"), (Person, "person_detail")])
def test_every_view_of_a_record_leaves_an_access_log_entry(login, coordinator, family, head, model, view):
    obj = family if model is Family else head
    login(coordinator).get(reverse(f"families:{view}", args=[obj.pk]))
    login(coordinator).get(reverse(f"families:{view}", args=[obj.pk]))
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=obj.pk, action=LogEntry.Action.ACCESS
    )
    assert entries.count() == 2
    assert entries.first().actor == coordinator


@pytest.mark.django_db
def test_change_history_is_shown_to_coordinators_with_masked_pesel(login, coordinator, social_worker, family, head):
    old_pesel = head.pesel
    head.first_name = "Marianna"
    head.pesel = PersonFactory.build(birth_date=dt.date(1981, 4, 4)).pesel
    head.birth_date = dt.date(1981, 4, 4)
    head.disability = Answer.YES
    head.save()
    family.area = "Centrum"
    family.save()
    coordinator_page = login(coordinator).get(_url(family)).content.decode()
    assert "Marianna" in coordinator_page and "Centrum" in coordinator_page
    assert old_pesel not in coordinator_page and head.pesel not in coordinator_page
    assert "Niepełnosprawność: zmieniono (ukryte)" in coordinator_page
    assert "Historia zmian" not in login(social_worker).get(_url(family)).content.decode()


@pytest.mark.django_db
def test_family_page_never_lists_sensitive_answers(login, social_worker, family, head):
    head.addiction = Answer.YES
    head.save()
    html = login(social_worker).get(_url(family)).content.decode()
    assert "uzależnienie" not in html


def _grow(family, author, n):
    for i in range(n):
        person = PersonFactory(family=family, relation=Relation.CHILD, generation=3)
        visit = VisitFactory(family=family, author=author, visit_date=dt.date(2024, 1, 1) + dt.timedelta(days=i))
        visit.persons_present.add(person)
        DiagnosisFactory(family=family, author=author, person=person)
        make_assessment(person, AssessmentKind.ENTRY, [3] * 6)
        make_assessment(person, AssessmentKind.EXIT, [4] * 6, day=dt.date(2017, 11, 1))


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 20])
@pytest.mark.parametrize("who", ["social_worker", "coordinator"])
def test_family_page_runs_a_constant_number_of_queries(request, login, family, n, who, django_assert_max_num_queries):
    user = request.getfixturevalue(who)
    _grow(family, request.getfixturevalue("social_worker"), n)
    client = login(user)
    client.get(_url(family))
    with django_assert_max_num_queries(20):
        assert client.get(_url(family)).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 20])
def test_person_page_runs_a_constant_number_of_queries(login, social_worker, family, head, n,
                                                       django_assert_max_num_queries):  # fmt: skip
    for i in range(n):
        visit = VisitFactory(family=family, author=social_worker, visit_date=dt.date(2024, 1, 1) + dt.timedelta(days=i))
        visit.persons_present.add(head)
        DiagnosisFactory(family=family, author=social_worker, person=head)
    make_assessment(head, AssessmentKind.ENTRY, [2] * 6)
    make_assessment(head, AssessmentKind.EXIT, [4] * 6, day=dt.date(2017, 11, 1))
    client = login(social_worker)
    url = reverse("families:person_detail", args=[head.pk])
    client.get(url)
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_family_page_shows_the_newest_entries_and_the_older_ones_on_request(login, social_worker, family):
    for i in range(45):
        VisitFactory(family=family, author=social_worker, visit_date=dt.date(2024, 1, 1) + dt.timedelta(days=i))
    whole = family_timeline(family, user=social_worker)
    client = login(social_worker)
    first = client.get(_url(family))
    assert first.context["timeline"] == whole[:20]
    assert "?wpisy=40#timeline-older" in first.content.decode()
    more = client.get(_url(family), {"wpisy": 40})
    assert more.context["timeline"] == whole[:40]
    assert 'id="timeline-older"' in more.content.decode() and "?wpisy=60" in more.content.decode()
    last = client.get(_url(family), {"wpisy": 60})
    assert last.context["timeline"] == whole and "Pokaż starsze" not in last.content.decode()
    assert client.get(_url(family), {"wpisy": "x"}).context["timeline"] == whole[:20]


@pytest.mark.django_db
def test_a_limited_timeline_is_the_start_of_the_whole_one(social_worker, family, head):
    for i in range(12):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=i // 3)
        VisitFactory(family=family, author=social_worker, visit_date=day, visit_time=None if i % 3 else dt.time(9, i))
        DiagnosisFactory(family=family, author=social_worker, diagnosed_on=day)
    make_assessment(head, AssessmentKind.ENTRY, [2] * 6, day=dt.date(2024, 1, 2))
    whole = family_timeline(family, user=social_worker)
    for limit in (1, 5, 10, 30):
        assert family_timeline(family, user=social_worker, limit=limit) == whole[:limit]
