"""Family programmes (program rodzinny) drafted by the MGI or a social worker and approved or
returned by a coordinator of the project (the PZKW in the Turek pilot).

Workflow: draft → submitted → approved | returned → (revised) → submitted … ; approved →
in implementation → completed. Every submission is an immutable ProgrammeVersion (a snapshot of
goals and actions); decisions and comments are ProgrammeEvents. Writes only through
contracts.services.programmes."""

from django.conf import settings
from django.db import models
from django.db.models import Min, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, predicate
from families.models import Family, NeedsDiagnosis, Person
from support_network.models import Module, Project, Service, Team


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("projekt")
    SUBMITTED = "submitted", _("przekazany do zatwierdzenia")
    RETURNED = "returned", _("zwrócony do poprawy")
    APPROVED = "approved", _("zatwierdzony")
    IN_IMPLEMENTATION = "in_implementation", _("w realizacji")
    COMPLETED = "completed", _("zakończony")


EDITABLE_STATUSES = (ProgrammeStatus.DRAFT, ProgrammeStatus.RETURNED)

ALREADY_DECIDED = _("Ta wersja programu została już rozstrzygnięta przez innego koordynatora (już rozstrzygnięto).")
_P = ProgrammeStatus
_CAN_DECIDE = predicate("contracts.access.can_decide_programme")
_CAN_RUN = predicate("contracts.access.can_run_programme")
_NOT_OWN_DECISION = _("Autor programu nie może sam go zatwierdzić ani zwrócić.")

# The programme's status machine (contracts.services.programmes applies it; docs/workflows.md
# shows it). Every transition bumps lock_version, so an edit opened before it is refused.
PROGRAMME_TRANSITIONS = {
    "submit": Transition(
        source=EDITABLE_STATUSES,
        target=_P.SUBMITTED,
        who=predicate("contracts.access.can_write_programme"),
        stamps=("status_changed_at", "submitted_at"),
        denied=_("Nie możesz przekazać tego programu."),
        illegal=_("Ten program został już przekazany do zatwierdzenia."),
        description="a new immutable version (snapshot) goes to the coordinator",
    ),
    "approve": Transition(
        source=(_P.SUBMITTED,),
        target=_P.APPROVED,
        who=_CAN_DECIDE,
        stamps=("status_changed_at",),
        denied=_NOT_OWN_DECISION,
        illegal=ALREADY_DECIDED,
        description="the coordinator approves the latest version; its catalogue actions become referrals",
    ),
    "return": Transition(
        source=(_P.SUBMITTED,),
        target=_P.RETURNED,
        who=_CAN_DECIDE,
        stamps=("status_changed_at",),
        denied=_NOT_OWN_DECISION,
        illegal=ALREADY_DECIDED,
        description="the coordinator returns it with a comment",
    ),
    "start": Transition(
        source=(_P.APPROVED,),
        target=_P.IN_IMPLEMENTATION,
        who=_CAN_RUN,
        stamps=("status_changed_at",),
        denied=_("Nie możesz rozpocząć realizacji tego programu."),
        illegal=_("Realizację rozpoczyna się tylko dla zatwierdzonego programu."),
        description="implementation starts",
    ),
    "complete": Transition(
        source=(_P.IN_IMPLEMENTATION,),
        target=_P.COMPLETED,
        who=_CAN_RUN,
        stamps=("status_changed_at",),
        denied=_("Nie możesz zakończyć tego programu."),
        illegal=_("Zakończyć można tylko program w realizacji."),
        description="implementation ends, with a closing note",
    ),
}


class PreparedBy(models.TextChoices):
    MGI = "mgi", _("Mobilna Grupa Interdyscyplinarna (MGI)")
    SOCIAL_WORKER = "social_worker", _("pracownik socjalny")


class FamilyProgramme(models.Model):
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="programmes", verbose_name=_("rodzina"))
    title = models.CharField(_("tytuł"), max_length=200, default="Program rodzinny")
    prepared_by = models.CharField(_("przygotowany przez"), max_length=20, choices=PreparedBy.choices)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="programmes", verbose_name=_("zespół MGI")
    )
    diagnosis = models.ForeignKey(
        NeedsDiagnosis,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
        verbose_name=_("diagnoza potrzeb"),
    )
    summary = models.TextField(_("opis sytuacji rodziny i założenia programu"), blank=True)
    period_start = models.DateField(_("realizacja od"))
    period_end = models.DateField(_("realizacja do"))
    status = models.CharField(
        _("status"), max_length=20, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT, db_index=True
    )
    status_changed_at = models.DateTimeField(_("zmiana statusu"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("przekazano do zatwierdzenia"), null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("autor")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Stored for the coordinator's queue (docs/performance/programmes.md): the family's
    # project, copied at creation and kept in step by families.services.family_update (it follows
    # FAMILY_PROJECT_COPY), so that a project scope filters the programmes without reading every
    # family; and the earliest end of the programme's open actions, kept by `refresh_next_due`
    # (the programme services after every write of actions, the load generator after its insert):
    # a programme has an action overdue on a day exactly when this date is before it.
    project = models.ForeignKey(
        Project, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    next_due_on = models.DateField(_("najbliższy termin działania"), null=True, blank=True, editable=False)

    FAMILY_PROJECT_COPY = "project"  # the field that copies the family's project (families.services)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("program rodzinny")
        verbose_name_plural = _("programy rodzinne")
        indexes = [
            # the queue's two lists within a coordinator's projects: awaiting by submission, running
            # ones by their next due date (those with an action overdue)
            models.Index(
                fields=["project", "submitted_at", "id"], condition=Q(status="submitted"), name="programme_awaiting"
            ),
            models.Index(
                fields=["project", "next_due_on", "id"],  # the overdue list reads the ids off the index alone
                condition=Q(status="in_implementation"),
                name="programme_running_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="programme_period_ordered"
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="submitted_programme_has_submission_time",
            ),
        ]

    def __str__(self):
        return f"{self.title} – {self.family}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


def refresh_next_due(programme_ids) -> None:
    """Store each programme's earliest end of an open (not done) action (one UPDATE); the programme
    services call it after every write of actions, the load generator after its bulk insert."""
    open_actions = ProgrammeAction.objects.filter(programme=OuterRef("pk"), done_on__isnull=True)
    earliest = open_actions.order_by().values("programme").annotate(end=Min("end_on")).values("end")
    FamilyProgramme.objects.filter(pk__in=programme_ids).update(next_due_on=Subquery(earliest))


class ProgrammeGoal(models.Model):
    programme = models.ForeignKey(FamilyProgramme, on_delete=models.CASCADE, related_name="goals")
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("członek rodziny"),
        help_text=_("Puste = cel całej rodziny."),
    )
    text = models.TextField(_("cel"))
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("cel programu")
        verbose_name_plural = _("cele programu")

    def __str__(self):
        return self.text[:80]


class ProgrammeAction(models.Model):
    """An action in one of the modules: a catalogue service (→ a referral on approval) or free text."""

    programme = models.ForeignKey(FamilyProgramme, on_delete=models.CASCADE, related_name="actions")
    module = models.CharField(_("moduł"), max_length=20, choices=Module.choices)
    service = models.ForeignKey(
        Service,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programme_actions",
        verbose_name=_("usługa z katalogu"),
    )
    description = models.TextField(_("opis działania"), blank=True)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("osoba")
    )
    start_on = models.DateField(_("planowany początek"))
    end_on = models.DateField(_("planowany koniec"))
    expected_result = models.TextField(_("oczekiwany rezultat"))
    done_on = models.DateField(_("wykonano dnia"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("kolejność"), default=0)

    class Meta:
        ordering = ["module", "start_on", "order", "pk"]
        verbose_name = _("działanie programu")
        verbose_name_plural = _("działania programu")
        indexes = [
            # the queue's overdue actions: the open ones that ended before a day, grouped by programme
            models.Index(
                fields=["end_on", "programme"], condition=Q(done_on__isnull=True), name="programme_action_open_end"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(service__isnull=False) | ~Q(description=""), name="programme_action_service_or_text"
            ),
            models.CheckConstraint(
                condition=Q(service__isnull=True) | Q(person__isnull=False),
                name="catalogue_action_names_the_person",
            ),
            models.CheckConstraint(condition=Q(end_on__gte=models.F("start_on")), name="programme_action_dates"),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.service is not None:
            return self.service.name + (f" – {self.description}" if self.description else "")
        return self.description


class ProgrammeVersion(models.Model):
    """One submission: an immutable snapshot of the programme's goals and actions."""

    programme = models.ForeignKey(FamilyProgramme, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("wersja"))
    submitted_at = models.DateTimeField(_("przekazano"), auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    snapshot = models.JSONField(_("treść wersji"), editable=False)

    class Meta:
        ordering = ["number"]
        verbose_name = _("wersja programu")
        verbose_name_plural = _("wersje programu")
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="programme_version_unique")]

    def __str__(self):
        return f"Wersja {self.number}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("Programme versions are immutable.")
        super().save(*args, **kwargs)


class ProgrammeEventKind(models.TextChoices):
    CREATED = "created", _("utworzono projekt")
    SUBMITTED = "submitted", _("przekazano do zatwierdzenia")
    RETURNED = "returned", _("zwrócono do poprawy")
    APPROVED = "approved", _("zatwierdzono")
    STARTED = "started", _("rozpoczęto realizację")
    COMPLETED = "completed", _("zakończono realizację")


DECISION_KINDS = (ProgrammeEventKind.RETURNED, ProgrammeEventKind.APPROVED)


class ProgrammeEvent(models.Model):
    """The domain record: every transition with who, when and the comment. A version gets at most
    one decision (enforced by the database too)."""

    programme = models.ForeignKey(FamilyProgramme, on_delete=models.CASCADE, related_name="events")
    version = models.ForeignKey(
        ProgrammeVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )
    kind = models.CharField(_("zdarzenie"), max_length=20, choices=ProgrammeEventKind.choices)
    comment = models.TextField(_("komentarz"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("kiedy"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("zdarzenie programu")
        verbose_name_plural = _("zdarzenia programu")
        constraints = [
            models.UniqueConstraint(
                fields=["version"], condition=Q(kind__in=["returned", "approved"]), name="one_decision_per_version"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"
