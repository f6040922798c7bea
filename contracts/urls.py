from django.urls import path

from contracts.views import contracts, programmes, referrals, sessions

app_name = "contracts"

urlpatterns: list = [
    # --- referrals (skierowania) ---
    path("skierowania/", referrals.referral_sent, name="referral_sent"),
    path("skierowania/skrzynka/", referrals.referral_inbox, name="referral_inbox"),
    path("skierowania/nowe/", referrals.referral_create, name="referral_create"),
    path("skierowania/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("skierowania/<int:pk>/wyslij/", referrals.referral_send, name="referral_send"),
    path("skierowania/<int:pk>/usun/", referrals.referral_delete, name="referral_delete"),
    path("skierowania/<int:pk>/przyjmij/", referrals.referral_accept, name="referral_accept"),
    path("skierowania/<int:pk>/odrzuc/", referrals.referral_reject, name="referral_reject"),
    path("skierowania/<int:pk>/rozpocznij/", referrals.referral_start, name="referral_start"),
    path("skierowania/<int:pk>/obecnosc/", referrals.referral_attendance, name="referral_attendance"),
    path("skierowania/<int:pk>/rezultat/", referrals.referral_outcome, name="referral_outcome"),
    path("skierowania/<int:pk>/przerwij/", referrals.referral_drop, name="referral_drop"),
    # --- group sessions (zajęcia grupowe) ---
    path("grupy/", sessions.group_list, name="group_list"),
    path("grupy/nowa/", sessions.group_create, name="group_create"),
    path("grupy/<int:pk>/", sessions.group_detail, name="group_detail"),
    path("grupy/<int:pk>/uczestnicy/", sessions.group_enrol, name="group_enrol"),
    path("grupy/<int:pk>/zajecia/nowe/", sessions.session_create, name="session_create"),
    path("grupy/<int:pk>/podsumowanie.pdf", sessions.group_pdf, name="group_pdf"),
    path("grupy/zajecia/<int:pk>/", sessions.session_detail, name="session_detail"),
    path("grupy/zajecia/<int:pk>/obecnosc/", sessions.session_attendance, name="session_attendance"),
    path("grupy/zajecia/<int:pk>/lista.pdf", sessions.session_pdf, name="session_pdf"),
    path("grupy/zajecia/<int:pk>/podpisana-lista/", sessions.session_signed_list, name="session_signed_list"),
    path(
        "grupy/zajecia/<int:pk>/podpisana-lista/plik/",
        sessions.session_signed_list_file,
        name="session_signed_list_file",
    ),
    path("grupy/uczestnicy/<int:pk>/ocena/", sessions.enrolment_rating, name="enrolment_rating"),
    # --- social contracts and family programmes ---
    path("kontrakty/", contracts.contract_list_view, name="contract_list"),
    path("kontrakty/nowy/", contracts.contract_create, name="contract_create"),
    path("kontrakty/<int:pk>/", contracts.contract_detail, name="contract_detail"),
    path("kontrakty/<int:pk>/edycja/", contracts.contract_edit, name="contract_edit"),
    path("kontrakty/<int:pk>/pdf/", contracts.contract_pdf, name="contract_pdf"),
    path("kontrakty/<int:pk>/podpisanie/", contracts.contract_sign, name="contract_sign"),
    path("kontrakty/<int:pk>/odmowa/", contracts.contract_refuse, name="contract_refuse"),
    path("kontrakty/<int:pk>/aneks/", contracts.contract_amend, name="contract_amend"),
    path("kontrakty/<int:pk>/zakonczenie/", contracts.contract_close, name="contract_close"),
    path("kontrakty/<int:pk>/ocena/<int:evaluation_pk>/", contracts.evaluation_record, name="evaluation_record"),
    path(
        "kontrakty/<int:pk>/dzialania/<int:action_pk>/wykonane/",
        contracts.contract_action_done,
        name="contract_action_done",
    ),
    path("przypomnienia/", contracts.reminders, name="reminders"),
    path("programy/", programmes.programme_list_view, name="programme_list"),
    path("programy/nowy/", programmes.programme_create, name="programme_create"),
    path("programy/kolejka/", programmes.programme_queue_view, name="programme_queue"),
    path("programy/<int:pk>/", programmes.programme_detail, name="programme_detail"),
    path("programy/<int:pk>/edycja/", programmes.programme_edit, name="programme_edit"),
    path("programy/<int:pk>/przekaz/", programmes.programme_submit, name="programme_submit"),
    path("programy/<int:pk>/decyzja/", programmes.programme_decide, name="programme_decide"),
    path("programy/<int:pk>/realizacja/", programmes.programme_start, name="programme_start"),
    path("programy/<int:pk>/zakonczenie/", programmes.programme_complete, name="programme_complete"),
    path(
        "programy/<int:pk>/dzialania/<int:action_pk>/wykonane/",
        programmes.programme_action_done,
        name="programme_action_done",
    ),
]
