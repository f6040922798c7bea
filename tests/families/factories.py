import datetime as dt

import factory

from families.codes import Education, LabourStatus, Relation, Sex
from families.models import (
    Assessment,
    AssessmentScore,
    Dimension,
    Family,
    FamilyStatus,
    Instrument,
    NeedsDiagnosis,
    Person,
    Visit,
    VisitKind,
    refresh_visit_dates,
)
from families.pesel import make_pesel
from tests.support_network.factories import InstitutionFactory, UserFactory


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    institution = factory.SubFactory(InstitutionFactory)
    case_number = factory.Sequence(lambda n: f"RP.{n:05d}")
    street = "ul. Wilchwiańska"
    building = "12"
    postal_code = "44-300"
    locality = "Wodzisław Śląski"
    gmina = "Wodzisław Śląski"
    area = "Wilchwy"
    status = FamilyStatus.ACTIVE


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    family = factory.SubFactory(FamilyFactory)
    first_name = "Maria"
    last_name = factory.Sequence(lambda n: f"Kowalska{n}")
    birth_date = dt.date(1980, 3, 15)
    sex = Sex.FEMALE
    relation = Relation.HEAD
    education = Education.ISCED2
    labour_status = LabourStatus.UNEMPLOYED_REGISTERED

    @factory.lazy_attribute_sequence
    def pesel(self, n):
        return make_pesel(self.birth_date, n, self.sex)


class VisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Visit

    family = factory.SubFactory(FamilyFactory)
    visit_date = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=7))
    visit_time = dt.time(10, 0)
    kind = VisitKind.HOME
    duration_minutes = 60
    notes = "Rozmowa o sytuacji rodziny."
    next_steps = "Kontakt z PUP."
    next_visit_on = factory.LazyAttribute(lambda v: v.visit_date + dt.timedelta(days=14))
    author = factory.SubFactory(UserFactory)

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:  # as the visit service does after every visit it writes
            refresh_visit_dates([instance.family_id])


class DiagnosisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedsDiagnosis

    family = factory.SubFactory(FamilyFactory)
    diagnosed_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=30))
    author = factory.SubFactory(UserFactory)
    problems = "Bezrobocie"
    needs = "Poradnictwo zawodowe"


def social_competences():
    from families.instruments import ensure_social_competences

    return ensure_social_competences(Instrument, Dimension)


def make_assessment(person, kind, scores, *, instrument=None, day=None, author=None):
    instrument = instrument or social_competences()
    assessment = Assessment.objects.create(
        person=person,
        instrument=instrument,
        kind=kind,
        assessed_on=day or dt.date(2017, 3, 10),
        author=author or UserFactory(),
    )
    for dimension, score in zip(instrument.dimensions.all(), scores, strict=False):
        AssessmentScore.objects.create(assessment=assessment, dimension=dimension, score=score)
    return assessment
