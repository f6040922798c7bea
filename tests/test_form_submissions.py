"""Issue 11, findings 3 and 4, on every form of the project's world (tests/access_world.py).

- Lost updates: every edit form carries the version it was read at. Two people open the same
  form; the first saves; the second save is answered 409 "Zmieniono w międzyczasie" with the
  differences (Polish labels, values as shown) and a re-apply form carrying the new version, which
  saves.
- Double submits: every create form carries a one-time token. The same POST sent twice creates
  one record; the second answer is a redirect to where the first one led.

The plausible form of each page comes from the hostile-input gate's helpers (the page's own forms,
posted back with valid values).
"""

import datetime as dt
import re

import pytest

from tests.access_world import world_fixture
from tests.test_access_matrix import changed_tables, fingerprint
from tests.test_hostile_input import _form_page, fields_of, forms_in

world = world_fixture()

TOKEN = re.compile(r'name="form_token" value="([0-9a-f]{32})"')


def _data(rows) -> dict:
    return {key: value for key, _field, value in rows if value is not None}


# --- finding 4: double submits -----------------------------------------------------------------

CREATE_PAGES = [
    "families:family_create",
    "families:person_create",
    "families:visit_create",
    "families:diagnosis_create",
    "families:assessment_create",
    "contracts:contract_create",
    "contracts:contract_amend",
    "contracts:programme_create",
    "contracts:group_create",
    "contracts:session_create",
    "contracts:referral_create",  # its own hidden key (bound to its author), see test_referral_key_*
    "reporting:participant_enrol",
    "reporting:participant_outcome",
    "reporting:budget_line_add",
    "reporting:expense_add",
    "reporting:placement_add",
    "support_network:agreement_create",
    "support_network:meeting_create",
]


def _create_form(client, world, name):
    url, role, rows = _form_page(world, client, name)
    data = _data(rows)
    page = client.get(url)
    if match := TOKEN.search(page.content.decode()):
        data["form_token"] = match.group(1)
    else:
        assert name == "contracts:referral_create", f"{name}: no form token on the page"
    return url, role, data


@pytest.mark.parametrize("name", CREATE_PAGES)
def test_a_create_form_posted_twice_creates_one_record(client, db, world, name):
    url, role, data = _create_form(client, world, name)
    first = client.post(url, data)
    assert first.status_code == 302, f"{name} as {role}: the plausible form was refused"
    after_first = fingerprint()
    second = client.post(url, data)
    assert second.status_code == 302, f"{name}: the second submit answered {second.status_code}"
    assert second["Location"] == first["Location"], f"{name}: the second submit did not land on the record"
    assert not changed_tables(after_first, fingerprint()), f"{name}: the second submit wrote again"


def test_twenty_identical_visit_posts_create_one_visit(client, db, world):
    url, _role, data = _create_form(client, world, "families:visit_create")
    before = world.family.visits.count()
    answers = {client.post(url, data)["Location"] for _ in range(20)}
    assert world.family.visits.count() == before + 1
    assert len(answers) == 1


def test_a_form_token_of_another_user_creates_nothing_and_shows_nothing(client, db, world):
    url, _role, data = _create_form(client, world, "families:visit_create")
    assert client.post(url, data).status_code == 302
    client.force_login(world.users["colleague"], backend="support_network.backends.StaffBackend")
    before = fingerprint()
    answer = client.post(url, data)
    assert answer.status_code == 302 and answer["Location"] == url  # a fresh form, not the record
    assert not changed_tables(before, fingerprint())


def test_a_refused_create_leaves_its_token_usable(client, db, world):
    url, _role, data = _create_form(client, world, "families:visit_create")
    bad = {**data, "visit_date": "2023-02-30"}
    assert client.post(url, bad).status_code == 200
    assert client.post(url, data).status_code == 302


# --- finding 3: lost updates -------------------------------------------------------------------

# (page, a field both users change, the first user's value, the second user's value, as shown)
EDIT_PAGES = [
    ("families:family_edit", "locality", "Rybnik", "Żory"),
    ("families:person_edit", "first_name", "Anna", "Hanna"),
    ("contracts:contract_edit", "main_goal", "Cel pierwszej osoby", "Cel drugiej osoby"),
    ("contracts:programme_edit", "title", "Program pierwszej osoby", "Program drugiej osoby"),
    ("reporting:participant_amend", "locality", "Rybnik", "Żory"),
    ("reporting:participant_exit", "end_date", None, None),
    ("reporting:budget_line_edit", "category", "Kategoria pierwsza", "Kategoria druga"),
    ("reporting:expense_correct", "document_number", "FV/1/2018", "FV/2/2018"),
    ("reporting:indicator_settings", "result_window_days", "27", "26"),
    ("support_network:agreement_update", "title", "Porozumienie pierwsze", "Porozumienie drugie"),
    ("support_network:meeting_update", "place", "Sala pierwsza", "Sala druga"),
]


def _dates(data):
    """Two exit dates a day apart, both plausible (the page's own end date or today)."""
    day = dt.date.fromisoformat(data.get("end_date") or dt.date.today().isoformat())
    return (day - dt.timedelta(days=1)).isoformat(), day.isoformat()


def _shown(value: str) -> str:
    return dt.date.fromisoformat(value).strftime("%d.%m.%Y") if re.fullmatch(r"\d{4}-\d\d-\d\d", value) else value


@pytest.mark.parametrize(("name", "field", "first", "second"), EDIT_PAGES)
def test_a_stale_edit_shows_the_differences_and_can_be_reapplied(client, db, world, name, field, first, second):
    url, role, rows = _form_page(world, client, name)
    data = _data(rows)
    assert "lock_version" in data, f"{name}: the edit form carries no version"
    if first is None:
        first, second = _dates(data)
    # two people opened the form at the same version; the first one saves
    assert client.post(url, {**data, field: first}).status_code == 302, f"{name} as {role}: refused"
    stale = client.post(url, {**data, field: second})
    assert stale.status_code == 409, f"{name}: a stale save answered {stale.status_code}"
    page = stale.content.decode()
    assert "Zmieniono w międzyczasie" in page
    assert _shown(first) in page and _shown(second) in page
    (form,) = [f for f in forms_in(stale) if "lock_version" in getattr(f, "fields", {})]
    label = str(form.fields[field].label)
    assert any(row[0] == label and row[1] == _shown(first) and row[2] == _shown(second) for row in form.stale)
    # the re-apply form: the second user's values on top of the current version
    reapply = {key: value for key, _f, value in fields_of(form) if value is not None}
    assert reapply[field] == second and int(reapply["lock_version"]) == int(data["lock_version"]) + 1
    other_forms = [f for f in forms_in(stale) if f is not form]
    for extra in other_forms:
        reapply.update({key: value for key, _f, value in fields_of(extra) if value is not None})
    assert client.post(url, reapply).status_code == 302, f"{name}: the re-applied edit was refused"


def test_an_edit_without_its_version_is_refused(client, db, world):
    url, _role, rows = _form_page(world, client, "families:family_edit")
    data = _data(rows)
    del data["lock_version"]
    before = fingerprint()
    assert client.post(url, data).status_code == 200
    assert not changed_tables(before, fingerprint())
