"""The partnership: institutions, staff and their roles, EFS projects and teams."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.text import FoldedField

postal_code_validator = RegexValidator(r"^\d{2}-\d{3}$", _("Kod pocztowy w formacie NN-NNN."))
teryt_format_validator = RegexValidator(r"^\d{7}$", _("Kod TERYT gminy ma 7 cyfr (WWPPGGR)."))


def teryt_validator(value: str) -> None:
    """A gmina's 7-digit TERYT code that exists in the register (TerytUnit; codes retired by a
    newer register stay valid for old records)."""
    teryt_format_validator(value)
    if not TerytUnit.objects.filter(code=value, level=TerytLevel.GMINA).exists():
        raise ValidationError(
            _("Kodu %(code)s nie ma w rejestrze TERYT (TERC) – wybierz gminę z listy."), params={"code": value}
        )


class InstitutionKind(models.TextChoices):
    OPS = "ops", _("MOPS/OPS")
    PUP = "pup", _("PUP")
    PCPR = "pcpr", _("PCPR")
    KIS = "kis", _("KIS")
    CIS = "cis", _("CIS")
    NGO = "ngo", _("Organizacja pozarządowa")
    SCHOOL = "school", _("Szkoła")
    HEALTH = "health", _("Ochrona zdrowia")
    EMPLOYER = "employer", _("Pracodawca")
    OTHER = "other", _("Inna")


class Institution(models.Model):
    name = models.CharField(_("nazwa"), max_length=200, unique=True)
    short_name = models.CharField(_("skrót"), max_length=60, blank=True)
    search_name = FoldedField(max_length=270, sources=("name", "short_name"))  # the catalogue's search
    kind = models.CharField(_("typ"), max_length=20, choices=InstitutionKind.choices)
    street = models.CharField(_("ulica i numer"), max_length=200, blank=True)
    postal_code = models.CharField(_("kod pocztowy"), max_length=6, blank=True, validators=[postal_code_validator])
    locality = models.CharField(_("miejscowość"), max_length=100, blank=True)
    locality_locative = models.CharField(
        _("miejscowość w miejscowniku"),
        max_length=100,
        blank=True,
        help_text=_("Odpowiada na pytanie „w czym?”, np. Wodzisławiu Śląskim – do zdania „zawarty w …”."),
    )
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("strona www"), blank=True)
    registry_number = models.CharField(
        _("numer w rejestrze wojewody"), max_length=60, blank=True, help_text=_("Dotyczy KIS/CIS.")
    )
    referral_answer_days = models.PositiveSmallIntegerField(
        _("termin odpowiedzi na skierowanie (dni robocze)"), default=5, validators=[MinValueValidator(1)]
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("instytucja")
        verbose_name_plural = _("instytucje")

    def __str__(self):
        return self.short_name or self.name

    @property
    def place_phrase(self) -> str:
        """Where a document of the institution is signed: "w Wodzisławiu Śląskim" (the locative),
        or "w miejscowości Wodzisław Śląski" while the locative is not filled."""
        if self.locality_locative:
            return _("w %(place)s") % {"place": self.locality_locative}
        return _("w miejscowości %(place)s") % {"place": self.locality} if self.locality else ""


class Role(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Pracownik socjalny")
    MGI_MEMBER = "mgi_member", _("Członek MGI")
    COORDINATOR = "coordinator", _("Koordynator")
    PROJECT_MANAGER = "project_manager", _("Kierownik projektu")
    PARTNER_STAFF = "partner_staff", _("Pracownik instytucji partnerskiej")
    AUDITOR = "auditor", _("Audytor (tylko odczyt)")
    ADMINISTRATOR = "administrator", _("Administrator")


class Specialty(models.TextChoices):
    """What a KIS/CIS or partner specialist does (they answer referrals and run group sessions)."""

    PSYCHOLOGIST = "psychologist", _("psycholog")
    LAWYER = "lawyer", _("prawnik")
    CAREER_ADVISER = "career_adviser", _("doradca zawodowy")
    IT_TRAINER = "it_trainer", _("trener obsługi komputera")
    FINANCE_TRAINER = "finance_trainer", _("doradca finansowy")
    THERAPIST = "therapist", _("terapeuta")
    TRAINER = "trainer", _("trener / prowadzący warsztaty")


class StaffMembership(models.Model):
    """A user belongs to one institution with one role. Auditors' access is time-boxed."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="staff")
    role = models.CharField(_("rola"), max_length=30, choices=Role.choices)
    position = models.CharField(_("stanowisko"), max_length=120, blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    specialty = models.CharField(
        _("specjalność"),
        max_length=30,
        choices=Specialty.choices,
        blank=True,
        help_text=_("Specjalista KIS/CIS lub partnera, który prowadzi zajęcia (psycholog, prawnik, doradca…)."),
    )
    valid_until = models.DateField(
        _("dostęp do"), null=True, blank=True, help_text=_("Wymagane dla audytora: dostęp jest ograniczony w czasie.")
    )
    email_notifications = models.BooleanField(
        _("powiadomienia także e-mailem"),
        default=False,
        help_text=_("Odpowiedzi partnerów, zwrócone programy i przekroczone terminy także na adres e-mail konta."),
    )
    is_demo = models.BooleanField(
        _("konto demonstracyjne"),
        default=False,
        editable=False,
        help_text=_("Konta z seed_demo; logowanie nimi jest odrzucane, gdy DEBUG jest wyłączony."),
    )

    class Meta:
        verbose_name = _("członkostwo w instytucji")
        verbose_name_plural = _("członkostwa w instytucjach")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="auditor") | Q(valid_until__isnull=False), name="auditor_access_is_time_boxed"
            )
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} ({self.institution})"

    def is_active_on(self, day) -> bool:
        return self.valid_until is None or day <= self.valid_until

    @property
    def is_active(self) -> bool:
        return self.is_active_on(timezone.localdate())


class RuleSet(models.TextChoices):
    """Which indicator rules a project reports by. The reporting room registers one engine per value
    (reporting/rulesets/): a new set (e.g. EFS+ 2021–2027) is a new value and a new engine."""

    EFS_2014_INCLUSION = "efs2014_inclusion", _("EFS 2014–2020 (włączenie społeczne)")
    NO_EFS_2014 = "no_efs2014", _("bez wskaźników EFS 2014–2020 (proste zestawienia)")


class Project(models.Model):
    title = models.CharField(_("tytuł"), max_length=300)
    short_name = models.CharField(_("nazwa skrócona"), max_length=80, blank=True)
    agreement_number = models.CharField(
        _("numer umowy o dofinansowanie"), max_length=80, unique=True, help_text=_("np. POWR.04.01.00-00-0001/17-00")
    )
    call_number = models.CharField(_("numer naboru/konkursu"), max_length=80, blank=True)
    programme = models.CharField(_("program"), max_length=120, help_text=_("np. PO WER 2014-2020"))
    action = models.CharField(_("działanie"), max_length=120, blank=True, help_text=_("np. 4.1 Innowacje społeczne"))
    leader = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="led_projects", verbose_name=_("lider")
    )
    partners = models.ManyToManyField(
        Institution, blank=True, related_name="partner_projects", verbose_name=_("partnerzy")
    )
    start_date = models.DateField(_("początek realizacji"))
    end_date = models.DateField(_("koniec realizacji"))
    total_value = models.DecimalField(
        _("wartość projektu (zł)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    eu_cofinancing = models.DecimalField(
        _("dofinansowanie UE (zł)"), max_digits=14, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    target_group = models.TextField(_("grupa docelowa"), blank=True)
    area = models.CharField(_("obszar realizacji"), max_length=200, blank=True)
    participants_target = models.PositiveIntegerField(_("planowana liczba uczestników"), default=0)
    rule_set = models.CharField(
        _("reguły wskaźników"), max_length=30, choices=RuleSet.choices, default=RuleSet.EFS_2014_INCLUSION,
        help_text=_("Projekty spoza EFS 2014–2020 (np. program regionalny ze środków własnych, PO KL 2007–2013) "
                    "pokazują proste zestawienia zamiast wskaźników SL2014 i KES/KEZ."),
    )  # fmt: skip
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="projects",
        verbose_name=_("zespół projektu"),
        help_text=_("Koordynatorzy, kierownicy i audytorzy przypisani do projektu."),
    )

    class Meta:
        ordering = ["-start_date", "title"]
        verbose_name = _("projekt")
        verbose_name_plural = _("projekty")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="project_dates_ordered"),
            models.CheckConstraint(
                condition=Q(eu_cofinancing__lte=models.F("total_value")), name="project_eu_share_within_total"
            ),
        ]

    def __str__(self):
        return self.short_name or self.title

    def institutions(self):
        return [self.leader, *self.partners.all()]


class TeamKind(models.TextChoices):
    PZKW = "pzkw", _("PZKW – Powiatowy Zespół Koordynujący Współpracę")
    MGI = "mgi", _("MGI – Mobilna Grupa Interdyscyplinarna")
    WORKING_GROUP = "working_group", _("Grupa robocza")
    CASE_TEAM = "case_team", _("Zespół pracowników socjalnych")


class Team(models.Model):
    name = models.CharField(_("nazwa"), max_length=200)
    kind = models.CharField(_("rodzaj"), max_length=20, choices=TeamKind.choices)
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, null=True, blank=True, related_name="teams", verbose_name=_("projekt")
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="teams", verbose_name=_("instytucja prowadząca")
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="teams", verbose_name=_("członkowie")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("zespół")
        verbose_name_plural = _("zespoły")
        constraints = [models.UniqueConstraint(fields=["project", "name"], name="team_name_unique_in_project")]

    def __str__(self):
        return self.name


class Module(models.TextChoices):
    """Support modules of the Turek pilot, plus accompanying support (childcare, health)."""

    EMPLOYMENT = "employment", _("moduł prozatrudnieniowy")
    SOCIAL = "social", _("moduł społeczny i integracyjny")
    FAMILY = "family", _("moduł rodzinny")
    SPORT_CULTURE = "sport_culture", _("moduł sport i kultura")
    ACCOMPANYING = "accompanying", _("wsparcie towarzyszące (opieka nad dziećmi, zdrowie)")


# The SL2014 support form a service of each module gives when the service names none (the usual
# spellings of the funder's dictionary; DOMAIN.md §9, open question 3).
SL2014_FORM_OF_MODULE = {
    "employment": "usługa aktywnej integracji o charakterze zawodowym",
    "social": "usługa aktywnej integracji o charakterze społecznym",
    "family": "usługa aktywnej integracji o charakterze społecznym",
    "sport_culture": "usługa aktywnej integracji o charakterze społecznym",
    "accompanying": "usługa aktywnej integracji o charakterze zdrowotnym",
}


class ServiceForm(models.TextChoices):
    INDIVIDUAL = "individual", _("indywidualna")
    GROUP = "group", _("grupowa")


class ServiceUnit(models.TextChoices):
    HOUR = "hour", _("godzina")
    DAY = "day", _("dzień")
    MONTH = "month", _("miesiąc")
    ONE_OFF = "one_off", _("jednorazowo")


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else str(value)


class Service(models.Model):
    """An item of the catalogue of partner services ("sieć wsparcia")."""

    name = models.CharField(_("nazwa"), max_length=200)
    provider = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="services", verbose_name=_("realizator")
    )
    module = models.CharField(_("moduł"), max_length=20, choices=Module.choices)
    form = models.CharField(_("forma"), max_length=20, choices=ServiceForm.choices, default=ServiceForm.INDIVIDUAL)
    unit = models.CharField(_("jednostka"), max_length=20, choices=ServiceUnit.choices, default=ServiceUnit.HOUR)
    capacity = models.PositiveIntegerField(
        _("liczba miejsc w okresie"), null=True, blank=True, help_text=_("Puste = bez limitu miejsc.")
    )
    capacity_period = models.CharField(
        _("okres, którego dotyczą miejsca"),
        max_length=100,
        blank=True,
        help_text=_("np. „edycja wrzesień–listopad 2017”, „miesiąc”, „rok 2017”."),
    )
    unit_cost = models.DecimalField(
        _("koszt jednostkowy (zł)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    # SL2014 "Rodzaj przyznanego wsparcia" / "W tym" of a referral to this service (the support of the
    # participation, reporting.Support); empty: the module's default (SL2014_FORM_OF_MODULE)
    sl2014_form = models.CharField(
        _("rodzaj wsparcia (SL2014)"), max_length=200, blank=True,
        help_text=_("Jak w słowniku SL2014; puste = domyślny rodzaj dla modułu usługi."),
    )  # fmt: skip
    sl2014_form_detail = models.CharField(_("w tym (SL2014)"), max_length=200, blank=True)
    description = models.TextField(_("opis"), blank=True)
    eligibility = models.TextField(_("warunki skorzystania"), blank=True)
    legal_basis = models.CharField(_("podstawa prawna"), max_length=300, blank=True)
    # name, description, eligibility and legal basis folded (no case, no diacritics): the catalogue's search
    search_text = FoldedField(max_length=4000, sources=("name", "description", "eligibility", "legal_basis"))
    valid_from = models.DateField(_("obowiązuje od"), null=True, blank=True)
    valid_to = models.DateField(_("obowiązuje do"), null=True, blank=True)
    is_active = models.BooleanField(_("aktywna"), default=True)

    class Meta:
        ordering = ["module", "name"]
        verbose_name = _("usługa")
        verbose_name_plural = _("usługi (katalog)")
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="service_name_unique_per_provider"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="service_validity_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.provider})"

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    # The choices' labels as Django's get_FOO_display gives them, without hashing every lazy label of
    # the choices on each call (the catalogue shows three of them on every card)
    def get_module_display(self) -> str:  # type: ignore[no-redef]  # django-stubs declares it
        return _label(Module, self.module)

    def get_form_display(self) -> str:  # type: ignore[no-redef]  # django-stubs declares it
        return _label(ServiceForm, self.form)

    def get_unit_display(self) -> str:  # type: ignore[no-redef]  # django-stubs declares it
        return _label(ServiceUnit, self.unit)

    # The places of a catalogue row (support_network.selectors.catalogue annotates the counts):
    # derived here, so the database does not count the referrals again for each of them.
    @property
    def places_taken(self) -> int:
        return self.places_in_use + self.places_reserved  # type: ignore[attr-defined]  # annotated

    @property
    def places_free(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.places_taken, 0)

    def support_form(self) -> tuple[str, str]:
        """The SL2014 support form and its "w tym" of a referral to this service."""
        if self.sl2014_form:
            return self.sl2014_form, self.sl2014_form_detail
        return SL2014_FORM_OF_MODULE.get(self.module, ""), self.sl2014_form_detail

    def is_available_on(self, day) -> bool:
        """Active and within its validity: the only services a new referral may point to."""
        return self.is_active and self.is_valid_on(day)


# Models in their own modules (this one is long), imported here so Django registers them and
# `support_network.models.X` keeps working (migrations name `agreement_scan_path` here).
from support_network.agreement_models import (  # noqa: E402, F401
    AGREEMENT_FIELDS,
    MEETING_FIELDS,
    Agreement,
    AgreementStatus,
    Meeting,
    agreement_scan_path,
)
from support_network.notification_models import Notification, NotificationKind  # noqa: E402, F401
from support_network.registers import NumberCounter, NumberRegister  # noqa: E402, F401  (this app's models, own module)
from support_network.teryt_models import GminaDegurba, TerytLevel, TerytUnit  # noqa: E402, F401
