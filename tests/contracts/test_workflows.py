"""The transitions tables of the contracts room and docs/workflows.md generated from them."""

import pytest
from django.core.management import CommandError, call_command
from django.utils.module_loading import import_string

from contracts.management.commands import workflows_doc
from contracts.models import ContractStatus, ProgrammeStatus, ReferralStatus
from contracts.models.programmes import PROGRAMME_TRANSITIONS
from contracts.models.referrals import REFERRAL_TRANSITIONS
from contracts.models.social_contracts import CONTRACT_TRANSITIONS
from core.workflow import LazyPredicate

TABLES = (
    (REFERRAL_TRANSITIONS, ReferralStatus, {"promote"}),
    (PROGRAMME_TRANSITIONS, ProgrammeStatus, set()),
    (CONTRACT_TRANSITIONS, ContractStatus, {"expire"}),
)


@pytest.mark.parametrize(("table", "statuses", "system"), TABLES)
def test_every_status_is_in_the_graph_and_only_jobs_act_without_a_user(table, statuses, system):
    reached = {t.target for t in table.values()} | {s for t in table.values() for s in t.source}
    assert reached == set(statuses.values)
    assert {name for name, t in table.items() if t.who is None} == system


@pytest.mark.parametrize(("table", "statuses", "system"), TABLES)
def test_who_names_a_predicate_of_the_access_module(table, statuses, system):
    for transition in table.values():
        if transition.who is not None:
            assert isinstance(transition.who, LazyPredicate)
            assert transition.who.path.startswith("contracts.access.")
            assert callable(import_string(transition.who.path))


def test_the_committed_docs_match_the_tables():
    """docs/workflows.md is generated: after changing a table run `python manage.py workflows_doc`."""
    assert workflows_doc.OUTPUT.read_text(encoding="utf-8") == workflows_doc.render()
    call_command("workflows_doc", "--check")


def test_the_check_fails_when_the_docs_drift(monkeypatch):
    monkeypatch.setattr(workflows_doc, "render", lambda: "something else\n")
    with pytest.raises(CommandError):
        call_command("workflows_doc", "--check")
