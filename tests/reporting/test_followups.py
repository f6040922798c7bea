import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from core.errors import DomainError
from reporting.dates import add_months, effectiveness_window_end, result_window_end
from reporting.models import FollowUp, FollowUpKind, FollowUpReminder
from reporting.services import followups as services
from reporting.services.participation import participation_record_exit
from reporting.tasks import send_followup_reminders
from tests.reporting.factories import ParticipationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2018, 1, 31), 3, dt.date(2018, 4, 30)),
        (dt.date(2018, 11, 30), 3, dt.date(2019, 2, 28)),
        (dt.date(2019, 11, 30), 3, dt.date(2020, 2, 29)),
        (dt.date(2018, 10, 31), 3, dt.date(2019, 1, 31)),
        (dt.date(2018, 1, 31), 1, dt.date(2018, 2, 28)),
        (dt.date(2018, 3, 15), 1, dt.date(2018, 4, 15)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_day_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_windows_end_on_day_28_and_on_the_same_day_three_months_later():
    assert result_window_end(dt.date(2018, 1, 31)) == dt.date(2018, 2, 28)
    assert effectiveness_window_end(dt.date(2018, 1, 31)) == dt.date(2018, 4, 30)


@pytest.fixture
def ended(project, manager):
    participation = ParticipationFactory(project=project, start_date=dt.date(2017, 10, 1))
    participation_record_exit(participation=participation, end_date=dt.date(2018, 1, 31), completed_as_planned=True,
                              by=manager, today=dt.date(2018, 2, 1))  # fmt: skip
    return participation


def followups_page(client, user):
    client.force_login(user, backend="support_network.backends.StaffBackend")  # a fresh session at the new time
    response = client.get(reverse("reporting:followups"))
    return response.context["overdue"], response.context["due"]


def test_4_week_follow_up_is_due_on_day_28_and_overdue_on_day_29(login, manager, ended):
    client = login(manager)
    with time_machine.travel(dt.datetime(2018, 2, 28, 10, 0), tick=False):  # end + 28 days
        overdue, due = followups_page(client, manager)
        assert [f.kind for f in due] == [FollowUpKind.RESULT_4W] and overdue == []
    with time_machine.travel(dt.datetime(2018, 3, 1, 10, 0), tick=False):  # end + 29 days
        overdue, due = followups_page(client, manager)
        assert [f.kind for f in overdue] == [FollowUpKind.RESULT_4W]


def test_3_month_follow_up_after_31_january_is_due_on_30_april(login, manager, ended):
    client = login(manager)
    with time_machine.travel(dt.datetime(2018, 4, 30, 10, 0), tick=False):
        overdue, due = followups_page(client, manager)
        assert [f.kind for f in due] == [FollowUpKind.EFFECTIVENESS_3M]
    with time_machine.travel(dt.datetime(2018, 5, 1, 10, 0), tick=False):
        overdue, _due = followups_page(client, manager)
        assert FollowUpKind.EFFECTIVENESS_3M in [f.kind for f in overdue]


def test_follow_ups_further_than_a_week_ahead_are_not_listed(login, manager, ended):
    with time_machine.travel(dt.datetime(2018, 2, 20, 10, 0), tick=False):  # 8 days before day 28
        overdue, due = followups_page(login(manager), manager)
    assert overdue == [] and due == []


def test_completing_a_follow_up_once_then_a_clear_conflict(manager, ended):
    followup = FollowUp.objects.get(participation=ended, kind=FollowUpKind.RESULT_4W)
    services.followup_complete(followup=followup, done_on=dt.date(2018, 2, 20), note="pracuje od 15.02",
                               by=manager)  # fmt: skip
    followup.refresh_from_db()
    assert followup.done_on == dt.date(2018, 2, 20) and followup.done_by == manager
    with pytest.raises(DomainError) as exc:
        services.followup_complete(followup=followup, done_on=dt.date(2018, 2, 21), note="drugi raz", by=manager)
    assert exc.value.conflict


def test_completing_needs_a_note_and_a_date_not_in_the_future(manager, ended):
    from django.core.exceptions import ValidationError

    followup = FollowUp.objects.get(participation=ended, kind=FollowUpKind.RESULT_4W)
    with pytest.raises(ValidationError):
        services.followup_complete(followup=followup, done_on=dt.date(2018, 2, 20), note=" ", by=manager)
    with pytest.raises(ValidationError):
        services.followup_complete(followup=followup, done_on=dt.date(2099, 1, 1), note="x", by=manager)


def test_done_page_marks_it_and_a_coordinator_cannot(login, manager, coordinator, ended):
    followup = FollowUp.objects.get(participation=ended, kind=FollowUpKind.RESULT_4W)
    url = reverse("reporting:followup_done", args=[followup.pk])
    assert login(coordinator).post(url, {"done_on": "2018-02-20", "note": "x"}).status_code == 403
    assert login(manager).post(url, {"done_on": "2018-02-20", "note": "rozmowa telefoniczna"}).status_code == 302
    followup.refresh_from_db()
    assert followup.done_on == dt.date(2018, 2, 20)


def test_reminders_go_once_a_day_to_each_manager_without_names(settings, manager, ended, other_project):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(dt.datetime(2018, 3, 5, 7, 0), tick=False):
        assert send_followup_reminders() == 1
        assert send_followup_reminders() == 0  # idempotent: a second run the same day sends nothing
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [manager.email] and "1 po terminie" in message.subject
    assert ended.last_name not in message.body and ended.pesel not in message.body
    assert f"nr {ended.pk}" in message.body
    reminder = FollowUpReminder.objects.get()
    assert (reminder.overdue_count, reminder.due_count) == (1, 0)
    with time_machine.travel(dt.datetime(2018, 3, 6, 7, 0), tick=False):
        assert send_followup_reminders() == 1  # the next day again


def test_no_reminder_when_nothing_is_due(settings, manager, project):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    ParticipationFactory(project=project)
    assert send_followup_reminders() == 0 and mail.outbox == []


def test_beat_schedule_runs_the_reminders_daily(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reporting-followup-reminders"]
    assert entry["task"] == "reporting.tasks.send_followup_reminders"
