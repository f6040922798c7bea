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


def _events(referrals, limit: int | None):
    """The events of `referrals` in the timeline's order; with a `limit`, the newest."""
    events = (
        # the family's few referrals first, then their events by the referral index: as a plain
        # IN (…) PostgreSQL hashed every referral event of the city before the semi-join (155 ms at L)
        ReferralEvent.objects.filter(InSubquery("referral_id", referrals.values("pk")))
        .select_related("referral__service", "referral__institution", "by")
        .only(
            "at",
            "kind",
            "status",
            "note",
            "by__first_name",
            "by__last_name",
            "by__username",
            "referral__id",
            "referral__person_id",
            "referral__service__name",
            "referral__institution__name",
            "referral__institution__short_name",
        )
        .order_by("at", "pk")
    )
    if limit is not None:
        events = events.order_by("-at", "pk")[:limit]  # the newest; equal times in the same order
    return events


# Every referral of a family the user sees is visible: no scope subqueries (docs/performance.md); its
# events compiled once per connection and window size (core.prepared, docs/performance.md "Stop 21").
_FAMILY_EVENTS = PreparedQuery(
    lambda family_id, limit: _events(Referral.objects.filter(person__family_id=family_id), limit)
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
    entries = []
    urls: dict[int, str] = {}  # a referral's events share its URL: reversed once
    # the choices' labels once per timeline: get_FOO_display hashes every lazy label on each call
    statuses = {str(value): str(label) for value, label in ReferralStatus.choices}
    kinds = {str(value): str(label) for value, label in ReferralEventKind.choices}
    for event in events:
        referral = event.referral
        if event.kind == ReferralEventKind.STATUS:
            what = statuses.get(event.status, event.status)
        else:
            what = kinds.get(event.kind, event.kind)
        if referral.pk not in urls:
            urls[referral.pk] = reverse("contracts:referral_detail", args=[referral.pk])
        title = _("Skierowanie: %(service)s (%(institution)s) – %(what)s") % {
            "service": referral.service.name,
            "institution": referral.institution,
            "what": what,
        }
        who = event.by.get_full_name() or event.by.username if event.by_id else _("system")
        detail = f"{event.note} · {who}" if event.note else who
        entries.append(
            TimelineEntry(
                at=event.at,
                kind="referral",
                title=title,
                detail=detail,
                url=urls[referral.pk],
                person_id=referral.person_id,
            )
        )
    return entries
