"""The EFS records: participations (started inside the projects' periods, up to today), their
supports (from the referrals' attendance and entered by hand), entry and exit competence
assessments, the partners' referral outcomes with the outcome proposals they made (pending ones
in the manager's queue, older ones confirmed into outcome events or rejected), and outcomes
recorded by hand."""

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from contracts.models import ReferralOutcome, ReferralStatus
from demo.loadgen.copy import build, copy_objects, copy_rows
from demo.loadgen.referrals import USED, Ref
from demo.loadgen.world import World, at
from families.codes import Answer, Education, LabourStatus, LabourStatusDetail
from families.instruments import ensure_social_competences
from families.models import Assessment, AssessmentScore, Dimension, Instrument
from reporting.codes import EmploymentForm, JobSeekingKind, OutcomeKind, ProgressCategory
from reporting.models import OutcomeEvent, OutcomeProposal, Participation, ProposalStatus, Support, SupportSource
from support_network.models import Module

PENDING_DAYS = 45  # outcomes recorded more recently wait in the manager's queue
LABOUR = [LabourStatus.UNEMPLOYED_REGISTERED, LabourStatus.INACTIVE, LabourStatus.UNEMPLOYED_UNREGISTERED,
          LabourStatus.EMPLOYED]  # fmt: skip


def _participation(p, project, i: int, start: dt.date, end: dt.date | None) -> Participation:
    status = LABOUR[i % 4]
    row = build(Participation,
        project=project, person_id=p.pk, first_name=p.first_name, last_name=p.last_name, pesel=p.pesel, sex=p.sex,
        birth_date=p.birth_date, locality="Miasto", gmina="Miasto", voivodeship="śląskie", county="Miasto",
        postal_code="44-300", degurba="1", start_date=start, education="" if i % 97 == 0 else list(Education)[i % 6],
        labour_status=status, labour_status_detail=LabourStatusDetail.LONG_TERM_UNEMPLOYED if status in (
            LabourStatus.UNEMPLOYED_REGISTERED, LabourStatus.UNEMPLOYED_UNREGISTERED) and i % 2 else "",
        disability=[Answer.NO, Answer.YES, Answer.NO, Answer.REFUSED][i % 4], minority=Answer.NO, homeless=Answer.NO,
        other_disadvantage=Answer.YES if i % 3 == 0 else Answer.NO, at_risk=i % 10 != 0, entry_confirmed_at=at(start),
        end_date=end, completed_as_planned=True if end else None, created_at=at(start),
    )  # fmt: skip
    row.age_at_start = row.compute_age_at_start()  # save() derives it; COPY does not call save()
    return row


def _referral_supports(world: World, refs: list[Ref]) -> dict[int, list[Ref]]:
    by_person = defaultdict(list)
    for ref in refs:
        if ref.status in USED and ref.attended:
            by_person[ref.person_id].append(ref)
    return by_person


def create_participations(rng: random.Random, world: World, refs: list[Ref]) -> list[Participation]:
    """Adults of the projects' families, started on a day between the project's start and a month
    ago (or the first support of a referral, when earlier); three in five ended, up to yesterday."""
    today, adult = world.today, world.today.replace(year=world.today.year - 18)
    families = {f.pk: f for f in world.families}
    referred = _referral_supports(world, refs)
    rows = []
    for index, project in enumerate(world.staff["projects"]):
        target = world.sizes.main_participations if index == 0 else world.sizes.small_participations
        persons = [p for p in world.persons if families[p.family_id].project_id == project.pk and p.birth_date <= adult]
        span = (today - dt.timedelta(days=30) - project.start_date).days
        for i, p in enumerate(persons[:target]):
            start = project.start_date + dt.timedelta(days=rng.randint(0, span))
            firsts = [d for ref in referred.get(p.pk, ()) for d in ref.attended if d >= project.start_date]
            start = min([start, *firsts])
            ended = i % 5 < 3 and start < today - dt.timedelta(days=60)
            end = min(today - dt.timedelta(days=1), max([start + dt.timedelta(days=180), *firsts])) if ended else None
            rows.append(_participation(p, project, i, start, end))
    return copy_objects(Participation, rows)


def create_supports(world: World, participations: list[Participation], refs: list[Ref]) -> dict[int, list[int]]:
    """A support per used referral with attendance inside the participation (dates: its first and
    last attendance there), and social work entered by hand for every participation. Returns the
    participations each referral supports."""
    referred = _referral_supports(world, refs)
    manager = world.staff["manager"].pk
    rows, supported = [], defaultdict(list)
    for p in participations:
        last = p.end_date or world.today
        rows.append((p.pk, "praca socjalna", "", p.start_date, p.end_date, SupportSource.MANUAL, None, manager,
                     at(p.start_date, 15)))  # fmt: skip
        for ref in referred.get(p.person_id, ()):
            days = [d for d in ref.attended if p.start_date <= d <= last]
            if days:
                form, detail = ref.service.support_form()
                rows.append((p.pk, form or ref.service.name, detail, days[0], days[-1], SupportSource.REFERRAL, ref.pk,
                             None, at(days[0], 16)))  # fmt: skip
                supported[ref.pk].append(p.pk)
    columns = ["participation_id", "form", "form_detail", "start_date", "end_date", "source", "referral_id",
               "created_by_id", "created_at"]  # fmt: skip
    copy_rows(Support, columns, rows)
    return supported


def create_assessments(rng: random.Random, world: World, participations: list[Participation]) -> int:
    """The social competence questionnaire at entry for three in five participants, at exit for
    those of them who ended; six dimensions scored 1–5 (a little better at exit)."""
    instrument = ensure_social_competences(Instrument, Dimension)
    dimensions = list(instrument.dimensions.values_list("pk", flat=True))
    authors = {f.pk: f.social_worker_id for f in world.families}
    family_of = {p.pk: p.family_id for p in world.persons}
    heads = []
    for n, p in enumerate(participations):
        if n % 5 < 3 and p.person_id:
            author = authors[family_of[p.person_id]]
            heads.append((p.person_id, instrument.pk, "entry", p.start_date, author, at(p.start_date, 12)))
            if p.end_date:
                heads.append((p.person_id, instrument.pk, "exit", p.end_date, author, at(p.end_date, 12)))
    ids = copy_rows(Assessment, ["person_id", "instrument_id", "kind", "assessed_on", "author_id", "created_at"], heads,
                    with_ids=True)  # fmt: skip
    scores = ((pk, d, rng.randint(1, 3) + (1 if head[2] == "exit" else 0)) for pk, head in zip(ids, heads, strict=True)
              for d in dimensions)  # fmt: skip
    copy_rows(AssessmentScore, ["assessment_id", "dimension_id", "score"], scores)
    return len(ids)


def _outcome(rng: random.Random, ref: Ref, today: dt.date) -> dict:
    """What the partner recorded on a completed referral, by the service."""
    done = ref.finished
    found = {"referral_id": ref.pk, "completed": True, "recorded_at": at(done, 16)}
    if ref.service.name == "Szkolenie zawodowe" and rng.random() < 0.5:
        found |= {"qualification_obtained": True, "qualification_name": "Operator wózka widłowego",
                  "qualification_on": done}  # fmt: skip
    if ref.service.module == Module.EMPLOYMENT and rng.random() < 0.2:
        found |= {"employed": True, "employer": "Zakład Usług Komunalnych", "employment_form": EmploymentForm.CONTRACT,
                  "employment_start": min(done + dt.timedelta(days=rng.randint(5, 40)), today),
                  "employment_fte": Decimal("1.00"), "employment_months": 12}  # fmt: skip
    elif ref.service.module == Module.EMPLOYMENT and rng.random() < 0.3:
        found |= {"job_seeking_kind": JobSeekingKind.ACTIVE, "job_seeking_on": done}
    if ref.service.module != Module.EMPLOYMENT and rng.random() < 0.5:
        found |= {"progress_categories": "bc", "progress_on": done}
    return found


def _proposed(outcome: dict) -> list[dict]:
    """The proposals an outcome makes (as reporting.services.referral_flow derives them)."""
    kinds = []
    if outcome.get("employed"):
        kinds.append({"kind": OutcomeKind.EMPLOYMENT, "occurred_on": outcome["employment_start"],
                      "fte": Decimal("1.00"), "employment_form": outcome["employment_form"], "planned_months": 12,
                      "employer": outcome["employer"]})  # fmt: skip
    if outcome.get("qualification_obtained"):
        kinds.append({"kind": OutcomeKind.QUALIFICATION, "occurred_on": outcome["qualification_on"],
                      "qualification_name": outcome["qualification_name"]})  # fmt: skip
    if outcome.get("job_seeking_kind"):
        kinds.append({"kind": OutcomeKind.JOB_SEEKING, "occurred_on": outcome["job_seeking_on"],
                      "job_seeking_kind": outcome["job_seeking_kind"]})  # fmt: skip
    for letter in outcome.get("progress_categories", ""):
        kinds.append({"kind": OutcomeKind.SOCIAL_PROGRESS, "progress_category": letter,
                      "occurred_on": outcome["progress_on"]})  # fmt: skip
    return kinds


def create_referral_outcomes(rng: random.Random, world: World, refs: list[Ref], supported) -> dict[str, int]:
    """Outcomes of the completed referrals; their proposals to the participations they support:
    recent ones pending, older ones confirmed (with the outcome event) or, one in seven, rejected."""
    today, partner_of = world.today, {}
    outcomes = []
    for ref in refs:
        if ref.status == ReferralStatus.COMPLETED:
            office = ref.office
            partner_of[ref.pk] = (
                office["partner"].pk if ref.service.provider_id == office["pup"].pk else office["mgi"].pk
            )
            outcomes.append(build(ReferralOutcome, recorded_by_id=partner_of[ref.pk], **_outcome(rng, ref, today)))
    copy_objects(ReferralOutcome, outcomes)
    manager, proposals, events = world.staff["manager"], [], []
    for outcome in outcomes:
        recorded = outcome.recorded_at
        for pid in supported.get(outcome.referral_id, ()):
            for values in _proposed(outcome.__dict__):
                proposal = build(
                    OutcomeProposal,
                    participation_id=pid,
                    referral_id=outcome.referral_id,
                    recorded_by_id=outcome.recorded_by_id,
                    recorded_at=recorded,
                    **values,
                )
                event = None
                if recorded.date() < today - dt.timedelta(days=PENDING_DAYS):
                    decided = recorded + dt.timedelta(days=rng.randint(1, 10))
                    proposal.decided_by, proposal.decided_at = manager, decided
                    proposal.status = ProposalStatus.REJECTED if rng.random() < 1 / 7 else ProposalStatus.CONFIRMED
                    if proposal.status == ProposalStatus.CONFIRMED:
                        event = build(
                            OutcomeEvent,
                            participation_id=pid,
                            evidence="Rezultat ze skierowania.",
                            created_by=manager,
                            created_at=decided,
                            **values,
                        )
                        events.append(event)
                proposals.append((proposal, event))
    copy_objects(OutcomeEvent, events)
    for proposal, event in proposals:
        proposal.event = event  # saved now: the proposal takes its id
    copy_objects(OutcomeProposal, [proposal for proposal, _ in proposals])
    pending = sum(p.status == ProposalStatus.PROPOSED for p, _ in proposals)
    return {"outcomes": len(outcomes), "proposals": len(proposals), "pending": pending}


def create_manual_outcomes(world: World, participations: list[Participation]) -> int:
    """Outcomes the manager entered by hand for ended participations (not from referrals)."""
    events, today = [], world.today
    for i, p in enumerate(x for x in participations if x.end_date):
        if i % 4 == 0:
            events.append(build(OutcomeEvent,
                participation=p, kind=OutcomeKind.EMPLOYMENT, occurred_on=min(p.end_date + dt.timedelta(days=i % 40),
                                                                               today),
                employment_form=[EmploymentForm.CONTRACT, EmploymentForm.CIVIL, EmploymentForm.BUSINESS][i % 3],
                fte=Decimal("1.00") if i % 3 == 0 else None, planned_months=6, employer="Zakład Usług Komunalnych",
                evidence="Kopia umowy.", created_at=at(p.end_date, 15),
            ))  # fmt: skip
        if i % 5 == 0:
            events.append(build(OutcomeEvent, participation=p, kind=OutcomeKind.QUALIFICATION, occurred_on=p.end_date,
                                       qualification_name="Operator wózka widłowego", evidence="Certyfikat.",
                                       created_at=at(p.end_date, 15)))  # fmt: skip
        if i % 2 == 0:
            events.append(build(OutcomeEvent, participation=p, kind=OutcomeKind.SOCIAL_PROGRESS,
                                       occurred_on=min(p.end_date + dt.timedelta(days=10), today),
                                       progress_category=list(ProgressCategory)[i % 8], evidence="Ocena doradcy.",
                                       created_at=at(p.end_date, 15)))  # fmt: skip
    copy_objects(OutcomeEvent, events)
    return len(events)
