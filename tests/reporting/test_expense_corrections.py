"""Expenses can be corrected and deleted (issue 12, wall 5), each with a required reason that is
kept (ExpenseChange) and logged (django-auditlog); only the project manager; a stale correction
is refused; the budget list stays constant in queries."""

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from core.errors import DomainError
from core.locking import StaleEdit
from reporting.models import Expense, ExpenseChange, ExpenseChangeKind
from reporting.services.budget import expense_correct, expense_delete
from tests.reporting.factories_indicators import BudgetLineFactory, ExpenseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def expense(project):
    line = BudgetLineFactory(project=project, category="Wynagrodzenia", planned_amount=Decimal("50000"))
    return ExpenseFactory(line=line, amount=Decimal("1200.00"), spent_on=dt.date(2018, 5, 10), document_number="FV/1")


def values(expense, **changes):
    return {
        "line": expense.line,
        "spent_on": expense.spent_on,
        "amount": expense.amount,
        "document_number": expense.document_number,
        "description": expense.description,
    } | changes


def test_correction_needs_a_reason_and_keeps_it(expense, manager):
    with pytest.raises(DomainError):
        expense_correct(expense=expense, reason="  ", by=manager, lock_version=1, **values(expense))
    expense_correct(
        expense=expense, reason="Pomyłka w kwocie", by=manager, lock_version=1, **values(expense, amount=Decimal("120"))
    )
    expense.refresh_from_db()
    assert expense.amount == Decimal("120.00") and expense.lock_version == 2
    change = ExpenseChange.objects.get()
    assert change.kind == ExpenseChangeKind.CORRECTED and change.reason == "Pomyłka w kwocie" and change.by == manager
    assert LogEntry.objects.get_for_object(expense).filter(action=LogEntry.Action.UPDATE).exists()


def test_a_stale_correction_is_refused(expense, manager):
    expense_correct(expense=expense, reason="Pierwsza", by=manager, lock_version=1, **values(expense))
    with pytest.raises(StaleEdit):
        expense_correct(expense=expense, reason="Druga", by=manager, lock_version=1, **values(expense))


def test_only_the_project_manager_corrects_or_deletes(expense, coordinator, auditor):
    for user in (coordinator, auditor):
        with pytest.raises(DomainError):
            expense_correct(expense=expense, reason="x", by=user, lock_version=1, **values(expense))
        with pytest.raises(DomainError):
            expense_delete(expense=expense, reason="x", by=user)
    assert Expense.objects.filter(pk=expense.pk).exists()


def test_delete_page_names_the_expense_and_needs_a_reason(expense, manager, login):
    client = login(manager)
    url = reverse("reporting:expense_delete", args=[expense.line.project_id, expense.pk])
    page = client.get(url).content.decode()
    assert "FV/1" in page and "10.05.2018" in page and "Wynagrodzenia" in page
    assert client.post(url, {"reason": ""}).status_code == 200
    assert Expense.objects.filter(pk=expense.pk).exists()
    assert client.post(url, {"reason": "Dokument wpisany dwa razy"}).status_code == 302
    assert not Expense.objects.filter(pk=expense.pk).exists()
    change = ExpenseChange.objects.get()
    assert change.kind == ExpenseChangeKind.DELETED and "FV/1" in change.summary
    assert LogEntry.objects.filter(object_pk=str(expense.pk), action=LogEntry.Action.DELETE).exists()


def test_correct_page_saves_with_the_reason(expense, manager, login):
    client = login(manager)
    url = reverse("reporting:expense_correct", args=[expense.line.project_id, expense.pk])
    data = {
        "line": expense.line_id,
        "spent_on": "2018-05-10",
        "amount": "1300.00",
        "document_number": "FV/1",
        "description": "",
        "lock_version": 1,
    }
    assert client.post(url, data).status_code == 200  # no reason: the form asks for it
    assert client.post(url, {**data, "reason": "Korekta faktury"}).status_code == 302
    expense.refresh_from_db()
    assert expense.amount == Decimal("1300.00")


@pytest.mark.parametrize("rows", [1, 20])
def test_budget_page_with_the_actions_keeps_its_query_count(
    expense, manager, login, rows, django_assert_max_num_queries
):
    for _i in range(rows - 1):
        ExpenseFactory(line=expense.line, amount=Decimal("10"), spent_on=dt.date(2018, 5, 11))
    client = login(manager)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("reporting:budget", args=[expense.line.project_id]))
    assert page.status_code == 200 and "Korekta" in page.content.decode()
