"""Writes of the partnership: cooperation agreements and team meetings. Keyword-only
`<noun>_<verb>` functions; the acting user `by` is checked with support_network.access."""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.locking import claim_version
from support_network.access import (
    agreement_parties_for,
    agreements_visible_to,
    can_manage_agreements,
    can_record_meeting,
    projects_visible_to,
)
from support_network.models import AGREEMENT_FIELDS, MEETING_FIELDS, Agreement, Meeting

logger = logging.getLogger(__name__)


def _apply(instance, data: dict, names) -> None:
    """Field values as a ModelForm sets them (a FileField keeps its file when no new one came)."""
    for name in names:
        if name in data:
            instance._meta.get_field(name).save_form_data(instance, data[name])


def _check_agreement(by, agreement, project) -> None:
    if not can_manage_agreements(by):
        raise DomainError(_("Porozumienia prowadzą koordynator, kierownik projektu i administrator."))
    if agreement is not None and not agreements_visible_to(by).filter(pk=agreement.pk).exists():
        raise DomainError(_("To porozumienie nie dotyczy Twojej instytucji ani Twoich projektów."))
    if project is not None and not projects_visible_to(by).filter(pk=project.pk).exists():
        raise DomainError(_("Wybierz projekt, w którym pracujesz."))


def _check_parties(by, agreement, parties) -> None:
    allowed = set(agreement_parties_for(by, agreement).values_list("pk", flat=True))
    if any(party.pk not in allowed for party in parties):
        raise DomainError(_("Stronami porozumienia mogą być Twoja instytucja oraz lider i partnerzy Twoich projektów."))


def agreement_save(*, data: dict, by, agreement: Agreement | None = None, lock_version: int | None = None) -> Agreement:
    """Create (agreement=None) or change an agreement read at `lock_version`: its fields and its parties."""
    _check_agreement(by, agreement, data.get("project"))
    _check_parties(by, agreement, data["parties"])
    with transaction.atomic():
        if agreement is None:
            agreement = Agreement()
        else:
            Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
            claim_version(agreement, lock_version)
        if agreement.created_by_id is None:
            agreement.created_by = by
        _apply(agreement, data, AGREEMENT_FIELDS)
        agreement.save()
        agreement.parties.set(data["parties"])
    logger.info("agreement %s saved by user %s", agreement.pk, by.pk)
    return agreement


def meeting_save(*, team, data: dict, by, meeting: Meeting | None = None, lock_version: int | None = None) -> Meeting:
    """Record (meeting=None) or change a meeting of `team` read at `lock_version`: its fields and attendees."""
    if not can_record_meeting(by, team):
        raise DomainError(_("Spotkania zespołu zapisują jego członkowie oraz koordynator i kierownik projektu."))
    if meeting is not None and meeting.team_id != team.pk:
        raise DomainError(_("To spotkanie nie należy do tego zespołu."))
    with transaction.atomic():
        if meeting is None:
            meeting = Meeting(team=team)
        else:
            claim_version(meeting, lock_version)
        if meeting.created_by_id is None:
            meeting.created_by = by
        _apply(meeting, data, MEETING_FIELDS)
        meeting.save()
        meeting.attendees.set(data["attendees"])
    logger.info("meeting %s of team %s saved by user %s", meeting.pk, team.pk, by.pk)
    return meeting
