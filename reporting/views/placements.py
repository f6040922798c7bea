"""Placements (the manager, on the participation page) and the two talks one month after a job
starts (the family's social worker, the partner who placed the person, the manager; readers see it)."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.access_log import shown
from core.forms import submit
from core.once import idempotent_create
from reporting.access import MANAGE_ROLES, can_record_conversation, participations_visible_to
from reporting.forms.placements import ConversationForm, PlacementEndForm, PlacementForm
from reporting.models import ConversationParty, FollowUp, Placement
from reporting.selectors.placements import employment_followup_for_page
from reporting.services import placements as services
from support_network.access import role_required


def _participation(request, pk):
    return get_object_or_404(participations_visible_to(request.user).select_related("project"), pk=pk)


def _page(request, participation, form, heading, status):
    shown(request, participation)
    return render(request, "reporting/participants/placement.html",
                  {"p": participation, "form": form, "heading": heading}, status=status)  # fmt: skip


@role_required(*MANAGE_ROLES)
@require_http_methods(["GET", "POST"])
@idempotent_create
def placement_add(request, pk):
    participation = _participation(request, pk)
    form = PlacementForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        _saved, status = submit(form, lambda: services.placement_add(
            participation=participation, values=form.cleaned_data, by=request.user))  # fmt: skip
        if status is None:
            messages.success(request, _("Zapisano staż / roboty publiczne."))
            return redirect("reporting:participant_detail", pk=participation.pk)
    return _page(request, participation, form, _("Nowy staż, roboty publiczne lub praca subsydiowana"), status)


@role_required(*MANAGE_ROLES)
@require_http_methods(["GET", "POST"])
def placement_end(request, pk, placement_pk):
    participation = _participation(request, pk)
    placement = get_object_or_404(Placement.objects.filter(support__participation=participation)
                                  .select_related("support__participation__project"), pk=placement_pk)  # fmt: skip
    form = PlacementEndForm(request.POST or None, instance=placement)
    status = 200
    if request.method == "POST" and form.is_valid():
        _saved, status = submit(form, lambda: services.placement_end(
            placement=placement, actual_end=form.cleaned_data["actual_end"], kept_on=form.cleaned_data["kept_on"],
            lock_version=form.read_version, by=request.user))  # fmt: skip
        if status is None:
            messages.success(request, _("Zapisano zakończenie."))
            return redirect("reporting:participant_detail", pk=participation.pk)
    return _page(request, participation, form, _("Zakończenie: %(p)s") % {"p": placement}, status)


@require_http_methods(["GET", "POST"])
@idempotent_create
def followup_talks(request, pk):
    """The follow-up one month after a job starts: the talk with the employer and with the employee."""
    try:
        followup = employment_followup_for_page(request.user, pk)
    except FollowUp.DoesNotExist:
        raise Http404 from None
    can_record = followup.done_on is None and can_record_conversation(request.user, followup)
    recorded = {c.party: c for c in followup.conversations.all()}
    missing = [party for party in ConversationParty if party not in recorded]
    posted = request.POST.get("party") if request.method == "POST" else None
    forms = {
        party: ConversationForm(request.POST if posted == party else None, prefix=None,
                                initial={"party": party, "held_on": timezone.localdate()})
        for party in missing
    }  # fmt: skip
    status = 200
    if posted in forms and can_record:
        form = forms[posted]
        if form.is_valid():
            _saved, status = submit(form, lambda: services.conversation_record(
                followup=followup, values=form.cleaned_data, by=request.user))  # fmt: skip
            if status is None:
                messages.success(request, _("Zapisano rozmowę."))
                return redirect("reporting:followup_talks", pk=followup.pk)
    elif request.method == "POST":
        messages.error(request, _("Tej rozmowy nie można już zapisać."))
        return redirect("reporting:followup_talks", pk=followup.pk)
    shown(request, followup.participation)
    return render(request, "reporting/participants/followup_talks.html", {
        "f": followup, "p": followup.participation,
        "recorded": [recorded[p] for p in ConversationParty if p in recorded],
        "forms": [(ConversationParty(party).label, form) for party, form in forms.items()], "can_record": can_record,
        "today": timezone.localdate(),
    }, status=status)  # fmt: skip
