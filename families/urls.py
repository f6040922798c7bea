from django.urls import path

from families import views

app_name = "families"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("nowa/", views.family_create, name="family_create"),
    path("pokolenie/", views.generation_hint, name="generation_hint"),
    path("<int:pk>/", views.family_detail, name="family_detail"),
    path("<int:pk>/edycja/", views.family_edit, name="family_edit"),
    path("<int:pk>/osoby/nowa/", views.person_create, name="person_create"),
    path("<int:pk>/wizyty/nowa/", views.visit_create, name="visit_create"),
    path("<int:pk>/diagnozy/nowa/", views.diagnosis_create, name="diagnosis_create"),
    path("osoby/<int:pk>/", views.person_detail, name="person_detail"),
    path("osoby/<int:pk>/edycja/", views.person_edit, name="person_edit"),
    path("osoby/<int:pk>/oceny/nowa/", views.assessment_create, name="assessment_create"),
    path("osoby/<int:pk>/scal/", views.person_merge, name="person_merge"),
]
