"""Whom we help: families (households of up to three generations) and persons."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedTextField, KeyedHashField, with_hash_fields
from core.text import FoldedField, with_folded_fields
from families.codes import (
    LABOUR_DETAIL_FOR,
    Answer,
    AssistanceReason,
    Education,
    ForeignDocument,
    Generation,
    LabourStatus,
    LabourStatusDetail,
    Relation,
    Sex,
)
from families.pesel import birth_date_from_pesel, sex_from_pesel, validate_pesel
from support_network.models import Institution, Project, Team, postal_code_validator, teryt_validator


class FamilyStatus(models.TextChoices):
    CANDIDATE = "candidate", _("kandydat")
    ACTIVE = "active", _("aktywna")
    CLOSED = "closed", _("zamknięta")


class Family(models.Model):
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="families", verbose_name=_("instytucja")
    )
    case_number = models.CharField(_("numer sprawy"), max_length=40)
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="families", verbose_name=_("projekt")
    )
    street = models.CharField(_("ulica"), max_length=120, blank=True)
    building = models.CharField(_("nr budynku"), max_length=10, blank=True)
    flat = models.CharField(_("nr lokalu"), max_length=10, blank=True)
    postal_code = models.CharField(_("kod pocztowy"), max_length=6, validators=[postal_code_validator])
    locality = models.CharField(_("miejscowość"), max_length=100)
    gmina = models.CharField(_("gmina"), max_length=100)
    gmina_teryt = models.CharField(_("TERYT gminy"), max_length=7, blank=True, validators=[teryt_validator])
    area = models.CharField(_("obszar / dzielnica"), max_length=100, blank=True, help_text=_("np. Wilchwy"))
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="families",
        verbose_name=_("pracownik socjalny"),
    )
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="families", verbose_name=_("zespół (MGI)")
    )
    status = models.CharField(_("status"), max_length=20, choices=FamilyStatus.choices, default=FamilyStatus.CANDIDATE)
    closed_on = models.DateField(_("data zamknięcia"), null=True, blank=True)
    closed_reason = models.CharField(_("powód zamknięcia"), max_length=300, blank=True)
    intergenerational_poverty = models.BooleanField(_("zdiagnozowane dziedziczenie ubóstwa"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # see core.locking
    # Derived from the latest visit (by date, time, id) and kept by `refresh_visit_dates`, which the
    # visit service calls: the caseload orders by them without a subquery per family.
    last_visit_on = models.DateField(_("ostatnia wizyta"), null=True, blank=True, editable=False)
    next_visit_due = models.DateField(_("termin kolejnej wizyty"), null=True, blank=True, editable=False)

    VISIT_FIELDS = ("last_visit_on", "next_visit_due")

    class Meta:
        ordering = ["case_number"]
        verbose_name = _("rodzina")
        verbose_name_plural = _("rodziny")
        constraints = [
            models.UniqueConstraint(fields=["institution", "case_number"], name="case_number_unique_per_institution"),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(closed_on__isnull=False) & ~Q(closed_reason="")),
                name="closed_family_has_date_and_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["social_worker", "status"]),
            models.Index(fields=["team", "status"]),
            # the caseload's order within a worker's / a team's / a project's families
            models.Index(fields=["social_worker", "next_visit_due", "case_number"], name="family_worker_due"),
            models.Index(fields=["team", "next_visit_due", "case_number"], name="family_team_due"),
            models.Index(fields=["project", "next_visit_due", "case_number"], name="family_project_due"),
            # the caseload of a coordinator or a manager (a project scope: most families): the first
            # page read in order from the open families' index (docs/performance.md)
            models.Index(
                fields=["next_visit_due", "case_number"],
                include=["project"],
                condition=~Q(status="closed"),
                name="family_open_due",
            ),
            # the caseload's area filter: one probe per distinct area (families.filters.areas_of)
            models.Index(fields=["area"], name="family_area"),
            # the caseload's count for a project scope: 20,000 open families counted from a small
            # index (an index-only scan) instead of the table (docs/performance/casework.md)
            models.Index(fields=["project"], condition=~Q(status="closed"), name="family_open_project"),
        ]

    def __str__(self):
        return self.case_number

    def save(self, *args, **kwargs):
        """A whole-row save of an existing family leaves the visit dates alone: a form or a test
        holding an older copy must not overwrite what the visit service stored since."""
        if not self._state.adding and self.pk and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name not in self.VISIT_FIELDS
            ]
        super().save(*args, **kwargs)

    @property
    def address(self) -> str:
        street = " ".join(p for p in [self.street, self.building] if p)
        if self.flat:
            street = f"{street}/{self.flat}"
        return ", ".join(p for p in [street, f"{self.postal_code} {self.locality}"] if p.strip())


class FamilyReason(models.Model):
    """A reason for assistance (art. 7 u.p.s.); a family has several, exactly one primary."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="reasons")
    code = models.CharField(_("powód"), max_length=4, choices=AssistanceReason.choices)
    is_primary = models.BooleanField(_("główny"), default=False)

    class Meta:
        ordering = ["-is_primary", "code"]
        constraints = [
            models.UniqueConstraint(fields=["family", "code"], name="reason_once_per_family"),
            models.UniqueConstraint(fields=["family"], condition=Q(is_primary=True), name="one_primary_reason"),
        ]

    def __str__(self):
        return self.get_code_display()

    def get_additional_data(self):
        """Stored with each django-auditlog entry, so the family page finds the history of its reasons."""
        return {"family_id": self.family_id}


class Person(models.Model):
    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, null=True, blank=True, related_name="members", verbose_name=_("rodzina")
    )
    first_name = models.CharField(_("imię"), max_length=80)
    last_name = models.CharField(_("nazwisko"), max_length=120)
    # "nazwisko imię" folded (core.text.fold) for searching without diacritics or case; on
    # PostgreSQL also a trigram index (migration 0007) for a typo in the surname
    search_name = FoldedField(max_length=210, sources=("last_name", "first_name"))
    # encrypted at rest; looked up by its keyed hash (core.crypto, docs/security.md)
    pesel = EncryptedTextField(_("PESEL"), max_length=11, blank=True)
    pesel_hash = KeyedHashField(source="pesel", db_index=True)
    no_pesel = models.BooleanField(_("brak PESEL"), default=False)
    foreign_document_type = models.CharField(
        _("rodzaj dokumentu"), max_length=20, choices=ForeignDocument.choices, blank=True
    )
    foreign_document_number = models.CharField(_("numer dokumentu"), max_length=40, blank=True)
    birth_date = models.DateField(_("data urodzenia"))
    sex = models.CharField(_("płeć"), max_length=1, choices=Sex.choices)
    relation = models.CharField(
        _("stopień pokrewieństwa z głową rodziny"), max_length=20, choices=Relation.choices, default=Relation.HEAD
    )
    generation = models.PositiveSmallIntegerField(
        _("pokolenie"), choices=Generation.choices, default=Generation.PARENTS
    )
    education = models.CharField(_("wykształcenie"), max_length=10, choices=Education.choices, blank=True)
    labour_status = models.CharField(
        _("status na rynku pracy"), max_length=30, choices=LabourStatus.choices, blank=True
    )
    labour_status_detail = models.CharField(_("w tym"), max_length=30, choices=LabourStatusDetail.choices, blank=True)
    pup_registered_on = models.DateField(_("data rejestracji w PUP"), null=True, blank=True)
    benefits = models.CharField(_("pobierane świadczenia"), max_length=300, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # Sensitive answers (special-category data), encrypted at rest: never in lists, search results,
    # exports for partners.
    disability = EncryptedTextField(_("niepełnosprawność"), max_length=10, choices=Answer.choices, blank=True)
    health_problem = EncryptedTextField(
        _("długotrwała lub ciężka choroba"), max_length=10, choices=Answer.choices, blank=True
    )
    addiction = EncryptedTextField(_("uzależnienie"), max_length=10, choices=Answer.choices, blank=True)
    domestic_violence = EncryptedTextField(_("przemoc domowa"), max_length=10, choices=Answer.choices, blank=True)
    minority = EncryptedTextField(
        _("mniejszość narodowa lub etniczna, migrant, osoba obcego pochodzenia"),
        max_length=10,
        choices=Answer.choices,
        blank=True,
    )
    homeless = EncryptedTextField(
        _("bezdomność lub wykluczenie z dostępu do mieszkań"), max_length=10, choices=Answer.choices, blank=True
    )
    other_disadvantage = EncryptedTextField(
        _("inna niekorzystna sytuacja społeczna"), max_length=10, choices=Answer.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # see core.locking

    SENSITIVE_FIELDS = ("disability", "health_problem", "addiction", "domestic_violence", "minority")

    class Meta:
        ordering = ["generation", "birth_date"]
        verbose_name = _("osoba")
        verbose_name_plural = _("osoby")
        constraints = [
            models.CheckConstraint(
                condition=(Q(no_pesel=False) & ~Q(pesel="")) | (Q(no_pesel=True) & Q(pesel="")),
                name="pesel_or_no_pesel",
            ),
        ]
        indexes = [
            # persons in name order, their ids read from the index too (an index-only walk: the group
            # page's enrolment offer, docs/performance/referrals.md)
            models.Index(fields=["last_name", "first_name"], include=["id"], name="person_name"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def save(self, *args, **kwargs):
        super().save(*args, **with_folded_fields(self, with_hash_fields(self, kwargs)))

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def get_additional_data(self):
        """Stored with each django-auditlog entry, so the family page finds the history of its members."""
        return {"family_id": self.family_id}

    @property
    def age(self) -> int:
        return self.age_on(dt.date.today())

    def age_on(self, day: dt.date) -> int:
        """Full years on `day`."""
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    def clean(self):
        errors: dict[str, object] = {}  # a message or a list of messages per field
        if self.no_pesel:
            if self.pesel:
                errors["pesel"] = _("Zaznaczono „Brak PESEL” – usuń numer PESEL albo odznacz to pole.")
            if not self.foreign_document_type or not self.foreign_document_number:
                errors["foreign_document_number"] = _("Bez numeru PESEL podaj rodzaj i numer dokumentu tożsamości.")
        elif not self.pesel:
            errors["pesel"] = _("Podaj PESEL albo zaznacz „Brak PESEL”.")
        else:
            try:
                validate_pesel(self.pesel)
            except ValidationError as exc:
                errors["pesel"] = exc.messages
            else:
                self.birth_date = birth_date_from_pesel(self.pesel)
                self.sex = sex_from_pesel(self.pesel)
        if self.birth_date and self.birth_date > dt.date.today():
            errors["birth_date"] = _("Data urodzenia nie może być w przyszłości.")
        if (
            self.labour_status_detail
            and self.labour_status
            and self.labour_status_detail not in LABOUR_DETAIL_FOR[LabourStatus(self.labour_status)]
        ):
            errors["labour_status_detail"] = _("Ta wartość „w tym” nie pasuje do wybranego statusu.")
        if self.pup_registered_on and self.pup_registered_on > dt.date.today():
            errors["pup_registered_on"] = _("Data rejestracji w PUP nie może być w przyszłości.")
        if errors:
            raise ValidationError(errors)


class NeedsDiagnosis(models.Model):
    """A dated needs diagnosis of a family (or of one member). A newer one never erases the old."""

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="diagnoses", verbose_name=_("rodzina"))
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="diagnoses",
        verbose_name=_("osoba"),
        help_text=_("Puste = diagnoza całej rodziny."),
    )
    diagnosed_on = models.DateField(_("data diagnozy"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("autor")
    )
    problems = models.TextField(_("problemy"))
    resources = models.TextField(_("zasoby (mocne strony)"), blank=True)
    barriers = models.TextField(_("bariery i ograniczenia"), blank=True)
    needs = models.TextField(_("potrzeby"))
    expectations = models.TextField(_("oczekiwania samej osoby / rodziny"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-diagnosed_on", "-created_at"]
        verbose_name = _("diagnoza potrzeb")
        verbose_name_plural = _("diagnozy potrzeb")

    def __str__(self):
        return f"Diagnoza {self.diagnosed_on:%d.%m.%Y}"


class PersonMerge(models.Model):
    """Domain record of a coordinator merging two records of the same person (ids only, no PESEL)."""

    kept = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="merges", verbose_name=_("zachowany rekord")
    )
    removed_person_id = models.PositiveBigIntegerField(_("id usuniętego rekordu"))
    removed_family_id = models.PositiveBigIntegerField(_("id rodziny usuniętego rekordu"), null=True, blank=True)
    moved = models.JSONField(_("przeniesione powiązania"), default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("kto"))
    at = models.DateTimeField(_("kiedy"), auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("scalenie rekordów osoby")
        verbose_name_plural = _("scalenia rekordów osób")

    def __str__(self):
        return f"Scalenie #{self.removed_person_id} → #{self.kept_id}"
