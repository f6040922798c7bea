"""Timeline provider of social contracts and family programmes (settings.TIMELINE_PROVIDERS).

The family / person page of the families room shows these entries: every status change of a
kontrakt socjalny (created, signed, amended, closed) and of a family programme (submitted,
returned with its comment, approved, …). One query whatever the number of rows: both kinds of events
as one UNION ALL in the timeline's order."""

from collections.abc import Iterable

from django.db.models import F, IntegerField, Q, Value
from django.urls import reverse
from django.utils.translation import gettext as _

from contracts.access import contracts_visible_to, programmes_visible_to
from contracts.models import (
    ContractEvent,
    ContractStatus,
    FamilyProgramme,
    ProgrammeEvent,
    ProgrammeEventKind,
    SocialContract,
)
from core.labels import choice_labels
from core.prepared import PreparedQuery
from families.access import read_in_scope
from families.timeline import TimelineEntry


def plan_entries(*, family=None, person=None, user, limit=None) -> Iterable[TimelineEntry]:
    """With a `limit`, only the newest `limit` events (families.timeline: the page's window); equal
    times keep the events' own order (contracts' first, each by id)."""
    if family is not None and read_in_scope(user, family):
        # a family the user sees: all its contracts and programmes are visible (docs/performance.md)
        events = _FAMILY_EVENTS.rows(family.pk, limit)
    elif family is not None:
        events = _events(
            contracts_visible_to(user).filter(family=family), programmes_visible_to(user).filter(family=family), limit
        )
    elif person is not None:
        contracts = contracts_visible_to(user).filter(Q(person=person) | Q(covered_members=person))
        programmes = programmes_visible_to(user)
        programmes = programmes.filter(family_id=person.family_id) if person.family_id else programmes.none()
        events = _events(contracts, programmes, limit)
    else:
        return []
    statuses, kinds = choice_labels(ContractStatus), choice_labels(ProgrammeEventKind)  # not per row
    urls: dict[tuple[str, int], str] = {}
    return [
        _contract_entry(row, statuses, urls) if row["source"] == 0 else _programme_entry(row, kinds, urls)
        for row in events
    ]


def _events(contracts, programmes, limit: int | None):
    """Both kinds of events as one UNION ALL in the timeline's order; with a `limit`, the newest."""
    events = _contract_rows(contracts).union(_programme_rows(programmes), all=True)
    return events.order_by("-at", "source", "row_id")[:limit]  # equal times: contracts first, each by id


# A family's events compiled once per connection and window size (core.prepared): building
# and compiling the UNION ALL cost more than running it (docs/performance/casework.md).
_FAMILY_EVENTS = PreparedQuery(
    lambda family_id, limit: _events(
        SocialContract.objects.filter(family_id=family_id), FamilyProgramme.objects.filter(family_id=family_id), limit
    ),
    plan_kept=True,
)


# One row shape for both kinds of events (the UNION ALL's columns, in this order).
COLUMNS = ("source", "row_id", "at", "code", "text", "name", "ref", "person", "number")


def _contract_rows(contracts):
    return (
        ContractEvent.objects.filter(contract__in=contracts.values("pk"))
        .order_by()
        .annotate(
            source=Value(0),
            row_id=F("pk"),
            code=F("to_status"),
            text=F("reason"),
            name=F("contract__number"),
            ref=F("contract_id"),
            person=F("contract__person_id"),
            number=Value(None, output_field=IntegerField()),
        )
        .values(*COLUMNS)
    )


def _programme_rows(programmes):
    return (
        ProgrammeEvent.objects.filter(programme__in=programmes.values("pk"))
        .order_by()
        .annotate(
            source=Value(1),
            row_id=F("pk"),
            code=F("kind"),
            text=F("comment"),
            name=F("programme__title"),
            ref=F("programme_id"),
            person=Value(None, output_field=IntegerField()),
            number=F("version__number"),
        )
        .values(*COLUMNS)
    )


def _url(name: str, pk: int, urls: dict[tuple[str, int], str]) -> str:
    """An event's page, reversed once per contract or programme (they have several events)."""
    if (name, pk) not in urls:
        urls[name, pk] = reverse(name, args=[pk])
    return urls[name, pk]


def _contract_entry(row: dict, statuses: dict[str, str], urls: dict) -> TimelineEntry:
    # the contract as str(SocialContract) names it: its number, a draft by its id
    contract = _("nr %(number)s") % {"number": row["name"]} if row["name"] else f"#{row['ref']}"
    return TimelineEntry(
        at=row["at"],
        kind="contract",
        title=_("Kontrakt socjalny %(contract)s: %(status)s")
        % {"contract": contract, "status": statuses.get(row["code"], row["code"])},
        detail=row["text"],
        url=_url("contracts:contract_detail", row["ref"], urls),
        person_id=row["person"],
    )


def _programme_entry(row: dict, kinds: dict[str, str], urls: dict) -> TimelineEntry:
    version = _(" (wersja %(n)s)") % {"n": row["number"]} if row["number"] is not None else ""
    return TimelineEntry(
        at=row["at"],
        kind="programme",
        title=f"{row['name']}: {kinds.get(row['code'], row['code'])}{version}",
        detail=row["text"],
        url=_url("contracts:programme_detail", row["ref"], urls),
    )
