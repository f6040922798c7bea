"""Kontrakt socjalny (art. 108 u.p.s.; template: Rozporządzenie MPiPS z 8.11.2010, Dz.U. 2010 nr 218
poz. 1439) and its lifecycle (DOMAIN.md §1.4). Status changes are written only by
contracts.services.social_contracts; every change leaves a ContractEvent."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, predicate
from families.models import Family, Person
from support_network.models import Institution


class ContractKind(models.TextChoices):
    A = "A", _("typ A – osoba lub rodzina i pracownik socjalny")
    B = "B", _("typ B – osoba skierowana przez PUP")


class ContractStatus(models.TextChoices):
    DRAFT = "draft", _("projekt")
    ACTIVE = "active", _("zawarty")
    AMENDED = "amended", _("zawarty – zmieniony aneksem")
    COMPLETED_ACHIEVED = "completed_achieved", _("zrealizowany – cele osiągnięte")
    COMPLETED_PARTIAL = "completed_partial", _("zakończony – cele osiągnięte częściowo")
    TERMINATED_NONCOMPLIANCE = "terminated_noncompliance", _("rozwiązany – niewywiązywanie się z kontraktu")
    TERMINATED_CIRCUMSTANCES = "terminated_circumstances", _("rozwiązany – zmiana okoliczności")
    TERMINATED_OTHER = "terminated_other", _("rozwiązany – inna przyczyna")
    EXPIRED = "expired", _("wygasł bez oceny")
    REFUSED = "refused", _("odmowa zawarcia")


RUNNING_STATUSES = (ContractStatus.ACTIVE, ContractStatus.AMENDED)
COMPLETED_STATUSES = (ContractStatus.COMPLETED_ACHIEVED, ContractStatus.COMPLETED_PARTIAL)
TERMINATED_STATUSES = (
    ContractStatus.TERMINATED_NONCOMPLIANCE,
    ContractStatus.TERMINATED_CIRCUMSTANCES,
    ContractStatus.TERMINATED_OTHER,
)

_C = ContractStatus
_CAN_MANAGE = predicate("contracts.access.can_manage_contract")
CANNOT_MANAGE = _("Kontrakt socjalny prowadzi pracownik socjalny rodziny – nie możesz go zmieniać.")

# The contract's status machine (contracts.services.social_contracts applies it;
# docs/workflows.md shows it). Closing has one action per closing status.
CONTRACT_TRANSITIONS = {
    "sign": Transition(
        source=(_C.DRAFT,),
        target=_C.ACTIVE,
        who=_CAN_MANAGE,
        stamps=("status_changed_at",),
        denied=CANNOT_MANAGE,
        illegal=_("Ten kontrakt został już zawarty albo zamknięty."),
        description="signed by the parties (`signed_on`: the date on the paper)",
    ),
    "refuse": Transition(
        source=(_C.DRAFT,),
        target=_C.REFUSED,
        who=_CAN_MANAGE,
        stamps=("status_changed_at",),
        denied=CANNOT_MANAGE,
        illegal=_("Odmowę można odnotować tylko dla projektu kontraktu."),
        description="the person refused to conclude it (`closed_on`)",
    ),
    "amend": Transition(
        source=RUNNING_STATUSES,
        target=_C.AMENDED,
        who=_CAN_MANAGE,
        stamps=("status_changed_at",),
        denied=CANNOT_MANAGE,
        illegal=_("Aneks można sporządzić tylko do zawartego kontraktu."),
        description="an aneks (the text before it is kept with it)",
    ),
    **{
        f"close_{status.value}": Transition(
            source=RUNNING_STATUSES,
            target=status,
            who=_CAN_MANAGE,
            stamps=("status_changed_at",),
            denied=CANNOT_MANAGE,
            illegal=_("Zakończyć można tylko zawarty, trwający kontrakt."),
            description="closed with a goal-by-goal rating (`closed_on`)",
        )
        for status in (*COMPLETED_STATUSES, *TERMINATED_STATUSES)
    },
    "expire": Transition(
        source=RUNNING_STATUSES,
        target=_C.EXPIRED,
        who=None,
        stamps=("status_changed_at",),
        description="the daily job: the period ended long ago without a final evaluation (`closed_on`)",
    ),
}


class ActionOwner(models.TextChoices):
    CLIENT = "client", _("osoba (klient)")
    FAMILY_MEMBER = "family_member", _("członek rodziny")
    OPS = "ops", _("pracownik socjalny / OPS")
    PARTNER = "partner", _("instytucja partnerska")


class GoalAchievement(models.TextChoices):
    ACHIEVED = "achieved", _("osiągnięty")
    PARTLY = "partly", _("osiągnięty częściowo")
    NOT_ACHIEVED = "not_achieved", _("nieosiągnięty")


class SocialContract(models.Model):
    kind = models.CharField(_("typ kontraktu"), max_length=1, choices=ContractKind.choices, default=ContractKind.A)
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="social_contracts", verbose_name=_("ośrodek (OPS)")
    )
    number = models.CharField(
        _("numer kontraktu"),
        max_length=40,
        blank=True,
        editable=False,
        help_text=_("Z rejestru ośrodka, przy podpisaniu."),
    )
    family = models.ForeignKey(
        Family, on_delete=models.PROTECT, related_name="social_contracts", verbose_name=_("rodzina")
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="social_contracts",
        verbose_name=_("osoba zawierająca kontrakt"),
    )
    covered_members = models.ManyToManyField(
        Person,
        blank=True,
        related_name="covered_by_contracts",
        verbose_name=_("członkowie rodziny objęci kontraktem"),
    )
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="social_contracts",
        verbose_name=_("pracownik socjalny"),
    )
    concluded_on = models.DateField(_("data zawarcia"))
    signed_on = models.DateField(_("data podpisania"), null=True, blank=True)
    period_start = models.DateField(_("okres obowiązywania od"))
    period_end = models.DateField(_("okres obowiązywania do"))
    # Part I: assessment of the life situation
    causes = models.TextField(_("przyczyny trudnej sytuacji życiowej"))
    resources = models.TextField(_("możliwości i zasoby (mocne strony)"), blank=True)
    limitations = models.TextField(_("ograniczenia i bariery"), blank=True)
    # Part I B only
    pup_referral = models.CharField(
        _("skierowanie z PUP (numer i data)"), max_length=120, blank=True, help_text=_("Tylko kontrakt typu B.")
    )
    unemployment_causes = models.TextField(_("przyczyny pozostawania bez pracy"), blank=True)
    previous_activation = models.TextField(_("dotychczasowe działania aktywizacyjne"), blank=True)
    activation_failure = models.TextField(_("przyczyny niepowodzenia dotychczasowej aktywizacji"), blank=True)
    main_goal = models.TextField(_("cel główny"))
    evaluation_method = models.TextField(
        _("sposób oceny realizacji"),
        default="Rozmowa oceniająca z pracownikiem socjalnym w wyznaczonych terminach oceny.",
    )
    status = models.CharField(
        _("status"), max_length=30, choices=ContractStatus.choices, default=ContractStatus.DRAFT, db_index=True
    )
    status_changed_at = models.DateTimeField(_("zmiana statusu"), auto_now_add=True)
    closed_on = models.DateField(_("data zakończenia"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("utworzył")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # see core.locking

    class Meta:
        ordering = ["-concluded_on", "-pk"]
        verbose_name = _("kontrakt socjalny")
        verbose_name_plural = _("kontrakty socjalne")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="contract_period_ordered"
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="refused") | Q(signed_on__isnull=False),
                name="concluded_contract_has_signed_date",
            ),
            models.UniqueConstraint(
                fields=["institution", "number"], condition=~Q(number=""), name="contract_number_unique_per_ops"
            ),
        ]
        indexes = [models.Index(fields=["social_worker", "status"])]

    def __str__(self):
        # Follows the words "Kontrakt socjalny" on every page and in the e-mails ("Kontrakt socjalny nr
        # KS/2026/001"); a draft has no number yet (the register gives it at signing).
        return _("nr %(number)s") % {"number": self.number} if self.number else f"#{self.pk}"

    @property
    def is_draft(self) -> bool:
        return self.status == ContractStatus.DRAFT

    @property
    def is_running(self) -> bool:
        return self.status in RUNNING_STATUSES

    def clean(self):
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("Koniec okresu nie może być wcześniejszy niż jego początek.")
        if self.kind == ContractKind.B and not self.unemployment_causes:
            errors["unemployment_causes"] = _("W kontrakcie typu B opisz przyczyny pozostawania bez pracy.")
        if errors:
            raise ValidationError(errors)


# What the social worker writes on a contract (its form and its create/update services); the covered
# members (many-to-many) and the goals, actions and evaluations are set apart.
CONTRACT_FIELDS = [
    "kind",
    "person",
    "concluded_on",
    "period_start",
    "period_end",
    "causes",
    "resources",
    "limitations",
    "pup_referral",
    "unemployment_causes",
    "previous_activation",
    "activation_failure",
    "main_goal",
    "evaluation_method",
]


class ContractGoal(models.Model):
    """A specific goal (cel szczegółowy) with its achievement rated when the contract ends."""

    contract = models.ForeignKey(SocialContract, on_delete=models.CASCADE, related_name="goals")
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)
    text = models.TextField(_("cel szczegółowy"))
    achievement = models.CharField(_("ocena osiągnięcia"), max_length=20, choices=GoalAchievement.choices, blank=True)
    achievement_note = models.TextField(_("uzasadnienie oceny"), blank=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("cel szczegółowy")
        verbose_name_plural = _("cele szczegółowe")

    def __str__(self):
        return self.text[:80]


class ContractAction(models.Model):
    """An action (obligation) of one side with its owner and deadline."""

    contract = models.ForeignKey(SocialContract, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)
    description = models.TextField(_("działanie / zobowiązanie"))
    owner = models.CharField(_("kto realizuje"), max_length=20, choices=ActionOwner.choices)
    owner_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("członek rodziny")
    )
    owner_institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("instytucja")
    )
    deadline = models.DateField(_("termin"))
    done_on = models.DateField(_("wykonano dnia"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("przypomnienie wysłane"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["deadline", "order", "pk"]
        verbose_name = _("działanie kontraktu")
        verbose_name_plural = _("działania kontraktu")
        constraints = [
            models.CheckConstraint(
                condition=~Q(owner="family_member") | Q(owner_person__isnull=False),
                name="family_member_action_names_the_person",
            ),
            models.CheckConstraint(
                condition=~Q(owner="partner") | Q(owner_institution__isnull=False),
                name="partner_action_names_the_institution",
            ),
        ]

    def __str__(self):
        return self.description[:80]

    @property
    def owner_label(self) -> str:
        if self.owner == ActionOwner.FAMILY_MEMBER and self.owner_person_id:
            return f"{self.get_owner_display()}: {self.owner_person}"
        if self.owner == ActionOwner.PARTNER and self.owner_institution_id:
            return f"{self.get_owner_display()}: {self.owner_institution}"
        return self.get_owner_display()


class ContractEvaluation(models.Model):
    """A scheduled evaluation (ocena realizacji, część II) and, once held, its result."""

    contract = models.ForeignKey(SocialContract, on_delete=models.CASCADE, related_name="evaluations")
    due_on = models.DateField(_("termin oceny"))
    held_on = models.DateField(_("ocena przeprowadzona dnia"), null=True, blank=True)
    result = models.TextField(_("wynik oceny"), blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(_("przypomnienie wysłane"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("termin oceny")
        verbose_name_plural = _("terminy oceny")
        constraints = [
            models.CheckConstraint(
                condition=Q(held_on__isnull=True) | ~Q(result=""), name="held_evaluation_has_result"
            ),
        ]

    def __str__(self):
        return f"Ocena {self.due_on:%d.%m.%Y}"


class ContractAmendment(models.Model):
    """An aneks: dated, with its content and reason. Immutable; `previous` keeps the text of the
    contract as it stood before the amendment, so the earlier version stays readable."""

    contract = models.ForeignKey(SocialContract, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("numer aneksu"))
    amended_on = models.DateField(_("data aneksu"))
    content = models.TextField(_("treść zmiany"))
    reason = models.TextField(_("powód zmiany"))
    new_period_end = models.DateField(_("nowy koniec okresu"), null=True, blank=True)
    previous = models.JSONField(_("treść kontraktu przed zmianą"), default=dict, editable=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("aneks do kontraktu")
        verbose_name_plural = _("aneksy do kontraktu")
        constraints = [models.UniqueConstraint(fields=["contract", "number"], name="amendment_number_unique")]

    def __str__(self):
        return f"Aneks nr {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.pop("force_allow", False):
            raise ValueError("Contract amendments are immutable.")
        super().save(*args, **kwargs)


class ContractEvent(models.Model):
    """The domain record of a status change: when, who, from/to, why (shown on the contract page)."""

    contract = models.ForeignKey(SocialContract, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(_("poprzedni status"), max_length=30, choices=ContractStatus.choices, blank=True)
    to_status = models.CharField(_("nowy status"), max_length=30, choices=ContractStatus.choices)
    on = models.DateField(_("data zdarzenia"))
    at = models.DateTimeField(_("zapisano"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    reason = models.TextField(_("uzasadnienie"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("zmiana statusu kontraktu")
        verbose_name_plural = _("zmiany statusu kontraktów")

    def __str__(self):
        return f"{self.get_to_status_display()} {self.on:%d.%m.%Y}"
