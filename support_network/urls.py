from django.urls import path

from support_network import notification_views, views

app_name = "support_network"

urlpatterns: list = [
    path("powiadomienia/", notification_views.notification_list, name="notification_list"),
    path("powiadomienia/<int:pk>/przeczytane/", notification_views.notification_read, name="notification_read"),
    path("powiadomienia/przeczytane/", notification_views.notification_read_all, name="notification_read_all"),
    path("powiadomienia/ustawienia/", notification_views.notification_settings, name="notification_settings"),
    path("katalog/", views.catalogue, name="catalogue"),
    path("teryt/gminy/", views.gmina_search, name="gmina_search"),
    path("porozumienia/", views.agreement_list, name="agreement_list"),
    path("porozumienia/nowe/", views.agreement_create, name="agreement_create"),
    path("porozumienia/<int:pk>/", views.agreement_update, name="agreement_update"),
    path("porozumienia/<int:pk>/skan/", views.agreement_scan, name="agreement_scan"),
    path("zespoly/", views.team_list, name="team_list"),
    path("zespoly/<int:pk>/", views.team_detail, name="team_detail"),
    path("zespoly/<int:pk>/spotkania/nowe/", views.meeting_create, name="meeting_create"),
    path("zespoly/<int:pk>/spotkania/<int:meeting_pk>/", views.meeting_update, name="meeting_update"),
]
