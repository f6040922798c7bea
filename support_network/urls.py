from django.urls import path  # noqa: F401

app_name = "support_network"

urlpatterns: list = []
