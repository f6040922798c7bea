"""Read queries on referrals shared by the pages: a constant number of queries per page."""

from django.db import connection
from django.db.models import Count, DecimalField, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from contracts.models import Referral, ReferralAttendance, ReferralStatus
from contracts.models.referrals import OPEN_STATUSES
from core.prepared import IdIn, PreparedRows
from families.models import Person

PERSON_FIELDS_FOR_LISTS = ("person__id", "person__first_name", "person__last_name")
LIST_ORDER = ("answer_due", "-created_at", "-pk")  # the lists' own order (no `sortuj`)


def _waiting_position():
    """1-based position on the service's waiting list (None unless waiting)."""
    ahead = (
        Referral.objects.filter(service=OuterRef("service"), status=ReferralStatus.WAITING)
        .filter(Q(queued_at__lt=OuterRef("queued_at")) | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk")))
        .order_by()
        .values("service")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(ahead, output_field=IntegerField()), Value(0)) + 1


def _hours_total():
    hours = (
        ReferralAttendance.objects.filter(referral=OuterRef("pk"))
        .order_by()
        .values("referral")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return Coalesce(Subquery(hours, output_field=DecimalField()), Value(0, output_field=DecimalField()))


def referral_rows(queryset):
    """Rows for the lists (sent referrals, the partner's inbox): what their rows show and nothing
    more (each timestamp selected is converted for every row): the status and answer date, the
    service's name, the provider's names, the sender and the person's name; the waiting position
    and the hours as annotations."""
    return (
        queryset.select_related("service", "institution", "created_by", "person")
        .only(
            "id",
            "status",
            "answer_due",
            "institution_id",
            "service__id",
            "service__name",
            "institution__id",
            "institution__name",
            "institution__short_name",
            "created_by__id",
            "created_by__first_name",
            "created_by__last_name",
            "created_by__username",
            *PERSON_FIELDS_FOR_LISTS,
        )
        .annotate(waiting_position=_waiting_position(), hours_total=_hours_total())
    )


def list_ids(queryset, which: str, *, hours: bool = True):
    """The lists' rows as ids only, for paging: the tab's filter, and with `hours` the hours for
    sorting by them (selected only when the order uses them; without, not even built). The page's
    rows come from `rows_of_page`."""
    rows = filter_rows(queryset, which)
    return rows.annotate(hours_total=_hours_total()) if hours else rows


def rows_of_page(ids) -> list:
    """The rows of one page, in the order of `ids` (ids of a scoped query): the joins and the
    per-row subqueries run for these rows only, not for every row before the page's offset
    (a deferred join, docs/performance.md)."""
    ids = list(ids)
    if connection.vendor == "postgresql":
        found = _PAGE_ROWS.rows(ids)  # compiled once per connection: compiling cost more than running
    else:
        found = referral_rows(Referral.objects.filter(pk__in=ids))
    rows = {row.pk: row for row in found}
    return [rows[pk] for pk in ids]


_PAGE_ROWS = PreparedRows(
    lambda marker: referral_rows(Referral.objects.filter(IdIn("id", marker))),
    plan_kept=True,  # planned ~1.6 ms, run ~1.3 ms (docs/performance/frame.md)
)


def filter_rows(queryset, which: str):
    """The tabs of a list: open (default), overdue, closed, all."""
    today = timezone.localdate()
    if which == "overdue":
        return queryset.filter(status=ReferralStatus.SENT, answer_due__lt=today)
    if which == "closed":
        return queryset.exclude(status__in=OPEN_STATUSES)
    if which == "all":
        return queryset
    return queryset.filter(status__in=OPEN_STATUSES)


def referral_for_detail(queryset, pk):
    """One referral with what its page shows; history, attendance and outcome are prefetched."""
    return (
        queryset.select_related("service__provider", "institution", "created_by", "person", "outcome")
        .defer(*(f"person__{field}" for field in Person.SENSITIVE_FIELDS))
        .prefetch_related("events__by", "attendances__recorded_by")
        .annotate(waiting_position=_waiting_position(), hours_total=_hours_total())
        .get(pk=pk)
    )


def counts_for_home(queryset) -> dict:
    """Numbers for the home cards: waiting for an answer, overdue."""
    today = timezone.localdate()
    return queryset.aggregate(
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        awaiting=Count("pk", filter=Q(status=ReferralStatus.SENT)),
        overdue=Count("pk", filter=Q(status=ReferralStatus.SENT, answer_due__lt=today)),
    )
