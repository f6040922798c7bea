"""The family's change history as a person would write it (issue 12 item 6)."""

import datetime as dt

import pytest
from django.urls import reverse

from families.codes import Answer, LabourStatus
from families.history import change_history
from families.models import FamilyStatus
from tests.families.factories import PersonFactory


def _lines(history):
    return [
        (entry.action, entry.object_label, [(c.label, c.old, c.new, c.hidden) for c in entry.changes])
        for entry in history
    ]


@pytest.mark.django_db
def test_an_update_shows_labels_and_values_as_on_the_page(family, head, coordinator):
    family.status = FamilyStatus.CLOSED
    family.closed_on = dt.date(2024, 3, 5)
    family.closed_reason = "Przeprowadzka"
    family.intergenerational_poverty = True
    family.save()
    head.labour_status = LabourStatus.EMPLOYED
    head.save()
    entries = change_history(family)
    family_change = next(e for e in entries if e.object_label == "" and e.action == "zmieniono")
    changes = {c.label: (c.old, c.new) for c in family_change.changes}
    assert changes["status"][1] == "zamknięta"
    assert changes["data zamknięcia"] == ("", "05.03.2024")
    assert changes["zdiagnozowane dziedziczenie ubóstwa"] == ("nie", "tak")
    assert "lock_version" not in changes and "ID" not in changes and "id" not in changes
    person_change = next(e for e in entries if e.object_label.startswith("Osoba"))
    assert [c.label for c in person_change.changes] == ["status na rynku pracy"]
    assert person_change.changes[0].new == str(LabourStatus.EMPLOYED.label)


@pytest.mark.django_db
def test_a_new_record_lists_its_values_without_technical_fields(family, head):
    created = [e for e in change_history(family) if e.action == "utworzono" and e.object_label == f"Osoba: {head}"]
    assert created
    labels = {c.label for c in created[0].changes}
    assert "imię" in labels and "data urodzenia" in labels
    assert not labels & {"ID", "id", "lock_version", "search_name", "pesel_hash", "rodzina"}
    birth = next(c for c in created[0].changes if c.label == "data urodzenia")
    assert birth.new == head.birth_date.strftime("%d.%m.%Y")


@pytest.mark.django_db
def test_foreign_keys_show_their_names_and_masked_fields_are_hidden(family, head, social_worker, other_worker):
    family.social_worker = other_worker
    family.save()
    head.disability = Answer.YES
    head.pesel = PersonFactory.build(birth_date=head.birth_date).pesel
    head.save()
    entries = change_history(family)
    worker = next(c for e in entries for c in e.changes if c.label == "pracownik socjalny")
    assert worker.old == (social_worker.get_full_name() or social_worker.username)
    assert worker.new == (other_worker.get_full_name() or other_worker.username)
    hidden = {c.label: c for e in entries[:1] for c in e.changes}
    assert hidden["niepełnosprawność"].hidden and hidden["PESEL"].hidden
    assert head.pesel not in str(_lines(entries))


@pytest.mark.django_db
def test_the_page_shows_no_audit_noise(login, coordinator, family, head):
    head.first_name = "Marianna"
    head.save()
    html = login(coordinator).get(reverse("families:family_detail", args=[family.pk])).content.decode()
    assert "Imię: Maria → Marianna" in html
    for noise in ("None", "ID:", "lock_version", "families.", "search_name"):
        assert noise not in html.split('id="history-h"')[1]


@pytest.mark.django_db
@pytest.mark.parametrize("n", [1, 25])
def test_history_query_count_is_constant(family, social_worker, other_worker, n, django_assert_max_num_queries):
    for i in range(n):
        person = PersonFactory(family=family)
        person.first_name = f"Imię{i}"
        person.save()
        family.social_worker = other_worker if i % 2 else social_worker
        family.area = f"Obszar {i}"
        family.save()
    # its own entries, its members' entries, then users, institutions, projects, teams
    with django_assert_max_num_queries(6):
        history = change_history(family)
    assert len(history) >= n
