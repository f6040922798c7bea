"""core.workflow: the one helper that applies a transitions table (tested on a real model with a
status, timestamps and lock_version; the tables here are the test's own, not the room's)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from contracts.models import FamilyProgramme
from core.errors import DomainError
from core.workflow import Transition, allowed_actions, apply_transition, markdown_rows, mermaid, predicate
from tests.families.factories import FamilyFactory

pytestmark = pytest.mark.django_db


def anyone(user, obj) -> bool:
    return True


def nobody(user, obj) -> bool:
    return False


TABLE = {
    "submit": Transition(
        source=("draft", "returned"),
        target="submitted",
        who=anyone,
        stamps=("status_changed_at", "submitted_at"),
        description="send it on",
    ),
    "return": Transition(source=("submitted",), target="returned", who=nobody, denied="Nie wolno."),
    "approve": Transition(
        source=("submitted",),
        target="approved",
        stamps=("period_start", "created_by"),
        illegal=lambda row: f"Nie w stanie {row.status}.",
    ),
}


@pytest.fixture
def row(mops, social_worker):
    family = FamilyFactory(institution=mops)
    return FamilyProgramme.objects.create(
        family=family,
        prepared_by="mgi",
        period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2030, 1, 1),
        created_by=social_worker,
    )


def test_applies_the_target_stamps_and_bumps_the_version(row, coordinator):
    events = []
    updated = apply_transition(
        row, TABLE, "submit", by=coordinator, event=lambda r, previous: events.append((r.status, previous))
    )
    assert updated.status == "submitted" and updated.submitted_at is not None
    assert updated.status_changed_at == updated.submitted_at  # one "now" per transition
    assert updated.lock_version == row.lock_version + 1
    assert events == [("submitted", "draft")]
    row.refresh_from_db()
    assert row.status == "submitted" and row.lock_version == updated.lock_version


def test_a_date_stamp_gets_today_and_a_relation_the_acting_user(row, coordinator):
    FamilyProgramme.objects.filter(pk=row.pk).update(status="submitted", submitted_at=timezone.now())
    updated = apply_transition(row, TABLE, "approve", by=coordinator)
    assert updated.period_start == timezone.localdate()
    assert updated.created_by == coordinator


def test_values_and_prepare_are_saved_with_the_transition(row, coordinator):
    FamilyProgramme.objects.filter(pk=row.pk).update(title="B")  # prepare reads the locked, fresh row
    apply_transition(
        row, TABLE, "submit", by=coordinator, values={"title": "A"}, prepare=lambda r: {"summary": f"{r.title}!"}
    )
    row.refresh_from_db()
    assert (row.title, row.summary) == ("A", "B!")


def test_a_status_the_table_does_not_allow_is_a_conflict_and_changes_nothing(row, coordinator):
    with pytest.raises(DomainError) as exc:
        apply_transition(row, TABLE, "approve", by=coordinator)
    assert exc.value.conflict and exc.value.message == "Nie w stanie draft."
    row.refresh_from_db()
    assert row.status == "draft" and row.lock_version == 1


def test_the_row_is_reread_so_a_stale_object_loses_the_race(row, coordinator):
    stale = FamilyProgramme.objects.get(pk=row.pk)
    apply_transition(row, TABLE, "submit", by=coordinator)
    with pytest.raises(DomainError) as exc:
        apply_transition(stale, TABLE, "submit", by=coordinator)
    assert exc.value.conflict


def test_who_refuses_before_the_status_is_looked_at(row, coordinator):
    with pytest.raises(DomainError) as exc:
        apply_transition(row, TABLE, "return", by=coordinator)
    assert not exc.value.conflict and exc.value.message == "Nie wolno."
    with pytest.raises(DomainError):
        apply_transition(row, TABLE, "submit", by=None)  # a user check never passes without a user


def test_a_failing_event_or_prepare_rolls_the_transition_back(row, coordinator):
    def boom(*args):
        raise DomainError("stop")

    for hook in ({"event": boom}, {"prepare": boom}):
        with pytest.raises(DomainError):
            apply_transition(row, TABLE, "submit", by=coordinator, **hook)
        row.refresh_from_db()
        assert row.status == "draft" and row.lock_version == 1


def test_the_row_is_locked_and_saved_with_update_fields(row, coordinator):
    with CaptureQueriesContext(connection) as queries:
        apply_transition(row, TABLE, "submit", by=coordinator)
    sql = [q["sql"] for q in queries.captured_queries]
    # the row lock is PostgreSQL's (CI, production); SQLite, the embedded default, has no row locks
    # and Django leaves the clause out there
    assert any("FOR UPDATE" in q for q in sql) == connection.features.has_select_for_update
    update = next(q for q in sql if q.startswith("UPDATE"))
    assert '"summary"' not in update and '"lock_version"' in update and '"updated_at"' in update


def test_allowed_actions_follow_status_and_who(row, coordinator):
    assert allowed_actions(row, TABLE, by=coordinator) == ["submit"]
    row.status = "submitted"
    assert allowed_actions(row, TABLE, by=coordinator) == ["approve"]


def test_a_lazy_predicate_is_imported_on_call():
    is_anyone = predicate("tests.core.test_workflow.anyone")
    assert is_anyone.__name__ == "anyone" and is_anyone(None, None) is True


def test_mermaid_and_markdown_render_every_edge():
    graph = mermaid(TABLE, initial="draft", labels={"draft": "projekt"})
    assert graph.splitlines()[0] == "stateDiagram-v2"
    assert '    state "projekt" as draft' in graph
    assert "    [*] --> draft" in graph
    assert "    draft --> submitted: submit" in graph and "    returned --> submitted: submit" in graph
    rows = markdown_rows(TABLE)
    assert "| `submit` | `draft`, `returned` | `submitted` | `anyone` | `status_changed_at`, `submitted_at` |" in rows
    assert "| `approve` | `submitted` | `approved` | `system` |" in rows
