from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, not_future
from core.locking import VersionedForm
from core.text import fold
from reporting.models import BudgetLine, Expense


class BudgetLineForm(VersionedForm, forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["category", "planned_amount", "cap_percent"]

    def __init__(self, *args, project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)

    def clean_category(self):
        category = " ".join(self.cleaned_data["category"].split())
        if not category:
            raise forms.ValidationError(_("Podaj nazwę kategorii."))
        others = BudgetLine.objects.filter(project=self.project, category_key=fold(category))
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError(_("Ta kategoria jest już w budżecie projektu."))
        return category


class ExpenseForm(forms.ModelForm):
    class Meta:
        model = Expense
        fields = ["line", "spent_on", "amount", "document_number", "description"]
        widgets = {"spent_on": DateInput()}
        labels = {"line": capfirst(_("pozycja budżetu"))}

    def __init__(self, *args, project, **kwargs):
        self.project = project
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = BudgetLine.objects.filter(project=project).order_by("category")
        self.fields["line"].empty_label = None

    def clean_spent_on(self):
        day = self.cleaned_data["spent_on"]
        not_future(day, _("Data wydatku nie może być z przyszłości."))
        if day < self.project.start_date:
            raise forms.ValidationError(_("Data wydatku jest wcześniejsza niż początek realizacji projektu."))
        return day

    def clean_document_number(self):
        number = self.cleaned_data["document_number"].strip()
        if not number:
            raise forms.ValidationError(_("Podaj numer dokumentu księgowego."))
        return number


class ExpenseCorrectionForm(VersionedForm, ExpenseForm):
    """Correct an expense: its fields, read at lock_version, and the reason (required, kept)."""

    version_ignored = ("reason",)
    reason = forms.CharField(
        label=capfirst(_("powód korekty")), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class ExpenseDeleteForm(forms.Form):
    reason = forms.CharField(
        label=capfirst(_("powód usunięcia")), widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )
