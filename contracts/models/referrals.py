"""Referrals (skierowania) of a person to a catalogue service, the partner's feedback (attendance,
outcome) and the dated history of every change."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, predicate
from families.models import Person
from support_network.models import Institution, Service


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("projekt")
    SENT = "sent", _("wysłane")
    WAITING = "waiting", _("lista rezerwowa")
    ACCEPTED = "accepted", _("przyjęte")
    REJECTED = "rejected", _("odrzucone")
    IN_PROGRESS = "in_progress", _("w realizacji")
    COMPLETED = "completed", _("zakończone")
    DROPPED = "dropped", _("przerwane")


# A referral in these statuses holds one place of the service (sent ones hold it until answered).
PLACE_HOLDING_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)
# Statuses the partner's inbox shows (drafts belong to the sender only).
INBOX_STATUSES = tuple(s for s in ReferralStatus if s != ReferralStatus.DRAFT)
OPEN_STATUSES = (
    ReferralStatus.DRAFT,
    ReferralStatus.SENT,
    ReferralStatus.WAITING,
    ReferralStatus.ACCEPTED,
    ReferralStatus.IN_PROGRESS,
)


def referral_cannot(action):
    """The message of a step the referral is already past (a second click, a lost race)."""

    def message(referral) -> str:
        return _("Nie można %(action)s: skierowanie ma już status „%(status)s”.") % {
            "action": action,
            "status": referral.get_status_display(),
        }

    return message


_S = ReferralStatus
_CAN_SEND = predicate("contracts.access.can_send")
_CAN_ANSWER = predicate("contracts.access.can_answer")
_NOT_SENDER = _("Skierowanie wysyła, wycofuje i usuwa pracownik prowadzący osobę.")
_NOT_PARTNER = _("Na skierowanie odpowiada tylko instytucja, do której je wysłano.")

# The referral's status machine (contracts.services.referrals applies it; docs/workflows.md shows it).
REFERRAL_TRANSITIONS = {
    "send": Transition(
        source=(_S.DRAFT,),
        target=_S.SENT,
        who=_CAN_SEND,
        stamps=("status_changed_at", "sent_at"),
        denied=_NOT_SENDER,
        illegal=referral_cannot(_("wysłać skierowania")),
        description="a place is free: to the partner's inbox (answer due in N working days)",
    ),
    "queue": Transition(
        source=(_S.DRAFT,),
        target=_S.WAITING,
        who=_CAN_SEND,
        stamps=("status_changed_at", "queued_at"),
        denied=_NOT_SENDER,
        illegal=referral_cannot(_("wysłać skierowania")),
        description="sent while the service is full: onto its waiting list",
    ),
    "promote": Transition(
        source=(_S.WAITING,),
        target=_S.SENT,
        who=None,
        stamps=("status_changed_at", "sent_at"),
        illegal=referral_cannot(_("wysłać skierowania")),
        description="a place freed up: the first waiting referral is sent",
    ),
    "accept": Transition(
        source=(_S.SENT,),
        target=_S.ACCEPTED,
        who=_CAN_ANSWER,
        stamps=("status_changed_at", "answered_at"),
        denied=_NOT_PARTNER,
        illegal=referral_cannot(_("przyjąć skierowania")),
        description="the partner accepts",
    ),
    "reject": Transition(
        source=(_S.SENT,),
        target=_S.REJECTED,
        who=_CAN_ANSWER,
        stamps=("status_changed_at", "answered_at"),
        denied=_NOT_PARTNER,
        illegal=referral_cannot(_("odrzucić skierowania")),
        description="the partner rejects, with a reason (`rejection_reason`)",
    ),
    "start": Transition(
        source=(_S.ACCEPTED,),
        target=_S.IN_PROGRESS,
        who=_CAN_ANSWER,
        stamps=("status_changed_at", "started_on"),
        denied=_NOT_PARTNER,
        illegal=referral_cannot(_("rozpocząć realizacji")),
        description="the partner starts (or records the first attendance)",
    ),
    "complete": Transition(
        source=(_S.IN_PROGRESS,),
        target=_S.COMPLETED,
        who=_CAN_ANSWER,
        stamps=("status_changed_at", "finished_on"),
        denied=_NOT_PARTNER,
        illegal=referral_cannot(_("zakończyć realizacji")),
        description="the partner completes, with the outcome",
    ),
    "drop": Transition(
        source=(_S.WAITING, _S.ACCEPTED, _S.IN_PROGRESS),
        target=_S.DROPPED,
        who=predicate("contracts.access.can_drop"),
        stamps=("status_changed_at", "finished_on"),
        denied=_("Nie możesz przerwać tego skierowania."),
        illegal=referral_cannot(_("przerwać skierowania")),
        description="the person resigned or stopped attending, with a reason (`drop_reason`)",
    ),
}


class Referral(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("osoba"))
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("usługa"))
    institution = models.ForeignKey(
        Institution,
        on_delete=models.PROTECT,
        related_name="incoming_referrals",
        verbose_name=_("instytucja przyjmująca"),
        help_text=_("Realizator usługi w chwili skierowania (skrzynka partnera)."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_sent", verbose_name=_("kierujący")
    )
    reason = models.TextField(_("uzasadnienie"))
    wished_start = models.DateField(_("proponowany termin rozpoczęcia"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT)
    status_changed_at = models.DateTimeField(_("zmiana statusu"), auto_now_add=True)
    sent_at = models.DateTimeField(_("wysłane"), null=True, blank=True)
    answer_due = models.DateField(
        _("termin odpowiedzi"),
        null=True,
        blank=True,
        help_text=_("N dni roboczych od wysłania (ustawienie instytucji)."),
    )
    queued_at = models.DateTimeField(_("wpisane na listę rezerwową"), null=True, blank=True)
    answered_at = models.DateTimeField(_("odpowiedź partnera"), null=True, blank=True)
    overdue_at = models.DateTimeField(
        _("oznaczone jako przeterminowane"),
        null=True,
        blank=True,
        help_text=_("Ustawiane przez codzienne zadanie; kierujący dostaje wtedy powiadomienie."),
    )
    overdue_notified_at = models.DateTimeField(_("kierujący powiadomiony o braku odpowiedzi"), null=True, blank=True)
    rejection_reason = models.TextField(_("powód odrzucenia"), blank=True)
    drop_reason = models.TextField(_("powód przerwania"), blank=True)
    started_on = models.DateField(_("rozpoczęcie"), null=True, blank=True)
    finished_on = models.DateField(_("zakończenie"), null=True, blank=True)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("skierowanie")
        verbose_name_plural = _("skierowania")
        indexes = [
            models.Index(fields=["institution", "status"]),
            models.Index(fields=["service", "status"]),
            models.Index(fields=["created_by", "status"]),
            models.Index(fields=["status", "answer_due"]),
            # the lists' open tab in their order (answer due, newest first): the inbox reads one page
            # of the index instead of sorting every open referral of the institution; the status is
            # carried (PostgreSQL) so that the inbox, which leaves the drafts out, reads any page,
            # the last one too, from the index alone (an index-only scan)
            models.Index(
                "institution",
                "answer_due",
                models.F("created_at").desc(),
                models.F("id").desc(),
                name="referral_open_inbox",
                condition=Q(status__in=OPEN_STATUSES),
                include=["status"],
            ),
            # the group page's enrolment offer counts the service's accepted referrals to the group's
            # institution (and leaves out the persons already enrolled) from this index alone
            models.Index(
                fields=["service", "institution", "status"], include=["person"], name="referral_service_offer"
            ),
            # the waiting position of a list's or a page's referral counts those queued before it on
            # the service's waiting list: from this small index alone, not from the heap of every
            # waiting referral of the service (once per row of a list)
            models.Index(
                fields=["service", "queued_at", "id"],
                name="referral_waiting_queue",
                condition=Q(status=ReferralStatus.WAITING),
            ),
            # the caseworker's sent list (its open tab, the default): the open referrals of the
            # caseload's persons, without reading the closed ones' rows
            models.Index(fields=["person"], name="referral_open_person", condition=Q(status__in=OPEN_STATUSES)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="rejected_referral_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="dropped") | ~Q(drop_reason=""), name="dropped_referral_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | (Q(sent_at__isnull=False) & Q(answer_due__isnull=False)),
                name="sent_referral_has_answer_due",
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(queued_at__isnull=False), name="waiting_referral_is_queued"
            ),
        ]

    def __str__(self):
        return f"Skierowanie #{self.pk}"

    def is_overdue_on(self, day) -> bool:
        """Sent and still unanswered after its answer date (N working days after sending)."""
        return self.status == ReferralStatus.SENT and self.answer_due is not None and self.answer_due < day

    @property
    def is_overdue(self) -> bool:
        return self.is_overdue_on(timezone.localdate())

    @property
    def status_badge(self) -> str:
        """The Bootstrap classes of the status badge (lists and the referral's page)."""
        return STATUS_BADGES.get(self.status, "text-bg-primary")

    def get_status_display(self) -> str:  # type: ignore[no-redef]  # django-stubs declares it
        """As Django's, without hashing every choice's lazy label on each call (lists call it per row)."""
        return str(ReferralStatus(self.status).label) if self.status in ReferralStatus.values else str(self.status)


STATUS_BADGES: dict[str, str] = {
    ReferralStatus.REJECTED: "text-bg-danger",
    ReferralStatus.DROPPED: "text-bg-danger",
    ReferralStatus.COMPLETED: "text-bg-success",
    ReferralStatus.WAITING: "text-bg-warning",
    ReferralStatus.DRAFT: "text-bg-light border",
}  # any other status: text-bg-primary


class ReferralEventKind(models.TextChoices):
    STATUS = "status", _("zmiana statusu")
    ATTENDANCE = "attendance", _("obecność")
    OUTCOME = "outcome", _("rezultat")
    OVERDUE = "overdue", _("brak odpowiedzi w terminie")


class ReferralEvent(models.Model):
    """One dated change of a referral, with who made it (the person's timeline shows it)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("rodzaj"), max_length=20, choices=ReferralEventKind.choices, default="status")
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices)
    at = models.DateTimeField(_("kiedy"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    note = models.TextField(_("uwagi"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("zmiana statusu skierowania")
        verbose_name_plural = _("zmiany statusu skierowań")
        indexes = [models.Index(fields=["referral", "at"])]

    def __str__(self):
        return f"{self.get_status_display()} {self.at:%Y-%m-%d %H:%M}"


class ReferralAttendance(models.Model):
    """Attendance recorded by the partner: sessions and hours on a day (e.g. a 12-hour workshop)."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attendances")
    held_on = models.DateField(_("data"))
    sessions = models.PositiveSmallIntegerField(
        _("liczba spotkań/zajęć"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    hours = models.DecimalField(
        _("liczba godzin"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("500"))],
    )
    note = models.CharField(_("uwagi"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    idempotency_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["held_on", "pk"]
        verbose_name = _("obecność")
        verbose_name_plural = _("obecności")
        constraints = [
            models.CheckConstraint(condition=Q(hours__gt=0), name="attendance_hours_positive"),
            models.CheckConstraint(condition=Q(sessions__gt=0), name="attendance_sessions_positive"),
        ]

    def __str__(self):
        return f"{self.held_on:%d.%m.%Y}: {self.hours} h"


class EmploymentForm(models.TextChoices):
    """The form of a job found after a referral; the EFS record (reporting) uses the same codes."""

    CONTRACT = "umowa_o_prace", _("umowa o pracę")
    CIVIL = "umowa_cywilnoprawna", _("umowa cywilnoprawna")
    BUSINESS = "dzialalnosc", _("działalność gospodarcza")
    BUSINESS_EFS_GRANT = "dzialalnosc_efs", _("działalność gospodarcza z dotacji EFS")


class JobSeekingKind(models.TextChoices):
    REGISTERED = "registered", _("rejestracja w PUP")
    ACTIVE = "active", _("aktywne poszukiwanie pracy")


class ProgressCategory(models.TextChoices):
    """Social progress categories a–h (DOMAIN.md §5.3, KES)."""

    A = "a", _("a) podjęcie nauki")
    B = "b", _("b) wzmocnienie motywacji do pracy")
    C = "c", _("c) zwiększenie pewności siebie i wiary we własne umiejętności")
    D = "d", _("d) poprawa umiejętności rozwiązywania problemów")
    E = "e", _("e) podjęcie wolontariatu")
    F = "f", _("f) poprawa stanu zdrowia")
    G = "g", _("g) ograniczenie nałogów")
    H = "h", _("h) poprawa funkcjonowania (osoby z niepełnosprawnościami)")


class ReferralOutcome(models.Model):
    """What the service achieved, as the partner reports it."""

    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="outcome")
    completed = models.BooleanField(_("ukończył(a) usługę zgodnie z planem"), default=True)
    qualification_obtained = models.BooleanField(_("uzyskał(a) kwalifikację"), default=False)
    qualification_name = models.CharField(_("kwalifikacja"), max_length=200, blank=True)
    qualification_on = models.DateField(_("data uzyskania kwalifikacji"), null=True, blank=True)
    employed = models.BooleanField(_("podjął(ęła) zatrudnienie"), default=False)
    employer = models.CharField(_("pracodawca"), max_length=200, blank=True)
    employment_form = models.CharField(
        _("forma zatrudnienia"), max_length=30, choices=EmploymentForm.choices, blank=True
    )
    employment_start = models.DateField(_("data rozpoczęcia pracy"), null=True, blank=True)
    employment_fte = models.DecimalField(
        _("wymiar etatu"), max_digits=3, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
        help_text=_("Dla umowy o pracę, np. 0,5 albo 1."),
    )  # fmt: skip
    employment_months = models.PositiveSmallIntegerField(
        _("planowany okres zatrudnienia (miesiące)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(600)],
    )  # fmt: skip
    job_seeking_kind = models.CharField(
        _("poszukiwanie pracy potwierdzone"), max_length=20, choices=JobSeekingKind.choices, blank=True
    )
    job_seeking_on = models.DateField(_("data potwierdzenia poszukiwania pracy"), null=True, blank=True)
    school_started_on = models.DateField(_("data podjęcia kształcenia szkolnego"), null=True, blank=True)
    progress_categories = models.CharField(
        _("kategorie postępu społecznego (a–h)"), max_length=8, blank=True,
        help_text=_("Litery kategorii a–h, np. „bc”."),
    )  # fmt: skip
    progress_on = models.DateField(_("data potwierdzenia postępu"), null=True, blank=True)
    note = models.TextField(_("uwagi"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # see core.locking

    class Meta:
        verbose_name = _("rezultat skierowania")
        verbose_name_plural = _("rezultaty skierowań")
        constraints = [
            models.CheckConstraint(
                condition=Q(qualification_obtained=False) | Q(qualification_on__isnull=False),
                name="qualification_has_date",
            ),
            models.CheckConstraint(
                condition=Q(employed=False)
                | (~Q(employer="") & ~Q(employment_form="") & Q(employment_start__isnull=False)),
                name="employment_has_employer_form_and_start",
            ),
        ]

    def __str__(self):
        return f"Rezultat skierowania #{self.referral_id}"
