"""Official code lists used for persons and families (DOMAIN.md §3.1, §5.1). Labels are the
exact SL2014 strings where SL2014 has them; other rooms (reporting) import them from here."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssistanceReason(models.TextChoices):
    """Art. 7 u.p.s. (Dz.U. 2023 poz. 901, wersja od 1.01.2024): official numbering."""

    R1 = "1", _("1 – ubóstwo")
    R2 = "2", _("2 – sieroctwo")
    R3 = "3", _("3 – bezdomność")
    R4 = "4", _("4 – bezrobocie")
    R5 = "5", _("5 – niepełnosprawność")
    R6 = "6", _("6 – długotrwała lub ciężka choroba")
    R7 = "7", _("7 – przemoc domowa")
    R7A = "7a", _("7a – potrzeba ochrony ofiar handlu ludźmi")
    R8 = "8", _("8 – potrzeba ochrony macierzyństwa lub wielodzietności")
    R9 = "9", _("9 – bezradność w sprawach opiekuńczo-wychowawczych i prowadzenia gospodarstwa domowego")
    R10 = "10", _("10 – (uchylony)")
    R11 = "11", _("11 – trudności w integracji cudzoziemców")
    R12 = "12", _("12 – trudności w przystosowaniu do życia po zwolnieniu z zakładu karnego")
    R13 = "13", _("13 – alkoholizm lub narkomania")
    R14 = "14", _("14 – zdarzenie losowe i sytuacja kryzysowa")
    R15 = "15", _("15 – klęska żywiołowa lub ekologiczna")
    OTHER = "inne", _("inne")


# Codes that can no longer be chosen for new records (kept so that old records stay readable).
INACTIVE_REASONS = {AssistanceReason.R10}
# Reasons that reveal special-category data: hidden wherever sensitive answers are hidden.
SENSITIVE_REASONS = {
    AssistanceReason.R5,
    AssistanceReason.R6,
    AssistanceReason.R7,
    AssistanceReason.R7A,
    AssistanceReason.R12,
    AssistanceReason.R13,
}


class Sex(models.TextChoices):
    FEMALE = "K", _("kobieta")
    MALE = "M", _("mężczyzna")


class Answer(models.TextChoices):
    """Tak / Nie / Odmowa podania informacji (SL2014 strings)."""

    YES = "tak", _("Tak")
    NO = "nie", _("Nie")
    REFUSED = "odmowa", _("Odmowa podania informacji")


class Education(models.TextChoices):
    """ISCED 2011 with SL2014 labels; "low qualifications" = ISCED 0–3 (EFS_RULES.md §3)."""

    ISCED0 = "isced0", _("niższe niż podstawowe (ISCED 0)")
    ISCED1 = "isced1", _("podstawowe (ISCED 1)")
    ISCED2 = "isced2", _("gimnazjalne (ISCED 2)")
    ISCED3 = "isced3", _("ponadgimnazjalne (ISCED 3)")
    ISCED4 = "isced4", _("policealne (ISCED 4)")
    ISCED5_8 = "isced5_8", _("wyższe (ISCED 5–8)")


LOW_QUALIFICATION = (Education.ISCED0, Education.ISCED1, Education.ISCED2, Education.ISCED3)


class LabourStatus(models.TextChoices):
    UNEMPLOYED_REGISTERED = "unemployed_registered", _("osoba bezrobotna zarejestrowana w ewidencji urzędów pracy")
    UNEMPLOYED_UNREGISTERED = (
        "unemployed_unregistered",
        _("osoba bezrobotna niezarejestrowana w ewidencji urzędów pracy"),
    )
    INACTIVE = "inactive", _("osoba bierna zawodowo")
    EMPLOYED = "employed", _("osoba pracująca")


UNEMPLOYED = (LabourStatus.UNEMPLOYED_REGISTERED, LabourStatus.UNEMPLOYED_UNREGISTERED)


class LabourStatusDetail(models.TextChoices):
    """The SL2014 "W tym" column; which values fit which status is in LABOUR_DETAIL_FOR."""

    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("osoba długotrwale bezrobotna")
    LEARNING = "learning", _("osoba ucząca się")
    NOT_IN_EDUCATION = "not_in_education", _("osoba nieuczestnicząca w kształceniu lub szkoleniu")
    SELF_EMPLOYED = "self_employed", _("osoba prowadząca działalność na własny rachunek")
    GOVERNMENT = "government", _("osoba pracująca w administracji rządowej")
    LOCAL_GOVERNMENT = "local_government", _("osoba pracująca w administracji samorządowej")
    SME = "sme", _("osoba pracująca w MMŚP")
    LARGE_ENTERPRISE = "large_enterprise", _("osoba pracująca w dużym przedsiębiorstwie")
    NGO = "ngo", _("osoba pracująca w organizacji pozarządowej")
    OTHER = "other", _("inne")


LABOUR_DETAIL_FOR = {
    LabourStatus.UNEMPLOYED_REGISTERED: {LabourStatusDetail.LONG_TERM_UNEMPLOYED, LabourStatusDetail.OTHER},
    LabourStatus.UNEMPLOYED_UNREGISTERED: {LabourStatusDetail.LONG_TERM_UNEMPLOYED, LabourStatusDetail.OTHER},
    LabourStatus.INACTIVE: {LabourStatusDetail.LEARNING, LabourStatusDetail.NOT_IN_EDUCATION, LabourStatusDetail.OTHER},
    LabourStatus.EMPLOYED: {
        LabourStatusDetail.SELF_EMPLOYED,
        LabourStatusDetail.GOVERNMENT,
        LabourStatusDetail.LOCAL_GOVERNMENT,
        LabourStatusDetail.SME,
        LabourStatusDetail.LARGE_ENTERPRISE,
        LabourStatusDetail.NGO,
        LabourStatusDetail.OTHER,
    },
}


class Relation(models.TextChoices):
    """Relation to the head of household; GENERATION_OF pre-fills the generation."""

    HEAD = "head", _("głowa rodziny")
    SPOUSE = "spouse", _("małżonek / partner")
    CHILD = "child", _("dziecko")
    CHILD_IN_LAW = "child_in_law", _("zięć / synowa")
    GRANDCHILD = "grandchild", _("wnuk / wnuczka")
    PARENT = "parent", _("rodzic")
    PARENT_IN_LAW = "parent_in_law", _("teść / teściowa")
    GRANDPARENT = "grandparent", _("dziadek / babcia")
    SIBLING = "sibling", _("rodzeństwo")
    OTHER = "other", _("inna osoba")


class Generation(models.IntegerChoices):
    GRANDPARENTS = 1, _("1 – dziadkowie")
    PARENTS = 2, _("2 – rodzice")
    CHILDREN = 3, _("3 – dzieci")


def generation_for(relation: str, head_generation: int = Generation.PARENTS) -> int:
    """Pre-fill the generation from the relation to the head (who is usually generation 2)."""
    offset = {
        Relation.HEAD: 0,
        Relation.SPOUSE: 0,
        Relation.SIBLING: 0,
        Relation.OTHER: 0,
        Relation.CHILD: 1,
        Relation.CHILD_IN_LAW: 1,
        Relation.GRANDCHILD: 2,
        Relation.PARENT: -1,
        Relation.PARENT_IN_LAW: -1,
        Relation.GRANDPARENT: -2,
    }[Relation(relation)]
    return min(max(head_generation + offset, Generation.GRANDPARENTS), Generation.CHILDREN)


class ForeignDocument(models.TextChoices):
    PASSPORT = "passport", _("paszport")
    ID_CARD = "id_card", _("dowód osobisty innego państwa")
    RESIDENCE_CARD = "residence_card", _("karta pobytu")
    OTHER = "other", _("inny dokument")
