"""The load generator (`generate_load_data`, demo/loadgen) makes an office's data as it is on the day
it runs: every kind of row the benchmark's pages show, dates spread around today (not everything
overdue, not everything finished), and the EFS records inside their projects' periods."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Max, Min
from django.utils import timezone

from contracts.models import (
    GroupEnrolment,
    GroupSession,
    ProgrammeEvent,
    ProgrammeVersion,
    Referral,
    ReferralAttendance,
    ReferralEvent,
    ReferralOutcome,
    ReferralStatus,
    SessionAttendance,
    SessionGroup,
)
from demo.loadgen import generate
from demo.loadgen.base import LOAD_PREFIX
from demo.loadgen.copy import build
from demo.loadgen.indexes import FOREIGN_KEYS, INDEXES
from families.models import Assessment, AssessmentScore, Family, NeedsDiagnosis, Visit
from reporting.models import OutcomeEvent, OutcomeProposal, Participation, ProposalStatus, Support, SupportSource
from support_network.models import Institution, Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def load():
    generate.run(scale="S", seed=2024, reuse=False, log=lambda *args: None)
    return Project.objects.filter(agreement_number__startswith=LOAD_PREFIX)


def test_every_kind_of_row_the_pages_show_is_made(load):
    for model in (NeedsDiagnosis, Assessment, AssessmentScore, ProgrammeVersion, ProgrammeEvent, SessionGroup,
                  GroupSession, GroupEnrolment, SessionAttendance, ReferralAttendance, ReferralEvent, ReferralOutcome,
                  OutcomeProposal, OutcomeEvent, LogEntry):  # fmt: skip
        assert model.objects.exists(), model.__name__
    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    assert set(Support.objects.values_list("source", flat=True)) == {SupportSource.MANUAL, SupportSource.REFERRAL}
    assert set(OutcomeProposal.objects.values_list("status", flat=True)) == set(ProposalStatus.values)
    assert (
        SessionAttendance.objects.filter(referral_attendance__isnull=False).count() == SessionAttendance.objects.count()
    )
    confirmed = OutcomeProposal.objects.filter(status=ProposalStatus.CONFIRMED)
    assert not confirmed.filter(event__isnull=True).exists()


def test_dates_are_spread_around_today(load):
    today = timezone.localdate()
    families = Family.objects.filter(case_number__startswith=LOAD_PREFIX)
    assert families.filter(next_visit_due__lt=today).exists()  # some visits overdue ...
    assert families.filter(next_visit_due__gte=today).count() > families.count() / 2  # ... most not
    assert Visit.objects.aggregate(last=Max("visit_date"))["last"] <= today
    sent = Referral.objects.filter(status=ReferralStatus.SENT)
    assert sent.filter(answer_due__lt=today).exists() and sent.filter(answer_due__gte=today).exists()
    sessions = GroupSession.objects.all()
    assert sessions.filter(held_on__lt=today).exists() and sessions.filter(held_on__gt=today).exists()
    assert not SessionAttendance.objects.filter(session__held_on__gt=today).exists()
    assert not ReferralAttendance.objects.filter(held_on__gt=today).exists()
    assert OutcomeProposal.objects.aggregate(last=Max("recorded_at"))["last"].date() <= today


def test_efs_records_lie_inside_their_projects_periods(load):
    today = timezone.localdate()
    for project in load:
        assert project.start_date <= today <= project.end_date
        participations = Participation.objects.filter(project=project)
        span = participations.aggregate(first=Min("start_date"), last=Max("end_date"))
        assert project.start_date <= span["first"] and span["last"] < today
        supports = Support.objects.filter(participation__project=project).aggregate(first=Min("start_date"),
                                                                                     last=Max("end_date"))  # fmt: skip
        assert project.start_date <= supports["first"] and supports["last"] <= today
        for participation in participations.exclude(end_date=None)[:50]:
            assert participation.start_date <= participation.end_date
    groups = GroupSession.objects.filter(group__project__in=load).select_related("group__project")
    assert all(s.group.project.start_date <= s.held_on <= s.group.project.end_date for s in groups)
    for assessment in Assessment.objects.select_related("person")[:50]:
        participation = Participation.objects.get(person=assessment.person)
        assert participation.project.start_date <= assessment.assessed_on <= today


def test_a_second_run_with_reuse_changes_nothing(load):
    before = generate.counts()
    assert generate.run(scale="S", seed=2024, reuse=True, log=lambda *args: None) == before


def _schema() -> list:
    tables = [model._meta.db_table for model in generate.LOADED]
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                       "WHERE indrelid = ANY(%s::regclass[]) ORDER BY 1", [tables])  # fmt: skip
        indexes = cursor.fetchall()
        cursor.execute(FOREIGN_KEYS, [tables])
        return indexes + cursor.fetchall()


def test_the_indexes_and_foreign_keys_set_aside_during_the_load_are_back_as_they_were():
    before = _schema()
    with connection.cursor() as cursor:
        cursor.execute(INDEXES, [[model._meta.db_table for model in generate.LOADED]])
        assert len(cursor.fetchall()) > 50  # the loaded tables' secondary indexes, dropped during the load
    generate.run(scale="S", seed=2024, reuse=False, log=lambda *args: None)
    assert _schema() == before


def test_build_makes_what_the_model_class_makes():
    institution, worker = Institution(pk=7, name="MOPS"), get_user_model()(pk=3, username="w")
    values = dict(institution=institution, case_number="LOAD/1", social_worker=worker, team_id=None, street="ul. Polna")
    built, made = build(Family, **values), Family(**values)
    assert {k: v for k, v in built.__dict__.items() if k != "_state"} == {
        k: v for k, v in made.__dict__.items() if k != "_state"
    }
    assert built.institution is institution and built.social_worker_id == 3 and built._state.adding
    with pytest.raises(TypeError):
        build(Family, no_such_field=1)
