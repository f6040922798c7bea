"""Support forms of a participation (the SL2014 "Rodzaj przyznanego wsparcia" columns): entered and
corrected by the project's manager on the participation page, checked against its dates."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.errors import DomainError
from reporting.models import Support, SupportSource
from reporting.services.supports import support_add, support_delete, support_update
from tests.reporting.factories import ParticipationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def participation(project):
    return ParticipationFactory(project=project, start_date=dt.date(2017, 3, 1), end_date=dt.date(2017, 9, 30),
                                completed_as_planned=True)  # fmt: skip


def test_the_manager_adds_a_support_on_the_page_and_sees_it_there(login, manager, participation):
    client = login(manager)
    response = client.post(reverse("reporting:support_add", args=[participation.pk]), {
        "form": "szkolenie/kurs", "form_detail": "kurs zawodowy", "start_date": "2017-03-01",
        "end_date": "31.05.2017"})  # fmt: skip
    assert response.status_code == 302
    support = Support.objects.get()
    assert (support.form, support.end_date, support.source, support.created_by) == (
        "szkolenie/kurs", dt.date(2017, 5, 31), SupportSource.MANUAL, manager)  # fmt: skip
    page = client.get(reverse("reporting:participant_detail", args=[participation.pk])).content.decode()
    assert "szkolenie/kurs" in page and "kurs zawodowy" in page and "01.03.2017 – 31.05.2017" in page


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"form": "", "start_date": dt.date(2017, 3, 1)}, "form", "Podaj rodzaj przyznanego wsparcia."),
        ({"form": "kurs", "start_date": dt.date(2017, 2, 28)}, "start_date", "przed rozpoczęciem udziału"),
        ({"form": "kurs", "start_date": dt.date(2017, 10, 1)}, "start_date", "po zakończeniu udziału"),
        ({"form": "kurs", "start_date": dt.date(2017, 4, 1), "end_date": dt.date(2017, 3, 31)}, "end_date",
         "wcześniejsza niż data rozpoczęcia"),
        ({"form": "kurs", "start_date": dt.date(2017, 4, 1), "end_date": dt.date(2017, 10, 1)}, "end_date",
         "po zakończeniu udziału"),
        ({"form": "kurs\x00", "start_date": dt.date(2017, 4, 1)}, "form", "znaki sterujące"),
    ],
)  # fmt: skip
def test_a_support_outside_the_participation_or_without_a_form_is_refused(manager, participation, values, field,
                                                                          message):  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        support_add(participation=participation, values=values, by=manager)
    assert message in exc.value.message_dict[field][0]
    assert not Support.objects.exists()


def test_only_the_project_manager_writes_supports(participation, auditor, coordinator):
    for user in (auditor, coordinator):
        with pytest.raises(DomainError):
            support_add(participation=participation, values={"form": "kurs", "start_date": dt.date(2017, 3, 1)},
                        by=user)  # fmt: skip
    assert not Support.objects.exists()


def test_an_edit_of_a_support_changed_in_the_meantime_is_a_conflict_on_the_page(login, manager, participation):
    support = support_add(participation=participation, values={"form": "kurs", "start_date": dt.date(2017, 3, 1)},
                          by=manager)  # fmt: skip
    read_at = support.updated_at.isoformat()
    support_update(support=support, values={"form": "kurs B", "start_date": dt.date(2017, 3, 2)}, read_at=read_at,
                   by=manager)  # fmt: skip
    response = login(manager).post(reverse("reporting:support_edit", args=[participation.pk, support.pk]), {
        "form": "kurs C", "start_date": "2017-03-03", "read_at": read_at})  # fmt: skip
    assert response.status_code == 409 and "w międzyczasie" in response.content.decode()
    assert Support.objects.get().form == "kurs B"


def test_a_support_of_another_participation_is_not_found(login, manager, participation, project):
    other = ParticipationFactory(project=project)
    support = support_add(participation=other, values={"form": "kurs", "start_date": other.start_date}, by=manager)
    url = reverse("reporting:support_edit", args=[participation.pk, support.pk])
    assert login(manager).get(url).status_code == 404


def test_deleting_a_support_twice_is_a_conflict(manager, participation):
    support = support_add(participation=participation, values={"form": "kurs", "start_date": dt.date(2017, 3, 1)},
                          by=manager)  # fmt: skip
    support_delete(support=support, by=manager)
    with pytest.raises(DomainError):
        support_delete(support=support, by=manager)
