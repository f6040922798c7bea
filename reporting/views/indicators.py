"""Indicator pages: the table (period / cumulative, K / M / total), the drill-down to the
participations counted in one number, and the project manager's settings (targets, windows)."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.forms import submit
from core.pagination import PAGE_SIZE, paginate
from core.sorting import SORT_PARAM, sort_rows
from reporting.access import MANAGE_ROLES, can_manage_project, reporting_projects_visible_to
from reporting.codes import EFFECTIVENESS_INDICATORS
from reporting.forms.reports import IndicatorSettingsForm, PeriodForm, indicator_settings_initial
from reporting.models import ProjectRules
from reporting.rulesets import engine_for
from reporting.selectors.indicator_cache import PageFigures, cached_project_indicators, page_figures
from reporting.selectors.indicators import COLUMN_LABELS, COLUMNS, EFFECTIVENESS_PARTS, default_period
from reporting.services.indicators import indicator_settings_save
from reporting.views.common import project_for
from support_network.access import PROJECT_ROLES, has_role, role_required


def period_from_request(request, project):
    """(form, date_from, date_to): the GET period when valid, else the default period."""
    default_from, default_to = default_period(project)
    if "from" in request.GET or "to" in request.GET:
        form = PeriodForm({"date_from": request.GET.get("from", ""), "date_to": request.GET.get("to", "")})
        if form.is_valid():
            return form, form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        return form, default_from, default_to
    return PeriodForm(initial={"date_from": default_from, "date_to": default_to}), default_from, default_to


@role_required(*PROJECT_ROLES)
def project_list(request):
    """The "Projekty" index for the staff of projects."""
    projects = reporting_projects_visible_to(request.user).select_related("leader").order_by("-start_date", "title")
    return render(request, "reporting/projects/list.html", {"projects": projects})


@role_required(*PROJECT_ROLES)
def indicators(request, pk):
    """The tables; after a change of the data, the last numbers counted while the current ones are
    counted (the page asks `indicator_figures` for them)."""
    return _indicator_page(request, pk, wait=False)


@role_required(*PROJECT_ROLES)
def indicator_figures(request, pk):
    """The current numbers, counted now if need be: htmx swaps the tables into a page that showed
    the last ones; without JavaScript its link opens this as the whole page."""
    return _indicator_page(request, pk, wait=True)


def _indicator_page(request, pk, *, wait: bool):
    project = project_for(request, pk)
    form, date_from, date_to = period_from_request(request, project)
    if wait:
        figures = PageFigures(cached_project_indicators(project, date_from=date_from, date_to=date_to))
    else:
        figures = page_figures(project, date_from=date_from, date_to=date_to)
    query = urlencode({"from": date_from.isoformat(), "to": date_to.isoformat()})
    swapped = wait and request.htmx  # the tables alone, swapped into a page that showed the last numbers
    context = {
        "project": project, "form": form, "report": figures.report, "counted_at": figures.counted_at,
        "query": query, "rules": engine_for(project), "swapped": swapped,
        "can_manage": has_role(request.user, *MANAGE_ROLES),  # the project is the user's (project_for)
    }  # fmt: skip
    return render(request, f"reporting/indicators/{'figures' if swapped else 'indicators'}.html", context)


DRILLDOWN_SORT = {
    "id": "pk",
    "plec": "sex",
    "wiek": "age_at_start",
    "start": "start_date",
    "koniec": "end_date",
}
DRILLDOWN_PAGE_SIZE = 4 * PAGE_SIZE  # a check of the numbers reads long lists of short rows


@role_required(*PROJECT_ROLES)
def indicator_drilldown_view(request, pk, code, column):
    project = project_for(request, pk)
    engine = engine_for(project)
    names = engine.drilldown_codes()
    if code not in names or column not in COLUMNS:
        raise Http404
    is_ratio = code in [c.value for c in EFFECTIVENESS_INDICATORS]
    part = request.GET.get("part") if is_ratio else None
    if is_ratio and part not in EFFECTIVENESS_PARTS:
        part = "denominator"
    _form, date_from, date_to = period_from_request(request, project)
    rows = engine.drilldown(project, code=code, column=column, date_from=date_from, date_to=date_to, part=part)
    sex = request.GET.get("sex")
    if sex in ("K", "M"):
        rows = rows.filter(sex=sex)
    rows, sorting = sort_rows(request, rows, DRILLDOWN_SORT)
    params = {"from": date_from.isoformat(), "to": date_to.isoformat()}
    if sorting.key:
        params[SORT_PARAM] = sorting.param
    if part:
        params["part"] = part
    if sex in ("K", "M"):
        params["sex"] = sex
    page = paginate(request, rows, DRILLDOWN_PAGE_SIZE, keep=params)
    entries = []
    for participation in page:
        try:
            url = reverse("reporting:participant_detail", args=[participation.pk])
        except NoReverseMatch:  # the participant pages are not installed
            url = None
        entries.append((participation, url))
    return render(request, "reporting/indicators/drilldown.html", {
        "project": project, "code": code, "name": names[code], "column": column,
        "column_label": COLUMN_LABELS[column], "part": part, "sex": sex, "page": page, "entries": entries,
        "sorting": sorting,
        "date_from": date_from, "date_to": date_to,
        "back_query": urlencode({"from": date_from.isoformat(), "to": date_to.isoformat()}),
    })  # fmt: skip


@role_required(*PROJECT_ROLES)
@require_http_methods(["GET", "POST"])
def indicator_settings(request, pk):
    project = project_for(request, pk)
    if not can_manage_project(request.user, project):
        return HttpResponse(_("Wartości docelowe ustawia kierownik projektu."), status=403)
    rules = ProjectRules.for_project(project)
    form = IndicatorSettingsForm(request.POST or None, initial=indicator_settings_initial(rules), rules=rules)
    status = 200
    if request.method == "POST" and form.is_valid():
        _saved, status = submit(form, lambda: indicator_settings_save(
            project=project, targets=form.targets(), by=request.user, lock_version=form.read_version,
            result_window_days=form.cleaned_data["result_window_days"],
            effectiveness_window_months=form.cleaned_data["effectiveness_window_months"],
        ))  # fmt: skip
        if status is None:
            messages.success(request, _("Zapisano wartości docelowe i okna pomiaru."))
            return redirect("reporting:indicators", pk=project.pk)
    context = {"project": project, "form": form}
    return render(request, "reporting/indicators/settings.html", context, status=status)
