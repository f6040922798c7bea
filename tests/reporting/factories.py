import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from families.codes import Answer, Education, LabourStatus, LabourStatusDetail, Sex
from families.pesel import make_pesel
from reporting.codes import EmploymentForm, OutcomeKind
from reporting.models import OutcomeEvent, Participation
from tests.support_network.factories import ProjectFactory


class ParticipationFactory(factory.django.DjangoModelFactory):
    """A confirmed (frozen) participation with complete core data, outside the MOPS file."""

    class Meta:
        model = Participation

    project = factory.SubFactory(ProjectFactory)
    first_name = "Jan"
    last_name = factory.Sequence(lambda n: f"Uczestnik{n}")
    sex = Sex.MALE
    birth_date = dt.date(1985, 6, 15)
    pesel = factory.LazyAttributeSequence(lambda o, n: make_pesel(o.birth_date, n, o.sex))
    start_date = factory.LazyAttribute(lambda o: o.project.start_date + dt.timedelta(days=30))
    education = Education.ISCED2
    labour_status = LabourStatus.UNEMPLOYED_REGISTERED
    labour_status_detail = LabourStatusDetail.LONG_TERM_UNEMPLOYED
    disability = Answer.NO
    minority = Answer.NO
    homeless = Answer.NO
    other_disadvantage = Answer.NO
    at_risk = True
    locality = "Wodzisław Śląski"
    postal_code = "44-300"
    entry_confirmed_at = factory.LazyFunction(timezone.now)


class OutcomeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutcomeEvent

    participation = factory.SubFactory(ParticipationFactory)
    kind = OutcomeKind.EMPLOYMENT
    occurred_on = factory.LazyAttribute(lambda o: o.participation.start_date + dt.timedelta(days=60))
    employment_form = factory.LazyAttribute(
        lambda o: EmploymentForm.CONTRACT if o.kind == OutcomeKind.EMPLOYMENT else ""
    )
    fte = factory.LazyAttribute(lambda o: Decimal("1") if o.kind == OutcomeKind.EMPLOYMENT else None)
    planned_months = factory.LazyAttribute(lambda o: 12 if o.kind == OutcomeKind.EMPLOYMENT else None)
    evidence = "kopia umowy w aktach"
