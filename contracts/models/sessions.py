"""Group sessions: a catalogue service delivered as a series of sessions to a group (a workshop
cycle of 3 × 4 h, a KIS club cycle of 9 months, a training), its enrolled participants and the
attendance per session. Attendance of a participant who came through a referral is mirrored into
that referral's ReferralAttendance (contracts.services.sessions), so the referral's hours add up."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contracts.models.referrals import Referral, ReferralAttendance
from families.models import Person
from support_network.models import Institution, Project, Service, StaffMembership


def signed_list_path(instance, filename) -> str:
    # outside the web root (MEDIA_ROOT is never served), a random name, the extension kept
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"attendance_lists/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{suffix}"


class SessionGroup(models.Model):
    """A group (cycle) of a service: who runs it, for which project, the required attendance."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="groups", verbose_name=_("usługa"))
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="session_groups", verbose_name=_("realizator")
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="session_groups",
        verbose_name=_("projekt"),
    )
    name = models.CharField(_("nazwa grupy / cyklu"), max_length=200)
    required_attendance = models.PositiveSmallIntegerField(
        _("wymagana frekwencja (%)"), default=80, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("grupa zajęć")
        verbose_name_plural = _("grupy zajęć")
        constraints = [
            models.CheckConstraint(condition=Q(required_attendance__lte=100), name="group_required_attendance_pct")
        ]

    def __str__(self):
        return self.name


class GroupSession(models.Model):
    """One session (zajęcia) of a group: when, how long, where, what about, who ran it."""

    group = models.ForeignKey(SessionGroup, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("data"))
    starts_at = models.TimeField(_("godzina rozpoczęcia"))
    hours = models.DecimalField(
        _("liczba godzin"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    place = models.CharField(_("miejsce"), max_length=200)
    topic = models.CharField(_("temat"), max_length=300)
    trainer = models.ForeignKey(
        StaffMembership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions_run",
        verbose_name=_("prowadzący (pracownik)"),
    )
    trainer_name = models.CharField(
        _("prowadzący (spoza instytucji)"), max_length=200, blank=True, help_text=_("Gdy prowadzi osoba z zewnątrz.")
    )
    signed_list = models.FileField(
        _("podpisana lista obecności"), upload_to=signed_list_path, blank=True, max_length=200
    )
    signed_list_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["held_on", "starts_at", "pk"]
        verbose_name = _("zajęcia")
        verbose_name_plural = _("zajęcia")
        indexes = [models.Index(fields=["group", "held_on"])]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="group_session_hours_positive")]

    def __str__(self):
        return f"{self.held_on:%d.%m.%Y} {self.topic}"

    @property
    def trainer_label(self) -> str:
        if self.trainer is not None:
            user = self.trainer.user
            return user.get_full_name() or user.username
        return self.trainer_name


class GroupEnrolment(models.Model):
    """A participant of a group: from an accepted referral of the group's service, or by hand."""

    group = models.ForeignKey(SessionGroup, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="group_enrolments")
    referral = models.ForeignKey(
        Referral, on_delete=models.SET_NULL, null=True, blank=True, related_name="group_enrolments"
    )
    rating = models.PositiveSmallIntegerField(
        _("ocena uczestnika (1–5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Ocena usługi wystawiona przez uczestnika na ostatnich zajęciach (nieobowiązkowa)."),
    )
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    enrolled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person__last_name", "person__first_name", "pk"]
        verbose_name = _("uczestnik grupy")
        verbose_name_plural = _("uczestnicy grupy")
        constraints = [
            models.UniqueConstraint(fields=["group", "person"], name="one_enrolment_per_person_and_group"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | (Q(rating__gte=1) & Q(rating__lte=5)), name="enrolment_rating_1_5"
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.group})"


class SessionAttendance(models.Model):
    """A participant was present at a session; for a referral, the mirrored ReferralAttendance."""

    session = models.ForeignKey(GroupSession, on_delete=models.CASCADE, related_name="attendances")
    enrolment = models.ForeignKey(GroupEnrolment, on_delete=models.CASCADE, related_name="attendances")
    referral_attendance = models.OneToOneField(
        ReferralAttendance, on_delete=models.SET_NULL, null=True, blank=True, related_name="group_attendance"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("obecność na zajęciach")
        verbose_name_plural = _("obecności na zajęciach")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="one_attendance_per_session_and_enrolment")
        ]

    def __str__(self):
        return f"{self.enrolment_id}@{self.session_id}"
