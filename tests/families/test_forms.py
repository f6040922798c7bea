"""What people type: a clear message by the field, nothing saved, never a 500."""

import datetime as dt

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.crypto import keyed_hash
from families.codes import Generation, Relation, Sex
from families.models import Family, FamilyReason, NeedsDiagnosis, Person, Visit
from families.pesel import make_pesel

FAMILY_OK = {
    "status": "active",
    "street": "ul. Wilchwiańska",
    "building": "5",
    "postal_code": "44-304",
    "locality": "Wodzisław Śląski",
    "gmina": "Wodzisław Śląski",
    "area": "Wilchwy",
    "reasons": ["1", "4"],
    "primary_reason": "4",
}


def _family_post(worker, default_team, **changes):
    data = {**FAMILY_OK, "social_worker": worker.pk, "team": default_team.pk, **changes}
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.django_db
def test_social_worker_creates_a_family_with_several_reasons_and_one_primary(login, social_worker, team, project):
    response = login(social_worker).post(
        reverse("families:family_create"), _family_post(social_worker, team, project=project.pk, gmina_teryt="2415041")
    )
    family = Family.objects.get()
    assert response.status_code == 302
    assert family.case_number == f"RS/{dt.date.today().year}/001"  # from the register, not typed
    assert family.institution == social_worker.membership.institution
    assert {(r.code, r.is_primary) for r in family.reasons.all()} == {("1", False), ("4", True)}


@pytest.mark.django_db
def test_primary_reason_is_added_to_the_reasons_when_not_ticked(login, social_worker, team):
    login(social_worker).post(reverse("families:family_create"), _family_post(social_worker, team, reasons=["1"]))
    assert set(FamilyReason.objects.values_list("code", "is_primary")) == {("1", False), ("4", True)}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"postal_code": "44300"}, "postal_code", "NN-NNN"),
        ({"gmina_teryt": "24150"}, "gmina_teryt", "7 cyfr"),
        ({"primary_reason": ""}, "primary_reason", ""),
        ({"status": "closed"}, "closed_on", "Podaj datę zamknięcia"),
        ({"status": "closed", "closed_on": "2024-02-30"}, "closed_on", ""),
        ({"status": "closed", "closed_on": "2999-01-01", "closed_reason": "x"}, "closed_on", "przyszłości"),
    ],
)
def test_invalid_family_data_gets_a_message_by_the_field(login, social_worker, team, changes, field, message):
    response = login(social_worker).post(
        reverse("families:family_create"), _family_post(social_worker, team, **changes)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert not Family.objects.exists() and not FamilyReason.objects.exists()


@pytest.mark.django_db
def test_a_typed_case_number_is_ignored_and_the_register_gives_the_next_free_one(login, social_worker, team, family):
    year = dt.date.today().year
    family.case_number = f"RS/{year}/001"  # a number carried over from paper: the register skips it
    family.save(update_fields=["case_number"])
    response = login(social_worker).post(
        reverse("families:family_create"), _family_post(social_worker, team, case_number="MOJ/1")
    )
    assert response.status_code == 302
    assert not Family.objects.filter(case_number="MOJ/1").exists()
    assert Family.objects.filter(case_number=f"RS/{year}/002").exists()


@pytest.mark.django_db
def test_family_assigned_to_someone_else_must_stay_in_my_team(login, social_worker, colleague, team):
    response = login(social_worker).post(
        reverse("families:family_create"), _family_post(social_worker, team, social_worker=colleague.pk, team=None)
    )
    assert "team" in response.context["form"].errors
    assert not Family.objects.exists()


@pytest.mark.django_db
def test_editing_a_family_can_close_it_with_date_and_reason(login, social_worker, team, family):
    data = _family_post(
        social_worker, team, status="closed", closed_on="2024-05-01",
        closed_reason="Usamodzielnienie rodziny",
    )  # fmt: skip
    data["lock_version"] = family.lock_version  # the version the edit was read at
    assert login(social_worker).post(reverse("families:family_edit", args=[family.pk]), data).status_code == 302
    family.refresh_from_db()
    assert family.status == "closed" and family.closed_on == dt.date(2024, 5, 1)
    assert family.case_number == "FS/2017/001"  # an existing number stays


# --- persons -----------------------------------------------------------------------------------

PERSON_OK = {"first_name": "Zofia", "last_name": "Wilk", "relation": "child", "generation": ""}


def _person_url(family):
    return reverse("families:person_create", args=[family.pk])


@pytest.mark.django_db
def test_birth_date_sex_and_generation_come_from_pesel_and_relation(login, social_worker, family):
    pesel = make_pesel(dt.date(2010, 6, 7), 123, Sex.FEMALE)
    response = login(social_worker).post(_person_url(family), {**PERSON_OK, "pesel": pesel})
    assert response.status_code == 302
    person = Person.objects.get(pesel_hash=keyed_hash(pesel))
    assert person.birth_date == dt.date(2010, 6, 7) and person.sex == Sex.FEMALE
    assert person.generation == Generation.CHILDREN


@pytest.mark.django_db
def test_generation_prefilled_from_relation_can_be_changed(login, social_worker, family):
    pesel = make_pesel(dt.date(1990, 6, 7), 124, Sex.MALE)
    login(social_worker).post(
        _person_url(family), {**PERSON_OK, "pesel": pesel, "relation": "other", "generation": "1"}
    )
    assert Person.objects.get(pesel_hash=keyed_hash(pesel)).generation == Generation.GRANDPARENTS


@pytest.mark.django_db
def test_generation_hint_follows_the_relation(login, social_worker, family):
    response = login(social_worker).get(
        reverse("families:generation_hint"), {"family": family.pk, "relation": Relation.GRANDCHILD}
    )
    assert b'<option value="3" selected>' in response.content


@pytest.mark.django_db
def test_brak_pesel_needs_a_foreign_document_and_a_birth_date(login, social_worker, family):
    url = _person_url(family)
    response = login(social_worker).post(url, {**PERSON_OK, "no_pesel": "on"})
    errors = response.context["form"].errors
    assert {"birth_date", "sex", "foreign_document_type", "foreign_document_number"} <= set(errors)
    response = login(social_worker).post(
        url,
        {**PERSON_OK, "no_pesel": "on", "birth_date": "1995-02-03", "sex": "K", "foreign_document_type": "passport",
         "foreign_document_number": "UA123456"},
    )  # fmt: skip
    assert response.status_code == 302
    person = Person.objects.get(foreign_document_number="UA123456")
    assert person.pesel == "" and person.birth_date == dt.date(1995, 2, 3)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"pesel": "44051401358"}, "pesel", "cyfra kontrolna"),
        ({"pesel": "4405140135"}, "pesel", "11 cyfr"),
        ({"pesel": "44053201359"}, "pesel", ""),
        ({"pesel": "٤٤٠٥١٤٠١٣٥٩"}, "pesel", "11 cyfr"),
        ({"pesel": ""}, "pesel", "Brak PESEL"),
        ({"no_pesel": "on", "birth_date": "2999-01-01", "sex": "K"}, "birth_date", "przyszłości"),
        ({"no_pesel": "on", "birth_date": "1850-01-01", "sex": "K"}, "birth_date", "1900"),
        ({"no_pesel": "on", "birth_date": "2001-02-29", "sex": "K"}, "birth_date", ""),
        ({"pesel": "44051401359", "labour_status": "employed", "labour_status_detail": "learning"},
         "labour_status_detail", "nie pasuje"),
        ({"pesel": "44051401359", "pup_registered_on": "2999-01-01"}, "pup_registered_on", "przyszłości"),
    ],
)  # fmt: skip
def test_invalid_person_data_gets_a_message_by_the_field(login, social_worker, family, changes, field, message):
    before = Person.objects.count()
    response = login(social_worker).post(_person_url(family), {**PERSON_OK, **changes})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert Person.objects.count() == before


# --- visits and diagnoses ----------------------------------------------------------------------


def _visit_url(family):
    return reverse("families:visit_create", args=[family.pk])


@pytest.mark.django_db
def test_logging_a_visit_takes_one_post(login, social_worker, family, head):
    response = login(social_worker).post(
        _visit_url(family),
        {"visit_date": "2024-03-01", "visit_time": "10:30", "kind": "home", "duration_minutes": "45",
         "persons_present": [head.pk], "notes": "Rozmowa", "next_steps": "PUP", "next_visit_on": "2024-03-15"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == reverse("families:family_detail", args=[family.pk])
    visit = Visit.objects.get()
    assert visit.author == social_worker and list(visit.persons_present.all()) == [head]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"next_visit_on": "2024-02-28"}, "next_visit_on", "nie może być wcześniejszy"),
        ({"visit_date": "2999-01-01"}, "visit_date", "przyszłości"),
        ({"visit_date": "2024-02-30"}, "visit_date", ""),
        ({"visit_date": "1999-12-31"}, "visit_date", "2000"),
        ({"duration_minutes": "0"}, "duration_minutes", ""),
        ({"duration_minutes": "99999"}, "duration_minutes", ""),
        ({"visit_time": "25:61"}, "visit_time", ""),
        ({"kind": "teleport"}, "kind", ""),
    ],
)
def test_invalid_visit_gets_a_message_by_the_field_and_saves_nothing(
    login, social_worker, family, changes, field, message
):
    data = {"visit_date": "2024-03-01", "kind": "home", **changes}
    response = login(social_worker).post(_visit_url(family), data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_persons_present_must_be_members_of_the_family(login, social_worker, family, other_family):
    stranger = other_family.members.get()
    response = login(social_worker).post(
        _visit_url(family), {"visit_date": "2024-03-01", "kind": "home", "persons_present": [stranger.pk]}
    )
    assert "persons_present" in response.context["form"].errors
    assert not Visit.objects.exists()


@pytest.mark.django_db
def test_diagnosis_of_one_member_or_the_whole_family(login, social_worker, family, head):
    url = reverse("families:diagnosis_create", args=[family.pk])
    base = {"diagnosed_on": "2024-01-10", "problems": "Bezrobocie", "needs": "Doradca zawodowy",
            "expectations": "Najpierw prawnik"}  # fmt: skip
    assert login(social_worker).post(url, base).status_code == 302
    assert login(social_worker).post(url, {**base, "person": head.pk}).status_code == 302
    assert [d.person_id for d in NeedsDiagnosis.objects.order_by("pk")] == [None, head.pk]
    response = login(social_worker).post(url, {**base, "diagnosed_on": "2999-01-01"})
    assert "przyszłości" in " ".join(response.context["form"].errors["diagnosed_on"])
    assert NeedsDiagnosis.objects.count() == 2


# --- hypothesis: no input answers 500, nothing half-saved --------------------------------------

text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=50),
    st.just("\x00"),
    st.just("a" * 5000),
    st.sampled_from(["2024-02-30", "0000-00-00", "9999-12-31", "0001-01-01", "-1", "1e9", "  ", "<script>"]),
)
HYPO = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _counts():
    return (Family.objects.count(), FamilyReason.objects.count(), Person.objects.count(), Visit.objects.count(),
            NeedsDiagnosis.objects.count())  # fmt: skip


@pytest.mark.django_db
@HYPO
@given(
    data=st.fixed_dictionaries(
        {
            k: text
            for k in (
                "case_number",
                "postal_code",
                "gmina_teryt",
                "closed_on",
                "status",
                "primary_reason",
                "locality",
                "project",
            )
        }
    )
)
def test_family_form_never_answers_500(login, social_worker, team, data):  # fmt: skip
    before = _counts()
    response = login(social_worker).post(
        reverse("families:family_create"), {**_family_post(social_worker, team), **data}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _counts() == before


@pytest.mark.django_db
@HYPO
@given(data=st.fixed_dictionaries({k: text for k in ("first_name", "pesel", "birth_date", "sex", "relation",
                                                      "generation", "labour_status", "pup_registered_on", "email")}),
       no_pesel=st.booleans())  # fmt: skip
def test_person_form_never_answers_500(login, social_worker, family, data, no_pesel):
    before = _counts()
    post = {**PERSON_OK, **data}
    if no_pesel:
        post["no_pesel"] = "on"
    response = login(social_worker).post(_person_url(family), post)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _counts() == before


@pytest.mark.django_db
@HYPO
@given(
    data=st.fixed_dictionaries(
        {
            k: text
            for k in (
                "visit_date",
                "visit_time",
                "kind",
                "duration_minutes",
                "notes",
                "next_visit_on",
                "persons_present",
            )
        }
    )
)
def test_visit_form_never_answers_500(login, social_worker, family, data):  # fmt: skip
    before = _counts()
    response = login(social_worker).post(_visit_url(family), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _counts() == before


@pytest.mark.django_db
@HYPO
@given(data=st.fixed_dictionaries({k: text for k in ("diagnosed_on", "problems", "needs", "person")}))
def test_diagnosis_form_never_answers_500(login, social_worker, family, data):
    before = _counts()
    response = login(social_worker).post(reverse("families:diagnosis_create", args=[family.pk]), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert _counts() == before


@pytest.mark.django_db
def test_an_edit_never_changes_the_case_number(social_worker, family):
    from families.services import family_update

    family_update(
        family=family, data={"case_number": "INNY/1", "street": "Nowa"}, reasons=["1"], primary_reason="1",
        by=social_worker, lock_version=family.lock_version,
    )  # fmt: skip
    family.refresh_from_db()
    assert family.case_number == "FS/2017/001" and family.street == "Nowa"
