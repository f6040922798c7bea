"""Rule sets per project (issue 14 item 7): a project outside EFS 2014–2020 keeps participants,
outcomes and supports and shows plain counts instead of SL2014 indicators and KES/KEZ."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from contracts.models import ReferralAttendance, ReferralStatus
from families.codes import Sex
from reporting.codes import OutcomeKind
from reporting.rulesets import RULE_SETS, engine_for, project_table
from reporting.rulesets.base import RuleSetEngine
from reporting.rulesets.plain import PlainTable
from reporting.selectors.indicators import IndicatorReport
from reporting.services.reports import report_pdf_bytes
from support_network.models import RuleSet
from tests.contracts.referral_factories import ReferralFactory
from tests.families.factories import PersonFactory
from tests.reporting import fixtures_indicators as fx
from tests.reporting.factories_indicators import OutcomeEventFactory, ParticipationFactory, employment

FROM, TO = dt.date(2018, 1, 1), dt.date(2018, 12, 31)
pytestmark = pytest.mark.django_db


@pytest.fixture
def plain_project(project):
    project.rule_set = RuleSet.NO_EFS_2014
    project.save(update_fields=["rule_set"])
    return project


def attend(person, held_on, hours):
    recorder = get_user_model().objects.get_or_create(username="obecnosci")[0]
    referral = ReferralFactory(person=person, created_by=recorder, status=ReferralStatus.IN_PROGRESS)
    return ReferralAttendance.objects.create(referral=referral, held_on=held_on, hours=Decimal(hours),
                                             recorded_by=recorder)  # fmt: skip


def test_every_rule_set_of_a_project_has_an_engine():
    assert set(RULE_SETS) == set(RuleSet.values)
    assert all(issubclass(engine, RuleSetEngine) and engine.key == key for key, engine in RULE_SETS.items())


def test_a_project_reports_by_the_efs_2014_rules_unless_it_says_otherwise(project):
    assert project.rule_set == RuleSet.EFS_2014_INCLUSION
    assert isinstance(project_table(project, date_from=FROM, date_to=TO), IndicatorReport)


def test_plain_counts_of_participants_outcomes_and_supports_by_sex(plain_project):
    woman = PersonFactory()
    k = ParticipationFactory(project=plain_project, person=woman, start_date=dt.date(2018, 3, 1),
                             end_date=dt.date(2018, 9, 30), at_risk=None, education="")  # fmt: skip
    m = ParticipationFactory(project=plain_project, sex=Sex.MALE, start_date=dt.date(2017, 6, 1))
    ParticipationFactory(project=plain_project, start_date=dt.date(2019, 1, 1))  # after the period
    employment(k, dt.date(2018, 10, 1))
    OutcomeEventFactory(participation=m, kind=OutcomeKind.QUALIFICATION, occurred_on=dt.date(2017, 12, 1))
    OutcomeEventFactory(participation=m, kind=OutcomeKind.QUALIFICATION, occurred_on=dt.date(2017, 5, 1))  # pre-start
    attend(woman, dt.date(2018, 3, 5), "12")
    attend(woman, dt.date(2018, 4, 5), "2.5")
    attend(woman, dt.date(2018, 2, 1), "7")  # before her start: not support in the project
    attend(PersonFactory(), dt.date(2018, 3, 5), "9")  # a person without a participation: never counts
    man = PersonFactory()
    ParticipationFactory(project=plain_project, person=man, sex=Sex.MALE, start_date=dt.date(2017, 1, 1))
    attend(man, dt.date(2016, 12, 1), "3")  # before the project's start: no support
    table = project_table(plain_project, date_from=FROM, date_to=TO)
    assert isinstance(table, PlainTable)
    participants = table.get("PARTICIPANTS")
    assert (participants.period.K, participants.period.M, participants.period.total) == (1, 0, 1)
    assert (participants.cumulative.K, participants.cumulative.M, participants.cumulative.total) == (1, 2, 3)
    assert table.get("ENDED").period.total == 1
    assert table.get("OUTCOME_EMPLOYMENT").period.K == 1
    assert (table.get("OUTCOME_QUALIFICATION").period.total, table.get("OUTCOME_QUALIFICATION").cumulative.M) == (0, 1)
    assert table.get("SUPPORTED").period.K == 1
    hours = table.get("HOURS")
    assert (hours.period.K, hours.period.M, hours.cumulative.total) == (Decimal("14.5"), 0, Decimal("14.5"))
    assert table.data_gaps == []  # at-risk and education are not needed by plain counts


def test_a_plain_project_shows_no_sl2014_indicators_on_its_pages(plain_project, manager, login):
    ParticipationFactory(project=plain_project, start_date=dt.date(2018, 3, 1))
    client = login(manager)
    query = {"from": FROM.isoformat(), "to": TO.isoformat()}
    page = client.get(reverse("reporting:indicators", args=[plain_project.pk]), query).content.decode()
    assert "Uczestnicy (rozpoczęli udział)" in page and 'data-value="PARTICIPANTS-period">1<' in page
    assert "OUT_AROPE" not in page and "KEZ_DISABLED" not in page and "Efektywność społeczna" not in page
    assert reverse("reporting:indicator_settings", args=[plain_project.pk]) not in page  # no targets to set
    dashboard = client.get(reverse("reporting:dashboard", args=[plain_project.pk])).content.decode()
    assert "Uczestnicy (rozpoczęli udział)" in dashboard
    assert "OUT_AROPE" not in dashboard and "KEZ_DISABLED" not in dashboard
    drill = client.get(reverse("reporting:indicator_drilldown", args=[plain_project.pk, "PARTICIPANTS", "period"]),
                       query)  # fmt: skip
    assert drill.status_code == 200
    missing = client.get(reverse("reporting:indicator_drilldown", args=[plain_project.pk, "OUT_AROPE", "period"]))
    assert missing.status_code == 404


def test_a_plain_project_pdf_and_command_show_plain_counts(plain_project, tmp_path):
    ParticipationFactory(project=plain_project, start_date=dt.date(2018, 3, 1))
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(report_pdf_bytes(project=plain_project, date_from=FROM, date_to=TO))
    text = fx.pdf_text(Path(pdf))
    assert "Uczestnicy (rozpoczęli udział)" in text and "OUT_AROPE" not in text and "KEZ_DISABLED" not in text
    out = StringIO()
    call_command("indicators", "--project", plain_project.agreement_number, "--from", "2018-01-01",
                 "--to", "2018-12-31", stdout=out)  # fmt: skip
    data = json.loads(out.getvalue())
    assert data["rule_set"] == "no_efs2014" and data["PARTICIPANTS"]["period"]["total"] == 1
    assert "OUT_AROPE" not in data


def test_the_engine_follows_the_project(plain_project):
    assert engine_for(plain_project).key == RuleSet.NO_EFS_2014
