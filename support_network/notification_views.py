"""The notifications page of the signed-in user: list, mark one or all as read, the e-mail choice.
Every user sees only their own notifications (another's answers 404)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.pagination import paginate
from support_network.access import membership_of
from support_network.selectors import notifications_of
from support_network.services import notification_mark_read, notification_settings_save, notifications_mark_all_read

PAGE_SIZE = 30


def notification_list(request):
    page = paginate(request, notifications_of(request.user), PAGE_SIZE)
    return render(
        request,
        "support_network/notification_list.html",
        {"page": page, "membership": membership_of(request.user)},
    )


@require_POST
def notification_read(request, pk):
    """Mark one notification read; with `open` in the POST go on to its page (the list's link)."""
    notification = get_object_or_404(notifications_of(request.user), pk=pk)
    notification_mark_read(notification=notification, by=request.user)
    target = notification.link
    if request.POST.get("open") and target and url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        return redirect(target)
    return redirect("support_network:notification_list")


@require_POST
def notification_read_all(request):
    count = notifications_mark_all_read(by=request.user)
    messages.success(
        request,
        ngettext(
            "%(count)d powiadomienie oznaczone jako przeczytane.",
            "%(count)d powiadomień oznaczonych jako przeczytane.",
            count,
        )
        % {"count": count},
    )
    return redirect("support_network:notification_list")


@require_POST
def notification_settings(request):
    if membership_of(request.user) is None:
        return redirect("support_network:notification_list")
    email = request.POST.get("email") == "1"
    notification_settings_save(by=request.user, email=email)
    if email:
        messages.success(request, _("Powiadomienia będą wysyłane także na adres e-mail konta."))
    else:
        messages.success(request, _("Powiadomienia tylko w aplikacji."))
    return redirect("support_network:notification_list")
