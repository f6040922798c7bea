"""Pages of the kontrakt socjalny. Thin: scoped fetch → form → service → redirect."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from contracts.access import can_manage_contract, can_write_contracts_for, contracts_visible_to
from contracts.forms.common import rows_of
from contracts.forms.social_contracts import (
    ActionFormSet,
    AmendForm,
    CloseForm,
    ContractForm,
    DoneForm,
    EvaluationFormSet,
    EvaluationRecordForm,
    GoalFormSet,
    RefuseForm,
    SignForm,
)
from contracts.models import ContractAction, ContractEvaluation, SocialContract
from contracts.models.social_contracts import CONTRACT_FIELDS
from contracts.selectors.social_contracts import Reminder, contract_detail_qs, contract_list, reminders_for
from contracts.services import social_contracts as services
from contracts.views.common import conflict, family_url, save_document
from core.access_log import shown
from core.errors import DomainError
from core.once import idempotent_create
from core.pagination import PAGE_SIZE, paginate
from core.params import is_id
from core.pdf import render_pdf
from core.sorting import sort_items, sort_rows
from families.access import families_visible_to, persons_visible_to
from support_network.access import CASEWORK_ROLES, PROJECT_ROLES, role_required

READ_ROLES = (*CASEWORK_ROLES, *PROJECT_ROLES)


CONTRACT_SORT = {
    "numer": "number",
    "typ": "kind",
    "osoba": ("person__last_name", "person__first_name"),
    "rodzina": "family__case_number",
    "okres": ("period_start", "period_end"),
    "status": "status",
    "pracownik": ("social_worker__last_name", "social_worker__first_name"),
    "oceny": "open_evaluations",
}


@role_required(*READ_ROLES)
def contract_list_view(request):
    rows, sorting = sort_rows(request, contract_list(request.user), CONTRACT_SORT)
    page = paginate(request, rows, PAGE_SIZE)
    shown(request, *page.object_list)
    return render(request, "contracts/contract_list.html", {"page": page, "sorting": sorting})


def _formsets(data, instance, family):
    kwargs = {"form_kwargs": {"family": family}, "instance": instance}
    return (
        GoalFormSet(data, prefix="goals", **kwargs),
        ActionFormSet(data, prefix="actions", **kwargs),
        EvaluationFormSet(data, prefix="evaluations", **kwargs),
    )


def _children(form, goals, actions, evaluations):
    return {
        "covered_members": form.cleaned_data.get("covered_members") or [],
        "goals": rows_of(goals, services.GOAL_FIELDS),
        "actions": rows_of(actions, services.ACTION_FIELDS),
        "evaluations": rows_of(evaluations, services.EVALUATION_FIELDS),
    }


def _contract_fields(form):
    return {name: form.cleaned_data.get(name) for name in CONTRACT_FIELDS}


@idempotent_create
def contract_create(request):
    """New draft for ?family=<id> or ?person=<id> (a member of a family visible to the user)."""
    person = None
    if is_id(request.GET.get("person", "")):
        person = get_object_or_404(persons_visible_to(request.user).select_related("family"), pk=request.GET["person"])
        family = person.family
    elif is_id(request.GET.get("family", "")):
        family = get_object_or_404(families_visible_to(request.user), pk=request.GET["family"])
    else:
        raise Http404
    if not can_write_contracts_for(request.user, family):
        raise Http404
    shown(request, family, person)
    data = request.POST if request.method == "POST" else None
    initial = {"person": person, "concluded_on": timezone.localdate(), "period_start": timezone.localdate()}
    form = ContractForm(data, family=family, initial=initial)
    goals, actions, evaluations = _formsets(data, SocialContract(), family)
    context = {"form": form, "goals": goals, "actions": actions, "evaluations": evaluations, "family": family}
    return save_document(
        request, forms=(form, goals, actions, evaluations), template="contracts/contract_form.html", context=context,
        save=lambda: services.contract_create(
            family=family, fields=_contract_fields(form), by=request.user,
            **_children(form, goals, actions, evaluations),
        ),
        success=_("Zapisano projekt kontraktu socjalnego."), detail="contracts:contract_detail",
    )  # fmt: skip


def contract_edit(request, pk):
    contract = get_object_or_404(contracts_visible_to(request.user).select_related("family"), pk=pk)
    if not can_manage_contract(request.user, contract):
        raise Http404
    shown(request, contract)
    family = contract.family
    data = request.POST if request.method == "POST" else None
    form = ContractForm(data, instance=contract, family=family)
    goals, actions, evaluations = _formsets(data, contract, family)
    context = {
        "form": form,
        "goals": goals,
        "actions": actions,
        "evaluations": evaluations,
        "family": family,
        "contract": contract,
    }
    if not contract.is_draft:
        messages.error(request, _("Zawartego kontraktu nie edytuje się – zmiany wprowadza aneks."))
        return redirect("contracts:contract_detail", pk=contract.pk)
    return save_document(
        request, forms=(form, goals, actions, evaluations), template="contracts/contract_form.html", context=context,
        save=lambda: services.contract_update(
            contract=contract, fields=_contract_fields(form), by=request.user, lock_version=form.read_version,
            **_children(form, goals, actions, evaluations),
        ),
        success=_("Zapisano zmiany w projekcie kontraktu."), detail="contracts:contract_detail",
    )  # fmt: skip


def contract_detail(request, pk):
    contract = get_object_or_404(contract_detail_qs(request.user), pk=pk)
    shown(request, contract)
    can_manage = can_manage_contract(request.user, contract)
    return render(
        request,
        "contracts/contract_detail.html",
        {
            "contract": contract,
            "can_manage": can_manage,
            "family": contract.family,
            "family_url": family_url(contract.family),
            "done_form": DoneForm(initial={"done_on": timezone.localdate()}),
            "today": timezone.localdate(),
        },
    )


def contract_pdf(request, pk):
    """„Drukuj do podpisu”: część I A / I B of the statutory template."""
    contract = get_object_or_404(contract_detail_qs(request.user), pk=pk)
    shown(request, contract)
    data = render_pdf("contracts/pdf/contract.html", {"contract": contract, "printed_on": timezone.localdate()})
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kontrakt-socjalny-{contract.pk}.pdf"'
    return response


def _managed(request, pk):
    contract = get_object_or_404(contracts_visible_to(request.user).select_related("family", "person"), pk=pk)
    if not can_manage_contract(request.user, contract):
        raise PermissionDenied
    shown(request, contract)
    return contract


def _transition_page(request, pk, *, form_factory, title, apply, success, consequences=None):
    """The form of an irreversible transition; `consequences(contract)` lists what it will do
    (shown above the form: the form is the confirm step)."""
    contract = _managed(request, pk)
    form = form_factory(request.POST if request.method == "POST" else None, contract)
    context = {"contract": contract, "form": form, "title": title}
    if consequences is not None:
        context["consequences"] = consequences(contract)
    if request.method == "POST" and form.is_valid():
        try:
            apply(contract, form)
        except DomainError as error:
            return conflict(request, "contracts/contract_transition.html", context, error)
        messages.success(request, success)
        return redirect("contracts:contract_detail", pk=contract.pk)
    return render(request, "contracts/contract_transition.html", context)


def contract_sign(request, pk):
    return _transition_page(
        request,
        pk,
        form_factory=lambda data, c: SignForm(data, initial={"signed_on": timezone.localdate()}),
        title=_("Podpisanie kontraktu"),
        apply=lambda c, f: services.contract_sign(contract=c, signed_on=f.cleaned_data["signed_on"], by=request.user),
        success=_("Kontrakt zawarty – wpisano datę podpisania."),
    )


def contract_refuse(request, pk):
    return _transition_page(
        request,
        pk,
        form_factory=lambda data, c: RefuseForm(data, initial={"refused_on": timezone.localdate()}),
        title=_("Odmowa zawarcia kontraktu"),
        apply=lambda c, f: services.contract_refuse(
            contract=c, refused_on=f.cleaned_data["refused_on"], reason=f.cleaned_data["reason"], by=request.user
        ),
        success=_("Odnotowano odmowę zawarcia kontraktu."),
    )


@idempotent_create
def contract_amend(request, pk):
    return _transition_page(
        request,
        pk,
        form_factory=lambda data, c: AmendForm(data, initial={"amended_on": timezone.localdate()}),
        title=_("Aneks do kontraktu"),
        apply=lambda c, f: services.contract_amend(
            contract=c,
            amended_on=f.cleaned_data["amended_on"],
            content=f.cleaned_data["content"],
            reason=f.cleaned_data["reason"],
            new_period_end=f.cleaned_data.get("new_period_end"),
            new_evaluation_on=f.cleaned_data.get("new_evaluation_on"),
            new_action=f.new_action(),
            by=request.user,
        ),
        success=_("Zapisano aneks do kontraktu."),
    )


def contract_close(request, pk):
    return _transition_page(
        request,
        pk,
        form_factory=lambda data, c: CloseForm(data, contract=c, initial={"closed_on": timezone.localdate()}),
        title=_("Zakończenie lub rozwiązanie kontraktu"),
        apply=lambda c, f: services.contract_close(
            contract=c,
            status=f.cleaned_data["status"],
            closed_on=f.cleaned_data["closed_on"],
            reason=f.cleaned_data["reason"],
            ratings=f.ratings(),
            by=request.user,
        ),
        success=_("Kontrakt zamknięty; zapisano ocenę osiągnięcia celów."),
        consequences=_closing_consequences,
    )


def _closing_consequences(contract) -> list[str]:
    open_actions = contract.actions.filter(done_on__isnull=True).count()
    open_evaluations = contract.evaluations.filter(held_on__isnull=True).count()
    lines = [_("Kontrakt zostanie zamknięty na stałe: nie będzie można go zmienić, aneksować ani ponownie otworzyć.")]
    if open_actions:
        lines.append(
            ngettext(
                "%(count)d działanie kontraktu nie jest oznaczone jako wykonane i takie pozostanie.",
                "%(count)d działania kontraktu nie są oznaczone jako wykonane i takie pozostaną.",
                open_actions,
            )
            % {"count": open_actions}
        )
    if open_evaluations:
        lines.append(
            ngettext(
                "%(count)d zaplanowana ocena realizacji nie została przeprowadzona.",
                "%(count)d zaplanowane oceny realizacji nie zostały przeprowadzone.",
                open_evaluations,
            )
            % {"count": open_evaluations}
        )
    return lines


def evaluation_record(request, pk, evaluation_pk):
    contract = _managed(request, pk)
    evaluation = get_object_or_404(ContractEvaluation, pk=evaluation_pk, contract=contract)
    form = EvaluationRecordForm(request.POST or None, initial={"held_on": timezone.localdate()})
    context = {"contract": contract, "form": form, "title": _("Ocena realizacji kontraktu"), "evaluation": evaluation}
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_record(evaluation=evaluation, by=request.user, **form.cleaned_data)
        except DomainError as error:
            return conflict(request, "contracts/contract_transition.html", context, error)
        messages.success(request, _("Zapisano ocenę realizacji kontraktu."))
        return redirect("contracts:contract_detail", pk=contract.pk)
    return render(request, "contracts/contract_transition.html", context)


@require_POST
def contract_action_done(request, pk, action_pk):
    contract = _managed(request, pk)
    action = get_object_or_404(ContractAction, pk=action_pk, contract=contract)
    form = DoneForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Podaj poprawną datę wykonania."))
        return redirect("contracts:contract_detail", pk=contract.pk)
    try:
        with transaction.atomic():
            services.action_mark_done(action=action, done_on=form.cleaned_data["done_on"], by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("contracts:contract_detail", pk=contract.pk)
    messages.success(request, _("Działanie oznaczone jako wykonane."))
    return redirect("contracts:contract_detail", pk=contract.pk)


REMINDER_SORT: dict[str, Callable[[Reminder], Any]] = {
    "termin": lambda r: r.due_on,
    "co": lambda r: r.kind,
    "osoba": lambda r: (r.contract.person.last_name, r.contract.person.first_name),
}


@role_required(*CASEWORK_ROLES)
def reminders(request):
    """„Przypomnienia”: evaluation dates and action deadlines of my running contracts."""
    items, sorting = sort_items(request, reminders_for(request.user, today=timezone.localdate()), REMINDER_SORT)
    page = paginate(request, items, PAGE_SIZE)
    shown(request, *(item.contract for item in page))
    return render(
        request, "contracts/reminders.html", {"page": page, "sorting": sorting, "today": timezone.localdate()}
    )
