"""Writes on the project budget: lines and expenses. Change history comes from django-auditlog
(BudgetLine and Expense are registered)."""

import logging

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.locking import claim_version
from reporting.access import can_manage_project
from reporting.models import BudgetLine, Expense, ExpenseChange, ExpenseChangeKind

logger = logging.getLogger(__name__)


DUPLICATE_CATEGORY = "Ta kategoria jest już w budżecie projektu."


def _check(project, by):
    if not can_manage_project(by, project):
        raise DomainError("Budżet projektu zmienia tylko kierownik projektu.")


@transaction.atomic
def budget_line_save(
    *, project, category, planned_amount, cap_percent=None, line=None, by, lock_version: int | None = None
) -> BudgetLine:
    """Create a line (line=None) or change one of this project, read at `lock_version`."""
    _check(project, by)
    if line is None:
        try:
            with transaction.atomic():
                line = BudgetLine.objects.create(
                    project=project, category=category, planned_amount=planned_amount, cap_percent=cap_percent
                )
        except IntegrityError as exc:  # the same category (folded) saved meanwhile
            raise DomainError(DUPLICATE_CATEGORY, conflict=True) from exc
        logger.info("budget line %s created in project %s by user %s", line.pk, project.pk, by.pk)
        return line
    line = BudgetLine.objects.select_for_update().get(pk=line.pk, project=project)
    claim_version(line, lock_version)
    line.category, line.planned_amount, line.cap_percent = category, planned_amount, cap_percent
    try:
        with transaction.atomic():
            line.save(update_fields=["category", "planned_amount", "cap_percent"])
    except IntegrityError as exc:
        raise DomainError(DUPLICATE_CATEGORY, conflict=True) from exc
    logger.info("budget line %s changed by user %s", line.pk, by.pk)
    return line


@transaction.atomic
def expense_record(*, line, spent_on, amount, document_number, description="", by) -> Expense:
    _check(line.project, by)
    expense = Expense.objects.create(
        line=line, spent_on=spent_on, amount=amount, document_number=document_number, description=description,
        created_by=by,
    )  # fmt: skip
    logger.info("expense %s recorded on budget line %s by user %s", expense.pk, line.pk, by.pk)
    return expense


EXPENSE_FIELDS = ("line", "spent_on", "amount", "document_number", "description")


def _reason_required(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Podaj powód korekty albo usunięcia wydatku."))
    return reason


def _expense_summary(expense: Expense) -> str:
    return f"{expense.document_number}, {expense.spent_on:%d.%m.%Y}, {expense.amount} zł ({expense.line.category})"


@transaction.atomic
def expense_correct(*, expense, reason: str, by, lock_version: int | None, **values) -> Expense:
    """Correct an expense read at `lock_version` (core.locking); the reason is required and kept
    (ExpenseChange), the field differences are in the audit log. The new line must be of the
    same project."""
    reason = _reason_required(reason)
    project = expense.line.project
    _check(project, by)
    if values["line"].project_id != project.pk:
        raise DomainError(_("Wybierz pozycję budżetu tego projektu."))
    expense = Expense.objects.select_for_update().select_related("line").get(pk=expense.pk)
    claim_version(expense, lock_version)
    for name in EXPENSE_FIELDS:
        setattr(expense, name, values[name])
    expense.save(update_fields=[*EXPENSE_FIELDS, "lock_version"])
    ExpenseChange.objects.create(
        project=project, expense_id_kept=expense.pk, kind=ExpenseChangeKind.CORRECTED,
        summary=_expense_summary(expense), reason=reason, by=by,
    )  # fmt: skip
    logger.info("expense %s corrected by user %s", expense.pk, by.pk)
    return expense


@transaction.atomic
def expense_delete(*, expense, reason: str, by) -> None:
    """Delete an expense recorded by mistake; the reason is required and kept (ExpenseChange)."""
    reason = _reason_required(reason)
    project = expense.line.project
    _check(project, by)
    locked = Expense.objects.select_for_update().select_related("line").filter(pk=expense.pk).first()
    if locked is None:
        raise DomainError(_("Ten wydatek został już usunięty."), conflict=True)
    ExpenseChange.objects.create(
        project=project, expense_id_kept=locked.pk, kind=ExpenseChangeKind.DELETED,
        summary=_expense_summary(locked), reason=reason, by=by,
    )  # fmt: skip
    locked.delete()
    logger.info("expense %s deleted by user %s", expense.pk, by.pk)
