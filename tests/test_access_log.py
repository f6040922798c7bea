"""Issue 11, findings 7, 8 and 9 against the access matrix's world (tests/access_world.py).

- finding 7: every page that shows a record — the detail pages, and the edit forms of the person,
  the participation, the family, a visit, an assessment and a contract, the referral-create form,
  the PESEL searches and the duplicate-PESEL warning — writes exactly one `ACCESS` entry (who,
  what, which page) through one mechanism (core/access_log.py); a redirect writes none; a PESEL in
  a change diff keeps no digit;
- finding 8: the duplicate-PESEL warning tells a worker without access to the family only that
  the PESEL is in an active family of the institution and whom to ask; the lookup is logged;
- finding 9: the special-category answers follow one rule (`can_see_special_categories`) on the
  person page, the participation page, the family page's reasons and the export, for every role.
"""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from core.access_log import MASK
from families.access import can_see_special_categories
from families.codes import AssistanceReason
from families.models import Person
from reporting.models import Participation
from tests.access_world import CANARY_CASE_NUMBER, CANARY_SURNAME, ROLES, world_fixture

world = world_fixture()

BACKEND = "support_network.backends.StaffBackend"


def _access_entries():
    return LogEntry.objects.filter(action=LogEntry.Action.ACCESS)


def _get(client, world, role, url):
    client.force_login(world.users[role], backend=BACKEND)
    before = set(_access_entries().values_list("pk", flat=True))
    # a search text in the query (it may be a PESEL) is redirected behind a token (core.search): follow it
    response = client.get(url, follow=True)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    new = list(_access_entries().exclude(pk__in=before))
    return response, new


# (URL name, role, URL kwargs -> world object, query, the object the entry must name)
PAGES = [
    ("families:family_detail", "coordinator", {"pk": "family"}, "", "family"),
    ("families:person_detail", "coordinator", {"pk": "head"}, "", "head"),
    ("families:family_edit", "social_worker", {"pk": "family"}, "", "family"),
    ("families:person_edit", "social_worker", {"pk": "head"}, "", "head"),
    ("families:visit_create", "social_worker", {"pk": "family"}, "", "family"),
    ("families:diagnosis_create", "social_worker", {"pk": "family"}, "", "family"),
    ("families:person_create", "social_worker", {"pk": "family"}, "", "family"),
    ("families:assessment_create", "social_worker", {"pk": "head"}, "", "head"),
    ("families:person_merge", "coordinator", {"pk": "head"}, "", "head"),
    ("families:caseload", "social_worker", {}, "q={pesel}", "family"),
    ("families:caseload", "coordinator", {}, "", "family"),
    ("contracts:contract_list", "coordinator", {}, "", "contract_signed"),
    ("contracts:programme_list", "manager", {}, "", "programme_submitted"),
    ("contracts:programme_queue", "coordinator", {}, "", "programme_submitted"),
    ("contracts:referral_sent", "social_worker", {}, "", "referral_sent"),
    ("contracts:referral_inbox", "partner", {}, "", "referral_sent"),
    ("contracts:referral_create", "social_worker", {}, "", "grandmother"),
    ("contracts:reminders", "social_worker", {}, "", "contract_signed"),
    ("reporting:followups", "manager", {}, "", "participation"),
    ("reporting:participant_enrol", "manager", {"project_pk": "project"}, "", "head"),
    ("contracts:contract_detail", "coordinator", {"pk": "contract_signed"}, "", "contract_signed"),
    ("contracts:contract_pdf", "coordinator", {"pk": "contract_signed"}, "", "contract_signed"),
    ("contracts:contract_edit", "social_worker", {"pk": "contract_draft"}, "", "contract_draft"),
    ("contracts:contract_create", "social_worker", {}, "family={family}", "family"),
    ("contracts:contract_sign", "social_worker", {"pk": "contract_draft"}, "", "contract_draft"),
    ("contracts:referral_create", "social_worker", {}, "person={head}", "head"),
    ("contracts:referral_detail", "partner", {"pk": "referral_sent"}, "", "referral_sent"),
    ("contracts:programme_detail", "coordinator", {"pk": "programme_submitted"}, "", "programme_submitted"),
    ("contracts:programme_edit", "social_worker", {"pk": "programme_draft"}, "", "programme_draft"),
    ("contracts:programme_create", "social_worker", {}, "family={family}", "family"),
    ("reporting:participant_detail", "coordinator", {"pk": "participation"}, "", "participation"),
    ("reporting:participant_amend", "manager", {"pk": "participation"}, "", "participation"),
    ("reporting:participant_exit", "manager", {"pk": "participation"}, "", "participation"),
    ("reporting:participant_outcome", "manager", {"pk": "participation"}, "", "participation"),
    ("reporting:participant_list", "manager", {"project_pk": "project"}, "q={pesel}", "participation"),
    ("reporting:participant_enrol", "manager", {"project_pk": "project"}, "q={pesel}", "head"),
    ("reporting:participant_enrol", "manager", {"project_pk": "project"}, "osoba={child}", "child"),
    ("reporting:participant_export", "auditor", {"project_pk": "project"}, "format=csv", "project"),
    ("reporting:report_download", "manager", {"pk": "report_run"}, "", "report_run"),
]


def _url(world, name, kwargs, query):
    url = reverse(name, kwargs={key: getattr(world, ref).pk for key, ref in kwargs.items()})
    if query:
        refs = {"pesel": world.head.pesel, "family": world.family.pk, "head": world.head.pk, "child": world.child.pk}
        url += "?" + query.format(**refs)
    return url


@pytest.mark.parametrize(("name", "role", "kwargs", "query", "what"), PAGES, ids=[f"{p[0]}-{p[3]}" for p in PAGES])
def test_a_page_showing_a_record_writes_exactly_one_access_entry(world, db, client, name, role, kwargs, query, what):
    response, entries = _get(client, world, role, _url(world, name, kwargs, query))
    assert response.status_code == 200
    assert len(entries) == 1, f"{name}: {len(entries)} ACCESS entries"
    entry, obj = entries[0], getattr(world, what)
    assert entry.actor == world.users[role]
    assert entry.additional_data["page"] == name
    assert [obj._meta.label_lower, obj.pk] in entry.additional_data["shown"]
    assert "?" not in entry.additional_data["path"]  # a searched PESEL never lands in the log
    assert CANARY_SURNAME not in entry.object_repr and world.head.pesel not in str(entry.additional_data)


def test_a_list_writes_one_entry_naming_every_row_and_a_redirect_writes_none(world, db, client):
    _response, entries = _get(client, world, "social_worker", reverse("families:caseload"))
    assert len(entries) == 1
    assert {tuple(item) for item in entries[0].additional_data["shown"]} >= {
        ("families.family", world.family.pk), ("families.family", world.family2.pk)}  # fmt: skip
    client.force_login(world.users["social_worker"], backend=BACKEND)
    before = _access_entries().count()
    response = client.post(reverse("contracts:referral_send", kwargs={"pk": world.referral_draft.pk}))
    assert response.status_code == 302
    assert _access_entries().count() == before


def test_a_form_sent_back_with_errors_writes_one_entry(world, db, client):
    client.force_login(world.users["social_worker"], backend=BACKEND)
    before = _access_entries().count()
    response = client.post(reverse("families:person_edit", kwargs={"pk": world.head.pk}), {"first_name": ""})
    assert response.status_code == 200
    assert _access_entries().count() == before + 1


def test_a_pesel_change_keeps_no_digit_in_the_diff(world, db):
    person = world.grandmother
    old = person.pesel
    person.pesel = world.head.pesel[:-1] + str((int(world.head.pesel[-1]) + 1) % 10)  # no checksum needed here
    person.save(update_fields=["pesel"])
    entry = LogEntry.objects.get_for_object(person).filter(action=LogEntry.Action.UPDATE).latest("pk")
    assert entry.changes_dict["pesel"] == [MASK, MASK]
    assert old[-6:] not in entry.changes_text and old[-6:] not in str(entry.changes)


def test_the_migration_remasks_pesels_of_older_diffs(world, db):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("families.migrations.0005_admin_remask_audit_pesel")
    person = world.grandmother
    half = person.pesel[5:]
    old_mask = {"pesel": ["*****" + half, "*****" + half], "first_name": ["A", "B"]}
    entry = LogEntry.objects.log_create(person, action=LogEntry.Action.UPDATE, force_log=True, changes=old_mask)
    migration.remask(apps, None)
    entry.refresh_from_db()
    assert entry.changes == {"pesel": [MASK, MASK], "first_name": ["A", "B"]}


# --- finding 8: the duplicate-PESEL warning ---------------------------------------------------------


def _add_person_with_the_heads_pesel(client, world, role, family):
    client.force_login(world.users[role], backend=BACKEND)
    head = world.head
    data = {"first_name": "Inna", "last_name": "Osoba", "pesel": head.pesel, "relation": "child", "generation": ""}
    return client.post(reverse("families:person_create", kwargs={"pk": family.pk}), data)


def test_the_duplicate_warning_tells_a_worker_without_access_only_whom_to_ask(world, db, client):
    """A worker of the same institution whose team does not hold the family: no name, birth date,
    case number or status; the PESEL is in an active family of the institution, ask the coordinator."""
    from tests.families.factories import FamilyFactory
    from tests.support_network.factories import staff_user

    stranger = staff_user("social_worker", world.mops, username="m_inny_zespol")
    world.users["stranger"] = stranger
    family = FamilyFactory(institution=world.mops, project=world.project, social_worker=stranger)
    before = _access_entries().count()
    response = _add_person_with_the_heads_pesel(client, world, "stranger", family)
    body = response.content.decode()
    assert response.status_code == 200
    for secret in (CANARY_SURNAME, "Maria", CANARY_CASE_NUMBER, world.head.birth_date.strftime("%d.%m.%Y")):
        assert secret not in body, f"the warning reveals {secret!r}"
    assert "aktywnej rodziny w tej instytucji" in body and "koordynatora" in body
    entry = _access_entries().latest("pk")
    assert _access_entries().count() == before + 1
    assert [Person._meta.label_lower, world.head.pk] in entry.additional_data["shown"]
    assert entry.actor == stranger


def test_the_duplicate_warning_links_the_record_for_a_worker_with_access(world, db, client):
    response = _add_person_with_the_heads_pesel(client, world, "colleague", world.family2)
    body = response.content.decode()
    assert reverse("families:person_detail", kwargs={"pk": world.head.pk}) in body
    assert CANARY_CASE_NUMBER in body


# --- finding 9: special-category answers, one rule --------------------------------------------------

SPECIAL_ON_PARTICIPATION = {"manager", "auditor"}
SPECIAL_ON_PERSON = {"social_worker", "colleague", "mgi_member"}


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_the_special_category_rule_across_roles(world, db, role):
    user = world.users[role]
    assert can_see_special_categories(user, world.head) == (role in SPECIAL_ON_PERSON)
    assert can_see_special_categories(user, world.family) == (role in SPECIAL_ON_PERSON)
    assert can_see_special_categories(user, world.participation) == (role in SPECIAL_ON_PARTICIPATION)
    assert can_see_special_categories(user, world.project) == (role in SPECIAL_ON_PARTICIPATION)


@pytest.mark.parametrize("role", ["coordinator", "manager", "auditor"])
def test_the_participation_page_shows_disability_and_minority_to_manager_and_auditor_only(world, db, client, role):
    Participation.objects.filter(pk=world.participation.pk).update(disability="odmowa", minority="tak")
    response, _entries = _get(client, world, role, reverse("reporting:participant_detail",
                                                           kwargs={"pk": world.participation.pk}))  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    shown = role in SPECIAL_ON_PARTICIPATION
    assert ("Niepełnosprawność" in body) == shown
    assert ("Odmowa podania informacji" in body) == shown
    assert ("Mniejszość / migrant" in body) == shown


@pytest.mark.parametrize("role", ["social_worker", "coordinator", "manager", "auditor"])
def test_the_person_page_and_the_familys_reasons_follow_the_same_rule(world, db, client, role):
    world.family.reasons.create(code=AssistanceReason.R7)
    response, _entries = _get(client, world, role, reverse("families:family_detail", kwargs={"pk": world.family.pk}))
    assert (str(AssistanceReason.R7.label) in response.content.decode()) == (role in SPECIAL_ON_PERSON)
    response, _entries = _get(client, world, role, reverse("families:person_detail", kwargs={"pk": world.head.pk}))
    assert ("niepełnosprawność" in response.content.decode().lower()) == (role in SPECIAL_ON_PERSON)
