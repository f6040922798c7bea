"""The usual cast (DESIGN.md): a social worker, a colleague from the same team, a worker of
another MOPS, an MGI member, a coordinator (and one of another project), a partner (PUP) user,
a project manager, an auditor, an administrator and an anonymous visitor."""

import pytest

from config.celery import app as celery_app
from support_network.models import InstitutionKind, Role
from tests.matrix_tally import MATRIX_TALLY, REPORTED_TALLY
from tests.support_network.factories import (
    InstitutionFactory,
    ProjectFactory,
    TeamFactory,
    staff_user,
)


@pytest.fixture(scope="session", autouse=True)
def _compiled_locale():
    """The English locale compiled from locale/*.po (make does it too; plain pytest must not depend on it)."""
    from config.i18n_compile import compile_all

    compile_all()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (pages cache per-project results by primary key)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _eager_tasks():
    """Tasks run in-process in tests; tests of the real worker path switch this off themselves."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def mops(db):
    return InstitutionFactory(name="Miejski Ośrodek Pomocy Społecznej w Wodzisławiu Śląskim", short_name="MOPS W")


@pytest.fixture
def other_mops(db):
    return InstitutionFactory(name="Miejski Ośrodek Pomocy Społecznej w Kaliszu", short_name="MOPS K")


@pytest.fixture
def pup(db):
    return InstitutionFactory(
        name="Powiatowy Urząd Pracy w Wodzisławiu Śląskim", short_name="PUP W", kind=InstitutionKind.PUP
    )


@pytest.fixture
def project(db, mops, pup):
    project = ProjectFactory(leader=mops, title="Fachowa siła przyszłością dla rodziny")
    project.partners.add(pup)
    return project


@pytest.fixture
def other_project(db, other_mops):
    return ProjectFactory(leader=other_mops, title="Razem Skuteczniej")


@pytest.fixture
def team(db, mops, project):
    return TeamFactory(institution=mops, project=project, name="Zespół Wilchwy")


@pytest.fixture
def social_worker(db, mops, team):
    user = staff_user(Role.SOCIAL_WORKER, mops, username="pracownik", first_name="Anna")
    team.members.add(user)
    return user


@pytest.fixture
def colleague(db, mops, team):
    user = staff_user(Role.SOCIAL_WORKER, mops, username="kolega", first_name="Beata")
    team.members.add(user)
    return user


@pytest.fixture
def other_worker(db, other_mops):
    return staff_user(Role.SOCIAL_WORKER, other_mops, username="obcy", first_name="Karol")


@pytest.fixture
def mgi_member(db, mops, team):
    user = staff_user(Role.MGI_MEMBER, mops, username="mgi", first_name="Marek")
    team.members.add(user)
    return user


@pytest.fixture
def coordinator(db, mops, project):
    user = staff_user(Role.COORDINATOR, mops, username="koordynator", first_name="Katarzyna")
    project.staff.add(user)
    return user


@pytest.fixture
def other_coordinator(db, other_mops, other_project):
    user = staff_user(Role.COORDINATOR, other_mops, username="koordynator2", first_name="Kinga")
    other_project.staff.add(user)
    return user


@pytest.fixture
def partner(db, pup):
    return staff_user(Role.PARTNER_STAFF, pup, username="partner", first_name="Ewa")


@pytest.fixture
def manager(db, mops, project):
    user = staff_user(Role.PROJECT_MANAGER, mops, username="kierownik", first_name="Tomasz")
    project.staff.add(user)
    return user


@pytest.fixture
def auditor(db, mops, project):
    user = staff_user(Role.AUDITOR, mops, username="audytor", first_name="Piotr")
    project.staff.add(user)
    return user


@pytest.fixture
def administrator(db, mops):
    user = staff_user(Role.ADMINISTRATOR, mops, username="admin", first_name="Adam")
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def verify_session(client, user):
    """Marks the client's session as having passed the second factor, with a confirmed authenticator
    app of the user's (created once): what the verification page does after a right code."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from support_network.mfa import remember_device

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    remember_device(device)  # as the verification page does


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """Every client.force_login(user) in the suite gives a fully verified session (password and
    second factor), so tests written before the second factor, and new ones, reach their pages.
    Enforcement is tested without force_login: tests/support_network/test_mfa.py logs in with the
    password and proves nothing with personal data is reachable before the second factor."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def login(client):
    """login(user) -> the test client logged in as that user (password and second factor passed)."""

    def _login(user):
        client.force_login(user, backend="support_network.backends.StaffBackend")
        return client

    return _login


@pytest.fixture(scope="session")
def redis_url():
    """The real Redis of the machine (REDIS_URL, else 127.0.0.1:6379). Tests that need it fail
    loudly when it is down: CI and `make test` start it."""
    import os

    import redis

    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
    redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    return url


def _count_tries(item):
    """The matrix's requests are counted in the process that runs the test; the count travels in
    the test's report, so that the summary is right with pytest-xdist's workers too."""
    before = MATRIX_TALLY["tries"]
    yield
    if MATRIX_TALLY["tries"] != before:
        item.user_properties.append(("matrix_tries", MATRIX_TALLY["tries"] - before))


pytest_runtest_setup = pytest.hookimpl(hookwrapper=True)(_count_tries)  # requests made by fixtures
pytest_runtest_call = pytest.hookimpl(hookwrapper=True)(_count_tries)


def pytest_runtest_logreport(report):
    """Counts the access matrix's cases and failures (tests/test_access_matrix*.py)."""
    if "test_access_matrix" not in report.nodeid:
        return
    if report.when == "call":
        REPORTED_TALLY["cases"] += 1
        REPORTED_TALLY["tries"] += sum(value for key, value in report.user_properties if key == "matrix_tries")
    if report.failed:
        REPORTED_TALLY["failures"] += 1


def pytest_terminal_summary(terminalreporter):
    """The figure to quote: 'access matrix: N tries (HTTP requests) in M cases, F failures'."""
    if REPORTED_TALLY["cases"]:
        line = "access matrix: {tries} tries (HTTP requests) in {cases} cases, {failures} failures"
        terminalreporter.write_line(line.format(**REPORTED_TALLY))
