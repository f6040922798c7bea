"""Template values every page needs: the idle-logout timing for the warning (static/js/session.js)."""

from django.conf import settings


def session_timing(request):
    warn = min(settings.SESSION_WARN_BEFORE, settings.SESSION_IDLE_TIMEOUT)
    return {
        "session_idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "session_warn_before": warn,
        "session_warn_minutes": max(1, round(warn / 60)),
    }
