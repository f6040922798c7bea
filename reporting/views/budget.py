"""Budget pages: summary and expenses for the project's staff; the project manager edits."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import DomainError
from core.forms import submit
from core.once import idempotent_create
from core.pagination import PAGE_SIZE, paginate
from core.sorting import sort_rows
from reporting.access import can_manage_project
from reporting.forms.budget import BudgetLineForm, ExpenseCorrectionForm, ExpenseDeleteForm, ExpenseForm
from reporting.models import BudgetLine, Expense
from reporting.selectors.budget import budget_summary, project_expenses
from reporting.services.budget import EXPENSE_FIELDS, budget_line_save, expense_correct, expense_delete, expense_record
from reporting.views.common import project_for
from support_network.access import PROJECT_ROLES, role_required

EXPENSE_SORT = {
    "data": "spent_on",
    "pozycja": ("line__category", "spent_on"),
    "dokument": "document_number",
    "kwota": "amount",
}


@role_required(*PROJECT_ROLES)
def budget(request, pk):
    project = project_for(request, pk)
    can_manage = can_manage_project(request.user, project)
    expenses, sorting = sort_rows(request, project_expenses(project), EXPENSE_SORT)
    return render(request, "reporting/budget/budget.html", {
        "project": project, "summary": budget_summary(project), "expenses": paginate(request, expenses, PAGE_SIZE),
        "sorting": sorting, "can_manage": can_manage,
        "line_form": BudgetLineForm(project=project) if can_manage else None,
        "expense_form": ExpenseForm(project=project) if can_manage else None,
    })  # fmt: skip


def _manager_project(request, pk):
    project = project_for(request, pk)
    if not can_manage_project(request.user, project):
        return project, HttpResponse(_("Budżet zmienia tylko kierownik projektu."), status=403)
    return project, None


@role_required(*PROJECT_ROLES)
@require_http_methods(["GET", "POST"])
@idempotent_create  # the add form (an edit carries no form token)
def budget_line_edit(request, pk, line_pk=None):
    project, denied = _manager_project(request, pk)
    if denied:
        return denied
    line = get_object_or_404(BudgetLine, project=project, pk=line_pk) if line_pk else None
    form = BudgetLineForm(request.POST or None, instance=line, project=project)
    status = 200
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ("category", "planned_amount", "cap_percent")}
        saved, status = submit(form, lambda: budget_line_save(
            project=project, line=line, by=request.user, lock_version=form.read_version, **values))  # fmt: skip
        if status is None:
            messages.success(request, _("Zapisano pozycję budżetu."))
            return redirect("reporting:budget", pk=project.pk)
    context = {"project": project, "form": form, "line": line}
    return render(request, "reporting/budget/line_form.html", context, status=status)


@role_required(*PROJECT_ROLES)
@require_http_methods(["GET", "POST"])
@idempotent_create
def expense_add(request, pk):
    project, denied = _manager_project(request, pk)
    if denied:
        return denied
    form = ExpenseForm(request.POST or None, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            expense_record(by=request.user, **form.cleaned_data)
        except DomainError as exc:
            return HttpResponse(exc.message, status=409 if exc.conflict else 403)
        messages.success(request, _("Zapisano wydatek."))
        return redirect("reporting:budget", pk=project.pk)
    return render(request, "reporting/budget/expense_form.html", {"project": project, "form": form})


def _managed_expense(request, pk, expense_pk):
    project, denied = _manager_project(request, pk)
    expenses = Expense.objects.select_related("line")
    expense = None if denied else get_object_or_404(expenses, line__project=project, pk=expense_pk)
    return project, expense, denied


@role_required(*PROJECT_ROLES)
@require_http_methods(["GET", "POST"])
def expense_correct_view(request, pk, expense_pk):
    """Correct an expense (VersionedForm, a required reason)."""
    project, expense, denied = _managed_expense(request, pk, expense_pk)
    if denied:
        return denied
    form = ExpenseCorrectionForm(request.POST or None, instance=expense, project=project)
    status = 200
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in EXPENSE_FIELDS}
        _saved, status = submit(form, lambda: expense_correct(
            expense=expense, reason=form.cleaned_data["reason"], by=request.user, lock_version=form.read_version,
            **values))  # fmt: skip
        if status is None:
            messages.success(request, _("Skorygowano wydatek; powód zapisano w historii."))
            return redirect("reporting:budget", pk=project.pk)
    context = {"project": project, "form": form, "expense": expense}
    return render(request, "reporting/budget/expense_correct.html", context, status=status)


@role_required(*PROJECT_ROLES)
@require_http_methods(["GET", "POST"])
def expense_delete_view(request, pk, expense_pk):
    """Delete an expense: the page says which one and asks for the reason (the confirm step)."""
    project, expense, denied = _managed_expense(request, pk, expense_pk)
    if denied:
        return denied
    form = ExpenseDeleteForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        _done, status = submit(
            form, lambda: expense_delete(expense=expense, reason=form.cleaned_data["reason"], by=request.user)
        )
        if status is None:
            messages.success(request, _("Usunięto wydatek; powód zapisano w historii."))
            return redirect("reporting:budget", pk=project.pk)
    context = {"project": project, "form": form, "expense": expense}
    return render(request, "reporting/budget/expense_delete.html", context, status=status)
