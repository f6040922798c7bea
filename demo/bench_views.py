"""Baselines for `make bench`, mounted only when BENCH_ENDPOINTS is on (never in production):
a trivial page of about 5 KB, and a bare 50-row paginated list over one table."""

from django.core.paginator import Paginator
from django.shortcuts import render

from families.models import Person


def trivial(request):
    return render(request, "demo/trivial.html", {"rows": range(60)})


def bare_list(request):
    page = Paginator(Person.objects.order_by("pk").only("pk", "first_name", "last_name", "birth_date"), 50)
    return render(request, "demo/list.html", {"page": page.get_page(request.GET.get("page"))})
