"""Referral pages: thin views (scoped fetch -> form -> service -> redirect)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from contracts import access
from contracts.forms.referrals import AcceptForm, AttendanceForm, OutcomeForm, ReasonForm, ReferralForm
from contracts.models import Referral, ReferralStatus
from contracts.models.referrals import REFERRAL_TRANSITIONS
from contracts.selectors.pages import counted_page, from_the_nearer_end
from contracts.selectors.referrals import LIST_ORDER, list_ids, referral_for_detail, rows_of_page
from contracts.selectors.sent import sent_page
from contracts.services import referrals as services
from core.access_log import shown
from core.confirm import confirm_page, is_confirmed
from core.errors import DomainError
from core.forms import show_stale
from core.links import url_of
from core.locking import StaleEdit
from core.pagination import PAGE_SIZE, page_number, paginate
from core.params import is_id
from core.sorting import SORT_PARAM, sort_rows
from core.workflow import allowed_actions
from support_network.access import CASEWORK_ROLES, role_required
from support_network.models import Role

TABS = [
    ("open", gettext_lazy("otwarte")),
    ("overdue", gettext_lazy("bez odpowiedzi w terminie")),
    ("closed", gettext_lazy("zamknięte")),
    ("all", gettext_lazy("wszystkie")),
]


def _initial_choice(request, name):
    value = request.GET.get(name, "")
    return int(value) if is_id(value) else None


@role_required(*CASEWORK_ROLES)
def referral_create(request):
    """A new referral: ?person=<id>&service=<id> preselect (from the person page / the catalogue)."""
    if request.method == "POST":
        form = ReferralForm(request.POST, user=request.user)
        _declare_shown(request, form, form.cleaned_data.get("person") if form.is_valid() else None)
        if form.is_valid():
            data = form.cleaned_data
            send = "send" in request.POST
            try:
                with transaction.atomic():
                    referral = services.referral_create(
                        person=data["person"],
                        service=data["service"],
                        by=request.user,
                        reason=data["reason"],
                        wished_start=data["wished_start"],
                        key=data["key"],
                    )
                    if send and referral.status == ReferralStatus.DRAFT:
                        referral = services.referral_send(referral=referral, by=request.user)
            except DomainError as exc:
                # a second click of the same form: the first one already did the work (its author's only)
                referral = Referral.objects.filter(idempotency_key=data["key"], created_by=request.user).first()
                if not exc.conflict or referral is None:
                    form.add_error("service", exc.message)
                    return render(request, "contracts/referrals/create.html", {"form": form}, status=400)
            _announce(request, referral)
            return redirect("contracts:referral_detail", pk=referral.pk)
        return render(request, "contracts/referrals/create.html", {"form": form}, status=400)
    initial = {}
    for name in ("person", "service"):
        if (value := _initial_choice(request, name)) is not None:
            initial[name] = value
    form = ReferralForm(user=request.user, initial=initial)
    chosen = form.fields["person"].queryset.filter(pk=initial["person"]).first() if "person" in initial else None
    _declare_shown(request, form, chosen)
    return render(request, "contracts/referrals/create.html", {"form": form})


def _declare_shown(request, form, person):
    """For the access log: the person the form is about first, then everybody its select names."""
    shown(request, person, *form.fields["person"].queryset)


def _announce(request, referral):
    if referral.status == ReferralStatus.SENT:
        messages.success(request, _("Skierowanie wysłane do realizatora."))
    elif referral.status == ReferralStatus.WAITING:
        messages.warning(request, _("Brak wolnych miejsc: skierowanie wpisano na listę rezerwową."))
    elif referral.status == ReferralStatus.DRAFT:
        messages.info(request, _("Zapisano projekt skierowania."))


def _scoped(request, pk) -> Referral:
    referral = get_object_or_404(access.referrals_visible_to(request.user), pk=pk)
    shown(request, referral)  # logged if the answer shows it (a form with errors), not for a redirect
    return referral


def _detail_context(request, referral, **forms):
    user = request.user
    can_answer = access.can_answer(user, referral)
    can_send = access.can_send(user, referral)
    context = {
        "referral": referral,
        "partner_view": access.is_partner_view(user),
        "can_answer": can_answer,
        "can_send": can_send,
        # the steps the transitions table allows this user now (the buttons follow the table)
        "actions": set(allowed_actions(referral, REFERRAL_TRANSITIONS, by=user)),
        "events": list(referral.events.all()),
        "attendances": list(referral.attendances.all()),
        "outcome": getattr(referral, "outcome", None),
        "S": ReferralStatus,
    }
    if can_answer:
        context.setdefault("accept_form", forms.get("accept_form") or AcceptForm())
        context.setdefault("reject_form", forms.get("reject_form") or ReasonForm(prefix="reject"))
        context.setdefault("attendance_form", forms.get("attendance_form") or AttendanceForm())
        initial = {}
        if context["outcome"] is not None:
            initial = {f: getattr(context["outcome"], f) for f in services.OUTCOME_FIELDS}
        context.setdefault(
            "outcome_form", forms.get("outcome_form") or OutcomeForm(initial=initial, outcome=context["outcome"])
        )
    if can_answer or can_send:
        context.setdefault("drop_form", forms.get("drop_form") or ReasonForm(prefix="drop"))
    return context


def _detail(request, pk):
    try:
        return referral_for_detail(access.referrals_visible_to(request.user), pk)
    except Referral.DoesNotExist:
        raise Http404 from None


def referral_detail(request, pk):
    referral = _detail(request, pk)
    shown(request, referral)
    return render(request, "contracts/referrals/detail.html", _detail_context(request, referral))


def _fail(request, referral, exc: DomainError, **forms):
    """A lost race (409) or a rule the form could not check (400): the page with the message."""
    messages.error(request, exc.message)
    referral = _detail(request, referral.pk)
    status = 409 if exc.conflict else 400
    return render(
        request, "contracts/referrals/detail.html", _detail_context(request, referral, **forms), status=status
    )


def _invalid(request, referral, **forms):
    referral = _detail(request, referral.pk)
    messages.error(request, _("Popraw zaznaczone pola."))
    return render(request, "contracts/referrals/detail.html", _detail_context(request, referral, **forms), status=400)


def _partner_action(request, pk) -> Referral:
    referral = _scoped(request, pk)
    if not access.can_answer(request.user, referral):
        raise PermissionDenied
    return referral


def _sender_action(request, pk) -> Referral:
    referral = _scoped(request, pk)
    if not access.can_send(request.user, referral):
        raise PermissionDenied
    return referral


def _done(request, referral, message):
    messages.success(request, message)
    return redirect("contracts:referral_detail", pk=referral.pk)


def _answer(request, referral, *, form, name, apply, success, keep_form=True):
    """An answer posted with a form: invalid, the page with the form's errors; refused by the
    service, the page with the message (and the posted form when `keep_form`); done, the referral."""
    if not form.is_valid():
        return _invalid(request, referral, **{name: form})
    try:
        apply(form)
    except StaleEdit as exc:
        show_stale(form, exc)
        return _fail(request, referral, exc, **{name: form})
    except DomainError as exc:
        return _fail(request, referral, exc, **({name: form} if keep_form else {}))
    return _done(request, referral, success)


@require_POST
def referral_send(request, pk):
    referral = _sender_action(request, pk)
    try:
        referral = services.referral_send(referral=referral, by=request.user)
    except DomainError as exc:
        return _fail(request, referral, exc)
    _announce(request, referral)
    return redirect("contracts:referral_detail", pk=referral.pk)


@require_POST
def referral_delete(request, pk):
    referral = _sender_action(request, pk)
    if referral.status == ReferralStatus.DRAFT and not is_confirmed(request):
        return confirm_page(
            request,
            title=_("Usunąć projekt skierowania?"),
            consequences=[
                _("Projekt skierowania nr %(pk)s do usługi „%(service)s” (%(institution)s) zostanie usunięty.")
                % {"pk": referral.pk, "service": referral.service.name, "institution": referral.institution},
                _("Skierowanie nie było wysłane: realizator go nie widział."),
            ],
            button=_("Tak, usuń projekt"),
            back_url=reverse("contracts:referral_detail", args=[referral.pk]),
        )
    try:
        services.referral_delete_draft(referral=referral, by=request.user)
    except DomainError as exc:
        return _fail(request, referral, exc)
    messages.success(request, _("Projekt skierowania usunięty."))
    return redirect("contracts:referral_sent")


@require_POST
def referral_accept(request, pk):
    referral = _partner_action(request, pk)
    return _answer(
        request, referral, form=AcceptForm(request.POST), name="accept_form", keep_form=False,
        apply=lambda form: services.referral_accept(referral=referral, by=request.user, note=form.cleaned_data["note"]),
        success=_("Skierowanie przyjęte."),
    )  # fmt: skip


@require_POST
def referral_reject(request, pk):
    referral = _partner_action(request, pk)
    return _answer(
        request, referral, form=ReasonForm(request.POST, prefix="reject"), name="reject_form",
        apply=lambda form: services.referral_reject(
            referral=referral, by=request.user, reason=form.cleaned_data["reason"]),
        success=_("Skierowanie odrzucone."),
    )  # fmt: skip


@require_POST
def referral_start(request, pk):
    referral = _partner_action(request, pk)
    try:
        services.referral_start(referral=referral, by=request.user)
    except DomainError as exc:
        return _fail(request, referral, exc)
    return _done(request, referral, _("Rozpoczęto realizację."))


@require_POST
def referral_attendance(request, pk):
    referral = _partner_action(request, pk)
    return _answer(
        request, referral, form=AttendanceForm(request.POST), name="attendance_form",
        apply=lambda form: services.referral_record_attendance(
            referral=referral, by=request.user,
            **{name: form.cleaned_data[name] for name in ("held_on", "hours", "sessions", "note", "key")}),
        success=_("Zapisano obecność."),
    )  # fmt: skip


@require_POST
def referral_outcome(request, pk):
    """In progress: complete with the outcome. Completed: correct the outcome."""
    referral = _partner_action(request, pk)

    def apply(form):
        if referral.status == ReferralStatus.COMPLETED:
            services.referral_record_outcome(
                referral=referral, by=request.user, lock_version=form.read_version, **form.outcome()
            )
        else:
            services.referral_complete(referral=referral, by=request.user, outcome=form.outcome())

    return _answer(
        request,
        referral,
        form=OutcomeForm(request.POST, outcome=getattr(referral, "outcome", None)),
        name="outcome_form",
        apply=apply,
        success=_("Zapisano rezultat."),
    )


@require_POST
def referral_drop(request, pk):
    referral = _scoped(request, pk)
    if not access.can_drop(request.user, referral):
        raise PermissionDenied
    return _answer(
        request, referral, form=ReasonForm(request.POST, prefix="drop"), name="drop_form",
        apply=lambda form: services.referral_drop(
            referral=referral, by=request.user, reason=form.cleaned_data["reason"]),
        success=_("Skierowanie przerwane."),
    )  # fmt: skip


REFERRAL_SORT = {
    "nr": "pk",
    "osoba": ("person__last_name", "person__first_name"),
    "usluga": "service__name",
    "status": "status",
    "termin": "answer_due",
    "godziny": "hours_total",
    "kierujacy": ("created_by__last_name", "created_by__first_name"),
    "realizator": "institution__name",
}


def _row_facts(rows) -> None:
    """What each row shows beside its fields, worked out once in Python instead of per row in the
    template: its link (reversed once for the list) and whether it is overdue (today read once)."""
    detail = url_of("contracts:referral_detail")
    today = timezone.localdate()
    for row in rows:
        row.url = detail(row.pk)
        row.overdue = row.is_overdue_on(today)


def _list(request, scope, template, title, *, counted_in_page=False, prepared_page=None):
    """A referral list: the tab, the order, the page. `scope(user)`: the user's referrals (built only
    when the page is not read by `prepared_page`). `counted_in_page`: the page's ids and the list's
    length in one query (`counted_page`), for a list bounded by a caseload; `prepared_page(user, tab,
    number, size)`: that page from a query compiled once (`contracts.selectors.sent`), or None."""
    which = request.GET.get("pokaz", "open")
    if which not in dict(TABS):
        which = "open"
    ids, sorting = _ids_to_page(request, scope, which, counted_in_page, prepared_page)
    keep = {"pokaz": which, **({SORT_PARAM: sorting.param} if sorting.key else {})}
    page = paginate(request, ids, PAGE_SIZE, keep=keep)
    from_the_nearer_end(page)
    page.object_list = rows_of_page(page.object_list)
    _row_facts(page.object_list)
    shown(request, *page.object_list)
    return render(
        request,
        template,
        {"page": page, "tabs": TABS, "which": which, "title": title, "S": ReferralStatus, "sorting": sorting},
    )


def _ids_to_page(request, scope, which, counted_in_page, prepared_page):
    """The list's ids for the pager (a queryset, or a page read with the list's length) and its
    sorting. In the list's own order (no `sortuj`) `prepared_page` reads the page when it can; the
    sorting's header links then come from the request alone (`sort_rows` orders nothing)."""
    if prepared_page is not None and SORT_PARAM not in request.GET:
        page = prepared_page(request.user, which, page_number(request), PAGE_SIZE)
        if page is not None:
            return page, sort_rows(request, Referral.objects.none(), REFERRAL_SORT)[1]
    by_hours = request.GET.get(SORT_PARAM, "").removeprefix("-") == "godziny"  # else the subquery is not built
    ids = list_ids(scope(request.user), which, hours=by_hours).order_by(*LIST_ORDER)
    ids, sorting = sort_rows(request, ids, REFERRAL_SORT)
    ids = ids.values_list("pk", flat=True)
    if counted_in_page:
        ids = counted_page(ids, page_number(request), PAGE_SIZE) or ids
    return ids, sorting


@role_required(*CASEWORK_ROLES)
def referral_sent(request):
    """The social worker's referrals: own and those of the persons in their caseload."""
    return _list(
        request,
        access.referrals_visible_to,
        "contracts/referrals/sent.html",
        _("Moje skierowania"),
        counted_in_page=True,  # a caseload's referrals: hundreds, found through the caseload's persons
        prepared_page=sent_page,
    )


@role_required(Role.PARTNER_STAFF)
def referral_inbox(request):
    """The partner's inbox: referrals addressed to their institution only."""
    return _list(
        request,
        access.referral_inbox_of,
        "contracts/referrals/inbox.html",
        _("Skierowania do mojej instytucji"),
    )
