"""Referral entries for the family/person timeline (a provider listed in settings.TIMELINE_PROVIDERS).

Every dated change of a referral (created, sent, waiting, accepted, rejected, in progress,
attendance, outcome, completed, dropped, overdue) becomes one entry. One query whatever the number
of referrals; scoped through contracts.access.referrals_visible_to(user)."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from contracts.access import referrals_visible_to
from contracts.models import Referral, ReferralEvent, ReferralEventKind, ReferralStatus
from contracts.sql import InSubquery
from core.labels import choice_labels
from core.prepared import PreparedQuery
from families.access import read_in_scope
from families.timeline import TimelineEntry


def _visible_referrals(*, family, person, user):
    """The referrals whose events the timeline shows (None: neither a family nor a person)."""
    if person is not None:
        return referrals_visible_to(user).filter(person=person)
    if family is not None:
        return referrals_visible_to(user).filter(person__family=family)
    return None


# The columns an entry shows, read as values() rows: model instances with their three related
# objects cost more than the SQL (docs/performance/casework.md).
_COLUMNS = (
    "at",
    "kind",
    "status",
    "note",
    "by_id",
    "by__first_name",
    "by__last_name",
    "by__username",
    "referral_id",
    "referral__person_id",
    "referral__service__name",
    "referral__institution__name",
    "referral__institution__short_name",
)


def _events(referrals, limit: int | None):
    """The events of `referrals` in the timeline's order; with a `limit`, the newest."""
    events = (
        # the family's few referrals first, then their events by the referral index: as a plain
        # IN (…) PostgreSQL hashed every referral event of the city before the semi-join (155 ms at L)
        ReferralEvent.objects.filter(InSubquery("referral_id", referrals.values("pk")))
        .order_by("at", "pk")
        .values(*_COLUMNS)
    )
    if limit is not None:
        events = events.order_by("-at", "pk")[:limit]  # the newest; equal times in the same order
    return events


# Every referral of a family the user sees is visible: no scope subqueries (docs/performance.md); its
# events compiled once per connection and window size (core.prepared, docs/performance/casework.md).
_FAMILY_EVENTS = PreparedQuery(
    lambda family_id, limit: _events(Referral.objects.filter(person__family_id=family_id), limit), plan_kept=True
)


def referral_entries(*, family=None, person=None, user, limit=None) -> Iterable[TimelineEntry]:
    """With a `limit`, only the newest `limit` events (families.timeline: the page's window)."""
    if family is not None and read_in_scope(user, family):
        events = _FAMILY_EVENTS.rows(family.pk, limit)
    else:
        visible = _visible_referrals(family=family, person=person, user=user)
        if visible is None:
            return []
        events = _events(visible, limit)
    urls: dict[int, str] = {}  # a referral's events share its URL: reversed once
    # the choices' labels and the title's words once per timeline: get_FOO_display hashes every
    # lazy label on each call
    words = {
        "statuses": choice_labels(ReferralStatus),
        "kinds": choice_labels(ReferralEventKind),
        "title": _("Skierowanie: %(service)s (%(institution)s) – %(what)s"),
        "system": _("system"),
    }
    return [_entry(event, words, urls) for event in events]


def _entry(event: dict, words: dict, urls: dict[int, str]) -> TimelineEntry:
    """One event's entry, with the texts the model instances gave: the institution's
    `__str__` (short name, else name) and the author's full name, else login."""
    if event["kind"] == ReferralEventKind.STATUS:
        what = words["statuses"].get(event["status"], event["status"])
    else:
        what = words["kinds"].get(event["kind"], event["kind"])
    referral_id = event["referral_id"]
    if referral_id not in urls:
        urls[referral_id] = reverse("contracts:referral_detail", args=[referral_id])
    title = words["title"] % {
        "service": event["referral__service__name"],
        "institution": event["referral__institution__short_name"] or event["referral__institution__name"],
        "what": what,
    }
    if event["by_id"]:  # User.get_full_name(), else the login
        who = f"{event['by__first_name']} {event['by__last_name']}".strip() or event["by__username"]
    else:
        who = words["system"]
    note = event["note"]
    return TimelineEntry(
        at=event["at"],
        kind="referral",
        title=title,
        detail=f"{note} · {who}" if note else who,
        url=urls[referral_id],
        person_id=event["referral__person_id"],
    )
