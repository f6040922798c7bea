"""The project dashboard: enrolment, indicator progress, KES/KEZ, follow-ups, budget, services."""

from django.shortcuts import render
from django.utils.http import urlencode

from reporting.access import can_manage_project
from reporting.rulesets import engine_for
from reporting.selectors.budget import budget_summary
from reporting.selectors.charts import budget_chart, enrolment_chart
from reporting.selectors.dashboard import enrolment_by_month, follow_ups_due, services_effects
from reporting.selectors.group_effects import group_effects
from reporting.selectors.indicator_cache import cached_project_indicators
from reporting.selectors.indicators import default_period
from reporting.selectors.submissions import reconcile_project
from reporting.views.common import project_for
from support_network.access import PROJECT_ROLES, role_required


@role_required(*PROJECT_ROLES)
def dashboard(request, pk):
    project = project_for(request, pk)
    date_from, date_to = default_period(project)
    report = cached_project_indicators(project, date_from=date_from, date_to=date_to)
    engine = engine_for(project)
    budget = budget_summary(project)
    months = enrolment_by_month(project)
    return render(request, "reporting/dashboard/dashboard.html", {
        "project": project,
        "report": report,
        "query": urlencode({"from": date_from.isoformat(), "to": date_to.isoformat()}),
        "enrolled": months[-1][1] if months else 0,
        "enrolment_chart": enrolment_chart(months, project.participants_target),
        "rules": engine,
        **engine.dashboard_context(report),
        "follow_ups": follow_ups_due(project),
        "summary": budget,
        "budget_chart": budget_chart(budget),
        "services": services_effects(project),
        "group_services": group_effects(project),
        "reconciliations": reconcile_project(project),
        "can_manage": can_manage_project(request.user, project),
    })  # fmt: skip
