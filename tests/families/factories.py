import datetime as dt

import factory

from families.codes import Education, LabourStatus, Relation, Sex
from families.models import Family, FamilyStatus, Person
from families.pesel import make_pesel
from tests.support_network.factories import InstitutionFactory


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
