"""Scoping of EVERY families/ view: in scope -> the page; another institution, partner staff and the
administrator -> 404 on objects (never a 403 that confirms the family exists), 403 on role pages;
read-only roles -> 403 on writes."""

import pytest
from django.urls import URLPattern, reverse

from families import urls as family_urls
from families.models import Visit

READ, WRITE, MERGE = "read", "write", "merge"
OBJECT_VIEWS = {
    "family_detail": ("family", READ),
    "family_edit": ("family", WRITE),
    "person_create": ("family", WRITE),
    "visit_create": ("family", WRITE),
    "diagnosis_create": ("family", WRITE),
    "person_detail": ("person", READ),
    "person_edit": ("person", WRITE),
    "assessment_create": ("person", WRITE),
    "person_merge": ("person", MERGE),
}
PAGE_VIEWS = {"caseload": "caseload", "family_create": "casework", "generation_hint": "casework"}

IN_SCOPE = {
    "social_worker": {READ: 200, WRITE: 200, MERGE: 403},
    "colleague": {READ: 200, WRITE: 200, MERGE: 403},
    "mgi_member": {READ: 200, WRITE: 200, MERGE: 403},
    "coordinator": {READ: 200, WRITE: 403, MERGE: 200},
    "manager": {READ: 200, WRITE: 403, MERGE: 403},
    "auditor": {READ: 200, WRITE: 403, MERGE: 403},
}
OUT_OF_SCOPE = ["other_worker", "other_coordinator", "partner", "administrator"]
PAGE_ACCESS = {
    "caseload": {"social_worker", "colleague", "mgi_member", "coordinator", "manager", "auditor", "other_worker",
                 "other_coordinator"},
    "casework": {"social_worker", "colleague", "mgi_member", "other_worker"},
}  # fmt: skip
ALL_USERS = [*IN_SCOPE, *OUT_OF_SCOPE]


def test_every_families_url_is_covered_by_the_scoping_tests():
    names = {p.name for p in family_urls.urlpatterns if isinstance(p, URLPattern)}
    assert names == set(OBJECT_VIEWS) | set(PAGE_VIEWS)


def _url(name, family, head):
    target, _ = OBJECT_VIEWS[name]
    return reverse(f"families:{name}", args=[family.pk if target == "family" else head.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(OBJECT_VIEWS))
@pytest.mark.parametrize("who", ALL_USERS)
def test_object_views_answer_by_scope_and_role(request, login, family, head, other_family, name, who):
    user = request.getfixturevalue(who)
    response = login(user).get(_url(name, family, head))
    _, kind = OBJECT_VIEWS[name]
    expected = IN_SCOPE[who][kind] if who in IN_SCOPE else 404
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(n for n, (_, kind) in OBJECT_VIEWS.items() if kind != READ))
@pytest.mark.parametrize("who", OUT_OF_SCOPE)
def test_posting_to_a_family_out_of_scope_answers_404_and_saves_nothing(request, login, family, head, name, who):
    user = request.getfixturevalue(who)
    response = login(user).post(_url(name, family, head), {"visit_date": "2020-01-01", "kind": "home"})
    assert response.status_code == 404
    assert not Visit.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGE_VIEWS))
@pytest.mark.parametrize("who", ALL_USERS)
def test_role_pages_answer_403_to_other_roles(request, login, family, name, who):
    user = request.getfixturevalue(who)
    response = login(user).get(reverse(f"families:{name}"), {"relation": "child"})
    assert response.status_code == (200 if who in PAGE_ACCESS[PAGE_VIEWS[name]] else 403)


@pytest.mark.django_db
def test_generation_hint_for_a_family_of_another_institution_is_404(login, other_worker, family):
    response = login(other_worker).get(reverse("families:generation_hint"), {"family": family.pk, "relation": "child"})
    assert response.status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(OBJECT_VIEWS))
def test_anonymous_visitor_is_sent_to_login(client, family, head, name):
    response = client.get(_url(name, family, head))
    assert response.status_code == 302 and "/konto/logowanie/" in response["Location"]


@pytest.mark.django_db
def test_partner_caseload_is_forbidden_and_lists_nothing(login, partner, family):
    response = login(partner).get(reverse("families:caseload"))
    assert response.status_code == 403
    assert b"FS/2017/001" not in response.content


@pytest.mark.django_db
def test_expired_auditor_sees_no_family(login, auditor, family):
    import datetime as dt

    auditor.membership.valid_until = dt.date.today() - dt.timedelta(days=1)
    auditor.membership.save()
    assert login(auditor).get(reverse("families:family_detail", args=[family.pk])).status_code == 404
