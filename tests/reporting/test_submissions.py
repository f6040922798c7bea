"""Submitted periods (EFS_RULES.md §7, issue 14 item 6): a report marked as submitted with a payment
claim keeps its numbers, gaps and PDF; amendments of the participations it counted name the claim;
the project page reconciles it with today's data; the SL2014 export can take only the participations
new or changed since the last claim."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from families.codes import Education
from reporting.models import ReportRun, ReportStatus, ReportSubmission
from reporting.selectors.submissions import (
    claims_counting,
    participations_changed_since_last_claim,
    reconcile,
)
from reporting.services import participation as participation_services
from reporting.services.reports import report_render, report_request
from reporting.services.submissions import report_submit
from support_network.models import RuleSet
from tests.reporting import fixtures_indicators as fx
from tests.reporting.factories import OutcomeEventFactory, ParticipationFactory

FROM, TO = dt.date(2017, 1, 1), dt.date(2017, 12, 31)
CLAIM_DATE = dt.date(2018, 1, 15)
media = fx.media
pytestmark = pytest.mark.django_db


def rendered_run(project, manager):
    run, _ = report_request(project=project, date_from=FROM, date_to=TO, by=manager)
    report_render(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == ReportStatus.DONE
    return run


def submitted(project, manager, number="WNP/1/2018"):
    run = rendered_run(project, manager)
    return report_submit(run=run, claim_number=number, claim_date=CLAIM_DATE, by=manager)


@pytest.fixture
def two(project):
    first = ParticipationFactory(project=project, start_date=dt.date(2017, 3, 1))
    second = ParticipationFactory(project=project, start_date=dt.date(2017, 4, 1))
    return first, second


def test_a_rendered_report_stores_its_numbers_gaps_and_who_is_behind_each_cell(project, manager, media, two):
    gap = ParticipationFactory(project=project, start_date=dt.date(2017, 5, 1), at_risk=None)
    run = rendered_run(project, manager)
    assert run.snapshot["rule_set"] == "efs2014_inclusion"
    assert run.snapshot["cells"]["OUT_AROPE:period:total"][1] == 2
    assert run.snapshot["members"]["OUT_AROPE:period:total"] == sorted(p.pk for p in two)
    assert [g["id"] for g in run.snapshot["data_gaps"]] == [gap.pk]


def test_a_submitted_report_is_frozen_and_never_recomputed(project, manager, media, two):
    submission = submitted(project, manager)
    run = submission.run
    pdf_before, snapshot_before = run.file.read(), dict(run.snapshot)
    ParticipationFactory(project=project, start_date=dt.date(2017, 6, 1))
    assert report_render(run_id=run.pk) is False  # a done run is never claimed again
    run.refresh_from_db()
    assert run.snapshot == snapshot_before and run.file.open("rb").read() == pdf_before
    assert set(submission.counted.values_list("pk", flat=True)) == {p.pk for p in two}
    assert claims_counting([two[0].pk]) == {two[0].pk: ["WNP/1/2018"]}
    assert LogEntry.objects.get_for_object(submission).filter(action=LogEntry.Action.CREATE).exists()


def test_only_a_done_report_of_the_manager_is_submitted_once_with_a_valid_claim(project, manager, coordinator,
                                                                                 media, two):  # fmt: skip
    run = rendered_run(project, manager)
    with pytest.raises(DomainError):
        report_submit(run=run, claim_number="WNP/1", claim_date=CLAIM_DATE, by=coordinator)
    today = dt.date(2018, 2, 1)
    with pytest.raises(ValidationError) as future:
        report_submit(run=run, claim_number="WNP/1", claim_date=dt.date(2018, 2, 2), by=manager, today=today)
    assert "claim_date" in future.value.message_dict
    with pytest.raises(ValidationError) as early:
        report_submit(run=run, claim_number="WNP/1", claim_date=TO - dt.timedelta(days=1), by=manager)
    assert "claim_date" in early.value.message_dict
    with pytest.raises(ValidationError):
        report_submit(run=run, claim_number="  ", claim_date=CLAIM_DATE, by=manager)
    report_submit(run=run, claim_number="WNP/1", claim_date=TO, by=manager)
    with pytest.raises(DomainError, match="już oznaczony"):
        report_submit(run=run, claim_number="WNP/2", claim_date=CLAIM_DATE, by=manager)
    other = rendered_run(project, manager)
    with pytest.raises(ValidationError, match="o tym numerze"):
        report_submit(run=other, claim_number="WNP/1", claim_date=CLAIM_DATE, by=manager)
    queued, _ = report_request(project=project, date_from=FROM, date_to=dt.date(2017, 6, 30), by=manager)
    with pytest.raises(DomainError, match="gotowy"):
        report_submit(run=queued, claim_number="WNP/3", claim_date=CLAIM_DATE, by=manager)
    assert ReportSubmission.objects.count() == 1


def test_an_amendment_of_a_counted_participation_names_the_claim(project, manager, media, two):
    later = ParticipationFactory(project=project, start_date=dt.date(2018, 2, 1))  # after the period
    submitted(project, manager)
    [amendment] = participation_services.participation_amend(
        participation=two[0], changes={"education": Education.ISCED3}, reason="błąd we wniosku", by=manager
    )
    assert amendment.submitted_claims == "WNP/1/2018"
    [other] = participation_services.participation_amend(
        participation=later, changes={"education": Education.ISCED3}, reason="błąd", by=manager
    )
    assert other.submitted_claims == ""


def test_reconciliation_shows_the_cells_and_participations_that_differ(project, manager, media, two):
    submission = submitted(project, manager)
    assert not reconcile(submission).differs
    newcomer = ParticipationFactory(project=project, start_date=dt.date(2017, 6, 1))  # entered late
    participation_services.participation_amend(
        participation=two[1], changes={"at_risk": None}, reason="brak oświadczenia", by=manager
    )  # leaves every cell, becomes a data gap
    rec = reconcile(submission)
    assert rec.differs and rec.participations == sorted([newcomer.pk, two[1].pk])
    cells = {cell.key: cell for cell in rec.cells}
    arope = cells["OUT_AROPE:period:total"]  # the same number, other people: still a difference
    assert (arope.submitted, arope.today, arope.entered, arope.left) == (2, 2, [newcomer.pk], [two[1].pk])
    unemployed = cells["OUT_UNEMPLOYED:period:M"]
    assert unemployed.entered == [newcomer.pk] and unemployed.left == [two[1].pk]
    assert rec.gaps_added == [two[1].pk] and rec.gaps_removed == []


def test_reconciliation_names_a_changed_cell(project, manager, media, two):
    submission = submitted(project, manager)
    newcomer = ParticipationFactory(project=project, start_date=dt.date(2017, 6, 1))
    cells = {cell.key: cell for cell in reconcile(submission).cells}
    arope = cells["OUT_AROPE:period:total"]
    assert (arope.submitted, arope.today, arope.entered, arope.left) == (2, 3, [newcomer.pk], [])
    assert "OUT_AROPE:period:K" not in cells  # the newcomer is a man: the K cell is unchanged


def test_the_project_page_reconciles_each_submitted_report(project, manager, login, media, two):
    client = login(manager)
    assert 'id="reconciliation"' not in client.get(reverse("reporting:dashboard", args=[project.pk])).content.decode()
    submission = submitted(project, manager)  # shown at once, not after the page cache expires
    page = client.get(reverse("reporting:dashboard", args=[project.pk])).content.decode()
    assert f'data-reconciliation="{submission.pk}-same"' in page
    newcomer = ParticipationFactory(project=project, start_date=dt.date(2017, 6, 1))
    page = client.get(reverse("reporting:dashboard", args=[project.pk])).content.decode()
    assert f'data-reconciliation="{submission.pk}-differs"' in page
    assert 'data-cell="OUT_AROPE:period:total"' in page and f"#{newcomer.pk}" in page
    detail = client.get(reverse("reporting:participant_detail", args=[two[0].pk])).content.decode()
    assert 'id="submitted-claims"' in detail and "WNP/1/2018" in detail


def test_the_manager_marks_a_report_as_submitted_on_its_page(project, manager, coordinator, login, media, two):
    run = rendered_run(project, manager)
    url = reverse("reporting:report_submit", args=[run.pk])
    page = login(manager).get(reverse("reporting:report_detail", args=[run.pk])).content.decode()
    assert 'id="report-submit"' in page
    assert login(coordinator).post(url, {"claim_number": "WNP/1", "claim_date": "2018-01-15"}).status_code == 403
    bad = login(manager).post(url, {"claim_number": "WNP/1", "claim_date": "2017-06-01"})
    assert bad.status_code == 200 and "nie mógł zostać złożony" in bad.content.decode()
    assert not ReportSubmission.objects.exists()
    done = login(manager).post(url, {"claim_number": "WNP/1", "claim_date": "2018-01-15"})
    assert done.status_code == 302 and ReportSubmission.objects.get().run == run
    page = login(manager).get(reverse("reporting:report_detail", args=[run.pk])).content.decode()
    assert 'id="report-submission"' in page and 'id="report-submit"' not in page


def test_new_or_changed_participants_since_the_last_claim(project, manager, media, two):
    untouched = ParticipationFactory(project=project, start_date=dt.date(2017, 5, 1))
    with_outcome = ParticipationFactory(project=project, start_date=dt.date(2017, 5, 2))
    dropped = OutcomeEventFactory(participation=with_outcome)
    deleted_outcome = ParticipationFactory(project=project, start_date=dt.date(2017, 5, 3))
    to_delete = OutcomeEventFactory(participation=deleted_outcome)
    everyone = {*(p.pk for p in two), untouched.pk, with_outcome.pk, deleted_outcome.pk}
    assert set(participations_changed_since_last_claim(project).values_list("pk", flat=True)) == everyone
    submitted(project, manager)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        newcomer = ParticipationFactory(project=project, start_date=dt.date(2018, 1, 2))
        participation_services.participation_amend(
            participation=two[0], changes={"education": Education.ISCED3}, reason="korekta", by=manager
        )
        OutcomeEventFactory(participation=two[1])
        participation_services.outcome_delete(outcome=to_delete, by=manager)
    changed = set(participations_changed_since_last_claim(project).values_list("pk", flat=True))
    assert changed == {newcomer.pk, two[0].pk, two[1].pk, deleted_outcome.pk}
    assert dropped.pk  # an outcome recorded before the claim changes nothing


def test_the_export_offers_only_new_or_changed_participants_since_the_last_claim(project, manager, login, media,
                                                                                 two):  # fmt: skip
    submitted(project, manager)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=5)):
        ParticipationFactory(project=project, start_date=dt.date(2018, 1, 2))
    client = login(manager)
    url = reverse("reporting:participant_export", args=[project.pk])
    assert (
        'id="export-since-claim"'
        in client.get(reverse("reporting:participant_list", args=[project.pk])).content.decode()
    )
    response = client.get(url, {"format": "csv", "zmienione": "1"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2  # the header and the newcomer
    everything = client.get(url, {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(everything.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 4
    assert ReportRun.objects.count() == 1


def test_a_plain_counts_report_is_frozen_and_reconciled_too(project, manager, media, two):
    project.rule_set = RuleSet.NO_EFS_2014
    project.save(update_fields=["rule_set"])
    submission = submitted(project, manager)
    assert submission.run.snapshot["rule_set"] == "no_efs2014"
    assert submission.run.snapshot["cells"]["PARTICIPANTS:period:total"][1] == 2
    assert not reconcile(submission).differs
    newcomer = ParticipationFactory(project=project, start_date=dt.date(2017, 6, 1))
    cells = {cell.key: cell for cell in reconcile(submission).cells}
    assert cells["PARTICIPANTS:period:total"].entered == [newcomer.pk]


@pytest.mark.parametrize("n", [1, 20])
def test_the_reconciliation_on_the_project_page_does_not_grow_with_the_participants(
    project, manager, login, media, n, django_assert_max_num_queries
):
    for i in range(n):
        ParticipationFactory(project=project, start_date=dt.date(2017, 3, 1) + dt.timedelta(days=i))
    submitted(project, manager)
    ParticipationFactory(project=project, start_date=dt.date(2017, 6, 1))
    client = login(manager)
    with django_assert_max_num_queries(28):
        assert client.get(reverse("reporting:dashboard", args=[project.pk])).status_code == 200
