"""The support forms of a participation: added, corrected and removed by the project's manager
(shown on the participation page, exported in the SL2014 support columns)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.access_log import shown
from core.confirm import confirm_page, is_confirmed
from core.errors import DomainError
from core.forms import submit
from reporting.access import MANAGE_ROLES, participations_visible_to
from reporting.forms.supports import SUPPORT_FORM_SUGGESTIONS, SupportForm
from reporting.models import Support
from reporting.services import supports as services
from support_network.access import role_required


def _participation(request, pk):
    return get_object_or_404(participations_visible_to(request.user).select_related("project"), pk=pk)


def _page(request, participation, form, heading, status):
    shown(request, participation)  # the form page names the participant (core.access_log)
    return render(request, "reporting/participants/support.html", {
        "p": participation, "form": form, "heading": heading, "suggestions": SUPPORT_FORM_SUGGESTIONS,
    }, status=status)  # fmt: skip


@role_required(*MANAGE_ROLES)
@require_http_methods(["GET", "POST"])
def support_add(request, pk):
    participation = _participation(request, pk)
    form = SupportForm(request.POST or None, participation=participation)
    status = 200
    if request.method == "POST" and form.is_valid():
        _saved, status = submit(form, lambda: services.support_add(participation=participation, values=form.values,
                                                                    by=request.user))  # fmt: skip
        if status is None:
            messages.success(request, _("Zapisano formę wsparcia."))
            return redirect("reporting:participant_detail", pk=participation.pk)
    return _page(request, participation, form, _("Nowa forma wsparcia"), status)


@role_required(*MANAGE_ROLES)
@require_http_methods(["GET", "POST"])
def support_edit(request, pk, support_pk):
    participation = _participation(request, pk)
    support = get_object_or_404(Support.objects.filter(participation=participation), pk=support_pk)
    initial = {field: getattr(support, field) for field in services.SUPPORT_FIELDS}
    initial["read_at"] = support.updated_at.isoformat()
    form = SupportForm(request.POST or None, participation=participation, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        read_at = form.cleaned_data["read_at"] or None
        _saved, status = submit(form, lambda: services.support_update(
            support=support, values=form.values, read_at=read_at, by=request.user))  # fmt: skip
        if status is None:
            messages.success(request, _("Zapisano formę wsparcia."))
            return redirect("reporting:participant_detail", pk=participation.pk)
    return _page(request, participation, form, _("Forma wsparcia"), status)


@role_required(*MANAGE_ROLES)
@require_POST
def support_delete(request, pk, support_pk):
    participation = _participation(request, pk)
    support = get_object_or_404(Support.objects.filter(participation=participation), pk=support_pk)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=_("Usunąć formę wsparcia?"),
            consequences=[
                _("Forma wsparcia „%(form)s” od %(day)s zostanie usunięta z danych uczestnika.")
                % {"form": support.form, "day": support.start_date.strftime("%d.%m.%Y")},
                _("Dziennik zmian zachowa usunięty wpis."),
            ],
            button=_("Tak, usuń formę wsparcia"),
            back_url=reverse("reporting:participant_detail", args=[participation.pk]),
        )
    try:
        services.support_delete(support=support, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Usunięto formę wsparcia."))
    return redirect("reporting:participant_detail", pk=participation.pk)
