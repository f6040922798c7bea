"""Project budget: lines with an optional cap as a share of the project's total value, and expenses."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.text import FoldedField, with_folded_fields
from support_network.models import Project


class BudgetLine(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="budget_lines")
    category = models.CharField(_("kategoria"), max_length=200)
    # the category folded (core.text.fold): unique per project, so "Szkolenia" and "SZKOLENIA " or
    # "Koszty posrednie" and "Koszty pośrednie" cannot both exist
    category_key = FoldedField(max_length=200, sources=("category",))
    planned_amount = models.DecimalField(_("kwota planowana (zł)"), max_digits=14, decimal_places=2,
                                         validators=[MinValueValidator(Decimal("0"))])  # fmt: skip
    cap_percent = models.DecimalField(
        _("limit (% wartości projektu)"), max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text=_("np. 15 – koszty dostosowania biura nie mogą przekroczyć 15% budżetu."),
    )  # fmt: skip
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # see core.locking

    class Meta:
        ordering = ["project", "category"]
        verbose_name = _("pozycja budżetu")
        verbose_name_plural = _("pozycje budżetu")
        constraints = [
            models.UniqueConstraint(fields=["project", "category"], name="budget_category_unique"),
            models.UniqueConstraint(fields=["project", "category_key"], name="budget_category_key_unique"),
        ]

    def __str__(self):
        return self.category

    def save(self, *args, **kwargs):
        super().save(*args, **with_folded_fields(self, kwargs))


class Expense(models.Model):
    line = models.ForeignKey(BudgetLine, on_delete=models.PROTECT, related_name="expenses")
    spent_on = models.DateField(_("data"))
    amount = models.DecimalField(_("kwota (zł)"), max_digits=14, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])  # fmt: skip
    document_number = models.CharField(_("numer dokumentu"), max_length=80)
    description = models.CharField(_("opis"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    lock_version = models.PositiveIntegerField(default=1, editable=False)  # see core.locking

    class Meta:
        ordering = ["-spent_on", "-pk"]
        verbose_name = _("wydatek")
        verbose_name_plural = _("wydatki")

    def __str__(self):
        return f"{self.document_number} ({self.amount} zł)"


class ExpenseChangeKind(models.TextChoices):
    CORRECTED = "corrected", _("korekta")
    DELETED = "deleted", _("usunięcie")


class ExpenseChange(models.Model):
    """Why an expense was corrected or deleted, by whom and when (the field differences are in the
    audit log; this keeps the reason, also after the expense itself is gone)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="expense_changes")
    expense_id_kept = models.PositiveBigIntegerField(_("wydatek (id)"))
    kind = models.CharField(_("rodzaj"), max_length=20, choices=ExpenseChangeKind.choices)
    summary = models.CharField(_("wydatek"), max_length=300)
    reason = models.TextField(_("powód"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("korekta wydatku")
        verbose_name_plural = _("korekty wydatków")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.summary}"
