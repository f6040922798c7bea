"""The EFS participation record (EFS_RULES.md §1): one per person per project.

It is a record of the EFS project, separate from the MOPS case file (DOMAIN.md §6.4): identity
and contact data are copied in at enrolment (pre-filled from the person, confirmed by the user),
then the entry data are frozen; later corrections are ParticipationAmendment rows.
"""

from typing import cast

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField, KeyedHashField, with_hash_fields
from core.text import FoldedField, with_folded_fields
from families.codes import Answer, Education, LabourStatus, LabourStatusDetail, Sex
from families.models import Person
from reporting.codes import (
    Degurba,
    EarlyExitReason,
    EmploymentForm,
    Indicator,
    JobSeekingKind,
    OutcomeKind,
    ProgressCategory,
)
from support_network.models import Project, teryt_validator

ENTRY_FIELDS = (
    "sex", "birth_date", "start_date", "education", "labour_status", "labour_status_detail",
    "disability", "minority", "homeless", "other_disadvantage", "at_risk",
)  # fmt: skip
# Core data (EFS_RULES.md §1): without all of it a participation counts in no indicator and is a
# data gap. The at-risk answer is core data: a blank is missing data, never "no".
CORE_FIELDS = ("sex", "birth_date", "education", "labour_status", "at_risk")


class Participation(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="participations")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="participations",
        help_text=_("Osoba z kartoteki MOPS; puste dla uczestników spoza kartoteki (np. z importu)."),
    )  # fmt: skip
    # identity and contact (SL2014 columns)
    first_name = models.CharField(_("imię"), max_length=80)
    last_name = models.CharField(_("nazwisko"), max_length=120)
    # "nazwisko imię" folded (core.text.fold): the list's search ignores case and diacritics
    search_name = FoldedField(max_length=210, sources=("last_name", "first_name"))
    # encrypted at rest; looked up by its keyed hash (core.crypto, docs/security.md)
    pesel = EncryptedTextField(_("PESEL"), max_length=11, blank=True)
    pesel_hash = KeyedHashField(source="pesel")
    no_pesel = models.BooleanField(_("brak PESEL"), default=False)
    sex = models.CharField(_("płeć"), max_length=1, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("data urodzenia"), null=True, blank=True)
    gmina_teryt = models.CharField(
        _("gmina (TERYT)"), max_length=7, blank=True, validators=[teryt_validator],
        help_text=_("Wybór gminy z rejestru wypełnia województwo, powiat, gminę i DEGURBA."),
    )  # fmt: skip
    voivodeship = models.CharField(_("województwo"), max_length=40, blank=True)
    county = models.CharField(_("powiat"), max_length=60, blank=True)
    gmina = models.CharField(_("gmina"), max_length=100, blank=True)
    locality = models.CharField(_("miejscowość"), max_length=100, blank=True)
    street = models.CharField(_("ulica"), max_length=120, blank=True)
    building = models.CharField(_("nr budynku"), max_length=10, blank=True)
    flat = models.CharField(_("nr lokalu"), max_length=10, blank=True)
    postal_code = models.CharField(_("kod pocztowy"), max_length=6, blank=True)
    degurba = models.CharField(_("DEGURBA"), max_length=1, choices=Degurba.choices, blank=True)
    phone = models.CharField(_("telefon kontaktowy"), max_length=40, blank=True)
    email = models.EmailField(_("adres e-mail"), blank=True)
    # entry data (frozen once confirmed)
    start_date = models.DateField(_("data rozpoczęcia udziału"), null=True, blank=True,
                                  help_text=_("Data pierwszego wsparcia w projekcie."))  # fmt: skip
    # the first support (a referral's first attendance) came before start_date: the manager confirms
    # the change (reporting.services.referral_flow.participation_confirm_start)
    proposed_start_date = models.DateField(_("proponowana data rozpoczęcia udziału"), null=True, blank=True,
                                           editable=False)  # fmt: skip
    age_at_start = models.PositiveSmallIntegerField(_("wiek w chwili przystąpienia"), null=True, blank=True,
                                                    editable=False)  # fmt: skip
    education = models.CharField(_("wykształcenie"), max_length=10, choices=Education.choices, blank=True)
    labour_status = models.CharField(_("status na rynku pracy"), max_length=30, choices=LabourStatus.choices,
                                     blank=True)  # fmt: skip
    labour_status_detail = models.CharField(_("w tym"), max_length=30, choices=LabourStatusDetail.choices,
                                            blank=True)  # fmt: skip
    occupation = models.CharField(_("wykonywany zawód"), max_length=120, blank=True)
    employer = models.CharField(_("zatrudniony w"), max_length=200, blank=True)
    # `disability` stays in clear: the indicator engine counts it in SQL (OUT_DISABLED, KEZ for the
    # disability subgroup); the other disadvantage answers are encrypted (docs/security.md).
    disability = models.CharField(_("osoba z niepełnosprawnościami"), max_length=10, choices=Answer.choices,
                                  blank=True)  # fmt: skip
    minority = EncryptedTextField(
        _("osoba należąca do mniejszości narodowej lub etnicznej, migrant, osoba obcego pochodzenia"),
        max_length=10, choices=Answer.choices, blank=True,
    )  # fmt: skip
    homeless = EncryptedTextField(_("osoba bezdomna lub dotknięta wykluczeniem z dostępu do mieszkań"),
                                max_length=10, choices=Answer.choices, blank=True)  # fmt: skip
    other_disadvantage = EncryptedTextField(_("osoba w innej niekorzystnej sytuacji społecznej"), max_length=10,
                                          choices=Answer.choices, blank=True)  # fmt: skip
    planned_education_end = models.DateField(
        _("planowana data zakończenia edukacji"), null=True, blank=True,
        help_text=_("Dla uczniów: planowana data zakończenia edukacji w placówce, w której skorzystano ze wsparcia."),
    )  # fmt: skip
    at_risk = models.BooleanField(_("zagrożona ubóstwem lub wykluczeniem społecznym"), null=True, blank=True)
    entry_confirmed_at = models.DateTimeField(_("dane wejściowe potwierdzone"), null=True, blank=True,
                                              editable=False)  # fmt: skip
    entry_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                           blank=True, related_name="+", editable=False)  # fmt: skip
    # exit data
    end_date = models.DateField(_("data zakończenia udziału"), null=True, blank=True)
    completed_as_planned = models.BooleanField(_("zakończenie zgodnie ze ścieżką"), null=True, blank=True)
    early_exit_reason = models.CharField(_("powód wcześniejszego zakończenia"), max_length=20,
                                         choices=EarlyExitReason.choices, blank=True)  # fmt: skip
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   related_name="+", editable=False)  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # see core.locking

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        verbose_name = _("uczestnictwo w projekcie")
        verbose_name_plural = _("uczestnictwa w projekcie")
        constraints = [
            models.UniqueConstraint(fields=["project", "person"], condition=Q(person__isnull=False),
                                    name="one_participation_per_person"),
            models.UniqueConstraint(fields=["project", "pesel_hash"], condition=~Q(pesel_hash=""),
                                    name="one_participation_per_pesel"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(start_date__isnull=False)
                                   & Q(end_date__gte=models.F("start_date")), name="participation_dates_ordered"),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["project", "start_date"]),
            models.Index(fields=["project", "end_date"]),
            # the participant list's order: a page is read off the index, no sort of the project's rows
            models.Index(fields=["project", "last_name", "first_name", "id"], name="participation_list_order"),
            # the list's "without DEGURBA" note counts only these (usually none)
            models.Index(fields=["project"], condition=Q(degurba=""), name="participation_no_degurba"),
            # The indicator engine's scan (reporting/selectors/indicator_sql.py): the project's rows in
            # id order with every column its flags read, an index-only scan merge-joined to the
            # outcomes (PostgreSQL; SQLite has no INCLUDE and keeps (project, id)).
            models.Index(
                fields=["project", "id"],
                include=[
                    "sex",
                    "birth_date",
                    "education",
                    "labour_status",
                    "labour_status_detail",
                    "start_date",
                    "end_date",
                    "at_risk",
                    "disability",
                    "age_at_start",
                ],
                name="participation_indicator_scan",
            ),  # fmt: skip
            # the indicator page's data gaps (reporting.selectors.indicators.data_gaps: not COMPLETE),
            # a few hundred rows read without scanning the project's 25,000
            models.Index(
                fields=["project", "id"],
                condition=Q(sex="")
                | Q(birth_date__isnull=True)
                | Q(education="")
                | Q(labour_status="")
                | Q(start_date__isnull=True)
                | Q(at_risk__isnull=True),
                name="participation_data_gaps",
            ),
        ]

    def __str__(self):
        return f"Uczestnictwo #{self.pk}"

    def save(self, *args, **kwargs):
        self.age_at_start = self.compute_age_at_start()
        if kwargs.get("update_fields") is not None and {"birth_date", "start_date"} & set(kwargs["update_fields"]):
            kwargs["update_fields"] = {*kwargs["update_fields"], "age_at_start"}
        super().save(*args, **with_folded_fields(self, with_hash_fields(self, kwargs)))

    @property
    def is_frozen(self) -> bool:
        return self.entry_confirmed_at is not None

    def compute_age_at_start(self) -> int | None:
        if not self.birth_date or not self.start_date:
            return None
        years = self.start_date.year - self.birth_date.year
        if (self.start_date.month, self.start_date.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    def missing_core_data(self) -> list[str]:
        """Core fields without a value (a False at-risk answer is a value: "no")."""
        return [name for name in CORE_FIELDS if getattr(self, name) in (None, "")]


class ParticipationAmendment(models.Model):
    """A logged correction of frozen entry data."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="amendments")
    field = models.CharField(_("pole"), max_length=40)
    # encrypted: a correction of the PESEL or of a disadvantage answer would keep it here in clear
    old_value = EncryptedTextField(_("poprzednia wartość"), max_length=200, blank=True)
    new_value = EncryptedTextField(_("nowa wartość"), max_length=200, blank=True)
    reason = models.TextField(_("powód korekty"))
    submitted_claims = models.CharField(
        _("złożone wnioski"), max_length=300, blank=True,
        help_text=_("Wnioski o płatność, których raport liczył to uczestnictwo w chwili korekty."),
    )  # fmt: skip
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("korekta danych uczestnika")
        verbose_name_plural = _("korekty danych uczestników")

    def __str__(self):
        return f"{self.field}: {self.at:%Y-%m-%d}"

    @property
    def field_label(self) -> str:
        try:
            return str(cast(models.Field, Participation._meta.get_field(self.field)).verbose_name)
        except Exception:  # noqa: BLE001 - a field renamed since the amendment: show its stored name
            return self.field


class OutcomeEvent(models.Model):
    """A dated outcome with its evidence note (employment, qualification, job-seeking,
    school-based education, social progress in one category a–h)."""

    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("rodzaj"), max_length=20, choices=OutcomeKind.choices)
    occurred_on = models.DateField(_("data"))
    evidence = models.TextField(_("dowód / notatka"), blank=True)
    employment_form = models.CharField(_("forma zatrudnienia"), max_length=20, choices=EmploymentForm.choices,
                                       blank=True)  # fmt: skip
    fte = models.DecimalField(_("wymiar etatu"), max_digits=3, decimal_places=2, null=True, blank=True,
                              validators=[MinValueValidator(0), MaxValueValidator(1)])  # fmt: skip
    planned_months = models.PositiveSmallIntegerField(_("planowany okres (miesiące)"), null=True, blank=True)
    employer = models.CharField(_("pracodawca"), max_length=200, blank=True)
    job_seeking_kind = models.CharField(_("forma poszukiwania pracy"), max_length=20, choices=JobSeekingKind.choices,
                                        blank=True)  # fmt: skip
    qualification_name = models.CharField(_("kwalifikacja"), max_length=200, blank=True)
    progress_category = models.CharField(_("kategoria postępu"), max_length=1, choices=ProgressCategory.choices,
                                         blank=True)  # fmt: skip
    # A business started with an EFS grant (form "działalność gospodarcza z dotacji EFS"): the SL2014
    # business columns (data założenia = occurred_on, kwota, PKD) are this same record, not a copy.
    grant_amount = models.DecimalField(_("kwota środków na założenie działalności (zł)"), max_digits=10,
                                       decimal_places=2, null=True, blank=True,
                                       validators=[MinValueValidator(0)])  # fmt: skip
    pkd = models.CharField(_("PKD założonej działalności"), max_length=7, blank=True, help_text=_("np. 47.91.Z"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_on", "pk"]
        verbose_name = _("rezultat uczestnika")
        verbose_name_plural = _("rezultaty uczestników")
        constraints = [
            models.CheckConstraint(condition=~Q(kind="employment") | ~Q(employment_form=""),
                                   name="employment_has_form"),
            models.CheckConstraint(condition=~Q(kind="social_progress") | ~Q(progress_category=""),
                                   name="progress_has_category"),
            models.CheckConstraint(condition=Q(employment_form=EmploymentForm.BUSINESS_EFS_GRANT)
                                   | Q(grant_amount__isnull=True, pkd=""), name="business_fields_only_for_efs_grant"),
        ]  # fmt: skip
        indexes = [
            models.Index(fields=["participation", "kind", "occurred_on"]),
            # The indicator engine's pre-aggregation of the events (reporting/selectors/indicator_sql.py):
            # every column its flags read, so the events are an index-only scan in participation order
            # merge-joined to the participations, not a heap fetch per event (PostgreSQL; SQLite has no
            # INCLUDE and gets a plain index on the participation).
            models.Index(
                fields=["participation"],
                include=["kind", "occurred_on", "employment_form", "fte", "planned_months"],
                name="outcome_indicator_scan",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_on:%Y-%m-%d}"


class IndicatorTarget(models.Model):
    """The project's target for an indicator: persons, or percent for KES/KEZ."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="indicator_targets")
    code = models.CharField(_("wskaźnik"), max_length=20, choices=Indicator.choices)
    value = models.DecimalField(_("wartość docelowa"), max_digits=8, decimal_places=1,
                                validators=[MinValueValidator(0)])  # fmt: skip

    class Meta:
        ordering = ["project", "code"]
        verbose_name = _("wartość docelowa wskaźnika")
        verbose_name_plural = _("wartości docelowe wskaźników")
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="one_target_per_indicator")]

    def __str__(self):
        return f"{self.code}: {self.value}"
