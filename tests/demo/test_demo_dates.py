"""The demo partnership hangs together: every dated record of a project lies within the project's
period, and a project that ended long ago leaves nothing open (no overdue visit, action,
evaluation, referral or follow-up from 2014 on today's lists)."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from contracts.models import (
    ContractAction,
    ContractEvaluation,
    ContractEvent,
    FamilyProgramme,
    ProgrammeAction,
    Referral,
    SocialContract,
)
from demo.seeders.placements import KALISZ_EMPLOYERS
from families.models import Assessment, Family, NeedsDiagnosis, Visit
from reporting.models import FollowUp, OutcomeEvent, Participation, Placement, Support
from support_network.models import Meeting, Project

# Results after exit are measured up to three months after the participation ends (EFS_RULES.md §4–5),
# so follow-ups and the outcomes they record may come that long after the project's end.
User = get_user_model()
FOLLOW_UP_GRACE = dt.timedelta(days=100)

# (model, path to the project, date fields, grace after the project's end)
DATED = [
    (Visit, "family__project", ["visit_date", "next_visit_on"], dt.timedelta(0)),
    (NeedsDiagnosis, "family__project", ["diagnosed_on"], dt.timedelta(0)),
    (Assessment, "person__family__project", ["assessed_on"], dt.timedelta(0)),
    (SocialContract, "family__project", ["concluded_on", "signed_on", "period_start", "period_end", "closed_on"],
     dt.timedelta(0)),
    (ContractAction, "contract__family__project", ["deadline", "done_on"], dt.timedelta(0)),
    (ContractEvaluation, "contract__family__project", ["due_on", "held_on"], dt.timedelta(0)),
    (ContractEvent, "contract__family__project", ["on"], dt.timedelta(0)),
    (FamilyProgramme, "family__project", ["period_start", "period_end", "submitted_at"], dt.timedelta(0)),
    (ProgrammeAction, "programme__family__project", ["start_on", "end_on", "done_on"], dt.timedelta(0)),
    (Referral, "person__family__project", ["wished_start", "sent_at", "answer_due", "answered_at", "started_on",
                                           "finished_on"], dt.timedelta(0)),
    (Participation, "project", ["start_date", "end_date"], dt.timedelta(0)),
    (Support, "participation__project", ["start_date", "end_date"], dt.timedelta(0)),
    (OutcomeEvent, "participation__project", ["occurred_on"], FOLLOW_UP_GRACE),
    (FollowUp, "participation__project", ["due_on", "done_on"], FOLLOW_UP_GRACE),
    (Meeting, "team__project", ["starts_at", "next_meeting_at"], dt.timedelta(0)),
]  # fmt: skip

OPEN_REFERRAL = ["draft", "sent", "waiting", "accepted", "in_progress"]
TODAY = dt.datetime(2026, 11, 30, 10, 0, tzinfo=dt.UTC)


def _day(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date()
    return value


def _out_of_period(model, path, fields, grace):
    projects = {p.pk: p for p in Project.objects.all()}
    wrong = []
    for row in model.objects.filter(**{f"{path}__isnull": False}).values("pk", path, *fields):
        project = projects[row[path]]
        for field in fields:
            day = _day(row[field])
            if day is None:
                continue
            if day < project.start_date or (project.end_date and day > project.end_date + grace):
                wrong.append(f"{model.__name__} {row['pk']} {field}={day} ({project.short_name})")
    return wrong


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    with time_machine.travel(TODAY, tick=False):
        call_command("seed_demo", stdout=open("/dev/null", "w"))


@pytest.mark.django_db
def test_every_dated_demo_record_lies_within_its_projects_period(seeded):
    # the check is not vacuous: the demo has rows of each kind with a project
    empty = [m.__name__ for m, path, _f, _g in DATED if not m.objects.filter(**{f"{path}__isnull": False}).exists()]
    assert empty == []
    wrong = []
    for model, path, fields, grace in DATED:
        wrong += _out_of_period(model, path, fields, grace)
    assert wrong == []


@pytest.mark.django_db
def test_projects_that_ended_leave_nothing_open_and_todays_project_has_work_due(seeded):
    ended = Project.objects.filter(end_date__lt=TODAY.date())
    assert ended.exists()
    latest_visits = [f.visits.order_by("-visit_date", "-pk").first() for f in Family.objects.filter(project__in=ended)]
    open_items = {
        "next visits": sum(1 for visit in latest_visits if visit and visit.next_visit_on is not None),
        "contract actions": ContractAction.objects.filter(contract__family__project__in=ended,
                                                          done_on__isnull=True).count(),
        "evaluations": ContractEvaluation.objects.filter(contract__family__project__in=ended,
                                                         held_on__isnull=True).count(),
        "open contracts": SocialContract.objects.filter(family__project__in=ended, closed_on__isnull=True).count(),
        "referrals": Referral.objects.filter(person__family__project__in=ended, status__in=OPEN_REFERRAL).count(),
        "follow-ups": FollowUp.objects.filter(participation__project__in=ended, done_on__isnull=True).count(),
    }  # fmt: skip
    assert open_items == dict.fromkeys(open_items, 0)
    running = Project.objects.filter(start_date__lte=TODAY.date(), end_date__gte=TODAY.date())
    assert running.exists()
    today = TODAY.date()
    next_visits = list(
        Visit.objects.filter(family__project__in=running, next_visit_on__isnull=False).values_list("next_visit_on",
                                                                                                     flat=True)
    )  # fmt: skip
    assert any(day < today for day in next_visits)  # a few overdue
    assert any(today <= day <= today + dt.timedelta(days=14) for day in next_visits)  # and some due soon
    deadlines = ContractAction.objects.filter(contract__family__project__in=running, done_on__isnull=True)
    assert deadlines.exists()


@pytest.mark.django_db
def test_the_demo_shows_public_works_talks_and_supports(seeded):
    kalisz = Placement.objects.filter(support__participation__project__short_name="Razem Skuteczniej")
    assert kalisz.count() == 20 and set(kalisz.values_list("kind", flat=True)) == {"public_works"}
    assert set(kalisz.values_list("employer", flat=True)) == set(KALISZ_EMPLOYERS) and len(KALISZ_EMPLOYERS) == 7
    assert all((p.actual_end - p.actual_start).days > 140 for p in kalisz)  # five months
    jobs = FollowUp.objects.filter(kind="employment_1m", participation__project__short_name="Razem Skuteczniej")
    assert jobs.count() == 20
    assert all(set(f.conversations.values_list("party", flat=True)) == {"employer", "employee"} for f in jobs)
    fachowa = Support.objects.filter(participation__project__short_name="Fachowa siła")
    assert {"poradnictwo zawodowe – PUP Wodzisław Śl.", "reintegracja społeczna – CIS Rybnik"} <= set(
        fachowa.values_list("form_detail", flat=True)
    )
    assert User.objects.get(username="partner.kalisz").membership.institution.short_name == "PUP Kalisz"
