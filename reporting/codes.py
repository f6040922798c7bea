"""Code lists of the EFS participation record and the indicator catalogue (EFS_RULES.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# One code list: the job a referral led to becomes the EFS outcome with the same code.
# The job-seeking forms and the social progress categories a partner reports on a referral are the same lists.
from contracts.models.referrals import (  # noqa: F401 - re-exported beside the other EFS codes
    EmploymentForm,
    JobSeekingKind,
    ProgressCategory,
)


class EarlyExitReason(models.TextChoices):
    EMPLOYMENT = "employment", _("podjęcie zatrudnienia")
    RESIGNATION = "resignation", _("rezygnacja")
    REMOVAL = "removal", _("skreślenie z powodu nieobecności")
    ILLNESS = "illness", _("choroba")
    RELOCATION = "relocation", _("zmiana miejsca zamieszkania")
    DEATH = "death", _("zgon")
    OTHER = "other", _("inny powód")


class OutcomeKind(models.TextChoices):
    EMPLOYMENT = "employment", _("podjęcie zatrudnienia")
    QUALIFICATION = "qualification", _("uzyskanie kwalifikacji")
    JOB_SEEKING = "job_seeking", _("poszukiwanie pracy")
    EDUCATION = "education", _("podjęcie kształcenia szkolnego")
    SOCIAL_PROGRESS = "social_progress", _("postęp w procesie aktywizacji społeczno-zawodowej")


class Degurba(models.TextChoices):
    DENSE = "1", _("1 – obszary gęsto zaludnione")
    INTERMEDIATE = "2", _("2 – obszary o pośrednim stopniu urbanizacji")
    THIN = "3", _("3 – obszary słabo zaludnione")


class Indicator(models.TextChoices):
    """Every reported indicator (EFS_RULES.md §3–5). Labels are the exact Polish names."""

    OUT_AROPE = (
        "OUT_AROPE",
        _("Liczba osób zagrożonych ubóstwem lub wykluczeniem społecznym objętych wsparciem w programie"),
    )
    OUT_UNEMPLOYED = (
        "OUT_UNEMPLOYED",
        _("Liczba osób bezrobotnych (łącznie z długotrwale bezrobotnymi) objętych wsparciem w programie"),
    )
    OUT_LTU = "OUT_LTU", _("Liczba osób długotrwale bezrobotnych objętych wsparciem w programie")
    OUT_INACTIVE = "OUT_INACTIVE", _("Liczba osób biernych zawodowo objętych wsparciem w programie")
    OUT_DISABLED = "OUT_DISABLED", _("Liczba osób z niepełnosprawnościami objętych wsparciem w programie")
    OUT_LOWQUAL = "OUT_LOWQUAL", _("Liczba osób o niskich kwalifikacjach objętych wsparciem w programie")
    OUT_U25 = "OUT_U25", _("Liczba osób poniżej 25 lat objętych wsparciem w programie")
    OUT_50PLUS = "OUT_50PLUS", _("Liczba osób w wieku 50 lat i więcej objętych wsparciem w programie")
    RES_QUAL = (
        "RES_QUAL",
        _(
            "Liczba osób zagrożonych ubóstwem lub wykluczeniem społecznym, które uzyskały kwalifikacje "
            "po opuszczeniu programu"
        ),
    )
    RES_JOBSEEK = (
        "RES_JOBSEEK",
        _("Liczba osób zagrożonych ubóstwem lub wykluczeniem społecznym poszukujących pracy po opuszczeniu programu"),
    )
    RES_EMPLOYED = (
        "RES_EMPLOYED",
        _(
            "Liczba osób zagrożonych ubóstwem lub wykluczeniem społecznym pracujących po opuszczeniu programu "
            "(łącznie z pracującymi na własny rachunek)"
        ),
    )
    KES = "KES", _("Efektywność społeczna")
    KEZ = "KEZ", _("Efektywność zatrudnieniowa")
    KEZ_DISABLED = "KEZ_DISABLED", _("Efektywność zatrudnieniowa – osoby z niepełnosprawnościami")


OUTPUT_INDICATORS = [i for i in Indicator if i.value.startswith("OUT_")]
RESULT_INDICATORS = [i for i in Indicator if i.value.startswith("RES_")]
EFFECTIVENESS_INDICATORS = [Indicator.KES, Indicator.KEZ, Indicator.KEZ_DISABLED]
# Default effectiveness targets in percent (2018 guideline version), used when a project sets none.
DEFAULT_EFFECTIVENESS_TARGETS = {Indicator.KES: 34, Indicator.KEZ: 22, Indicator.KEZ_DISABLED: 12}
