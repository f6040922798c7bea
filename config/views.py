"""Views that belong to the whole site rather than to one room: the home page and /healthz."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app as celery_app
from support_network.access import membership_of


@never_cache
@require_GET
def healthz(request):
    """Database and task-queue state as JSON; 503 when the database is unreachable."""
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except DatabaseError:
        database = "error"
        status = 503
    if celery_app.conf.task_always_eager:
        queue = "eager"
    else:
        queue = _broker_state()
    return JsonResponse({"database": database, "queue": queue}, status=status)


def _broker_state() -> str:
    import redis

    try:
        redis.Redis.from_url(celery_app.conf.broker_url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError:
        return "error"
    return "ok"


def home(request):
    """The start page: what this role does every day, as links."""
    return render(request, "home.html", {"membership": membership_of(request.user)})
