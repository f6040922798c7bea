"""Budget summary of a project: planned, spent, remaining per line and in total, and cap
warnings — spent amounts are SUM aggregates in one query."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import DecimalField, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from reporting.models import BudgetLine, Expense
from reporting.selectors.indicators import percent

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class _PlannedAndSpent:
    """What is left and how much is used, of a budget line or of the whole budget (`planned`, `spent`)."""

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.spent  # type: ignore[attr-defined]

    @property
    def spent_percent(self) -> Decimal | None:
        return percent(self.spent, self.planned)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class LineSummary(_PlannedAndSpent):
    id: int
    category: str
    planned: Decimal
    spent: Decimal
    cap_percent: Decimal | None
    cap_amount: Decimal | None

    @property
    def spent_over_cap(self) -> bool:
        return self.cap_amount is not None and self.spent > self.cap_amount

    @property
    def planned_over_cap(self) -> bool:
        return self.cap_amount is not None and self.planned > self.cap_amount

    @property
    def overspent(self) -> bool:
        return self.spent > self.planned


@dataclass(frozen=True)
class BudgetSummary(_PlannedAndSpent):
    project_value: Decimal
    lines: list[LineSummary]
    warnings: list[str] = field(default_factory=list)

    @property
    def planned(self) -> Decimal:
        return sum((line.planned for line in self.lines), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((line.spent for line in self.lines), ZERO)


def cap_amount(project_value: Decimal, cap_percent: Decimal | None) -> Decimal | None:
    if cap_percent is None:
        return None
    return (project_value * cap_percent / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def budget_summary(project) -> BudgetSummary:
    """Lines with their spent sums (one query); caps are a share of the project's total value."""
    rows = (
        BudgetLine.objects.filter(project=project)
        .annotate(spent=Coalesce(Sum("expenses__amount"), Value(ZERO), output_field=DecimalField()))
        .order_by("category")
        .values("pk", "category", "planned_amount", "cap_percent", "spent")
    )
    lines = [
        LineSummary(
            id=row["pk"],
            category=row["category"],
            planned=row["planned_amount"],
            spent=row["spent"],
            cap_percent=row["cap_percent"],
            cap_amount=cap_amount(project.total_value, row["cap_percent"]),
        )  # fmt: skip
        for row in rows
    ]
    warnings = []
    for line in lines:
        if line.spent_over_cap:
            warnings.append(
                _(
                    "„%(category)s”: wydatki %(spent)s zł przekraczają limit %(cap)s%% wartości projektu "
                    "(%(amount)s zł)."
                )  # fmt: skip
                % {"category": line.category, "spent": line.spent, "cap": line.cap_percent, "amount": line.cap_amount}
            )
        if line.planned_over_cap:
            warnings.append(
                _(
                    "„%(category)s”: kwota planowana %(planned)s zł przekracza limit %(cap)s%% wartości projektu "
                    "(%(amount)s zł)."
                )  # fmt: skip
                % {
                    "category": line.category,
                    "planned": line.planned,
                    "cap": line.cap_percent,
                    "amount": line.cap_amount,
                }  # fmt: skip
            )
        if line.overspent:
            warnings.append(
                _("„%(category)s”: wydano %(spent)s zł, więcej niż zaplanowano (%(planned)s zł).")
                % {"category": line.category, "spent": line.spent, "planned": line.planned}
            )
    summary = BudgetSummary(project_value=project.total_value, lines=lines, warnings=warnings)
    if summary.planned > project.total_value:
        warnings.append(
            _("Suma kwot planowanych (%(planned)s zł) przekracza wartość projektu (%(value)s zł).")
            % {"planned": summary.planned, "value": project.total_value}
        )
    return summary


def project_expenses(project):
    return Expense.objects.filter(line__project=project).select_related("line", "created_by")
