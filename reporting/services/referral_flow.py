"""From the referral to the EFS record (issue 13): what a partner records on a referral reaches the
participation without being typed again.

- Supports: a referral used by the person (accepted, in progress, completed or dropped) with
  attendance inside a project's period becomes a support (`Support`, source `referral`) of the
  person's participation in that project: form and "w tym" from the catalogue service, dates = the
  first and last attendance inside the period. It follows every attendance recorded, changed or
  deleted (reporting/receivers.py listens to the contracts room; contracts never calls up here).
- Start date: the participation starts with the first support received (EFS_RULES.md §1). A first
  support before the recorded start is a pending change (`proposed_start_date`) the manager
  confirms; a participation already counted in a submitted report changes by a logged amendment.
- Outcomes: the partner's referral outcome becomes `OutcomeProposal` rows (one per kind, one per
  social progress category) of each participation the referral supports. The manager confirms
  (which writes the one OutcomeEvent the indicators count) or rejects them; an outcome edited at
  the source after confirmation flags the proposal until it is confirmed again.
"""

from django.db import transaction
from django.db.models import Max, Min
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from contracts.models import Referral, ReferralAttendance, ReferralOutcome, ReferralStatus
from core.errors import DomainError
from core.locking import claim_version
from reporting.codes import OutcomeKind
from reporting.models import OutcomeEvent, OutcomeProposal, Participation, ProposalStatus, Support, SupportSource
from reporting.selectors.submissions import claims_counting
from reporting.services.followups import followup_schedule_for_employment
from reporting.services.participation import check_can_manage, participation_amend

# a referral whose service the person actually received (the partner accepted it)
USED_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED, ReferralStatus.DROPPED)
# the values a proposal carries into its OutcomeEvent
VALUE_FIELDS = ("occurred_on", "employment_form", "fte", "planned_months", "employer", "job_seeking_kind",
                "qualification_name")  # fmt: skip


# --- supports -------------------------------------------------------------------------------------


def referral_supports_sync(referral_id: int) -> list[Support]:
    """Create, move or remove the supports of one referral (a system step after a partner's write)."""
    referral = Referral.objects.select_related("service").filter(pk=referral_id).first()
    if referral is None:
        return []
    form, detail = referral.service.support_form()
    kept = []
    for participation in Participation.objects.filter(person_id=referral.person_id).select_related("project"):
        project = participation.project
        dates = ReferralAttendance.objects.filter(
            referral=referral, held_on__gte=project.start_date, held_on__lte=project.end_date
        ).aggregate(first=Min("held_on"), last=Max("held_on"))
        if referral.status not in USED_STATUSES or dates["first"] is None:
            Support.objects.filter(participation=participation, referral=referral).delete()
        else:
            support, _created = Support.objects.update_or_create(
                participation=participation, referral=referral,
                defaults={"form": form or referral.service.name, "form_detail": detail, "start_date": dates["first"],
                          "end_date": dates["last"], "source": SupportSource.REFERRAL},
            )  # fmt: skip
            kept.append(support)
        participation_start_review(participation)
    return kept


def participation_start_review(participation) -> None:
    """Set the start date of a participation without one to its first support; a first support
    before the recorded start becomes a pending change the manager confirms."""
    first = Support.objects.filter(participation=participation).aggregate(first=Min("start_date"))["first"]
    if participation.start_date is None:
        if first is not None:
            participation.start_date = first
            participation.save(update_fields=["start_date", "updated_at"])
        return
    proposed = first if first is not None and first < participation.start_date else None
    if proposed != participation.proposed_start_date:
        Participation.objects.filter(pk=participation.pk).update(proposed_start_date=proposed)
        participation.proposed_start_date = proposed


@transaction.atomic
def participation_confirm_start(*, participation, by, lock_version: int | None = None) -> Participation:
    """Take over the pending start date (the first support received). A participation counted in a
    submitted report changes through a logged amendment (EFS_RULES.md §7)."""
    check_can_manage(by, participation.project)
    locked = Participation.objects.select_for_update().select_related("project").get(pk=participation.pk)
    proposed = locked.proposed_start_date
    if proposed is None:
        raise DomainError(_("Nie ma zmiany daty rozpoczęcia do potwierdzenia."), conflict=True)
    if locked.end_date is not None and proposed > locked.end_date:
        raise DomainError(_("Data pierwszego wsparcia jest późniejsza niż data zakończenia udziału."))
    if claims_counting([locked.pk]).get(locked.pk):
        reason = _("Data rozpoczęcia udziału = data pierwszego otrzymanego wsparcia (%(day)s).") % {
            "day": formats.date_format(proposed, "d.m.Y")
        }
        participation_amend(participation=locked, changes={"start_date": proposed}, reason=reason, by=by,
                            lock_version=lock_version)  # fmt: skip
        locked.refresh_from_db()
    else:
        claim_version(locked, lock_version)
        locked.start_date = proposed
        locked.save(update_fields=["start_date", "updated_at"])
    Participation.objects.filter(pk=locked.pk).update(proposed_start_date=None)
    locked.proposed_start_date = None
    return locked


# --- outcomes -------------------------------------------------------------------------------------


def _derived(outcome: ReferralOutcome) -> dict[tuple[str, str], dict]:
    """(kind, progress category) -> the values the partner's outcome proposes."""
    blank = dict.fromkeys(VALUE_FIELDS, "") | {"fte": None, "planned_months": None}
    found: dict[tuple[str, str], dict] = {}
    if outcome.employed and outcome.employment_start:
        found[(OutcomeKind.EMPLOYMENT, "")] = blank | {
            "occurred_on": outcome.employment_start, "employment_form": outcome.employment_form,
            "fte": outcome.employment_fte, "planned_months": outcome.employment_months, "employer": outcome.employer,
        }  # fmt: skip
    if outcome.qualification_obtained and outcome.qualification_on:
        found[(OutcomeKind.QUALIFICATION, "")] = blank | {
            "occurred_on": outcome.qualification_on, "qualification_name": outcome.qualification_name,
        }  # fmt: skip
    if outcome.job_seeking_kind and outcome.job_seeking_on:
        found[(OutcomeKind.JOB_SEEKING, "")] = blank | {
            "occurred_on": outcome.job_seeking_on, "job_seeking_kind": outcome.job_seeking_kind,
        }  # fmt: skip
    if outcome.school_started_on:
        found[(OutcomeKind.EDUCATION, "")] = blank | {"occurred_on": outcome.school_started_on}
    if outcome.progress_on:
        for letter in outcome.progress_categories:
            found[(OutcomeKind.SOCIAL_PROGRESS, letter)] = blank | {"occurred_on": outcome.progress_on}
    return found


def _values_of(row) -> dict:
    return {field: getattr(row, field) for field in VALUE_FIELDS}


def _sync_one(proposal: OutcomeProposal, values: dict | None, outcome) -> None:
    """Bring one stored proposal in line with the source (None: no longer at the source)."""
    if values is None:
        if proposal.status == ProposalStatus.CONFIRMED:
            if not proposal.source_changed:
                proposal.source_changed = True
                proposal.save(update_fields=["source_changed"])
        else:
            proposal.delete()
        return
    if _values_of(proposal) == values and proposal.status != ProposalStatus.CONFIRMED:
        return
    changed = _values_of(proposal) != values
    for field, value in values.items():
        setattr(proposal, field, value)
    proposal.recorded_by_id, proposal.recorded_at = outcome.recorded_by_id, outcome.recorded_at
    if proposal.status == ProposalStatus.CONFIRMED:
        event = proposal.event
        proposal.source_changed = event is None or _values_of(event) != values
    elif changed:
        proposal.status = ProposalStatus.PROPOSED  # a rejected outcome changed at the source: ask again
    proposal.save()


def outcome_proposals_sync(referral_id: int) -> None:
    """Propose the referral's outcome to each participation the referral supports (a system step
    after the partner's write)."""
    outcome = ReferralOutcome.objects.filter(referral_id=referral_id).first()
    derived = _derived(outcome) if outcome is not None else {}
    participation_ids = set(Support.objects.filter(referral_id=referral_id).values_list("participation_id", flat=True))
    stored = OutcomeProposal.objects.filter(referral_id=referral_id).select_related("event")
    seen = set()
    for proposal in stored:
        key = (proposal.kind, proposal.progress_category)
        seen.add((proposal.participation_id, key))
        in_scope = proposal.participation_id in participation_ids
        _sync_one(proposal, derived.get(key) if in_scope else None, outcome)
    new = [
        OutcomeProposal(participation_id=pid, referral_id=referral_id, kind=kind, progress_category=category,
                        recorded_by_id=outcome.recorded_by_id, recorded_at=outcome.recorded_at, **values)
        for pid in sorted(participation_ids) for (kind, category), values in derived.items()
        if (pid, (kind, category)) not in seen and outcome is not None
    ]  # fmt: skip
    OutcomeProposal.objects.bulk_create(new)


def _locked_proposals(ids, by) -> list[OutcomeProposal]:
    proposals = list(
        OutcomeProposal.objects.select_for_update(of=("self",))
        .select_related("participation__project", "event")
        .filter(pk__in=list(ids))
        .order_by("pk")
    )
    if not proposals:
        raise DomainError(_("Zaznacz co najmniej jeden rezultat."))
    for project in {p.participation.project for p in proposals}:
        check_can_manage(by, project)
    return proposals


def _unlinked_twin(proposal: OutcomeProposal) -> OutcomeEvent | None:
    """The same outcome typed by hand before the proposal came: linked, never a second row."""
    return (
        OutcomeEvent.objects.filter(
            participation_id=proposal.participation_id, kind=proposal.kind, occurred_on=proposal.occurred_on,
            progress_category=proposal.progress_category, proposal__isnull=True,
        ).order_by("pk").first()
    )  # fmt: skip


def _confirm_one(proposal: OutcomeProposal, *, by, now) -> bool:
    if proposal.status == ProposalStatus.CONFIRMED and not proposal.source_changed:
        return False  # confirmed already (a second click): one event
    event = proposal.event or _unlinked_twin(proposal)
    evidence = _("Rezultat ze skierowania nr %(pk)s, zapisany przez partnera %(day)s.") % {
        "pk": proposal.referral_id, "day": formats.date_format(timezone.localtime(proposal.recorded_at), "d.m.Y"),
    }  # fmt: skip
    values = _values_of(proposal) | {"progress_category": proposal.progress_category, "evidence": evidence}
    if event is None:
        event = OutcomeEvent.objects.create(participation_id=proposal.participation_id, kind=proposal.kind,
                                            created_by=by, **values)  # fmt: skip
    else:
        for field, value in values.items():
            setattr(event, field, value)
        event.save()
        Participation.objects.filter(pk=proposal.participation_id).update(updated_at=now)
    if event.kind == OutcomeKind.EMPLOYMENT:
        followup_schedule_for_employment(outcome=event)
    proposal.event, proposal.status, proposal.source_changed = event, ProposalStatus.CONFIRMED, False
    proposal.decided_by, proposal.decided_at = by, now
    proposal.save(update_fields=["event", "status", "source_changed", "decided_by", "decided_at"])
    return True


@transaction.atomic
def outcome_proposals_confirm(*, ids, by) -> int:
    """Confirm proposals (one or several): each becomes (or updates) its one OutcomeEvent."""
    now = timezone.now()
    return sum(_confirm_one(proposal, by=by, now=now) for proposal in _locked_proposals(ids, by))


@transaction.atomic
def outcome_proposals_reject(*, ids, by) -> int:
    """Reject proposals; a confirmed one (e.g. withdrawn at the source) loses its OutcomeEvent."""
    now, done = timezone.now(), 0
    for proposal in _locked_proposals(ids, by):
        if proposal.status == ProposalStatus.REJECTED:
            continue
        if proposal.event is not None:
            proposal.event.delete()
            Participation.objects.filter(pk=proposal.participation_id).update(updated_at=now)
        proposal.event, proposal.status, proposal.source_changed = None, ProposalStatus.REJECTED, False
        proposal.decided_by, proposal.decided_at = by, now
        proposal.save(update_fields=["event", "status", "source_changed", "decided_by", "decided_at"])
        done += 1
    return done
