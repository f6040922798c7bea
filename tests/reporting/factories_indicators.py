"""Factories for the indicator, budget and report tests (the participants room has its own)."""

import datetime as dt
from decimal import Decimal

import factory

from families.codes import Answer, Education, LabourStatus, LabourStatusDetail, Sex
from reporting.codes import EmploymentForm, OutcomeKind
from reporting.models import BudgetLine, Expense, OutcomeEvent, Participation
from tests.support_network.factories import ProjectFactory


class ParticipationFactory(factory.django.DjangoModelFactory):
    """A participation with complete core data: a woman of 40, ISCED 2, registered unemployed,
    at risk of poverty, started 1 March 2018, still in the project."""

    class Meta:
        model = Participation

    project = factory.SubFactory(ProjectFactory)
    first_name = "Joanna"
    last_name = factory.Sequence(lambda n: f"Uczestniczka{n}")
    pesel = ""
    no_pesel = True
    sex = Sex.FEMALE
    birth_date = dt.date(1978, 1, 10)
    start_date = dt.date(2018, 3, 1)
    education = Education.ISCED2
    labour_status = LabourStatus.UNEMPLOYED_REGISTERED
    labour_status_detail = LabourStatusDetail.OTHER
    disability = Answer.NO
    minority = Answer.NO
    homeless = Answer.NO
    other_disadvantage = Answer.NO
    at_risk = True


class OutcomeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeEvent

    participation = factory.SubFactory(ParticipationFactory)
    kind = OutcomeKind.QUALIFICATION
    occurred_on = dt.date(2018, 6, 1)
    evidence = "certyfikat"


def employment(participation, occurred_on, form=EmploymentForm.CONTRACT, fte="1.00", months=6):
    return OutcomeEventFactory(
        participation=participation, kind=OutcomeKind.EMPLOYMENT, occurred_on=occurred_on, employment_form=form,
        fte=Decimal(fte) if fte is not None else None, planned_months=months,
    )  # fmt: skip


def progress(participation, occurred_on, category="b"):
    return OutcomeEventFactory(
        participation=participation, kind=OutcomeKind.SOCIAL_PROGRESS, occurred_on=occurred_on,
        progress_category=category,
    )  # fmt: skip


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetLine

    project = factory.SubFactory(ProjectFactory)
    category = factory.Sequence(lambda n: f"Zadanie {n}")
    planned_amount = Decimal("10000.00")


class ExpenseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Expense

    line = factory.SubFactory(BudgetLineFactory)
    spent_on = dt.date(2018, 5, 10)
    amount = Decimal("1000.00")
    document_number = factory.Sequence(lambda n: f"FV/{n}/2018")
