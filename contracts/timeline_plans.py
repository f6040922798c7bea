"""Timeline provider of social contracts and family programmes (settings.TIMELINE_PROVIDERS).

The family / person page of the families room shows these entries: every status change of a
kontrakt socjalny (created, signed, amended, closed) and of a family programme (submitted,
returned with its comment, approved, …). Two queries whatever the number of rows."""

from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from contracts.access import contracts_visible_to, programmes_visible_to
from contracts.models import ContractEvent, FamilyProgramme, ProgrammeEvent, SocialContract
from families.access import read_in_scope
from families.timeline import TimelineEntry


def plan_entries(*, family=None, person=None, user, limit=None) -> Iterable[TimelineEntry]:
    """With a `limit`, only the newest `limit` events of each kind (families.timeline: the page's
    window); equal times keep the events' own order (by id)."""
    if family is not None and read_in_scope(user, family):
        # a family the user sees: all its contracts and programmes are visible (docs/performance.md)
        contracts, programmes = SocialContract.objects.all(), FamilyProgramme.objects.all()
    else:
        contracts, programmes = contracts_visible_to(user), programmes_visible_to(user)
    if family is not None:
        contracts = contracts.filter(family=family)
        programmes = programmes.filter(family=family)
    elif person is not None:
        contracts = contracts.filter(Q(person=person) | Q(covered_members=person))
        programmes = programmes.filter(family_id=person.family_id) if person.family_id else programmes.none()
    else:
        return []
    entries = []
    contract_events = ContractEvent.objects.filter(contract__in=contracts.values("pk")).select_related("contract")
    if limit is not None:
        contract_events = contract_events.order_by("-at", "pk")[:limit]
    for event in contract_events:
        contract = event.contract
        entries.append(
            TimelineEntry(
                at=event.at,
                kind="contract",
                title=_("Kontrakt socjalny %(contract)s: %(status)s")
                % {"contract": contract, "status": event.get_to_status_display()},
                detail=event.reason,
                url=reverse("contracts:contract_detail", args=[contract.pk]),
                person_id=contract.person_id,
            )
        )
    programme_events = ProgrammeEvent.objects.filter(programme__in=programmes.values("pk")).select_related(
        "programme", "version"
    )
    if limit is not None:
        programme_events = programme_events.order_by("-at", "pk")[:limit]
    for event in programme_events:
        programme = event.programme
        version = _(" (wersja %(n)s)") % {"n": event.version.number} if event.version_id else ""
        entries.append(
            TimelineEntry(
                at=event.at,
                kind="programme",
                title=f"{programme.title}: {event.get_kind_display()}{version}",
                detail=event.comment,
                url=reverse("contracts:programme_detail", args=[programme.pk]),
            )
        )
    return entries
