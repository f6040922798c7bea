"""Views that belong to the whole site rather than to one room: the home page, /healthz and the
handler of unexpected errors."""

import sys
import time

import redis
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from config.celery import app as celery_app
from core.liveness import worker_state
from support_network.access import membership_of
from support_network.selectors import unread_notifications_of


@never_cache
@require_GET
def healthz(request):
    """Database, task-queue and worker state as JSON; 503 when the database is unreachable.
    `worker` is "ok" while a Celery worker beats (core/liveness.py), "missing" when none runs (a
    report would wait for ever), "eager" when tasks run in-process and no worker is needed."""
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        database = "ok"
    except DatabaseError:
        database = "error"
        status = 503
    queue = "eager" if celery_app.conf.task_always_eager else _broker_state()
    return JsonResponse({"database": database, "queue": queue, "worker": worker_state()}, status=status)


def _broker_state() -> str:
    try:
        redis.Redis.from_url(celery_app.conf.broker_url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError:
        return "error"
    return "ok"


def home(request):
    """The start page: what this role does every day, as links."""
    membership = membership_of(request.user)
    notifications = unread_notifications_of(request.user) if membership else []
    return render(request, "home.html", {"membership": membership, "notifications": notifications})


@never_cache
@require_POST
def session_keep_alive(request):
    """ "Pozostań zalogowany" of the idle-logout warning (static/js/session.js): a signed-in POST
    (CSRF-checked) counts as activity; answers the seconds left until the idle logout."""
    request.session["last_activity"] = int(time.time())
    return JsonResponse({"expires_in": settings.SESSION_IDLE_TIMEOUT})


def server_error(request, template_name="500.html"):
    """handler500: an unreachable database (a restart, a failover) answers 503 with Retry-After
    rather than 500 — the request can simply be repeated; anything else is the plain 500 page.
    Rendered without a request context: no database, no user."""
    error = sys.exc_info()[1]  # Django calls the handler inside its `except` block
    if isinstance(error, (OperationalError, InterfaceError)):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = "30"
        return response
    return defaults.server_error(request, template_name)
