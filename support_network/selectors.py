"""Read queries of the partnership pages (catalogue, agreements, teams): constant query counts."""

import datetime as dt
from functools import cache

from django.db import connection
from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Value, Window
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from core.pagination import CountedPage, counted, page_in_range
from core.prepared import PreparedQuery
from support_network.models import Notification, Service

# Referral status values (the contracts room owns the referral model; a lower room may not import
# it, so the values are named here and a test keeps them equal to contracts' PLACE_HOLDING_STATUSES).
IN_USE_STATUSES = ("accepted", "in_progress")  # places in use: accepted or in progress
RESERVED_STATUSES = ("sent",)  # a sent referral keeps its place until the partner answers
WAITING_STATUS = "waiting"


def catalogue(*, include_inactive: bool = False, day=None):
    """Services with their provider and the places: in use, reserved and waiting counted by the
    database in the same query; taken and free (None = no limit) derived from them (Service)."""
    day = day or timezone.localdate()
    services = Service.objects.select_related("provider")
    if not include_inactive:
        services = services.filter(is_active=True).exclude(valid_from__gt=day).exclude(valid_to__lt=day)
    return services.annotate(
        places_in_use=_referrals_of_service(IN_USE_STATUSES),
        places_reserved=_referrals_of_service(RESERVED_STATUSES),
        waiting=_referrals_of_service((WAITING_STATUS,)),
    ).alias(
        # for the "free places" filter and order only (an alias is computed only where it is used);
        # the rows' `places_taken` and `places_free` are derived from the counts (Service)
        free_places=Greatest(
            F("capacity") - F("places_in_use") - F("places_reserved"), Value(0), output_field=IntegerField()
        ),
    )


CATALOGUE_ORDER = ("module", "name", "pk")  # the catalogue's own order (without `sortuj`)


def _catalogue_page(marker: dt.date, offset: int, per_page: int):
    """The plain catalogue's page with the catalogue's length beside each row, for the day `marker`."""
    rows = catalogue(day=marker).order_by(*CATALOGUE_ORDER).annotate(total=Window(Count("*")))
    return rows[offset : offset + per_page]


# the day's two comparisons are the value: a date no service's validity starts or ends on
_CATALOGUE_PAGE = PreparedQuery(_catalogue_page, marker=dt.date(1, 1, 2))


def catalogue_page(number: int | None, per_page: int) -> CountedPage | None:
    """Page `number` of the plain catalogue (active services, no filter, its own order) with the
    catalogue's length, from a query compiled once per connection: building and compiling the
    annotated queryset, then its COUNT, was most of the page's Python (docs/performance/referrals.md).
    None for a page the pager reads otherwise (below 1, past the end) or on other databases; the
    caller pages `catalogue()` then."""
    if connection.vendor != "postgresql" or not page_in_range(number):
        return None
    offset = (number - 1) * per_page
    found = _CATALOGUE_PAGE.rows(timezone.localdate(), offset, per_page)
    return counted(found, found[0].total if found else 0, number, offset)


def counted_services(services, number: int | None, per_page: int) -> CountedPage | None:
    """Page `number` of a filtered or sorted catalogue (`services`, ordered) with its length in one
    query instead of the pager's COUNT and then the page: a window count beside each row. PostgreSQL
    still counts the places of the page's rows only (above the LIMIT, unless the order needs them).
    None for a page the pager reads otherwise (below 1, past the end)."""
    if not page_in_range(number):
        return None
    offset = (number - 1) * per_page
    found = list(services.annotate(total=Window(Count("*")))[offset : offset + per_page])
    return counted(found, found[0].total if found else 0, number, offset)


def notifications_of(user):
    """The user's own notifications, newest first (nobody sees another's)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_notifications_of(user, *, limit: int = 5) -> list:
    return list(notifications_of(user).filter(read_at__isnull=True)[:limit])


@cache  # built once: annotate() resolves a copy, and building it was a tenth of the page's Python
def _referrals_of_service(statuses: tuple[str, ...]):
    """How many referrals of the row's service are in `statuses`: a correlated count over the index
    (service, status), instead of joining every referral of every matched service (in every status)
    and grouping. Not an aggregate, so the pager's COUNT leaves it out (docs/performance.md)."""
    referral = Service._meta.get_field("referrals").related_model  # contracts' model, not imported
    counted = (
        referral._default_manager.filter(service=OuterRef("pk"), status__in=statuses)
        .order_by()
        .values("service")
        .annotate(n=Count("*"))  # not Count("pk"): the index (service, status) answers alone
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
