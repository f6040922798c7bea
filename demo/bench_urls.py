"""The site's URLs plus the benchmark's baselines (settings.ROOT_URLCONF while BENCH_ENDPOINTS is on)."""

from django.urls import path

from config.urls import handler500
from config.urls import urlpatterns as site_urlpatterns
from demo import bench_views

__all__ = ["handler500", "urlpatterns"]

urlpatterns = [
    *site_urlpatterns,
    path("bench/trivial", bench_views.trivial, name="bench_trivial"),
    path("bench/list", bench_views.bare_list, name="bench_list"),
]
