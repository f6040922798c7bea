"""Demo placements, supports and the talks after a month of work (issue 13 item 8, this part):

- Razem Skuteczniej (Kalisz): each of the 20 participants did 5 months of public works (roboty
  publiczne, 160 h a month) at one of the seven employers the article names, and was employed
  there; the MOPS worker talked with the employer and with the employee after a full month of work
  (both talks recorded, so the follow-up is done);
- every other employment follow-up of a project that has ended: both talks recorded on the due day;
- Fachowa siła: the supports its participants received from PUP Wodzisław (vocational counselling)
  and from CIS Rybnik (social and vocational reintegration), so its SL2014 export shows support forms.

Runs after the reporting seeder; idempotent (a participation that has a placement or supports
already gets none; a talk already recorded is not recorded again).
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from reporting.access import can_record_conversation
from reporting.models import (
    ConversationParty,
    FollowUp,
    FollowUpConversation,
    FollowUpKind,
    Participation,
    Placement,
    PlacementKind,
    Support,
)
from reporting.services.placements import conversation_record, placement_add, placement_end
from reporting.services.supports import support_add

# the employers named in the Razem Skuteczniej article (seeds: 20 participants employed on an umowa o pracę)
KALISZ_EMPLOYERS = [
    "Urząd Miejski w Kaliszu", "Zarząd Dróg Miejskich w Kaliszu", "Dom Pomocy Społecznej w Kaliszu",
    "II Liceum Ogólnokształcące w Kaliszu", "Szkoła Podstawowa Nr 8 w Kaliszu", "Zespół Szkół Nr 7 w Kaliszu",
    "Straż Miejska w Kaliszu",
]  # fmt: skip
PUBLIC_WORKS = (dt.date(2017, 3, 6), dt.date(2017, 8, 4))  # 5 months, as the article plans
FACHOWA_SUPPORTS = [
    ("usługa aktywnej integracji o charakterze zawodowym", "poradnictwo zawodowe – PUP Wodzisław Śl.", 60),
    ("usługa aktywnej integracji o charakterze społecznym", "reintegracja społeczna – CIS Rybnik", 120),
]


def seed(stdout) -> None:
    manager = get_user_model().objects.filter(username="kierownik").first()
    if manager is None:
        return
    works = _seed_public_works(manager)
    talks = _seed_talks(manager)
    supports = _seed_fachowa_supports(manager)
    stdout.write(f"Roboty publiczne: {works}; rozmowy po miesiącu pracy: {talks}; formy wsparcia Fachowa siła: "
                 f"{supports}.")  # fmt: skip


def _seed_public_works(manager) -> int:
    participations = Participation.objects.filter(project__short_name="Razem Skuteczniej").order_by("pk")
    created = 0
    for i, participation in enumerate(participations.select_related("project")):
        if Placement.objects.filter(support__participation=participation).exists():
            continue
        start, end = PUBLIC_WORKS
        placement = placement_add(participation=participation, by=manager, values={
            "kind": PlacementKind.PUBLIC_WORKS, "employer": KALISZ_EMPLOYERS[i % len(KALISZ_EMPLOYERS)],
            "planned_start": start, "planned_end": end, "hours_per_month": 160,
        })  # fmt: skip
        # the employment that followed is already on the record (the reporting seeder): no second one
        placement_end(placement=placement, actual_end=end, kept_on=False, lock_version=None, by=manager)
        Placement.objects.filter(pk=placement.pk).update(kept_on=True)
        created += 1
    return created


def _seed_talks(manager) -> int:
    """Both talks of every employment follow-up of an ended project, by the family's social worker
    (the MOPS worker, as in Kalisz) or else the manager, on the follow-up's due day."""
    followups = FollowUp.objects.filter(
        kind=FollowUpKind.EMPLOYMENT_1M, participation__project__end_date__lt=timezone.localdate()
    ).select_related("participation__person__family__social_worker", "outcome")
    recorded = 0
    for followup in followups:
        person = followup.participation.person
        worker = person.family.social_worker if person else None
        by = worker if worker is not None and can_record_conversation(worker, followup) else manager
        done = set(FollowUpConversation.objects.filter(followup=followup).values_list("party", flat=True))
        for party, spoke_with in ((ConversationParty.EMPLOYER, "kierownik kadr"),
                                  (ConversationParty.EMPLOYEE, "uczestnik")):  # fmt: skip
            if party in done:
                continue
            conversation_record(followup=followup, by=by, values={
                "party": party, "held_on": followup.due_on, "spoke_with": spoke_with, "result": "still_employed",
                "note": "Obie strony zadowolone z zatrudnienia (demo).",
            })  # fmt: skip
            recorded += 1
    return recorded


def _seed_fachowa_supports(manager) -> int:
    participations = Participation.objects.filter(project__short_name="Fachowa siła").select_related("project")
    created = 0
    for i, participation in enumerate(participations.order_by("pk")):
        if Support.objects.filter(participation=participation).exists():
            continue
        last = participation.end_date or participation.project.end_date
        for form, detail, days in FACHOWA_SUPPORTS[: 1 + i % 2]:
            end = min(participation.start_date + dt.timedelta(days=days), last)
            support_add(participation=participation, by=manager, values={
                "form": form, "form_detail": detail, "start_date": participation.start_date, "end_date": end,
            })  # fmt: skip
            created += 1
    return created
