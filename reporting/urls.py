from django.urls import path

from reporting.views import participants

app_name = "reporting"

urlpatterns: list = [
    # participants
    path("uczestnicy/", participants.participant_projects, name="participant_projects"),
    path("projekty/<int:project_pk>/uczestnicy/", participants.participant_list, name="participant_list"),
    path("projekty/<int:project_pk>/uczestnicy/nowy/", participants.participant_enrol, name="participant_enrol"),
    path("projekty/<int:project_pk>/uczestnicy/import/", participants.participant_import, name="participant_import"),
    path("projekty/<int:project_pk>/uczestnicy/eksport/", participants.participant_export, name="participant_export"),
    path("uczestnicy/<int:pk>/", participants.participant_detail, name="participant_detail"),
    path("uczestnicy/<int:pk>/korekta/", participants.participant_amend, name="participant_amend"),
    path("uczestnicy/<int:pk>/zakonczenie/", participants.participant_exit, name="participant_exit"),
    path("uczestnicy/<int:pk>/rezultaty/nowy/", participants.participant_outcome, name="participant_outcome"),
    path("uczestnicy/<int:pk>/rezultaty/<int:outcome_pk>/usun/", participants.outcome_delete, name="outcome_delete"),
    path("monitoring/", participants.followups, name="followups"),
    path("monitoring/<int:pk>/wykonane/", participants.followup_done, name="followup_done"),
]
