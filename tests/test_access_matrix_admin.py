"""The access matrix, second half: the Django admin's URLs × every role × GET and POST.

The admin serves reference data and user management only (support_network/admin_site.py). For
every model it serves: the changelist (also searched with the family's PESEL), add, change, delete
and history pages, plus the site pages (index, each app's index, autocomplete, view on site,
password change, logout, login). What every request must answer:

- the administrator: 2xx on GET, never 5xx on POST (an empty body: a form with errors, nothing
  deleted); no page shows the family's surname, case number, visit note or PESEL — the delete page
  of an institution or of a social worker's account included (it lists related objects);
- every other role: never 2xx (anonymous and non-staff users are sent to the admin's login page);
  a refused POST changes nothing;
- every model holding personal data (families, contracts, reporting, auditlog's log, agreements,
  meetings, …): its changelist, add and change pages answer 404 to the administrator.

Tests that fail without the fix: `test_admin_serves_reference_data_only` (Family, Person and
auditlog's LogEntry were registered), `test_personal_data_model_not_in_admin` (/admin/families/
person/ answered 200), `test_admin_access` for the delete pages (they named persons and families).
"""

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import ForeignObjectRel
from django.urls import reverse
from django.utils import timezone

from families.models import Instrument, Person
from support_network.admin_site import ADMIN_MODELS, check_admin_scope
from support_network.registers import NumberRegister
from tests.access_world import ANONYMOUS, CANARY_CASE_NUMBER, CANARY_SURNAME, CANARY_VISIT_NOTE, ROLES, world_fixture
from tests.test_access_matrix import changed_tables, fingerprint, request

world = world_fixture()

# The object each served model's change/delete/history pages are opened with (world -> instance).
ADMIN_OBJECTS = {
    "auth.User": lambda w: w.users["social_worker"],
    "support_network.Institution": lambda w: w.mops,
    "support_network.StaffMembership": lambda w: w.users["social_worker"].membership,
    "support_network.Project": lambda w: w.project,
    "support_network.Team": lambda w: w.team,
    "support_network.Service": lambda w: w.service,
    "support_network.NumberRegister": lambda w: NumberRegister.objects.get_or_create(
        institution=w.mops, kind="case", defaults={"pattern": "RS/{rok}/{nr:03d}"}
    )[0],
    "families.Instrument": lambda w: Instrument.objects.order_by("pk").first(),
    "axes.AccessAttempt": lambda w: AccessAttempt.objects.order_by("pk").first(),
    "axes.AccessLog": lambda w: AccessLog.objects.order_by("pk").first(),
    "axes.AccessFailureLog": lambda w: AccessFailureLog.objects.order_by("pk").first(),
}
MODEL_PAGES = ("changelist", "add", "change", "delete", "history")
# Admin URL names that are not per-model pages, with how the matrix opens them.
SITE_PAGES = ("index", "app_list", "autocomplete", "view_on_site", "password_change", "password_change_done",
              "jsi18n", "logout", "login")  # fmt: skip
OPEN_TO_ALL = {"login"}  # the admin's login form answers 200 to anybody
# Login-attempt records are written by django-axes only: their add page answers 403 to everybody.
READ_ONLY_MODELS = {"axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"}


def served_labels() -> set[str]:
    return {model._meta.label for model in admin.site._registry}


@pytest.fixture(scope="module")
def admin_world(world, django_db_blocker):
    """The world plus one login-attempt record of each kind (the axes pages need an object)."""
    with django_db_blocker.unblock():
        now = timezone.now()
        AccessAttempt.objects.create(username="m_obcy", ip_address="10.0.0.9", user_agent="x", attempt_time=now,
                                     failures_since_start=1, get_data="", post_data="")  # fmt: skip
        AccessLog.objects.create(username="m_obcy", ip_address="10.0.0.9", user_agent="x", attempt_time=now)
        AccessFailureLog.objects.create(username="m_obcy", ip_address="10.0.0.9", user_agent="x", attempt_time=now)
    return world


def _model_url(world, label: str, page: str) -> str:
    app_label, model_name = label.lower().split(".")
    name = f"admin:{app_label}_{model_name}_{page}"
    if page in ("changelist", "add"):
        return reverse(name)
    return reverse(name, args=[ADMIN_OBJECTS[label](world).pk])


def _site_url(world, page: str) -> str:
    if page == "app_list":
        return reverse("admin:app_list", kwargs={"app_label": "support_network"})
    if page == "autocomplete":
        return reverse("admin:autocomplete") + (
            "?app_label=support_network&model_name=staffmembership&field_name=institution&term=MOPS"
        )
    if page == "view_on_site":
        content_type = ContentType.objects.get_for_model(world.head)
        return reverse("admin:view_on_site", args=[content_type.pk, world.head.pk])
    return reverse(f"admin:{page}")


def admin_urls(world) -> list[tuple[str, str]]:
    """(what, url) for every page of the matrix; the changelists also searched with the PESEL."""
    urls = [(f"site:{page}", _site_url(world, page)) for page in SITE_PAGES]
    for label in sorted(ADMIN_MODELS & served_labels()):
        urls += [(f"{label}:{page}", _model_url(world, label, page)) for page in MODEL_PAGES]
        if admin.site._registry[apps.get_model(label)].search_fields:
            urls.append((f"{label}:search", _model_url(world, label, "changelist") + f"?q={world.head.pesel}"))
    return urls


def assert_no_family_data_at_all(world, response, where, *, typed_pesel=False):
    """`typed_pesel`: the page repeats the PESEL the user typed (a search), so only the rest counts."""
    if getattr(response, "streaming", False) or not response.get("Content-Type", "").startswith("text/"):
        return
    body = response.content.decode(errors="replace")
    canaries = (CANARY_SURNAME, CANARY_CASE_NUMBER, CANARY_VISIT_NOTE) + (() if typed_pesel else (world.head.pesel,))
    for canary in canaries:
        assert canary not in body, f"{where}: the admin shows the family's data ({canary!r})"


# --- the registry ---------------------------------------------------------------------------------


def test_admin_serves_reference_data_only():
    extra = served_labels() - ADMIN_MODELS
    assert not extra, f"the admin serves models outside ADMIN_MODELS (personal data?): {sorted(extra)}"


def test_every_served_model_has_a_matrix_object():
    assert served_labels() <= set(ADMIN_OBJECTS), "add the model's object to ADMIN_OBJECTS"


def _reaches_personal_data(model, lookup: str) -> bool:
    """Whether a search lookup (`user__last_name`, `family__members__pesel`) leaves the served models
    or names a PESEL field."""
    for part in lookup.lstrip("^=@").split("__"):
        if "pesel" in part:
            return True
        field = model._meta.get_field(part)
        if not field.is_relation:
            return False
        model = field.related_model
        if model._meta.label not in ADMIN_MODELS | {"auth.User"} and not isinstance(field, ForeignObjectRel):
            return True
    return False


def test_no_admin_search_reaches_a_pesel_or_personal_data():
    for model, model_admin in admin.site._registry.items():
        for lookup in model_admin.search_fields:
            assert not _reaches_personal_data(model, lookup), f"{model._meta.label} searches {lookup}"


PERSONAL_DATA_APPS = {"families", "contracts", "reporting", "auditlog", "support_network"}


def personal_data_models() -> list[str]:
    """Every model of the rooms (and auditlog's log) the admin does not serve."""
    return sorted(model._meta.label for model in apps.get_models()
                  if model._meta.label not in ADMIN_MODELS and model._meta.app_label in PERSONAL_DATA_APPS)  # fmt: skip


@pytest.mark.parametrize("label", personal_data_models())
def test_personal_data_model_not_in_admin(admin_world, db, client, label):
    client.force_login(admin_world.users["administrator"], backend="support_network.backends.StaffBackend")
    app_label, model_name = label.lower().split(".")
    for suffix in ("", "add/", "1/change/"):
        url = f"/admin/{app_label}/{model_name}/{suffix}"
        response = request(client, "GET", url)
        assert response.status_code == 404, f"{url} answers {response.status_code} to the administrator"


# --- the matrix -----------------------------------------------------------------------------------


def _cases():
    # the URLs depend on the world's primary keys: the case holds the page's name, the URL is
    # computed in the test
    names = [f"site:{page}" for page in SITE_PAGES]
    for label in sorted(ADMIN_MODELS & served_labels()):
        names += [f"{label}:{page}" for page in MODEL_PAGES]
        if admin.site._registry[apps.get_model(label)].search_fields:
            names.append(f"{label}:search")
    return [
        pytest.param(name, role, method, id=f"admin-{name}-{role}-{method}")
        for name in names
        for role in ROLES
        for method in ("GET", "POST")
    ]


def _allowed(name: str, role: str) -> bool:
    label, page = name.rsplit(":", 1)
    if page == "add" and label in READ_ONLY_MODELS:
        return False
    return page in OPEN_TO_ALL or role == "administrator"


def _is_admin_login_redirect(response) -> bool:
    """To the admin's login page (the logout page of a user not logged in sends to the index, which
    sends to the login page)."""
    location = response.get("Location", "")
    return response.status_code == 302 and (location.startswith(reverse("admin:login"))
                                            or location == reverse("admin:index"))  # fmt: skip


@pytest.mark.parametrize(("name", "role", "method"), _cases())
def test_admin_access(admin_world, db, client, name, role, method):
    url = dict(admin_urls(admin_world))[name]
    if role != ANONYMOUS:
        client.force_login(admin_world.users[role], backend="support_network.backends.StaffBackend")
    before = fingerprint()
    response = request(client, method, url)
    after = fingerprint()
    status, where = response.status_code, f"{method} {name} as {role} ({url} -> {response.status_code})"
    assert status < 500, f"{where}: server error"
    page = name.rsplit(":", 1)[1]
    if _allowed(name, role):
        if method == "GET" and page not in ("logout", "view_on_site"):
            redirect_ok = page == "login" and role == "administrator" and status == 302  # already logged in
            assert 200 <= status < 300 or redirect_ok, f"{where}: expected 2xx"
        if page == "view_on_site":
            assert status == 404, f"{where}: 'view on site' of a person confirms that it exists"
    else:
        assert not 200 <= status < 300, f"{where}: unexpected 2xx"
        assert _is_admin_login_redirect(response) or status in (403, 404, 405), f"{where}: not refused"
        if method == "POST":
            assert not changed_tables(before, after), f"{where}: refused POST changed {changed_tables(before, after)}"
    if method == "GET":
        assert not changed_tables(before, after), f"{where}: a GET changed {changed_tables(before, after)}"
    if page == "search" and status == 200:
        assert response.context["cl"].result_count == 0, f"{where}: a PESEL search found something"
    assert_no_family_data_at_all(admin_world, response, where, typed_pesel=page == "search")


def test_the_administrator_sees_no_log_entry(admin_world, db, client):
    """auditlog's log (diffs of persons, ACCESS entries naming them) is not in the admin."""
    client.force_login(admin_world.users["administrator"], backend="support_network.backends.StaffBackend")
    assert LogEntry.objects.exists()
    assert request(client, "GET", "/admin/auditlog/logentry/").status_code == 404


def test_manage_py_check_refuses_a_personal_data_model_in_the_admin():
    assert check_admin_scope() == []
    admin.site.register(Person)
    try:
        assert [error.id for error in check_admin_scope()] == ["support_network.E001"]
    finally:
        admin.site.unregister(Person)
