import datetime as dt
import io

import pytest
from django.core.management import call_command

from demo.seeders import reporting as demo
from families.codes import LabourStatus
from reporting.models import FollowUp, IndicatorTarget, OutcomeEvent, Participation
from reporting.rulesets import project_table
from reporting.rulesets.plain import PlainTable
from support_network.models import Project, RuleSet
from tests.families.factories import FamilyFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=io.StringIO())


def test_kalisz_has_20_long_term_unemployed_who_all_took_a_job_on_an_employment_contract(seeded):
    kalisz = Project.objects.get(agreement_number=demo.KALISZ)
    participations = Participation.objects.filter(project=kalisz)
    assert participations.count() == 20 and all(p.is_frozen and p.end_date for p in participations)
    jobs = OutcomeEvent.objects.filter(
        participation__project=kalisz, kind="employment", employment_form="umowa_o_prace"
    )
    assert jobs.values("participation").distinct().count() == 20
    assert FollowUp.objects.filter(participation__project=kalisz, kind="employment_1m").count() == 20


def test_sochaczew_has_15_inactive_participants_with_progress_and_data_gaps(seeded):
    sochaczew = Project.objects.get(agreement_number=demo.SOCHACZEW)
    participations = Participation.objects.filter(project=sochaczew)
    assert participations.count() == 15
    assert set(participations.values_list("labour_status", flat=True)) == {LabourStatus.INACTIVE}
    assert participations.filter(education="").count() == 2  # data gaps
    kinds = set(OutcomeEvent.objects.filter(participation__project=sochaczew).values_list("kind", flat=True))
    assert kinds >= {"social_progress", "job_seeking", "qualification", "employment"}


def test_every_demo_project_has_indicator_targets(seeded):
    for number in demo.TARGETS:
        assert IndicatorTarget.objects.filter(project__agreement_number=number, code="OUT_AROPE").exists()


def test_members_of_the_projects_families_are_enrolled_idempotently(seeded):
    fachowa = Project.objects.get(agreement_number=demo.FACHOWA)
    family = FamilyFactory(project=fachowa, institution=fachowa.leader)
    adults = [PersonFactory(family=family, birth_date=dt.date(1970 + i, 5, 1)) for i in range(3)]
    PersonFactory(family=family, birth_date=dt.date(2012, 1, 1))  # a child: not enrolled
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    enrolled = Participation.objects.filter(project=fachowa, person__in=adults)
    assert enrolled.count() == 3 and all(p.is_frozen and p.at_risk for p in enrolled)
    assert not Participation.objects.filter(project=fachowa, person__family=family).exclude(person__in=adults).exists()


def test_every_demo_participation_has_its_address_from_the_teryt_register(seeded):
    """Issue 14 item 2: Powiat and DEGURBA were empty in all 101 demo rows."""
    participations = Participation.objects.all()
    assert participations.count() >= 100
    assert not participations.filter(county="").exists()
    assert not participations.filter(degurba="").exists()
    assert not participations.filter(gmina_teryt="").exists()
    kalisz = participations.filter(project__agreement_number=demo.KALISZ).first()
    assert (kalisz.voivodeship, kalisz.county, kalisz.gmina, kalisz.gmina_teryt) == (
        "wielkopolskie", "Kalisz", "Kalisz", "3061011")  # fmt: skip
    wodzislaw = participations.filter(gmina_teryt="2415041").first()
    assert (wodzislaw.voivodeship, wodzislaw.county) == ("śląskie", "wodzisławski")


def test_razem_skuteczniej_and_kis_sochaczew_report_plain_counts_not_sl2014(seeded):
    for number in (demo.KALISZ, demo.SOCHACZEW):
        assert Project.objects.get(agreement_number=number).rule_set == RuleSet.NO_EFS_2014
    assert Project.objects.get(agreement_number=demo.FACHOWA).rule_set == RuleSet.EFS_2014_INCLUSION
    sochaczew = Project.objects.get(agreement_number=demo.SOCHACZEW)
    table = project_table(sochaczew, date_from=sochaczew.start_date, date_to=sochaczew.end_date)
    assert isinstance(table, PlainTable) and table.get("PARTICIPANTS").cumulative.total == 15
