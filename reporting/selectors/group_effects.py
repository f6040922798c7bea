"""The group-session columns of the dashboard's "which services work" panel (KIS Sochaczew's
question: which elements work best): per service delivered in groups to the project's
participants, within the project's period — attendance rate (hours attended / hours held while
enrolled), completion and employment (of the referral behind the enrolment) and the participants'
own rating (1–5). One aggregate query."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, DecimalField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from contracts.models import GroupEnrolment, GroupSession, ReferralStatus, SessionAttendance
from reporting.selectors.indicators import percent

ZERO = Value(Decimal("0"), output_field=DecimalField())


@dataclass(frozen=True)
class GroupServiceRow:
    service_id: int
    name: str
    participants: int
    hours_held: Decimal
    hours_attended: Decimal
    completions: int
    employed: int
    rated: int
    average_rating: Decimal | None

    @property
    def attendance_rate(self) -> Decimal | None:
        if not self.hours_held:
            return None
        return (self.hours_attended * 100 / self.hours_held).quantize(Decimal("0.1"))

    @property
    def completion_rate(self) -> Decimal | None:
        return percent(self.completions, self.participants)

    @property
    def employment_rate(self) -> Decimal | None:
        return percent(self.employed, self.participants)


def _in_period(project, prefix: str = "") -> Q:
    return Q(**{f"{prefix}held_on__gte": project.start_date, f"{prefix}held_on__lte": project.end_date})


def group_effects(project) -> list[GroupServiceRow]:
    """Enrolments of the project's groups whose person has a participation in the project."""
    held = (
        GroupSession.objects.filter(_in_period(project), group=OuterRef("group"))
        .order_by()
        .values("group")
        .annotate(h=Sum("hours"))
        .values("h")
    )
    attended = (
        SessionAttendance.objects.filter(_in_period(project, "session__"), enrolment=OuterRef("pk"))
        .order_by()
        .values("enrolment")
        .annotate(h=Sum("session__hours"))
        .values("h")
    )
    rows = (
        GroupEnrolment.objects.filter(group__project=project, person__in=project.participations.values("person_id"))
        .annotate(
            held=Coalesce(Subquery(held, output_field=DecimalField()), ZERO),
            attended=Coalesce(Subquery(attended, output_field=DecimalField()), ZERO),
        )
        .values("group__service_id", "group__service__name")
        .annotate(
            participants=Count("person", distinct=True),
            hours_held=Sum("held"),
            hours_attended=Sum("attended"),
            completions=Count("pk", filter=Q(referral__status=ReferralStatus.COMPLETED)),
            employed=Count("pk", filter=Q(referral__outcome__employed=True)),
            rated=Count("rating"),
            average_rating=Avg("rating"),
        )
        .order_by("group__service__name")
    )
    return [
        GroupServiceRow(
            service_id=row["group__service_id"],
            name=row["group__service__name"],
            participants=row["participants"],
            hours_held=row["hours_held"] or Decimal("0"),
            hours_attended=row["hours_attended"] or Decimal("0"),
            completions=row["completions"],
            employed=row["employed"],
            rated=row["rated"],
            average_rating=(
                Decimal(row["average_rating"]).quantize(Decimal("0.1")) if row["average_rating"] is not None else None
            ),
        )
        for row in rows
    ]
