"""Factories of social contracts and family programmes (built through the services where the
workflow matters, so that tests start from states the app itself can produce)."""

import datetime as dt

from contracts.models import ActionOwner, ContractKind
from contracts.services import programmes as programme_services
from contracts.services import social_contracts as contract_services
from support_network.models import Module


def make_contract(*, family, person, worker, goals=("Podjęcie zatrudnienia",), signed=False, today=None, **fields):
    today = today or dt.date.today()
    data = {
        "kind": ContractKind.A,
        "number": "",
        "person": person,
        "concluded_on": today,
        "period_start": today,
        "period_end": today + dt.timedelta(days=180),
        "causes": "Długotrwałe bezrobocie, zadłużenie mieszkania.",
        "resources": "Motywacja do zmiany, wsparcie matki.",
        "limitations": "Brak kwalifikacji zawodowych.",
        "main_goal": "Usamodzielnienie ekonomiczne rodziny.",
        "evaluation_method": "Rozmowa oceniająca raz w miesiącu.",
        **fields,
    }
    contract = contract_services.contract_create(
        family=family,
        fields=data,
        covered_members=[],
        goals=[{"text": g} for g in goals],
        actions=[
            {
                "description": "Udział w warsztatach doradztwa zawodowego",
                "owner": ActionOwner.CLIENT,
                "deadline": today + dt.timedelta(days=30),
            },
            {
                "description": "Pomoc w przygotowaniu CV",
                "owner": ActionOwner.OPS,
                "deadline": today + dt.timedelta(days=14),
            },
        ],
        evaluations=[{"due_on": today + dt.timedelta(days=60)}],
        by=worker,
    )
    if signed:
        contract = contract_services.contract_sign(contract=contract, signed_on=today, by=worker)
    return contract


def make_programme(*, family, author, services=(), submit=False, goals=None, today=None):
    """A draft programme with one free-text action per module and one catalogue action per service."""
    today = today or dt.date.today()
    person = family.members.first()
    actions = [
        {
            "module": Module.FAMILY,
            "service": None,
            "description": "Spotkania z asystentem rodziny",
            "person": None,
            "start_on": today,
            "end_on": today + dt.timedelta(days=90),
            "expected_result": "Uporządkowany budżet domowy",
        },
    ]
    for service in services:
        actions.append(
            {
                "module": service.module,
                "service": service,
                "description": "",
                "person": person,
                "start_on": today,
                "end_on": today + dt.timedelta(days=60),
                "expected_result": "Ukończenie usługi",
            }
        )
    programme = programme_services.programme_create(
        family=family,
        fields={
            "title": "Program rodzinny",
            "prepared_by": "mgi",
            "team": family.team,
            "diagnosis": None,
            "summary": "Rodzina trzypokoleniowa, bezrobocie dwojga dorosłych.",
            "period_start": today,
            "period_end": today + dt.timedelta(days=180),
        },
        goals=goals if goals is not None else [{"person": person, "text": "Podjęcie pracy przez matkę"}],
        actions=actions,
        by=author,
    )
    if submit:
        programme_services.programme_submit(programme=programme, by=author)
        programme.refresh_from_db()
    return programme
