import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from families.codes import Answer
from families.models import FamilyStatus
from families.selectors import caseload
from tests.families.factories import FamilyFactory, PersonFactory, VisitFactory

URL = reverse("families:caseload")


def _families(n, *, mops, project, team, social_worker, visits=2, members=3):
    families = []
    for _ in range(n):
        family = FamilyFactory(institution=mops, project=project, team=team, social_worker=social_worker)
        for _ in range(members):
            PersonFactory(family=family)
        for v in range(visits):
            VisitFactory(family=family, author=social_worker, visit_date=dt.date(2024, 1, 1) + dt.timedelta(days=v))
        families.append(family)
    return families


@pytest.mark.django_db
def test_next_visit_due_comes_from_the_latest_visit(social_worker, family):
    VisitFactory(
        family=family, author=social_worker, visit_date=dt.date(2024, 3, 1), next_visit_on=dt.date(2024, 3, 20)
    )
    VisitFactory(
        family=family, author=social_worker, visit_date=dt.date(2024, 3, 10), next_visit_on=dt.date(2024, 4, 2)
    )
    row = caseload(social_worker, today=dt.date(2024, 3, 25)).get(pk=family.pk)
    assert row.next_visit_due == dt.date(2024, 4, 2)
    assert row.last_visit_on == dt.date(2024, 3, 10)
    assert row.member_count == 3
    assert row.head_name == "Wilk Maria"
    assert row.is_overdue is False


@pytest.mark.django_db
@pytest.mark.parametrize(("today", "overdue"), [("2024-04-02", False), ("2024-04-03", True)])
def test_a_visit_is_overdue_from_the_day_after_the_agreed_date(login, social_worker, family, today, overdue):
    VisitFactory(
        family=family, author=social_worker, visit_date=dt.date(2024, 3, 10), next_visit_on=dt.date(2024, 4, 2)
    )
    with time_machine.travel(dt.datetime.fromisoformat(f"{today}T12:00:00+02:00"), tick=False):
        response = login(social_worker).get(URL)
        only_overdue = login(social_worker).get(URL, {"overdue": "on"})
    assert (b"zaleg\xc5\x82a</span>" in response.content) is overdue
    assert (b"FS/2017/001" in only_overdue.content) is overdue


@pytest.mark.django_db
def test_closed_family_is_never_overdue_and_hidden_by_default(login, social_worker, family):
    VisitFactory(family=family, author=social_worker, visit_date=dt.date(2020, 1, 1), next_visit_on=dt.date(2020, 1, 2))
    family.status, family.closed_on, family.closed_reason = FamilyStatus.CLOSED, dt.date(2021, 1, 1), "Cel osiągnięty"
    family.save()
    assert not caseload(social_worker).get(pk=family.pk).is_overdue
    assert b"FS/2017/001" not in login(social_worker).get(URL).content
    assert b"FS/2017/001" in login(social_worker).get(URL, {"status": "closed"}).content


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["Wilk", "wilk maria", "FS/2017", "Kacper"])
def test_search_by_name_or_case_number(login, social_worker, family, other_family, query):
    FamilyFactory(institution=family.institution, social_worker=social_worker, case_number="INNA/1")
    content = login(social_worker).post(URL, {"q": query}, follow=True).content  # the search is POSTed
    assert b"FS/2017/001" in content
    assert b"INNA/1" not in content


@pytest.mark.django_db
def test_search_by_pesel_finds_the_family(login, social_worker, family, head):
    FamilyFactory(institution=family.institution, social_worker=social_worker, case_number="INNA/1")
    content = login(social_worker).post(URL, {"q": head.pesel}, follow=True).content
    assert b"FS/2017/001" in content and b"INNA/1" not in content


@pytest.mark.django_db
def test_search_never_matches_or_shows_sensitive_answers(login, social_worker, family, head):
    head.disability = Answer.YES
    head.addiction = Answer.YES
    head.save()
    response = login(social_worker).post(URL, {"q": "tak"}, follow=True)
    assert b"FS/2017/001" not in response.content
    page = login(social_worker).get(URL).content.decode()
    for word in ("niepełnosprawn", "uzależni", "przemoc", "Tak<"):
        assert word not in page


@pytest.mark.django_db
def test_filters_by_project_status_and_area(login, social_worker, family, mops, team):
    FamilyFactory(institution=mops, team=team, social_worker=social_worker, case_number="X/1", area="Centrum")
    client = login(social_worker)
    assert b"X/1" not in client.get(URL, {"area": "Wilchwy"}).content
    assert b"X/1" in client.get(URL, {"area": "Centrum"}).content
    assert b"X/1" not in client.get(URL, {"project": family.project_id}).content
    assert b"FS/2017/001" in client.get(URL, {"project": family.project_id}).content
    assert b"FS/2017/001" not in client.get(URL, {"status": "candidate"}).content


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"project": "abc"}, {"status": "zzz"}, {"strona": "-1"}, {"q": "\x00" * 3}])
def test_bad_filter_input_never_answers_500(login, social_worker, family, params):
    assert login(social_worker).get(URL, params, follow=True).status_code == 200


@pytest.mark.django_db
def test_colleague_sees_team_families_and_other_mops_does_not(login, colleague, other_worker, family):
    assert b"FS/2017/001" in login(colleague).get(URL).content
    assert b"FS/2017/001" not in login(other_worker).get(URL).content


@pytest.mark.django_db
def test_coordinator_sees_project_families_read_only(login, coordinator, family):
    content = login(coordinator).get(URL).content
    assert b"FS/2017/001" in content
    assert reverse("families:visit_create", args=[family.pk]).encode() not in content


@pytest.mark.django_db
def test_caseload_paginates_25_per_page(login, social_worker, mops, project, team):
    _families(27, mops=mops, project=project, team=team, social_worker=social_worker, visits=0, members=0)
    first = login(social_worker).get(URL)
    assert len(first.context["page"].object_list) == 25
    assert len(login(social_worker).get(URL, {"strona": 2}).context["page"].object_list) == 2


@pytest.mark.django_db
def test_each_row_links_to_a_one_screen_visit_form(login, social_worker, family):
    content = login(social_worker).get(URL).content
    assert reverse("families:visit_create", args=[family.pk]).encode() in content


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 30])
def test_caseload_runs_a_constant_number_of_queries(login, social_worker, mops, project, team, n,
                                                    django_assert_max_num_queries):  # fmt: skip
    _families(n, mops=mops, project=project, team=team, social_worker=social_worker)
    client = login(social_worker)
    client.get(URL)  # warm caches (session, content types)
    searched = client.post(URL, {"q": "Kowalska"})["Location"]  # the search is POSTed, then shown by token
    with django_assert_max_num_queries(12):
        response = client.get(searched)
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["social_worker", "coordinator"])
def test_the_area_filter_offers_each_area_of_the_scope_once_in_order(request, social_worker, mops, project, team,
                                                                     other_mops, other_worker, who):  # fmt: skip
    from families.access import families_visible_to
    from families.filters import areas_of

    for area in ("Śródmieście", "Centrum", "", "Centrum", "Wilchwy"):
        FamilyFactory(institution=mops, project=project, team=team, social_worker=social_worker, area=area)
    FamilyFactory(institution=other_mops, social_worker=other_worker, area="Obce")
    scope = families_visible_to(request.getfixturevalue(who))
    plain = list(scope.exclude(area="").order_by("area").values_list("area", flat=True).distinct())
    assert areas_of(scope) == plain
    assert "Obce" not in plain and "" not in plain and plain.count("Centrum") == 1


@pytest.mark.django_db
def test_caseload_lists_overdue_families_first_then_by_date_due(login, social_worker, mops, project, team):
    today = dt.date(2024, 5, 10)
    dates = {"C": dt.date(2024, 6, 1), "A": dt.date(2024, 4, 1), "D": None, "B": dt.date(2024, 5, 9)}
    for case, due in dates.items():
        family = FamilyFactory(institution=mops, project=project, team=team, social_worker=social_worker,
                               case_number=case)  # fmt: skip
        if due:
            VisitFactory(family=family, author=social_worker, visit_date=dt.date(2024, 3, 1), next_visit_on=due)
    rows = list(caseload(social_worker, today=today))
    assert [f.case_number for f in rows] == ["A", "B", "C", "D"]
    assert [bool(f.is_overdue) for f in rows] == [True, True, False, False]


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 30])
def test_coordinators_caseload_runs_a_constant_number_of_queries(login, coordinator, social_worker, mops, project,
                                                                 team, n, django_assert_max_num_queries):  # fmt: skip
    _families(n, mops=mops, project=project, team=team, social_worker=social_worker)
    client = login(coordinator)
    client.get(URL)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
