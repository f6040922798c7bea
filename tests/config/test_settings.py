"""The settings module works with nothing configured, and passes the deploy checks in production."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, django; django.setup(); from django.conf import settings as s; "
    "from config.celery import app; print(json.dumps({'engine': s.DATABASES['default']['ENGINE'], "
    "'name': str(s.DATABASES['default']['NAME']), 'eager': app.conf.task_always_eager, 'debug': s.DEBUG, "
    "'tz': s.TIME_ZONE, 'lang': s.LANGUAGE_CODE, 'conn_max_age': s.DATABASES['default']['CONN_MAX_AGE'], "
    "'health': s.DATABASES['default']['CONN_HEALTH_CHECKS']}))"
)


def clean_env(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "DEBUG",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "HTTPS",
            "CELERY_TASK_ALWAYS_EAGER",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env.update(extra)
    return env


def run(args, env):
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_settings_without_env_vars_give_the_embedded_default():
    result = run(["-c", PROBE], clean_env())
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("var/db.sqlite3")
    assert values["eager"] is True
    assert values["debug"] is False
    assert values["tz"] == "Europe/Warsaw"
    assert values["lang"] == "pl"
    assert values["conn_max_age"] > 0 and values["health"] is True


def test_database_and_redis_urls_select_the_real_stack():
    env = clean_env(DATABASE_URL="postgres://app:app@127.0.0.1:5432/app", REDIS_URL="redis://127.0.0.1:6379/0")
    result = run(["-c", PROBE], env)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["eager"] is False


def test_check_deploy_passes_with_production_values():
    env = clean_env(
        DEBUG="false",
        SECRET_KEY="x" * 20 + "-a-long-and-random-production-secret-key-0123456789",
        ALLOWED_HOSTS="efs.example.gov.pl",
    )
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_fails_when_debug_is_on():
    env = clean_env(DEBUG="true", SECRET_KEY="x" * 70, ALLOWED_HOSTS="efs.example.gov.pl")
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert result.returncode != 0
    assert "DEBUG" in result.stdout + result.stderr
