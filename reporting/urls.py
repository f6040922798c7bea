from django.urls import path

from reporting.views import budget as budget_views
from reporting.views import dashboard as dashboard_views
from reporting.views import exports as export_views
from reporting.views import imports as import_views
from reporting.views import indicators as indicator_views
from reporting.views import participants
from reporting.views import placements as placement_views
from reporting.views import proposals as proposal_views
from reporting.views import reports as report_views
from reporting.views import supports as support_views

app_name = "reporting"

urlpatterns: list = [
    # participants
    path("uczestnicy/", participants.participant_projects, name="participant_projects"),
    path("projekty/<int:project_pk>/uczestnicy/", participants.participant_list, name="participant_list"),
    path("projekty/<int:project_pk>/uczestnicy/nowy/", participants.participant_enrol, name="participant_enrol"),
    path("projekty/<int:project_pk>/uczestnicy/import/", import_views.participant_import, name="participant_import"),
    path(
        "projekty/<int:project_pk>/uczestnicy/import/wzor.xlsx",
        import_views.participant_import_template,
        name="participant_import_template",
    ),
    path(
        "projekty/<int:project_pk>/uczestnicy/import/<str:token>/",
        import_views.participant_import_preview,
        name="participant_import_preview",
    ),
    path(
        "projekty/<int:project_pk>/uczestnicy/import/<str:token>/zatwierdz/",
        import_views.participant_import_commit,
        name="participant_import_commit",
    ),
    path(
        "projekty/<int:project_pk>/uczestnicy/import/<str:token>/anuluj/",
        import_views.participant_import_cancel,
        name="participant_import_cancel",
    ),
    path("projekty/<int:project_pk>/uczestnicy/eksport/", export_views.participant_export, name="participant_export"),
    path("uczestnicy/<int:pk>/", participants.participant_detail, name="participant_detail"),
    path("uczestnicy/<int:pk>/korekta/", participants.participant_amend, name="participant_amend"),
    path("uczestnicy/<int:pk>/zakonczenie/", participants.participant_exit, name="participant_exit"),
    path("uczestnicy/<int:pk>/rezultaty/nowy/", participants.participant_outcome, name="participant_outcome"),
    path("uczestnicy/<int:pk>/rezultaty/<int:outcome_pk>/usun/", participants.outcome_delete, name="outcome_delete"),
    path("uczestnicy/<int:pk>/wsparcie/nowe/", support_views.support_add, name="support_add"),
    path("uczestnicy/<int:pk>/wsparcie/<int:support_pk>/", support_views.support_edit, name="support_edit"),
    path("uczestnicy/<int:pk>/wsparcie/<int:support_pk>/usun/", support_views.support_delete, name="support_delete"),
    path(
        "uczestnicy/<int:pk>/data-rozpoczecia/",
        proposal_views.participant_confirm_start,
        name="participant_confirm_start",
    ),
    path("rezultaty-do-potwierdzenia/", proposal_views.outcome_queue, name="outcome_queue"),
    path("rezultaty-do-potwierdzenia/decyzja/", proposal_views.outcome_decide, name="outcome_decide"),
    path("uczestnicy/<int:pk>/staz/nowy/", placement_views.placement_add, name="placement_add"),
    path(
        "uczestnicy/<int:pk>/staz/<int:placement_pk>/zakonczenie/",
        placement_views.placement_end,
        name="placement_end",
    ),
    path("monitoring/<int:pk>/rozmowy/", placement_views.followup_talks, name="followup_talks"),
    path("monitoring/", participants.followups, name="followups"),
    path("monitoring/<int:pk>/wykonane/", participants.followup_done, name="followup_done"),
]

# --- indicators, budget, reports and dashboard ---
urlpatterns += [
    path("projekty/", indicator_views.project_list, name="project_list"),
    path("projekty/<int:pk>/", dashboard_views.dashboard, name="dashboard"),
    path("projekty/<int:pk>/wskazniki/", indicator_views.indicators, name="indicators"),
    path("projekty/<int:pk>/wskazniki/aktualne/", indicator_views.indicator_figures, name="indicator_figures"),
    path("projekty/<int:pk>/wskazniki/ustawienia/", indicator_views.indicator_settings, name="indicator_settings"),
    path(
        "projekty/<int:pk>/wskazniki/<str:code>/<str:column>/",
        indicator_views.indicator_drilldown_view,
        name="indicator_drilldown",
    ),
    path("projekty/<int:pk>/raporty/", report_views.report_list, name="report_list"),
    path("zlecenia/<int:pk>/", report_views.report_detail, name="report_detail"),
    path("zlecenia/<int:pk>/status/", report_views.report_status, name="report_status"),
    path("zlecenia/<int:pk>/pobierz/", report_views.report_download, name="report_download"),
    path("zlecenia/<int:pk>/ponow/", report_views.report_retry_view, name="report_retry"),
    path("zlecenia/<int:pk>/zlozony/", report_views.report_submit_view, name="report_submit"),
    path("projekty/<int:pk>/budzet/", budget_views.budget, name="budget"),
    path("projekty/<int:pk>/budzet/pozycje/nowa/", budget_views.budget_line_edit, name="budget_line_add"),
    path("projekty/<int:pk>/budzet/pozycje/<int:line_pk>/", budget_views.budget_line_edit, name="budget_line_edit"),
    path("projekty/<int:pk>/budzet/wydatki/nowy/", budget_views.expense_add, name="expense_add"),
    path(
        "projekty/<int:pk>/budzet/wydatki/<int:expense_pk>/korekta/",
        budget_views.expense_correct_view,
        name="expense_correct",
    ),
    path(
        "projekty/<int:pk>/budzet/wydatki/<int:expense_pk>/usun/",
        budget_views.expense_delete_view,
        name="expense_delete",
    ),
]
