import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.errors import DomainError
from reporting.forms.budget import BudgetLineForm, ExpenseForm
from reporting.models import BudgetLine, Expense
from reporting.selectors.budget import budget_summary
from reporting.services.budget import budget_line_save
from tests.reporting.factories_indicators import BudgetLineFactory, ExpenseFactory

pytestmark = pytest.mark.django_db


def test_summary_planned_spent_remaining_and_cap_warnings(project):
    # project value 904 150,00 zł: 15 % = 135 622,50 zł
    office = BudgetLineFactory(project=project, category="Dostosowanie biura", planned_amount=Decimal("120000"),
                               cap_percent=Decimal("15"))  # fmt: skip
    ExpenseFactory(line=office, amount=Decimal("100000"))
    ExpenseFactory(line=office, amount=Decimal("35622.50"))
    staff = BudgetLineFactory(project=project, category="Wynagrodzenia", planned_amount=Decimal("500000"))
    summary = budget_summary(project)
    by_name = {line.category: line for line in summary.lines}
    assert by_name["Dostosowanie biura"].cap_amount == Decimal("135622.50")
    assert by_name["Dostosowanie biura"].spent == Decimal("135622.50")
    assert not by_name["Dostosowanie biura"].spent_over_cap  # equal to the cap is allowed
    assert by_name["Dostosowanie biura"].overspent
    assert by_name["Wynagrodzenia"].spent == Decimal("0") and by_name["Wynagrodzenia"].remaining == Decimal("500000")
    assert (summary.planned, summary.spent) == (Decimal("620000"), Decimal("135622.50"))
    assert summary.remaining == Decimal("484377.50")
    ExpenseFactory(line=office, amount=Decimal("0.01"))
    summary = budget_summary(project)
    assert any("przekraczają limit 15" in w for w in summary.warnings)
    assert staff.pk in [line.id for line in summary.lines]


def test_planned_over_cap_and_over_project_value_warn(project):
    BudgetLineFactory(project=project, category="Biuro", planned_amount=Decimal("200000"), cap_percent=Decimal("15"))
    BudgetLineFactory(project=project, category="Reszta", planned_amount=Decimal("800000"))
    warnings = budget_summary(project).warnings
    assert any("kwota planowana" in w for w in warnings)
    assert any("przekracza wartość projektu" in w for w in warnings)


@pytest.mark.parametrize("n", [1, 20])
def test_budget_page_query_count(project, manager, login, n, django_assert_max_num_queries):
    for _ in range(n):
        line = BudgetLineFactory(project=project)
        ExpenseFactory(line=line)
    client = login(manager)
    with django_assert_max_num_queries(16):
        response = client.get(reverse("reporting:budget", args=[project.pk]))
    assert response.status_code == 200


def test_manager_adds_a_line_and_records_an_expense(project, manager, login):
    client = login(manager)
    response = client.post(
        reverse("reporting:budget_line_add", args=[project.pk]),
        {"category": "Dostosowanie biura", "planned_amount": "100000", "cap_percent": "15"},
    )
    assert response.status_code == 302
    line = BudgetLine.objects.get(project=project)
    response = client.post(reverse("reporting:expense_add", args=[project.pk]), {
        "line": line.pk, "spent_on": "2018-03-01", "amount": "1234.56", "document_number": "FV/1/2018",
    })  # fmt: skip
    assert response.status_code == 302
    assert Expense.objects.get().created_by == manager
    page = client.get(reverse("reporting:budget", args=[project.pk])).content.decode()
    assert "FV/1/2018" in page and "234,56" in page


def test_auditor_and_coordinator_read_only(project, auditor, coordinator, login):
    line = BudgetLineFactory(project=project)
    for user in (auditor, coordinator):
        client = login(user)
        page = client.get(reverse("reporting:budget", args=[project.pk]))
        assert page.status_code == 200 and "Zapisz wydatek" not in page.content.decode()
        assert client.post(reverse("reporting:budget_line_add", args=[project.pk]),
                           {"category": "X", "planned_amount": "1"}).status_code == 403  # fmt: skip
        assert (
            client.post(
                reverse("reporting:expense_add", args=[project.pk]),
                {"line": line.pk, "spent_on": "2018-03-01", "amount": "1", "document_number": "A"},
            ).status_code
            == 403
        )
    assert Expense.objects.count() == 0


def test_other_projects_budget_is_404(project, other_coordinator, login):
    assert login(other_coordinator).get(reverse("reporting:budget", args=[project.pk])).status_code == 404


def test_expense_form_refuses_lines_of_other_projects_future_and_early_dates(project, other_project):
    foreign = BudgetLineFactory(project=other_project)
    own = BudgetLineFactory(project=project)
    form = ExpenseForm({"line": foreign.pk, "spent_on": "2018-03-01", "amount": "10", "document_number": "A"},
                       project=project)  # fmt: skip
    assert "line" in form.errors
    future = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    form = ExpenseForm({"line": own.pk, "spent_on": future, "amount": "10", "document_number": "A"}, project=project)
    assert "spent_on" in form.errors
    form = ExpenseForm({"line": own.pk, "spent_on": "2016-12-31", "amount": "10", "document_number": "A"},
                       project=project)  # fmt: skip
    assert "spent_on" in form.errors
    form = ExpenseForm({"line": own.pk, "spent_on": "2018-02-30", "amount": "0", "document_number": " "},
                       project=project)  # fmt: skip
    assert {"spent_on", "amount", "document_number"} <= set(form.errors)


def test_duplicate_category_is_refused_with_a_message(project):
    BudgetLineFactory(project=project, category="Biuro")
    form = BudgetLineForm({"category": " biuro ", "planned_amount": "1"}, project=project)
    assert "Ta kategoria jest już w budżecie projektu." in form.errors["category"]


@pytest.mark.django_db
@pytest.mark.parametrize("typed", ["KOSZTY POSREDNIE", "koszty  pośrednie", "Koszty Pośrednie "])
def test_category_unique_regardless_of_case_and_diacritics(project, typed):
    BudgetLineFactory(project=project, category="Koszty pośrednie")
    form = BudgetLineForm({"category": typed, "planned_amount": "1"}, project=project)
    assert "Ta kategoria jest już w budżecie projektu." in form.errors["category"]


@pytest.mark.django_db
def test_the_database_refuses_a_folded_duplicate_as_a_domain_error(project, manager):
    budget_line_save(project=project, category="Szkolenia", planned_amount=Decimal("1"), by=manager)
    with pytest.raises(DomainError) as raised:  # a race past the form's check
        budget_line_save(project=project, category="SZKOLENIA", planned_amount=Decimal("2"), by=manager)
    assert raised.value.conflict
    assert BudgetLine.objects.filter(project=project).count() == 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(category=st.text(max_size=400), amount=st.text(max_size=40), cap=st.text(max_size=20))
def test_budget_line_form_never_crashes(project, category, amount, cap):
    form = BudgetLineForm({"category": category, "planned_amount": amount, "cap_percent": cap}, project=project)
    form.is_valid()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(day=st.text(max_size=30), amount=st.text(max_size=40), number=st.text(max_size=200))
def test_expense_form_never_crashes(project, day, amount, number):
    line = BudgetLine.objects.filter(project=project).first() or BudgetLineFactory(project=project)
    form = ExpenseForm({"line": line.pk, "spent_on": day, "amount": amount, "document_number": number},
                       project=project)  # fmt: skip
    form.is_valid()
