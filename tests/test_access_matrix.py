"""The access matrix: every URL of the project × every role × GET and POST, against the table.

How to read a row: `get` = the roles whose GET answers 2xx; `post` = the roles allowed to POST
(anything but 5xx for them: a form with errors, a redirect, a refused transition); `aware` = roles
that may know the object exists without being allowed (they may get 403 instead of 404). Every
other role must get, on GET and POST alike:

- anonymous: a redirect to the login page (405 on the few pages open without login);
- authenticated: 403, 404 or 405, never 2xx; on object URLs a role that is not aware of the object
  gets 404, or a role-level refusal identical to the answer for an object that does not exist
  (so no answer ever confirms that an object outside the user's scope exists);
- POST: no change in the database (a fingerprint of every table of the four rooms and of the
  users, before and after); GET never changes it for anybody.

Every response writes at most one ACCESS entry, exactly one when it shows the family's data
(core/access_log.py). Every 2xx HTML answer carries the security headers, and no page ever shows the family's data
(surname, case number, visit note, PESEL) to a worker of another MOPS, a coordinator of another
project or the administrator (nor the case number, visit note or PESEL to the partner).

A new URL without a row fails `test_every_url_has_a_row`: add the row to TABLE (kwargs map the URL's
arguments to objects of tests/access_world.py; add an object there if the URL needs a new one).
"""

from dataclasses import dataclass, field

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.urls import get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.access_world import (
    ANONYMOUS,
    CANARY_CASE_NUMBER,
    CANARY_SURNAME,
    CANARY_VISIT_NOTE,
    ROLES,
    world_fixture,
)
from tests.matrix_tally import MATRIX_TALLY

world = world_fixture()

# --- role sets ----------------------------------------------------------------------------------
EVERYONE = frozenset(ROLES)
AUTH = EVERYONE - {ANONYMOUS}
NOBODY = frozenset()
CASEWORK = frozenset({"social_worker", "colleague", "mgi_member"})  # the family's team
SOCIAL_WORKERS = frozenset({"social_worker", "colleague"})  # a kontrakt socjalny is a social worker's
PROJECT = frozenset({"coordinator", "manager", "auditor"})  # staff of the family's project
FAMILY_READERS = CASEWORK | PROJECT
PARTNER = frozenset({"partner"})
MANAGER = frozenset({"manager"})
# role pages (lists): a worker of another MOPS / a coordinator of another project get their own
CASEWORK_ROLE = CASEWORK | {"other_worker"}
PROJECT_ROLE = PROJECT | {"other_coordinator"}
READERS_ROLE = CASEWORK_ROLE | PROJECT_ROLE
AGREEMENT_MANAGERS = frozenset({"coordinator", "other_coordinator", "manager", "administrator"})
GROUP_READERS = PROJECT | PARTNER  # a group of sessions: its institution and the project's staff
PARTNERSHIP = FAMILY_READERS | PARTNER | {"administrator"}  # the project's agreement and team

# who must never see anything of the family on any page
FAMILY_CANARIES = {
    "other_worker": ("surname", "case_number", "visit_note", "pesel"),
    "other_coordinator": ("surname", "case_number", "visit_note", "pesel"),
    "administrator": ("surname", "case_number", "visit_note", "pesel"),
    "partner": ("case_number", "visit_note", "pesel"),  # the referral itself names the person
}


@dataclass(frozen=True)
class Row:
    get: frozenset
    post: frozenset = NOBODY
    kwargs: dict = field(default_factory=dict)  # URL kwarg -> world object name (its pk) or callable
    query: str = ""  # "family={family}": world object names in braces become their pks
    aware: frozenset = NOBODY
    redirect: bool = False  # an allowed GET may answer with a redirect (not to the login page)

    @property
    def knows(self):
        return self.get | self.post | self.aware


def _uidb64(world):
    return urlsafe_base64_encode(force_bytes(world.users["social_worker"].pk))


def same(roles, **kwargs):
    """A page that answers POST like GET (a list or a detail that ignores the body)."""
    return Row(get=roles, post=roles, **kwargs)


def form(roles, **kwargs):
    """A form page: the same roles GET and POST."""
    return Row(get=roles, post=roles, **kwargs)


def action(roles, **kwargs):
    """A POST-only action (GET answers 405 for everybody)."""
    return Row(get=NOBODY, post=roles, **kwargs)


FAMILY = {"pk": "family"}
HEAD = {"pk": "head"}
PROJECT_PK = {"pk": "project"}
UPLOAD = {"project_pk": "project", "token": lambda w: w.participant_upload.token}

TABLE: dict[str, Row] = {
    # --- site ---
    "home": same(AUTH),
    "healthz": Row(get=EVERYONE),
    "login": Row(get=EVERYONE, post=EVERYONE, redirect=True),  # a logged-in user is sent home
    "logout": action(AUTH),
    "session_keep_alive": action(AUTH),  # "Pozostań zalogowany" (tests/config/test_session_keep_alive.py)
    "password_change": form(AUTH),
    "password_change_done": Row(get=AUTH),
    "password_reset": form(EVERYONE),
    "password_reset_done": Row(get=EVERYONE),
    "password_reset_confirm": form(EVERYONE, kwargs={"uidb64": _uidb64, "token": lambda w: "zly-token"}),
    "password_reset_complete": Row(get=EVERYONE),
    # second factor: a verified session (force_login gives one) is sent on from the two steps
    "mfa_verify": Row(get=AUTH, post=AUTH, redirect=True),
    "mfa_setup": Row(get=AUTH, post=AUTH, redirect=True),
    "mfa_manage": same(AUTH),
    "mfa_new_codes": action(AUTH),
    # nobody's passkey: 404 for everyone (removing one's own: tests/support_network/test_mfa.py)
    "mfa_remove_passkey": action(NOBODY, kwargs={"pk": lambda w: 999999}),
    "otp_webauthn:credential-registration-begin": action(AUTH),
    "otp_webauthn:credential-registration-complete": action(AUTH),  # no ceremony begun: a 4xx
    "otp_webauthn:credential-authentication-begin": action(AUTH),
    "otp_webauthn:credential-authentication-complete": action(AUTH),
    "otp_webauthn:js-i18n-catalog": Row(get=AUTH),
    # --- support network ---
    "support_network:catalogue": same(AUTH),
    # notifications: each user's own; another's answers 404 (tests/support_network/test_notifications.py)
    "support_network:notification_list": same(AUTH),
    "support_network:notification_read": action(
        frozenset({"social_worker"}), kwargs={"pk": lambda w: w.objects["notification"].pk}
    ),
    "support_network:notification_read_all": action(AUTH),
    "support_network:notification_settings": action(AUTH),
    "support_network:gmina_search": Row(get=AUTH, query="pole=gmina_teryt&for=id_gmina_teryt&gmina_teryt=Wodz"),
    "support_network:agreement_list": same(AUTH),
    "support_network:agreement_create": form(AGREEMENT_MANAGERS),
    "support_network:agreement_update": form(
        frozenset({"coordinator", "manager", "administrator"}), kwargs={"pk": "agreement"}, aware=PARTNERSHIP
    ),
    "support_network:agreement_scan": same(PARTNERSHIP, kwargs={"pk": "agreement"}),
    "support_network:team_list": same(AUTH),
    "support_network:team_detail": same(PARTNERSHIP, kwargs={"pk": "team"}),
    "support_network:meeting_create": form(
        CASEWORK | {"coordinator", "manager", "administrator"}, kwargs={"pk": "team"}, aware=PARTNERSHIP
    ),
    "support_network:meeting_update": form(
        CASEWORK | {"coordinator", "manager", "administrator"},
        kwargs={"pk": "team", "meeting_pk": "meeting"},
        aware=PARTNERSHIP,
    ),
    # --- families ---
    "families:caseload": same(READERS_ROLE),  # the search is POSTed (a PESEL never in the URL)
    "families:family_create": form(CASEWORK_ROLE),
    "families:generation_hint": Row(get=CASEWORK, query="relation=child&family={family}", aware=FAMILY_READERS),
    "families:family_detail": Row(get=FAMILY_READERS, kwargs=FAMILY),
    "families:family_edit": form(CASEWORK, kwargs=FAMILY, aware=FAMILY_READERS),
    "families:person_create": form(CASEWORK, kwargs=FAMILY, aware=FAMILY_READERS),
    "families:visit_create": form(CASEWORK, kwargs=FAMILY, aware=FAMILY_READERS),
    "families:diagnosis_create": form(CASEWORK, kwargs=FAMILY, aware=FAMILY_READERS),
    "families:person_detail": Row(get=FAMILY_READERS, kwargs=HEAD),
    "families:person_edit": form(CASEWORK, kwargs=HEAD, aware=FAMILY_READERS),
    "families:assessment_create": form(CASEWORK, kwargs=HEAD, aware=FAMILY_READERS),
    "families:person_merge": form(frozenset({"coordinator"}), kwargs=HEAD, aware=FAMILY_READERS),
    # --- referrals ---
    "contracts:referral_sent": same(CASEWORK_ROLE),
    "contracts:referral_inbox": same(PARTNER),
    "contracts:referral_create": form(CASEWORK_ROLE),
    "contracts:referral_detail": same(FAMILY_READERS | PARTNER, kwargs={"pk": "referral_sent"}),
    "contracts:referral_send": action(CASEWORK, kwargs={"pk": "referral_draft"}, aware=FAMILY_READERS),
    "contracts:referral_delete": action(CASEWORK, kwargs={"pk": "referral_draft"}, aware=FAMILY_READERS),
    "contracts:referral_accept": action(PARTNER, kwargs={"pk": "referral_sent"}, aware=FAMILY_READERS),
    "contracts:referral_reject": action(PARTNER, kwargs={"pk": "referral_sent"}, aware=FAMILY_READERS),
    "contracts:referral_start": action(PARTNER, kwargs={"pk": "referral_accepted"}, aware=FAMILY_READERS),
    "contracts:referral_attendance": action(PARTNER, kwargs={"pk": "referral_in_progress"}, aware=FAMILY_READERS),
    "contracts:referral_outcome": action(PARTNER, kwargs={"pk": "referral_in_progress"}, aware=FAMILY_READERS),
    "contracts:referral_drop": action(CASEWORK | PARTNER, kwargs={"pk": "referral_in_progress"}, aware=FAMILY_READERS),
    # --- group sessions: the running institution works, the project's staff read ---
    "contracts:group_list": same(PARTNER | PROJECT_ROLE),
    "contracts:group_create": form(PARTNER),
    "contracts:group_detail": same(GROUP_READERS, kwargs={"pk": "group"}),
    "contracts:group_enrol": action(PARTNER, kwargs={"pk": "group"}, aware=GROUP_READERS),
    "contracts:session_create": form(PARTNER, kwargs={"pk": "group"}, aware=GROUP_READERS),
    "contracts:group_pdf": same(GROUP_READERS, kwargs={"pk": "group"}),
    "contracts:session_detail": same(GROUP_READERS, kwargs={"pk": "group_session"}),
    "contracts:session_attendance": action(PARTNER, kwargs={"pk": "group_session"}, aware=GROUP_READERS),
    "contracts:session_pdf": same(GROUP_READERS, kwargs={"pk": "group_session"}),
    "contracts:session_signed_list": action(PARTNER, kwargs={"pk": "group_session"}, aware=GROUP_READERS),
    "contracts:session_signed_list_file": same(GROUP_READERS, kwargs={"pk": "group_session"}),
    "contracts:enrolment_rating": action(PARTNER, kwargs={"pk": "enrolment"}, aware=GROUP_READERS),
    # --- social contracts ---
    "contracts:contract_list": same(READERS_ROLE),
    "contracts:contract_create": form(SOCIAL_WORKERS, query="family={family}", aware=FAMILY_READERS),
    "contracts:contract_detail": same(FAMILY_READERS, kwargs={"pk": "contract_signed"}),
    "contracts:contract_edit": form(SOCIAL_WORKERS, kwargs={"pk": "contract_draft"}, aware=FAMILY_READERS),
    "contracts:contract_pdf": same(FAMILY_READERS, kwargs={"pk": "contract_signed"}),
    "contracts:contract_sign": form(SOCIAL_WORKERS, kwargs={"pk": "contract_draft"}, aware=FAMILY_READERS),
    "contracts:contract_refuse": form(SOCIAL_WORKERS, kwargs={"pk": "contract_draft"}, aware=FAMILY_READERS),
    "contracts:contract_amend": form(SOCIAL_WORKERS, kwargs={"pk": "contract_signed"}, aware=FAMILY_READERS),
    "contracts:contract_close": form(SOCIAL_WORKERS, kwargs={"pk": "contract_signed"}, aware=FAMILY_READERS),
    "contracts:evaluation_record": form(
        SOCIAL_WORKERS,
        kwargs={"pk": "contract_signed", "evaluation_pk": "contract_evaluation"},
        aware=FAMILY_READERS,
    ),
    "contracts:contract_action_done": action(
        SOCIAL_WORKERS, kwargs={"pk": "contract_signed", "action_pk": "contract_action"}, aware=FAMILY_READERS
    ),
    "contracts:reminders": same(CASEWORK_ROLE),
    # --- family programmes ---
    "contracts:programme_list": same(READERS_ROLE),
    "contracts:programme_create": form(CASEWORK, query="family={family}", aware=FAMILY_READERS),
    "contracts:programme_queue": same(frozenset({"coordinator", "other_coordinator"})),
    "contracts:programme_detail": same(FAMILY_READERS, kwargs={"pk": "programme_submitted"}),
    "contracts:programme_edit": form(CASEWORK, kwargs={"pk": "programme_draft"}, aware=FAMILY_READERS),
    "contracts:programme_submit": action(CASEWORK, kwargs={"pk": "programme_draft"}, aware=FAMILY_READERS),
    "contracts:programme_decide": action(
        frozenset({"coordinator"}), kwargs={"pk": "programme_submitted"}, aware=FAMILY_READERS
    ),
    "contracts:programme_start": action(
        CASEWORK | {"coordinator"}, kwargs={"pk": "programme_approved"}, aware=FAMILY_READERS
    ),
    "contracts:programme_complete": action(
        CASEWORK | {"coordinator"}, kwargs={"pk": "programme_in_progress"}, aware=FAMILY_READERS
    ),
    "contracts:programme_action_done": action(
        CASEWORK, kwargs={"pk": "programme_in_progress", "action_pk": "programme_action"}, aware=FAMILY_READERS
    ),
    # --- EFS participants ---
    "reporting:participant_projects": same(PROJECT_ROLE),
    "reporting:participant_list": same(PROJECT, kwargs={"project_pk": "project"}),
    "reporting:participant_enrol": form(MANAGER, kwargs={"project_pk": "project"}, aware=PROJECT),
    "reporting:participant_import": form(MANAGER, kwargs={"project_pk": "project"}, aware=PROJECT),
    "reporting:participant_import_template": same(MANAGER, kwargs={"project_pk": "project"}, aware=PROJECT),
    "reporting:participant_import_preview": same(MANAGER, kwargs=UPLOAD, aware=PROJECT),
    "reporting:participant_import_commit": action(MANAGER, kwargs=UPLOAD, aware=PROJECT),
    "reporting:participant_import_cancel": action(MANAGER, kwargs=UPLOAD, aware=PROJECT),
    "reporting:participant_export": same(
        frozenset({"manager", "auditor"}), kwargs={"project_pk": "project"}, aware=PROJECT
    ),  # fmt: skip
    "reporting:participant_detail": same(PROJECT, kwargs={"pk": "participation"}),
    "reporting:participant_amend": form(MANAGER, kwargs={"pk": "participation"}, aware=PROJECT),
    "reporting:participant_exit": form(MANAGER, kwargs={"pk": "participation"}, aware=PROJECT),
    "reporting:participant_outcome": form(MANAGER, kwargs={"pk": "participation"}, aware=PROJECT),
    "reporting:outcome_delete": action(
        MANAGER, kwargs={"pk": "participation", "outcome_pk": "outcome"}, aware=PROJECT
    ),  # fmt: skip
    "reporting:support_add": form(MANAGER, kwargs={"pk": "participation"}, aware=PROJECT),
    "reporting:support_edit": form(MANAGER, kwargs={"pk": "participation", "support_pk": "support"}, aware=PROJECT),
    "reporting:support_delete": action(
        MANAGER, kwargs={"pk": "participation", "support_pk": "support"}, aware=PROJECT
    ),  # fmt: skip
    "reporting:participant_confirm_start": action(MANAGER, kwargs={"pk": "participation"}, aware=PROJECT),
    "reporting:outcome_queue": same(MANAGER),
    "reporting:outcome_decide": action(MANAGER),
    "reporting:followups": same(PROJECT_ROLE),
    "reporting:followup_done": action(MANAGER, kwargs={"pk": "followup"}, aware=PROJECT),
    # the talks after a month of work: the project's readers and the family's own social worker
    "reporting:followup_talks": form(PROJECT | {"social_worker"}, kwargs={"pk": "employment_followup"}),
    "reporting:placement_add": form(MANAGER, kwargs={"pk": "participation"}, aware=PROJECT),
    "reporting:placement_end": form(
        MANAGER, kwargs={"pk": "participation", "placement_pk": "placement"}, aware=PROJECT
    ),
    # --- indicators, reports, budget ---
    "reporting:project_list": same(PROJECT_ROLE),
    "reporting:dashboard": same(PROJECT, kwargs=PROJECT_PK),
    "reporting:indicators": same(PROJECT, kwargs=PROJECT_PK),
    "reporting:indicator_figures": same(PROJECT, kwargs=PROJECT_PK),
    "reporting:indicator_settings": form(MANAGER, kwargs=PROJECT_PK, aware=PROJECT),
    "reporting:indicator_drilldown": same(
        PROJECT, kwargs={"pk": "project", "code": lambda w: "RES_EMPLOYED", "column": lambda w: "cumulative"}
    ),
    "reporting:report_list": Row(get=PROJECT, post=MANAGER, kwargs=PROJECT_PK),
    "reporting:report_detail": Row(get=PROJECT, kwargs={"pk": "report_run"}),
    "reporting:report_status": Row(get=PROJECT, kwargs={"pk": "report_run"}),
    "reporting:report_download": Row(get=PROJECT, kwargs={"pk": "report_run"}),
    "reporting:report_retry": action(MANAGER, kwargs={"pk": "report_run"}, aware=PROJECT),
    "reporting:report_submit": action(MANAGER, kwargs={"pk": "report_run"}, aware=PROJECT),
    "reporting:budget": same(PROJECT, kwargs=PROJECT_PK),
    "reporting:budget_line_add": form(MANAGER, kwargs=PROJECT_PK, aware=PROJECT),
    "reporting:budget_line_edit": form(MANAGER, kwargs={"pk": "project", "line_pk": "budget_line"}, aware=PROJECT),
    "reporting:expense_correct": form(MANAGER, kwargs={"pk": "project", "expense_pk": "expense"}, aware=PROJECT),
    "reporting:expense_delete": form(MANAGER, kwargs={"pk": "project", "expense_pk": "expense"}, aware=PROJECT),
    "reporting:expense_add": form(MANAGER, kwargs=PROJECT_PK, aware=PROJECT),
}

# Mounted only when BENCH_ENDPOINTS is on (make bench); they still require a login.
OPTIONAL_ROWS: dict[str, Row] = {
    "bench_trivial": same(AUTH),
    "bench_list": same(AUTH),
}

SKIPPED_NAMESPACES = {"admin"}  # tests/test_access_matrix_admin.py covers the admin
MISSING_PK = 2_000_000_000


def resolver_names() -> set[str]:
    """Every named URL pattern of the project (namespaced), except the admin and static files."""

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                namespace = pattern.namespace
                if namespace in SKIPPED_NAMESPACES:
                    continue
                yield from walk(pattern.url_patterns, f"{prefix}{namespace}:" if namespace else prefix)
            else:
                route = str(pattern.pattern)
                if route.startswith((settings.STATIC_URL.lstrip("/"), settings.MEDIA_URL.lstrip("/"))):
                    continue
                yield prefix + (pattern.name or f"<unnamed {route}>")

    return set(walk(get_resolver().url_patterns))


def active_table() -> dict[str, Row]:
    names = resolver_names()
    return {**TABLE, **{name: row for name, row in OPTIONAL_ROWS.items() if name in names}}


def test_every_url_has_a_row():
    names = resolver_names()
    table = set(active_table())
    missing, stale = sorted(names - table), sorted(table - names)
    assert not missing, f"URLs without a row in the access matrix (add them to TABLE): {missing}"
    assert not stale, f"rows of the access matrix for URLs that no longer exist: {stale}"


# --- building the requests ----------------------------------------------------------------------


def _value(world, spec, *, missing: bool):
    if callable(spec):
        return spec(world)
    return MISSING_PK if missing else getattr(world, spec).pk


def url_for(world, name: str, row: Row, *, missing: bool = False) -> str:
    kwargs = {key: _value(world, spec, missing=missing) for key, spec in row.kwargs.items()}
    url = reverse(name, kwargs=kwargs)
    if row.query:
        refs = {ref: (MISSING_PK if missing else getattr(world, ref).pk) for ref in _query_refs(row.query)}
        url += "?" + row.query.format(**refs)
    return url


def _query_refs(query: str) -> list[str]:
    import string

    return [ref for _text, ref, _spec, _conv in string.Formatter().parse(query) if ref]


def is_object_row(row: Row) -> bool:
    return any(not callable(spec) for spec in row.kwargs.values()) or bool(_query_refs(row.query))


# --- the database fingerprint -------------------------------------------------------------------

FINGERPRINT_APPS = {"support_network", "families", "contracts", "reporting", "auth"}
# The TERYT register (thousands of rows, written only by migrate and the load_teryt/load_degurba
# commands, never by a page): hashing it twice per request would dominate the gates' time.
FINGERPRINT_SKIP = {"support_network_terytunit", "support_network_gminadegurba"}


def _tables() -> list[str]:
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in FINGERPRINT_APPS and model._meta.managed:
            tables.add(model._meta.db_table)
    tables -= FINGERPRINT_SKIP
    return sorted(tables)


_FINGERPRINT_SQL = None


def fingerprint() -> list[tuple[str, str]]:
    """One md5 of every row of every table of the rooms (and of users, groups): cheap on the world."""
    global _FINGERPRINT_SQL
    tables = _tables()
    if _FINGERPRINT_SQL is None:
        quote = connection.ops.quote_name
        # table names come from the model registry, never from input
        _FINGERPRINT_SQL = " UNION ALL ".join(
            f"SELECT %s, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) FROM {quote(table)} t"  # noqa: S608
            for table in tables
        )
    with connection.cursor() as cursor:
        cursor.execute(_FINGERPRINT_SQL, tables)
        return cursor.fetchall()


def changed_tables(before, after) -> list[str]:
    """Compared by table name: UNION ALL promises no order (a parallel append over the large
    tables, e.g. the TERYT register, returns them in any order)."""
    old, new = dict(before), dict(after)
    assert old.keys() == new.keys()
    return sorted(table for table in old if old[table] != new[table])


# --- the checks ---------------------------------------------------------------------------------


def is_login_redirect(response) -> bool:
    return response.status_code in (301, 302, 303, 307, 308) and response["Location"].startswith(reverse("login"))


def assert_security_headers(response, where):
    csp = response.get("Content-Security-Policy", "")
    assert csp, f"{where}: no Content-Security-Policy"
    assert "unsafe-inline" not in csp, f"{where}: CSP allows unsafe-inline"
    assert response.get("X-Content-Type-Options") == "nosniff", f"{where}: no nosniff"
    assert response.get("X-Frame-Options") == "DENY" or "frame-ancestors 'none'" in csp, f"{where}: may be framed"
    assert response.get("Referrer-Policy"), f"{where}: no Referrer-Policy"


def body_of(response) -> str | None:
    if getattr(response, "streaming", False):
        return None
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(("text/", "application/json")):
        return None
    return response.content.decode(errors="replace")


def assert_no_family_data(world, role, response, where):
    body = body_of(response)
    if body is None or role not in FAMILY_CANARIES:
        return
    canaries = {
        "surname": CANARY_SURNAME,
        "case_number": CANARY_CASE_NUMBER,
        "visit_note": CANARY_VISIT_NOTE,
        "pesel": world.head.pesel,
    }
    for name in FAMILY_CANARIES[role]:
        assert canaries[name] not in body, f"{where}: the family's {name} is shown to {role}"


def access_entries() -> int:
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()


def assert_access_logged(world, response, written: int, where):
    """Issue 11, finding 7: a response writes at most one ACCESS entry, and exactly one when it shows
    the family's data (a surname, case number, visit note or PESEL: a page, a form, a list, a file)."""
    assert written <= 1, f"{where}: {written} ACCESS entries for one response"
    body = body_of(response)
    if body is None or not 200 <= response.status_code < 300:
        return
    canaries = (CANARY_SURNAME, CANARY_CASE_NUMBER, CANARY_VISIT_NOTE, world.head.pesel)
    if any(canary in body for canary in canaries):
        assert written == 1, f"{where}: shows the family's data but wrote no ACCESS entry"


def request(client, method, url):
    MATRIX_TALLY["tries"] += 1
    response = client.get(url) if method == "GET" else client.post(url, {})
    if getattr(response, "streaming", False):
        response.content_bytes = b"".join(response.streaming_content)  # the test client closes it then
    return response


CASES = [
    pytest.param(name, role, method, id=f"{name}-{role}-{method}")
    for name in sorted(active_table())
    for role in ROLES
    for method in ("GET", "POST")
]


@pytest.mark.parametrize(("name", "role", "method"), CASES)
def test_access(world, db, client, name, role, method):
    row = active_table()[name]
    where = f"{method} {name} as {role}"
    url = url_for(world, name, row)
    if role != ANONYMOUS:
        client.force_login(world.users[role], backend="support_network.backends.StaffBackend")
    before, logged = fingerprint(), access_entries()
    response = request(client, method, url)
    after = fingerprint()
    status = response.status_code
    where = f"{where} ({url} -> {status})"
    assert_access_logged(world, response, access_entries() - logged, where)

    assert status < 500, f"{where}: server error"
    allowed = role in (row.get if method == "GET" else row.post)
    if method == "GET":
        assert not changed_tables(before, after), f"{where}: a GET changed {changed_tables(before, after)}"
        if allowed:
            redirect_ok = row.redirect and 300 <= status < 400 and not is_login_redirect(response)
            assert 200 <= status < 300 or redirect_ok, f"{where}: expected 2xx"
    if not allowed:
        assert not 200 <= status < 300, f"{where}: unexpected 2xx"
        if role == ANONYMOUS:
            assert is_login_redirect(response) or status == 405, f"{where}: anonymous not sent to the login page"
        else:
            assert status in (403, 404, 405), f"{where}: expected 403/404/405"
        if method == "POST":
            assert not changed_tables(before, after), f"{where}: refused POST changed {changed_tables(before, after)}"
        if role != ANONYMOUS and status != 404 and role not in row.knows and is_object_row(row):
            missing = request(client, method, url_for(world, name, row, missing=True)).status_code
            assert missing == status, (
                f"{where}: answers {status} for the real object but {missing} for a missing one "
                f"- confirms that an object outside the user's scope exists (must be 404)"
            )
    if 200 <= status < 300 and response.get("Content-Type", "").startswith("text/html"):
        assert_security_headers(response, where)
    if 200 <= status < 300:
        assert_no_family_data(world, role, response, where)
