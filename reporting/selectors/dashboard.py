"""The project dashboard: enrolment by month against the target, follow-ups due, and the
"which services work" table (Sochaczew pilot) — each one aggregate query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from contracts.models import ReferralStatus
from reporting.codes import OutcomeKind
from reporting.models import OutcomeEvent, Participation, ProjectRules, Support
from reporting.selectors.dates import AddDays, AddMonths
from reporting.selectors.indicators import percent


def _months(first: dt.date, last: dt.date) -> list[dt.date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def enrolment_by_month(project) -> list[tuple[str, int]]:
    """Cumulative number of participations started, per month of the project (one query)."""
    per_month = dict(
        Participation.objects.filter(project=project, start_date__isnull=False)
        .annotate(month=TruncMonth("start_date"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    per_month = {(m.date() if isinstance(m, dt.datetime) else m): n for m, n in per_month.items()}
    months = _months(project.start_date, project.end_date)
    before = sum(n for m, n in per_month.items() if m < months[0]) if months else 0
    series, running = [], before
    for month in months:
        running += per_month.get(month, 0)
        series.append((month.strftime("%m.%Y"), running))
    return series


@dataclass(frozen=True)
class FollowUps:
    result_window_open: int  # ended, still inside end + 28 days: 4-week follow-up due
    effect_window_open: int  # ended, still inside end + 3 months: 3-month follow-up due


def follow_ups_due(project, *, today: dt.date | None = None) -> FollowUps:
    today = today or timezone.localdate()
    rules = ProjectRules.for_project(project)
    values = (
        Participation.objects.filter(project=project, end_date__isnull=False, end_date__lte=today)
        .annotate(
            result_end=AddDays(F("end_date"), rules.result_window_days),
            effect_end=AddMonths(F("end_date"), rules.effectiveness_window_months),
        )
        .aggregate(
            result=Count("pk", filter=Q(result_end__gte=today)),
            effect=Count("pk", filter=Q(effect_end__gte=today)),
        )
    )
    return FollowUps(result_window_open=values["result"], effect_window_open=values["effect"])


@dataclass(frozen=True)
class ServiceRow:
    service_id: int
    name: str
    provider: str
    participants: int
    completions: int
    employed: int
    progressed: int

    @property
    def employment_rate(self) -> Decimal | None:
        return percent(self.employed, self.participants)

    @property
    def progress_rate(self) -> Decimal | None:
        return percent(self.progressed, self.participants)


def services_effects(project) -> list[ServiceRow]:
    """Per catalogue service that supported the project's participants: the referrals that are
    supports of a participation of this project (reporting.services.referral_flow: attendance inside
    the project's period, a person with a participation in it): participants, completions, and how
    many of them took up employment / made social progress (a confirmed outcome event dated on or
    after their start date). One aggregate query."""
    employed = OutcomeEvent.objects.filter(
        participation__project=project, kind=OutcomeKind.EMPLOYMENT, occurred_on__gte=F("participation__start_date")
    ).values("participation_id")
    progressed = OutcomeEvent.objects.filter(
        participation__project=project, kind=OutcomeKind.SOCIAL_PROGRESS,
        occurred_on__gte=F("participation__start_date"),
    ).values("participation_id")  # fmt: skip
    rows = (
        Support.objects.filter(participation__project=project, referral__isnull=False,
                               start_date__range=(project.start_date, project.end_date))
        .values("referral__service_id", "referral__service__name", "referral__service__provider__name")
        .annotate(
            participants=Count("participation", distinct=True),
            completions=Count("participation", filter=Q(referral__status=ReferralStatus.COMPLETED), distinct=True),
            employed=Count("participation", filter=Q(participation__in=employed), distinct=True),
            progressed=Count("participation", filter=Q(participation__in=progressed), distinct=True),
        )
        .order_by("-participants", "referral__service__name")
    )  # fmt: skip
    return [
        ServiceRow(
            service_id=row["referral__service_id"],
            name=row["referral__service__name"],
            provider=row["referral__service__provider__name"],
            participants=row["participants"],
            completions=row["completions"],
            employed=row["employed"],
            progressed=row["progressed"],
        )  # fmt: skip
        for row in rows
    ]
