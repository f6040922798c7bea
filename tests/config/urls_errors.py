"""The project's URLs plus two views that fail, for the tests of the error pages."""

from django.db import OperationalError
from django.urls import path

from config.urls import handler500  # noqa: F401 - handler500 is read from here
from config.urls import urlpatterns as project_urlpatterns


def broken(request):
    raise RuntimeError("zepsuty widok")


def database_away(request):
    raise OperationalError("server closed the connection unexpectedly")


urlpatterns = [
    path("test/zepsuty/", broken),
    path("test/baza/", database_away),
    *project_urlpatterns,
]
