"""Read queries of the partnership pages (catalogue, agreements, teams): constant query counts."""

from django.db.models import Count, F, IntegerField, Q, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from support_network.models import Notification, Service

# Referral status values (the contracts room owns the referral model; a lower room may not import
# it, so the values are named here and a test keeps them equal to contracts' PLACE_HOLDING_STATUSES).
IN_USE_STATUSES = ("accepted", "in_progress")  # places in use: accepted or in progress
RESERVED_STATUSES = ("sent",)  # a sent referral keeps its place until the partner answers
WAITING_STATUS = "waiting"


def catalogue(*, include_inactive: bool = False, day=None):
    """Services with their provider and the places: in use, reserved, waiting and free (None =
    no limit), all computed by the database in the same query."""
    day = day or timezone.localdate()
    services = Service.objects.select_related("provider")
    if not include_inactive:
        services = services.filter(is_active=True).exclude(valid_from__gt=day).exclude(valid_to__lt=day)
    return services.annotate(
        places_in_use=Count("referrals", filter=Q(referrals__status__in=IN_USE_STATUSES)),
        places_reserved=Count("referrals", filter=Q(referrals__status__in=RESERVED_STATUSES)),
        waiting=Count("referrals", filter=Q(referrals__status=WAITING_STATUS)),
    ).annotate(
        places_taken=F("places_in_use") + F("places_reserved"),
        places_free=Greatest(
            F("capacity") - F("places_in_use") - F("places_reserved"), Value(0), output_field=IntegerField()
        ),
    )


def notifications_of(user):
    """The user's own notifications, newest first (nobody sees another's)."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_notifications_of(user, *, limit: int = 5) -> list:
    return list(notifications_of(user).filter(read_at__isnull=True)[:limit])
