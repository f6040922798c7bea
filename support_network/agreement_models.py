"""Cooperation agreements between the partnership's institutions and the meetings of its teams
(support_network/models.py was too long; the models are imported there so Django registers them)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def agreement_scan_path(instance, filename) -> str:
    # The original name is not kept in the path (it may contain personal data); the extension is.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"agreements/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class AgreementStatus(models.TextChoices):
    PLANNED = "planned", _("planowane")
    SIGNED = "signed", _("zawarte")
    EXPIRED = "expired", _("wygasłe")


class Agreement(models.Model):
    """A cooperation agreement (porozumienie) between institutions of the partnership."""

    title = models.CharField(_("tytuł"), max_length=300)
    number = models.CharField(_("numer"), max_length=80, blank=True)
    subject = models.TextField(_("przedmiot porozumienia"))
    parties = models.ManyToManyField("support_network.Institution", related_name="agreements", verbose_name=_("strony"))
    project = models.ForeignKey(
        "support_network.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("projekt"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AgreementStatus.choices, default=AgreementStatus.PLANNED
    )
    deadline = models.DateField(
        _("termin zawarcia"),
        null=True,
        blank=True,
        help_text=_("Dla porozumienia planowanego: do kiedy ma być zawarte."),
    )
    signed_on = models.DateField(_("data zawarcia"), null=True, blank=True)
    valid_until = models.DateField(_("obowiązuje do"), null=True, blank=True, help_text=_("Puste = bezterminowo."))
    scan = models.FileField(_("skan"), upload_to=agreement_scan_path, blank=True, max_length=200)
    notes = models.TextField(_("uwagi"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # see core.locking

    class Meta:
        ordering = ["-signed_on", "deadline", "title"]
        verbose_name = _("porozumienie o współpracy")
        verbose_name_plural = _("porozumienia o współpracy")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="planned") | Q(deadline__isnull=False), name="planned_agreement_has_deadline"
            ),
            models.CheckConstraint(
                condition=Q(status="planned") | Q(signed_on__isnull=False), name="signed_agreement_has_date"
            ),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(valid_until__gte=models.F("signed_on")),
                name="agreement_validity_ordered",
            ),
        ]

    def __str__(self):
        return self.title

    def status_on(self, day) -> str:
        """The status as of `day`: a signed agreement past its end date counts as expired."""
        if self.status == AgreementStatus.SIGNED and self.valid_until is not None and self.valid_until < day:
            return AgreementStatus.EXPIRED
        return self.status

    def is_past_deadline_on(self, day) -> bool:
        """A planned agreement not signed by its deadline: flagged on the list."""
        return self.status == AgreementStatus.PLANNED and self.deadline is not None and self.deadline < day

    @property
    def current_status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_current_status_display(self) -> str:
        return str(AgreementStatus(self.current_status).label)

    @property
    def is_past_deadline(self) -> bool:
        return self.is_past_deadline_on(timezone.localdate())


class Meeting(models.Model):
    """A meeting of a team (PZKW, MGI, working group): agenda, who came, what was decided."""

    team = models.ForeignKey(
        "support_network.Team", on_delete=models.CASCADE, related_name="meetings", verbose_name=_("zespół")
    )
    starts_at = models.DateTimeField(_("data i godzina"))
    place = models.CharField(_("miejsce"), max_length=300)
    agenda = models.TextField(_("porządek spotkania"))
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="meetings_attended", verbose_name=_("obecni członkowie")
    )
    guests = models.TextField(
        _("goście i pozostali uczestnicy"), blank=True, help_text=_("np. przedstawiciele PUP zaproszeni na spotkanie.")
    )
    decisions = models.TextField(_("ustalenia"), blank=True)
    next_meeting_at = models.DateTimeField(_("termin kolejnego spotkania"), null=True, blank=True)
    next_meeting_note = models.CharField(_("kolejne spotkanie – miejsce i temat"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # see core.locking

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("spotkanie zespołu")
        verbose_name_plural = _("spotkania zespołów")
        constraints = [
            models.UniqueConstraint(fields=["team", "starts_at"], name="one_meeting_of_a_team_at_a_time"),
            models.CheckConstraint(
                condition=Q(next_meeting_at__isnull=True) | Q(next_meeting_at__gt=models.F("starts_at")),
                name="next_meeting_after_this_one",
            ),
        ]
        indexes = [models.Index(fields=["team", "starts_at"])]

    def __str__(self):
        return f"{self.team} {timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"


# The fields a person edits (the agreement's parties and the meeting's attendees are relations the
# service sets apart): the form and the service (support_network/services.py) share these lists.
AGREEMENT_FIELDS = ("title", "number", "subject", "project", "status", "deadline", "signed_on", "valid_until", "scan",
                    "notes")  # fmt: skip
MEETING_FIELDS = ("starts_at", "place", "agenda", "guests", "decisions", "next_meeting_at", "next_meeting_note")
