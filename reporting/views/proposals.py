"""The project manager's queue of outcomes proposed from referrals (confirm or reject, one or
several at once) and the confirmation of a start date moved by the first support."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.access_log import shown
from core.errors import DomainError
from core.pagination import PAGE_SIZE, paginate
from core.params import is_id
from reporting.access import MANAGE_ROLES, participations_visible_to
from reporting.selectors.paging import asked_number
from reporting.selectors.proposals import proposals_to_decide, queue_page
from reporting.services import referral_flow as services
from support_network.access import role_required


@role_required(*MANAGE_ROLES)
def outcome_queue(request):
    # a region has thousands pending: the page's rows with what they show, and the count, in one query
    page = paginate(request, queue_page(request.user, asked_number(request)), PAGE_SIZE)
    proposals = list(page.object_list)
    shown(request, *{proposal.participation for proposal in proposals})  # the queue names the participants
    return render(request, "reporting/participants/outcome_queue.html", {"proposals": proposals, "page": page})


def _chosen(request) -> tuple[str, list[int]]:
    """("confirm" | "reject", ids): one row's button, or the checked rows with a bulk button."""
    for action in ("confirm", "reject"):
        if is_id(row := request.POST.get(f"row_{action}", "")):
            return action, [int(row)]
    action = request.POST.get("action", "")
    return action, [int(value) for value in request.POST.getlist("ids") if is_id(value)]


@role_required(*MANAGE_ROLES)
@require_POST
def outcome_decide(request):
    action, ids = _chosen(request)
    ids = list(proposals_to_decide(request.user).filter(pk__in=ids).values_list("pk", flat=True))
    if action not in ("confirm", "reject") or not ids:
        messages.error(request, _("Zaznacz co najmniej jeden rezultat i wybierz: potwierdź albo odrzuć."))
        return redirect("reporting:outcome_queue")
    decide = services.outcome_proposals_confirm if action == "confirm" else services.outcome_proposals_reject
    try:
        done = decide(ids=ids, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("reporting:outcome_queue")
    if action == "confirm":
        text = ngettext("Potwierdzono %(n)d rezultat.", "Potwierdzono %(n)d rezultatów.", done)
    else:
        text = ngettext("Odrzucono %(n)d rezultat.", "Odrzucono %(n)d rezultatów.", done)
    messages.success(request, text % {"n": done})
    return redirect("reporting:outcome_queue")


@role_required(*MANAGE_ROLES)
@require_POST
def participant_confirm_start(request, pk):
    participation = get_object_or_404(participations_visible_to(request.user).select_related("project"), pk=pk)
    version = request.POST.get("lock_version", "")
    try:
        services.participation_confirm_start(participation=participation, by=request.user,
                                             lock_version=int(version) if is_id(version) else None)  # fmt: skip
    except DomainError as error:
        messages.error(request, error.message)
    except ValidationError as error:  # the amendment's entry-data checks
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Data rozpoczęcia udziału = data pierwszego wsparcia."))
    return redirect("reporting:participant_detail", pk=participation.pk)
