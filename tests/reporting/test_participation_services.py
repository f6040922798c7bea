import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.errors import DomainError
from families.codes import Answer, Education, LabourStatus, LabourStatusDetail, Sex
from families.pesel import make_pesel
from reporting.codes import EarlyExitReason, EmploymentForm, JobSeekingKind, OutcomeKind
from reporting.models import FollowUp, FollowUpKind, OutcomeEvent, Participation, ParticipationAmendment
from reporting.services import participation as services
from tests.families.factories import PersonFactory
from tests.reporting.factories import ParticipationFactory

pytestmark = pytest.mark.django_db
START = dt.date(2017, 3, 1)


def entry(**overrides):
    data = {
        "first_name": "Maria", "last_name": "Kowalska", "pesel": make_pesel(dt.date(1980, 3, 15), 7, Sex.FEMALE),
        "no_pesel": False, "start_date": START, "education": Education.ISCED2,
        "labour_status": LabourStatus.UNEMPLOYED_REGISTERED,
        "labour_status_detail": LabourStatusDetail.LONG_TERM_UNEMPLOYED,
        "disability": Answer.NO, "minority": Answer.REFUSED, "homeless": Answer.NO, "other_disadvantage": Answer.NO,
        "at_risk": True, "postal_code": "44-300", "locality": "Wodzisław Śląski",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_enrolment_freezes_entry_data_and_derives_sex_birth_date_and_age(project, manager):
    participation = services.participation_enrol(project=project, data=entry(sex="", birth_date=None), by=manager)
    participation.refresh_from_db()
    assert participation.is_frozen and participation.entry_confirmed_by == manager
    assert participation.sex == Sex.FEMALE and participation.birth_date == dt.date(1980, 3, 15)
    assert participation.age_at_start == 36  # full years on the start date


def test_enrolment_prefills_from_person_and_family(project, person):
    initial = services.initial_from_person(person, project=project, today=dt.date(2018, 5, 2))
    assert initial["pesel"] == person.pesel and initial["education"] == person.education
    assert initial["postal_code"] == person.family.postal_code and initial["locality"] == person.family.locality
    assert initial["start_date"] == dt.date(2018, 5, 2)


def test_a_person_cannot_be_enrolled_twice_in_one_project(project, manager, person):
    first = services.participation_enrol(project=project, person=person, data=entry(pesel=person.pesel), by=manager)
    with pytest.raises(DomainError, match=f"nr {first.pk}"):
        services.participation_enrol(project=project, person=person, data=entry(pesel=person.pesel), by=manager)
    with pytest.raises(DomainError, match="już uczestnikiem"):
        services.participation_enrol(project=project, data=entry(pesel=person.pesel), by=manager)
    assert Participation.objects.count() == 1


def test_the_same_person_may_take_part_in_another_project(project, other_project, manager):
    other_project.start_date = project.start_date
    other_project.save()
    other_project.staff.add(manager)  # the service checks that `by` manages the project
    services.participation_enrol(project=project, data=entry(), by=manager)
    services.participation_enrol(project=other_project, data=entry(), by=manager)
    assert Participation.objects.count() == 2


def test_a_person_whose_family_is_in_another_project_is_refused(other_project, manager, person):
    other_project.start_date = dt.date(2017, 1, 1)
    other_project.save()
    other_project.staff.add(manager)  # managing it: refused for the family's project, not for the role
    with pytest.raises(DomainError, match="nie uczestniczy"):
        services.participation_enrol(project=other_project, person=person, data=entry(pesel=person.pesel), by=manager)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"pesel": "44051401358"}, "pesel"),  # wrong check digit
        ({"pesel": "", "no_pesel": False}, "pesel"),
        ({"pesel": "", "no_pesel": True, "birth_date": None, "sex": Sex.MALE}, "birth_date"),
        ({"pesel": "", "no_pesel": True, "birth_date": dt.date(1990, 1, 1), "sex": ""}, "sex"),
        ({"start_date": dt.date(2016, 12, 31)}, "start_date"),  # before the project
        ({"start_date": None}, "start_date"),
        ({"labour_status": LabourStatus.INACTIVE}, "labour_status_detail"),  # "długotrwale bezrobotna" does not fit
        ({"postal_code": "44300"}, "postal_code"),
        ({"first_name": "A" * 81}, "first_name"),
        ({"last_name": "Nowak\x00"}, "last_name"),
    ],
)
def test_enrolment_refuses_bad_entry_data_with_a_message_per_field(project, manager, overrides, field):
    with pytest.raises(ValidationError) as exc:
        services.participation_enrol(project=project, data=entry(**overrides), by=manager)
    assert field in exc.value.message_dict
    assert not Participation.objects.exists()


def test_enrolment_with_a_future_start_date_is_refused(project, manager):
    with pytest.raises(ValidationError) as exc:
        services.participation_enrol(
            project=project, data=entry(start_date=dt.date(2018, 6, 2)), by=manager, today=dt.date(2018, 6, 1)
        )
    assert "start_date" in exc.value.message_dict


def test_enrolment_without_education_is_saved_but_is_a_data_gap(project, manager):
    participation = services.participation_enrol(project=project, data=entry(education=""), by=manager)
    assert participation.missing_core_data() == ["education"]


def test_amendment_logs_field_old_new_reason_author(project, manager):
    participation = ParticipationFactory(project=project, education=Education.ISCED2)
    [amendment] = services.participation_amend(
        participation=participation, changes={"education": Education.ISCED3}, reason="błąd przy wpisywaniu", by=manager
    )
    participation.refresh_from_db()
    assert participation.education == Education.ISCED3
    assert (amendment.field, amendment.old_value, amendment.new_value) == (
        "education",
        "gimnazjalne (ISCED 2)",
        "ponadgimnazjalne (ISCED 3)",
    )
    assert amendment.reason == "błąd przy wpisywaniu" and amendment.by == manager and amendment.at


def test_amendment_of_the_pesel_rederives_birth_date_and_age(project, manager):
    participation = ParticipationFactory(project=project, birth_date=dt.date(1985, 6, 15))
    new_pesel = make_pesel(dt.date(1990, 1, 2), 5, Sex.MALE)
    amendments = services.participation_amend(
        participation=participation, changes={"pesel": new_pesel}, reason="zamiana cyfr", by=manager
    )
    participation.refresh_from_db()
    assert participation.birth_date == dt.date(1990, 1, 2)
    assert participation.age_at_start == participation.compute_age_at_start()
    assert {a.field for a in amendments} == {"pesel", "birth_date"}


def test_amendment_needs_a_reason_and_a_change(project, manager):
    participation = ParticipationFactory(project=project)
    with pytest.raises(ValidationError):
        services.participation_amend(
            participation=participation, changes={"education": Education.ISCED1}, reason="  ", by=manager
        )
    with pytest.raises(DomainError, match="Nie zmieniono"):
        services.participation_amend(
            participation=participation, changes={"education": participation.education}, reason="bez zmian", by=manager
        )
    assert not ParticipationAmendment.objects.exists()


def test_amendment_cannot_give_a_pesel_of_another_participant(project, manager):
    first, second = ParticipationFactory(project=project), ParticipationFactory(project=project)
    with pytest.raises(DomainError, match="już uczestnikiem"):
        services.participation_amend(participation=second, changes={"pesel": first.pesel}, reason="x", by=manager)


def test_unconfirmed_entry_data_cannot_be_amended(project, manager):
    participation = ParticipationFactory(project=project, entry_confirmed_at=None)
    with pytest.raises(DomainError):
        services.participation_amend(
            participation=participation, changes={"education": Education.ISCED1}, reason="x", by=manager
        )


def test_exit_schedules_the_4_week_and_3_month_follow_ups(project, manager):
    participation = ParticipationFactory(project=project, start_date=dt.date(2017, 10, 1))
    services.participation_record_exit(participation=participation, end_date=dt.date(2018, 1, 31),
                                       completed_as_planned=True, by=manager)  # fmt: skip
    due = dict(FollowUp.objects.filter(participation=participation).values_list("kind", "due_on"))
    assert due == {FollowUpKind.RESULT_4W: dt.date(2018, 2, 28), FollowUpKind.EFFECTIVENESS_3M: dt.date(2018, 4, 30)}


def test_correcting_the_end_date_moves_open_follow_ups_and_does_not_duplicate_them(project, manager):
    participation = ParticipationFactory(project=project, start_date=dt.date(2017, 10, 1))
    for end in (dt.date(2018, 1, 31), dt.date(2018, 1, 15)):
        services.participation_record_exit(participation=participation, end_date=end, completed_as_planned=True,
                                           by=manager)  # fmt: skip
    assert FollowUp.objects.filter(participation=participation).count() == 2
    assert FollowUp.objects.get(participation=participation, kind=FollowUpKind.RESULT_4W).due_on == dt.date(2018, 2, 12)


@pytest.mark.parametrize(
    ("end_date", "completed", "reason", "field"),
    [
        (dt.date(2017, 9, 30), True, "", "end_date"),  # before the start date
        (dt.date(2030, 1, 1), True, "", "end_date"),  # in the future
        (None, True, "", "end_date"),
        (dt.date(2018, 1, 1), None, "", "completed_as_planned"),
        (dt.date(2018, 1, 1), False, "", "early_exit_reason"),
    ],
)
def test_exit_refuses_bad_data(project, manager, end_date, completed, reason, field):
    participation = ParticipationFactory(project=project, start_date=dt.date(2017, 10, 1))
    with pytest.raises(ValidationError) as exc:
        services.participation_record_exit(
            participation=participation,
            end_date=end_date,
            completed_as_planned=completed,
            early_exit_reason=reason,
            by=manager,
        )
    assert field in exc.value.message_dict
    participation.refresh_from_db()
    assert participation.end_date is None and not FollowUp.objects.exists()


def test_taking_a_job_is_an_early_exit(project, manager):
    participation = ParticipationFactory(project=project, start_date=dt.date(2017, 10, 1))
    services.participation_record_exit(participation=participation, end_date=dt.date(2018, 1, 10),
                                       completed_as_planned=False, early_exit_reason=EarlyExitReason.EMPLOYMENT,
                                       by=manager)  # fmt: skip
    participation.refresh_from_db()
    assert participation.end_date and participation.early_exit_reason == EarlyExitReason.EMPLOYMENT


def employment(**overrides):
    values = {"kind": OutcomeKind.EMPLOYMENT, "occurred_on": dt.date(2018, 2, 1), "employment_form":
              EmploymentForm.CONTRACT, "fte": "0,5", "planned_months": 6, "employer": "Kaliskie Zakłady Sp. z o.o.",
              "evidence": "umowa o pracę, kopia w aktach"}  # fmt: skip
    values.update(overrides)
    return values


def test_employment_is_recorded_with_form_fte_and_duration_and_schedules_the_employer_talk(project, manager):
    participation = ParticipationFactory(project=project, start_date=dt.date(2017, 10, 1))
    [event] = services.outcome_record(participation=participation, values=employment(), by=manager)
    event.refresh_from_db()
    assert event.fte == Decimal("0.50") and event.planned_months == 6
    followup = FollowUp.objects.get(outcome=event)
    assert followup.kind == FollowUpKind.EMPLOYMENT_1M and followup.due_on == dt.date(2018, 3, 1)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"fte": "0"}, "fte"),
        ({"fte": "1,5"}, "fte"),
        ({"fte": "pół"}, "fte"),
        ({"fte": ""}, "fte"),
        ({"planned_months": None}, "planned_months"),
        ({"employment_form": ""}, "employment_form"),
        ({"employment_form": EmploymentForm.BUSINESS, "fte": "1"}, "fte"),
        ({"occurred_on": dt.date(2017, 9, 30)}, "occurred_on"),  # before the start
        ({"occurred_on": dt.date(2099, 1, 1)}, "occurred_on"),  # in the future
        ({"evidence": "x" * 501}, "evidence"),
    ],
)
def test_employment_refuses_bad_values(project, manager, overrides, field):
    participation = ParticipationFactory(project=project, start_date=dt.date(2017, 10, 1))
    with pytest.raises(ValidationError) as exc:
        services.outcome_record(participation=participation, values=employment(**overrides), by=manager)
    assert field in exc.value.message_dict
    assert not OutcomeEvent.objects.exists()


def test_business_needs_no_fte_and_full_time_is_one(project, manager):
    participation = ParticipationFactory(project=project, start_date=dt.date(2017, 10, 1))
    services.outcome_record(participation=participation, values=employment(fte="1"), by=manager)
    services.outcome_record(
        participation=participation,
        values=employment(employment_form=EmploymentForm.BUSINESS_EFS_GRANT, fte="", planned_months=None),
        by=manager,
    )
    assert OutcomeEvent.objects.filter(participation=participation).count() == 2


def test_social_progress_gives_one_row_per_category(project, manager):
    participation = ParticipationFactory(project=project, start_date=dt.date(2017, 10, 1))
    events = services.outcome_record(participation=participation, values={
        "kind": OutcomeKind.SOCIAL_PROGRESS, "occurred_on": dt.date(2018, 1, 5), "progress_categories": ["c", "b", "c"],
        "evidence": "ocena kompetencji na wyjściu"}, by=manager)  # fmt: skip
    assert sorted(e.progress_category for e in events) == ["b", "c"]
    with pytest.raises(ValidationError):
        services.outcome_record(participation=participation, values={
            "kind": OutcomeKind.SOCIAL_PROGRESS, "occurred_on": dt.date(2018, 1, 5), "progress_categories": []},
            by=manager)  # fmt: skip


def test_job_seeking_needs_its_form_and_qualification_and_education_are_dated(project, manager):
    participation = ParticipationFactory(project=project, start_date=dt.date(2017, 10, 1))
    with pytest.raises(ValidationError):
        services.outcome_record(
            participation=participation,
            values={"kind": OutcomeKind.JOB_SEEKING, "occurred_on": dt.date(2018, 1, 5)},
            by=manager,
        )
    services.outcome_record(participation=participation, values={
        "kind": OutcomeKind.JOB_SEEKING, "occurred_on": dt.date(2018, 1, 5),
        "job_seeking_kind": JobSeekingKind.REGISTERED}, by=manager)  # fmt: skip
    services.outcome_record(participation=participation, values={
        "kind": OutcomeKind.QUALIFICATION, "occurred_on": dt.date(2018, 1, 6), "qualification_name": "ECDL",
        "fte": "1"}, by=manager)  # details of another kind are dropped  # fmt: skip
    services.outcome_record(
        participation=participation,
        values={"kind": OutcomeKind.EDUCATION, "occurred_on": dt.date(2018, 1, 7)},
        by=manager,
    )
    kinds = list(OutcomeEvent.objects.filter(participation=participation).values_list("kind", "fte"))
    assert kinds == [("job_seeking", None), ("qualification", None), ("education", None)]


def test_outcome_delete_removes_its_employer_follow_up(project, manager):
    participation = ParticipationFactory(project=project, start_date=dt.date(2017, 10, 1))
    [event] = services.outcome_record(participation=participation, values=employment(), by=manager)
    services.outcome_delete(outcome=event, by=manager)
    assert not OutcomeEvent.objects.exists() and not FollowUp.objects.exists()
    with pytest.raises(DomainError):
        services.outcome_delete(outcome=event, by=manager)


def test_person_without_pesel_enrols_with_birth_date_and_sex(project, manager):
    person = PersonFactory(family__project=project, pesel="", no_pesel=True, foreign_document_type="passport",
                           foreign_document_number="FX123")  # fmt: skip
    data = entry(pesel="", no_pesel=True, birth_date=dt.date(1975, 2, 3), sex=Sex.MALE)
    participation = services.participation_enrol(project=project, person=person, data=data, by=manager)
    assert participation.no_pesel and participation.age_at_start == 42
