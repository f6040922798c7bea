"""The hostile-input gate: every form and both imports, with values people (or attackers) type.

- Every form page of the access matrix (tests/test_access_matrix.py TABLE) is fetched by a role
  allowed to post it; its forms and formsets are found in the page context, and hypothesis posts
  them back with each field either left at a plausible value or replaced by a hostile one
  (10,000 characters, NUL bytes, RTL marks, emoji, combining marks, formulas, impossible dates,
  huge and negative numbers, bad PESELs, foreign ids). POST-only actions get their form's fields
  the same way, and every GET page gets hostile query parameters.
  Asserted: never a 5xx; an answer that is not a redirect (a form with errors, 400, 409, 422)
  leaves every table of the four rooms unchanged (nothing half-saved).
- The participant import (page and `import_participants` command): a file with good rows and
  hostile cells is imported whole or not at all, never with a 500 or a traceback.
- The participant export (CSV and XLSX) never hands a spreadsheet a formula.
- Stored `<script>` text is escaped on pages and printed literally in PDFs; the PDF renderer
  fetches no URL that user content names.

A new form page gets covered by adding its URL name to FORM_PAGES (or NON_FORM_PAGES, with the
reason); `test_every_postable_page_is_classified` fails until one of them lists it.
"""

import csv
import datetime as dt
import http.server
import io
import subprocess
import threading
import uuid

import openpyxl
import pytest
from django import forms as djforms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import transaction
from django.forms.formsets import BaseFormSet
from django.test.utils import ContextList
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.forms.programmes import CompleteForm, DecisionForm
from contracts.forms.referrals import AcceptForm, AttendanceForm, ReasonForm
from contracts.forms.referrals import OutcomeForm as ReferralOutcomeForm
from contracts.forms.sessions import EnrolForm, RatingForm, SignedListForm
from contracts.forms.social_contracts import DoneForm
from contracts.models import Referral
from families.models import Person
from reporting.forms.participants import FollowUpDoneForm
from reporting.forms.reports import ReportSubmitForm
from reporting.importing import layout as L
from reporting.models import Participation
from reporting.services.import_export import FORMULA_PREFIXES
from tests.access_world import ANONYMOUS, world_fixture
from tests.support_network.factories import PASSWORD
from tests.test_access_matrix import TABLE, changed_tables, fingerprint, url_for

world = world_fixture()

HYPOTHESIS = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,  # the gate must not flake: the same examples on every run
)

# --- hostile values -----------------------------------------------------------------------------
HOSTILE_TEXT = [
    "A" * 10_000,
    "Ala\x00ma kota",
    "\x00",
    "\u202eonmyzdor\u202c RTL \u200f\u05e9\u05dc\u05d5\u05dd",
    "👨‍👩‍👧‍👦 rodzina 🏠🔥",
    "Za\u0301z\u0328o\u0301\u0142c\u0301 ge\u0328s\u0301l\u0105 ja\u0301z\u0301n\u0301",
    "ą" * 300,
    "ąĄ\tą\r\nąę",
    "=cmd|' /C calc'!A0",
    "+SUM(1)",
    "@x",
    "-1+1",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "{{ 7|add:7 }}{% debug %}",
    "%s%n%x",
    "   ",
    "\ufeff\u200b",
    "\ud7ff\ue000\uffff",
]
HOSTILE_DATES = [
    "2023-02-30", "31.04.2020", "0000-01-01", "0001-01-01", "9999-12-31", "99999-01-01",
    "2020-13-01", "-2020-01-01", "1e9", "2020-02-29T25:61", "30.02.2023", "00.00.0000",
]  # fmt: skip
HOSTILE_NUMBERS = [
    "-1", "-99999999999999999999999", "1e308", "NaN", "Infinity", "-Infinity", "9" * 60, "0x1F",
    "1,5", "١٢", "²", "0.0000000001", "2147483648", "-2147483649", "1_000",
]  # fmt: skip
HOSTILE_PESELS = [
    "00000000000", "12345678901", "99999999999", "4405140135", "440514013580", "4405140135a",
    "４４０５１４０１３５８", "44051401358\x00", "44051401359",
]  # fmt: skip
HOSTILE_IDS = ["2000000000", "-1", "0", "99999999999999999999999", "abc", "1 OR 1=1", "\x00"]
EVERYTHING = HOSTILE_TEXT + HOSTILE_DATES + HOSTILE_NUMBERS + HOSTILE_PESELS + HOSTILE_IDS

free_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


def hostile_for(name: str, field) -> st.SearchStrategy:
    if isinstance(field, djforms.DateField | djforms.DateTimeField):
        typed = HOSTILE_DATES
    elif isinstance(field, djforms.IntegerField | djforms.DecimalField | djforms.FloatField):
        typed = HOSTILE_NUMBERS
    elif isinstance(field, djforms.ModelChoiceField | djforms.ChoiceField):
        typed = HOSTILE_IDS
    elif "pesel" in name:
        typed = HOSTILE_PESELS
    else:
        typed = HOSTILE_TEXT
    value = st.one_of(st.sampled_from(typed), st.sampled_from(EVERYTHING), free_text)
    if isinstance(field, djforms.MultipleChoiceField | djforms.ModelMultipleChoiceField):
        return st.lists(value, min_size=1, max_size=3)
    return value


# --- plausible values (so that a single hostile field reaches the service) -----------------------


def _first_choice(field):
    for value, label in field.choices:
        if isinstance(label, list | tuple):  # an optgroup
            for inner, _label in label:
                if inner not in ("", None):
                    return str(getattr(inner, "value", inner))
        elif value not in ("", None):
            return str(getattr(value, "value", value))
    return ""


def plausible(bound, invent: bool = True) -> object:
    """The page's own value for the field, else (with `invent`) a valid-looking one; None = leave
    it out. Extra forms of a formset invent nothing: left empty they are "unchanged" and ignored."""
    field = bound.field
    value = bound.value()
    if isinstance(field, djforms.FileField):
        return None
    if isinstance(field, djforms.BooleanField):
        return "on" if value else None
    if value not in (None, "", [], ()):
        if isinstance(value, list | tuple):
            return [str(v) for v in value]
        if isinstance(value, dt.datetime):
            return (
                timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
                if timezone.is_aware(value)
                else (value.strftime("%Y-%m-%dT%H:%M"))
            )
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)
    if not field.required or not invent:
        return None
    if isinstance(field, djforms.ModelMultipleChoiceField):
        first = field.queryset.first()
        return [str(first.pk)] if first else None
    if isinstance(field, djforms.ModelChoiceField):
        first = field.queryset.first()
        return str(first.pk) if first else None
    if isinstance(field, djforms.MultipleChoiceField):
        return [_first_choice(field)]
    if isinstance(field, djforms.ChoiceField):
        return _first_choice(field)
    if isinstance(field, djforms.DateTimeField):
        return timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    if isinstance(field, djforms.DateField):
        return timezone.localdate().isoformat()
    if isinstance(field, djforms.IntegerField | djforms.DecimalField | djforms.FloatField):
        return str(max(getattr(field, "min_value", None) or 1, 1))
    if isinstance(field, djforms.EmailField):
        return "jan.kowalski@example.invalid"
    return "Tekst próbny"


def fields_of(form_or_formset, invent: bool = True) -> list[tuple[str, object, object]]:
    """(POST key, form field, plausible value) of a form, or of every form of a formset with its
    management form."""
    if isinstance(form_or_formset, BaseFormSet):
        rows = fields_of(form_or_formset.management_form)
        for index, form in enumerate(form_or_formset.forms):
            rows += fields_of(form, invent=index < form_or_formset.initial_form_count())
        return rows
    return [(bound.html_name, bound.field, plausible(bound, invent)) for bound in form_or_formset]


def context_values(response) -> list:
    """Every value of every template context the response rendered."""
    contexts = response.context
    if contexts is None:
        return []
    if not isinstance(contexts, ContextList):
        contexts = [contexts]
    values = []
    for context in contexts:
        values += list(context.flatten().items())
    return values


def forms_in(response) -> list:
    """The forms and formsets of the page (a form of a formset, met while the template loops over
    it, is left to its formset)."""
    found = {}
    for _key, value in context_values(response):
        if isinstance(value, djforms.BaseForm | BaseFormSet) and id(value) not in found:
            found[id(value)] = value
    inner = set()
    for value in found.values():
        if isinstance(value, BaseFormSet):
            inner |= {id(form) for form in value.forms} | {id(value.management_form), id(value.empty_form)}
    return [value for key, value in found.items() if key not in inner]


@st.composite
def payloads(draw, rows):
    """The page's plausible form with one to five fields replaced by hostile values (so that the
    other fields are valid and the hostile one reaches validation, the service and the database)."""
    data = {key: value for key, _field, value in rows if value is not None}
    chosen = draw(st.lists(st.sampled_from(range(len(rows))), min_size=1, max_size=5, unique=True))
    for index in chosen:
        key, field, _value = rows[index]
        data[key] = draw(hostile_for(key.rsplit("-", 1)[-1], field))
    return data


def in_savepoint(run):
    """Run one example and undo it: every example starts from the same world."""
    with transaction.atomic():
        try:
            return run()
        finally:
            transaction.set_rollback(True)


# --- which pages ----------------------------------------------------------------------------------
def _new_pesel(day=dt.date(1985, 5, 5)):
    from families.codes import Sex
    from families.pesel import make_pesel

    return make_pesel(day, 7777, Sex.FEMALE)


# Form pages: GET shows the form(s), POST validates them. "data": values that make the page's
# plausible form valid, so that each hostile field travels as far as it can (a 302 without it).
FORM_PAGES = {
    "login": {"role": ANONYMOUS, "data": lambda w: {"username": "m_pracownik", "password": PASSWORD}},
    "password_change": {"data": lambda w: {"old_password": PASSWORD}},
    "password_reset": {"role": ANONYMOUS},
    "support_network:agreement_create": {
        "data": lambda w: {
            "parties": [str(w.mops.pk), str(w.pup.pk)],
            "deadline": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        }
    },
    "support_network:agreement_update": {},
    "support_network:meeting_create": {},
    "support_network:meeting_update": {},
    "families:family_create": {"data": lambda w: {"postal_code": "44-300", "gmina_teryt": "2415041"}},
    "families:family_edit": {},
    "families:person_create": {"data": lambda w: {"pesel": _new_pesel(), "birth_date": "1985-05-05", "sex": "K"}},
    "families:person_edit": {},
    "families:visit_create": {},
    "families:diagnosis_create": {},
    "families:assessment_create": {},
    "families:person_merge": {},
    "contracts:referral_create": {},
    "contracts:contract_create": {},
    "contracts:contract_edit": {},
    "contracts:contract_sign": {},
    "contracts:contract_refuse": {},
    "contracts:contract_amend": {},
    "contracts:contract_close": {},
    "contracts:evaluation_record": {},
    "contracts:group_create": {"data": lambda w: {"service": str(w.service.pk), "project": str(w.project.pk)}},
    "contracts:session_create": {"data": lambda w: {"starts_at": "09:00", "hours": "4", "trainer_name": "Jan Trener"}},
    "contracts:programme_create": {"data": lambda w: {"team": str(w.mgi_team.pk)}},
    "contracts:programme_edit": {"data": lambda w: {"team": str(w.mgi_team.pk)}},
    "reporting:participant_enrol": {
        "query": "osoba=brak",
        "data": lambda w: {
            "confirm": "on",
            "pesel": _new_pesel(),
            "birth_date": "1985-05-05",
            "sex": "K",
            "first_name": "Anna",
            "last_name": "Nowa",
        },
    },
    "reporting:participant_amend": {"data": lambda w: {"locality": "Rybnik", "reason": "Pomyłka przy wpisie"}},
    "reporting:participant_exit": {},
    "reporting:participant_outcome": {
        "data": lambda w: {
            "employment_form": "umowa_o_prace",
            "fte": "1",
            "planned_months": "12",
        }
    },
    "reporting:support_add": {"data": lambda w: {"form": "szkolenie/kurs", "start_date": "2018-02-01"}},
    "reporting:support_edit": {"data": lambda w: {"form": "szkolenie/kurs", "start_date": "2018-02-01"}},
    "reporting:placement_add": {
        "data": lambda w: {
            "kind": "internship",
            "employer": "Piekarnia",
            "planned_start": "2018-02-05",
            "planned_end": "2018-06-29",
            "hours_per_month": "120",
        }
    },  # fmt: skip
    "reporting:placement_end": {"data": lambda w: {"actual_end": "2018-06-29"}},
    "reporting:followup_talks": {
        "data": lambda w: {
            "party": "employer",
            "held_on": "2018-08-10",
            "spoke_with": "p. Nowak",
            "result": "still_employed",
        }
    },  # fmt: skip
    "reporting:indicator_settings": {},
    "reporting:report_list": {},
    "reporting:budget_line_add": {},
    "reporting:budget_line_edit": {},
    "reporting:expense_add": {},
    "reporting:expense_correct": {"data": lambda w: {"reason": "Pomyłka w numerze dokumentu"}},
    "reporting:expense_delete": {"data": lambda w: {"reason": "Dokument wpisany dwa razy"}},
}
# POST-able pages that are not a form of their own (with the reason).
NON_FORM_PAGES = {
    "home": "ignores the body",
    "families:caseload": "its search POST only stores the text behind a token and redirects (test_search_in_urls)",
    "password_reset_confirm": "an invalid link shows no form; Django's SetPasswordForm is password_change's",
    "mfa_verify": "a verified session is sent on; the code form: tests/support_network/test_mfa.py",
    "mfa_setup": "a verified session is sent on; the code form: tests/support_network/test_mfa.py",
    "mfa_manage": "a page; its forms post to mfa_new_codes and mfa_remove_passkey (ACTION_FORMS)",
    "support_network:catalogue": "a list (GET filters are fuzzed)",
    "support_network:agreement_list": "a list",
    "support_network:agreement_scan": "a download",
    "support_network:team_list": "a list",
    "support_network:team_detail": "a page; its meeting forms have their own URLs",
    "contracts:referral_sent": "a list",
    "contracts:referral_inbox": "a list",
    "contracts:referral_detail": "its action forms post to the action URLs (ACTION_FORMS)",
    "contracts:contract_list": "a list",
    "contracts:group_list": "a list",
    "contracts:group_detail": "its forms post to group_enrol and enrolment_rating (ACTION_FORMS)",
    "contracts:group_pdf": "a download",
    "contracts:session_detail": "its forms post to session_attendance and session_signed_list (ACTION_FORMS)",
    "contracts:session_pdf": "a download",
    "contracts:session_signed_list_file": "a download",
    "contracts:contract_detail": "its action forms post to the action URLs (ACTION_FORMS)",
    "contracts:contract_pdf": "a download",
    "contracts:reminders": "a list",
    "contracts:programme_list": "a list",
    "contracts:programme_queue": "a list",
    "contracts:programme_detail": "its action forms post to the action URLs (ACTION_FORMS)",
    "reporting:participant_projects": "a list",
    "reporting:participant_list": "a list",
    "reporting:participant_import": "a file upload: test_import_page_* below",
    "reporting:participant_import_preview": "a preview of a stored upload: tests/reporting/test_import_preview.py",
    "reporting:participant_import_commit": "commits a stored upload: tests/reporting/test_import_preview.py",
    "reporting:participant_import_cancel": "forgets a stored upload: tests/reporting/test_import_preview.py",
    "reporting:participant_import_template": "a download",
    "reporting:participant_export": "a download: test_export_* below",
    "reporting:participant_detail": "its action forms post to the action URLs",
    "reporting:followups": "a list; its form posts to followup_done (ACTION_FORMS)",
    "reporting:project_list": "a list",
    "reporting:dashboard": "a page",
    "reporting:indicators": "a page with a GET period form (GET parameters are fuzzed)",
    "reporting:indicator_figures": "the indicator page's tables counted now (GET parameters are fuzzed)",
    "reporting:indicator_drilldown": "a list",
    "reporting:budget": "its forms post to budget_line_add / expense_add",
    "reporting:outcome_queue": "a list; its form posts to outcome_decide (ACTION_FORMS)",
    "support_network:notification_list": "a list; its forms post to notification_read / _read_all / _settings",
    "bench_trivial": "a benchmark baseline",
    "bench_list": "a benchmark baseline",
}
# POST-only actions: the form each one validates (instantiated like the page does), or None.
ACTION_FORMS = {
    "logout": None,
    "session_keep_alive": None,
    "mfa_new_codes": None,
    "otp_webauthn:credential-registration-begin": None,
    "otp_webauthn:credential-registration-complete": None,
    "otp_webauthn:credential-authentication-begin": None,
    "otp_webauthn:credential-authentication-complete": None,
    "support_network:notification_read": None,
    "support_network:notification_read_all": None,
    "support_network:notification_settings": None,
    "reporting:outcome_decide": None,
    "reporting:participant_confirm_start": None,
    "contracts:referral_send": None,
    "contracts:referral_delete": None,
    "contracts:referral_accept": lambda: AcceptForm(),
    "contracts:referral_reject": lambda: ReasonForm(prefix="reject"),
    "contracts:referral_start": None,
    "contracts:referral_attendance": lambda: AttendanceForm(),
    "contracts:referral_outcome": lambda: ReferralOutcomeForm(),
    "contracts:referral_drop": lambda: ReasonForm(prefix="drop"),
    "contracts:contract_action_done": lambda: DoneForm(),
    "contracts:group_enrol": lambda: EnrolForm(referrals=Referral.objects.none(), persons=Person.objects.none()),
    "contracts:session_attendance": lambda: _raw_fields("present"),
    "contracts:session_signed_list": lambda: SignedListForm(),
    "contracts:enrolment_rating": lambda: RatingForm(),
    "contracts:programme_submit": lambda: _raw_fields("lock_version"),
    "contracts:programme_decide": lambda: DecisionForm(initial={"version": 1}),
    "contracts:programme_start": None,
    "contracts:programme_complete": lambda: CompleteForm(),
    "contracts:programme_action_done": lambda: DoneForm(),
    "reporting:outcome_delete": None,
    "reporting:support_delete": None,
    "reporting:followup_done": lambda: FollowUpDoneForm(),
    "reporting:report_retry": None,
    "reporting:report_submit": lambda: ReportSubmitForm(),
}
ROLE_PREFERENCE = (
    "social_worker", "manager", "coordinator", "partner", "mgi_member", "administrator", "auditor", ANONYMOUS,
)  # fmt: skip


class _raw_fields(djforms.Form):  # noqa: N801 - a stand-in form for a view that reads request.POST itself
    def __init__(self, *names):
        super().__init__()
        for name in names:
            self.fields[name] = djforms.IntegerField(required=False)


def poster(roles) -> str:
    return next(role for role in ROLE_PREFERENCE if role in roles)


def test_every_postable_page_is_classified():
    postable = {name for name, row in TABLE.items() if row.post}
    classified = set(FORM_PAGES) | set(NON_FORM_PAGES) | set(ACTION_FORMS)
    assert not postable - classified, f"classify in tests/test_hostile_input.py: {sorted(postable - classified)}"
    assert not set(FORM_PAGES) - postable and not set(ACTION_FORMS) - postable


def _client_as(client, world, role):
    if role != ANONYMOUS:
        client.force_login(world.users[role], backend="support_network.backends.StaffBackend")
    return client


def _post_and_check(client, url, data, where):
    before = fingerprint()
    response = client.post(url, data)
    status = response.status_code
    assert status < 500, f"{where}: {status} for {sorted(data)}"
    if not 300 <= status < 400:
        changed = changed_tables(before, fingerprint())
        assert not changed, f"{where}: answered {status} but changed {changed} (half-saved)"
    return response


def _form_page(world, client, name):
    """(url, role, [(POST key, field, plausible value)]) of a form page, fetched as its poster."""
    row = TABLE[name]
    role = FORM_PAGES[name].get("role") or poster(row.post & row.get)
    url = url_for(world, name, row)
    if extra := FORM_PAGES[name].get("query"):
        url += ("&" if "?" in url else "?") + extra
    _client_as(client, world, role)
    page = client.get(url)
    assert page.status_code == 200, f"{name}: GET as {role} answered {page.status_code}"
    found = forms_in(page)
    assert found, f"{name}: no form in the page context"
    overrides = FORM_PAGES[name].get("data", lambda w: {})(world)
    rows = [(key, field, overrides.get(key, value)) for form in found for key, field, value in fields_of(form)]
    return url, role, rows


# no merge candidate in the world: the plausible form has nothing to choose
NOT_ACCEPTED_AS_IS = {"families:person_merge"}


@pytest.mark.parametrize("name", sorted(set(FORM_PAGES) - NOT_ACCEPTED_AS_IS))
def test_the_plausible_form_of_every_form_page_is_accepted(world, db, client, name):
    """The baseline of the fuzzing is a valid form, so a hostile field reaches the service."""
    url, role, rows = _form_page(world, client, name)
    data = {key: value for key, _field, value in rows if value is not None}
    response = in_savepoint(lambda: client.post(url, data))
    assert response.status_code == 302, f"{name} as {role}: the plausible form was refused"


@pytest.mark.parametrize("name", sorted(FORM_PAGES))
def test_form_pages_survive_hostile_values(world, db, client, name):
    url, role, rows = _form_page(world, client, name)

    @HYPOTHESIS
    @given(data=payloads(rows))
    def check(data):
        in_savepoint(lambda: _post_and_check(client, url, data, f"POST {name} as {role}"))

    check()


@pytest.mark.parametrize("name", sorted(n for n, f in ACTION_FORMS.items() if f is not None))
def test_actions_survive_hostile_values(world, db, client, name):
    row = TABLE[name]
    role = poster(row.post)
    url = url_for(world, name, row)
    _client_as(client, world, role)
    rows = fields_of(ACTION_FORMS[name]())

    @HYPOTHESIS
    @given(data=payloads(rows), next_=st.sampled_from(["", "detail", "//evil.example/", "\x00"]))
    def check(data, next_):
        data = {**data, "next": next_} if name == "reporting:followup_done" else data
        in_savepoint(lambda: _post_and_check(client, url, data, f"POST {name} as {role}"))

    check()


# GET parameters the pages read, plus every field of a page's filter form.
QUERY_PARAMS = [
    "q", "stan", "strona", "page", "pokaz", "from", "to", "part", "sex", "format", "archiwalne", "projekt",
    "osoba", "rodzaj", "wersja", "relation", "family", "person", "service", "instrument", "next", "szukaj",
]  # fmt: skip


@pytest.mark.parametrize("name", sorted(n for n, row in TABLE.items() if row.get - {ANONYMOUS}))
def test_get_pages_survive_hostile_query_parameters(world, db, client, name):
    row = TABLE[name]
    role = poster(row.get - {ANONYMOUS}) if row.get - {ANONYMOUS} else ANONYMOUS
    url = url_for(world, name, row)
    _client_as(client, world, role)
    page = client.get(url)
    params = list(QUERY_PARAMS)
    for key, value in context_values(page):
        if key == "filter" and hasattr(value, "form"):
            params += [bound.html_name for bound in value.form]
    base = dict(p.split("=", 1) for p in url.split("?", 1)[1].split("&")) if "?" in url else {}
    path = url.split("?", 1)[0]

    @settings(HYPOTHESIS, max_examples=10)
    @given(query=st.dictionaries(st.sampled_from(params), st.one_of(st.sampled_from(EVERYTHING), free_text),
                                 min_size=1, max_size=4))  # fmt: skip
    def check(query):
        def run():
            before = fingerprint()
            response = client.get(path, {**base, **query})
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
            assert response.status_code < 500, f"GET {name} as {role} with {query!r}: {response.status_code}"
            assert not changed_tables(before, fingerprint()), f"GET {name} with {query!r} changed the database"

        in_savepoint(run)

    check()


# --- imports ------------------------------------------------------------------------------------


def _good_row(n, pesel):
    return {
        L.H_KIND: "indywidualny", L.H_FIRST_NAME: "Jan", L.H_LAST_NAME: f"Importowany{n}", L.H_PESEL: pesel,
        L.H_NO_PESEL: "Nie", L.H_SEX: "mężczyzna", L.H_EDUCATION: "gimnazjalne (ISCED 2)", L.H_START: "2018-03-01",
        L.H_STATUS: "osoba bezrobotna zarejestrowana w ewidencji urzędów pracy",
        L.H_STATUS_DETAIL: "osoba długotrwale bezrobotna", L.H_DISABILITY: "Nie",
        L.H_MINORITY: "Odmowa podania informacji", L.H_HOMELESS: "Nie", L.H_OTHER_DISADVANTAGE: "Nie",
        L.H_AT_RISK: "Tak", L.H_POSTAL_CODE: "44-300", L.H_LOCALITY: "Wodzisław Śląski",
    }  # fmt: skip


def _pesels():
    from families.codes import Sex
    from families.pesel import make_pesel

    return [make_pesel(dt.date(1981, 4, 2), 9000 + n, Sex.MALE) for n in range(3)]


CELL_FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(1)", "@x", "-1+1", '=HYPERLINK("http://127.0.0.1/")', "\t=1"]
hostile_cell = st.one_of(
    st.sampled_from(HOSTILE_TEXT + HOSTILE_DATES + HOSTILE_NUMBERS + HOSTILE_PESELS + CELL_FORMULAS),
    st.sampled_from(["31.04.2020", "2023-02-30", "0000-00-00", "1.1.10000", "45000", "-45000", "1e400"]),
    free_text,
)


def import_file(rows, as_xlsx):
    if as_xlsx:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.append(list(L.HEADERS))
        for values in rows:
            sheet.append([values.get(h, "") for h in L.HEADERS])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue(), "uczestnicy.xlsx"
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(L.HEADERS)
    for values in rows:
        writer.writerow([values.get(h, "") for h in L.HEADERS])
    return out.getvalue().encode("utf-8"), "uczestnicy.csv"


def import_case():
    return st.tuples(
        st.dictionaries(st.sampled_from(L.HEADERS), hostile_cell, min_size=1, max_size=6),
        st.integers(min_value=0, max_value=2),  # which of the three rows is hostile
        st.booleans(),
    )


def _build_import(world, cells, which, as_xlsx):
    rows = [_good_row(n, pesel) for n, pesel in enumerate(_pesels())]
    rows[which].update(cells)
    try:
        return import_file(rows, as_xlsx)
    except Exception:  # noqa: BLE001 - openpyxl refuses some control characters itself: no file to import
        return None


def _stored_text_is_plain(project):
    for participation in Participation.objects.filter(project=project):
        for value in (participation.first_name, participation.last_name, participation.locality):
            assert not value.startswith("'"), "the neutralising apostrophe of an export came back in"
            assert "\x00" not in value


@HYPOTHESIS
@given(case=import_case())
def test_import_page_is_all_or_nothing_with_hostile_cells(world, db, client, case):
    cells, which, as_xlsx = case
    built = _build_import(world, cells, which, as_xlsx)
    if built is None:
        return
    content, filename = built
    url = reverse("reporting:participant_import", args=[world.project.pk])
    _client_as(client, world, "manager")

    def run():
        before = Participation.objects.count()
        snapshot = fingerprint()
        response = client.post(url, {"file": SimpleUploadedFile(filename, content)})
        assert response.status_code in (302, 422), response.status_code
        if response.status_code == 422:  # the file as a whole was refused: nothing kept
            assert not changed_tables(snapshot, fingerprint()), "a refused file saved something"
            return
        assert client.get(response.url).status_code == 200  # the preview
        assert _imported_tables(snapshot) == [UPLOADS_TABLE], "the preview saved something"
        committed = client.post(response.url + "zatwierdz/")
        assert committed.status_code in (302, 409, 422), committed.status_code
        if committed.status_code == 302:
            assert Participation.objects.count() == before + 3
            _stored_text_is_plain(world.project)
        else:
            assert _imported_tables(snapshot) == [UPLOADS_TABLE], "a refused import saved something"

    in_savepoint(run)


UPLOADS_TABLE = "reporting_participantupload"


def _imported_tables(snapshot) -> list[str]:
    return changed_tables(snapshot, fingerprint())


# --- hostile files: a decompression bomb, oversized CSVs (issue 11, finding 5) --------------------


def _bomb(inflated_mb):
    from bench.xlsx_bomb import bomb_bytes

    return bomb_bytes(inflated_mb * 1024 * 1024)


def _hostile_files():
    header = ";".join(L.HEADERS).encode()
    return {
        "xlsx bomb (200 MB in ~450 KB)": ("bomba.xlsx", _bomb(200), "przed rozpakowaniem"),
        "xlsx bomb by ratio (40 MB in ~90 KB)": ("bomba.xlsx", _bomb(40), "skompresowana"),
        "csv with a 1 MB line": ("long.csv", header + b"\n" + b"A" * 1_000_000 + b"\n", "znaków (najwyżej"),
        "csv with 50,000 fields": ("wide.csv", header + b"\n" + b";" * 50_000 + b"\n", "kolumn (najwyżej"),
        "csv over 10 MB": ("big.csv", header + (b"\n" + b"x;" * 60) * 90_000, "za duży"),
    }


@pytest.mark.parametrize("case", list(_hostile_files()))
def test_bombs_and_oversized_files_are_refused_with_a_message_before_parsing(world, db, client, tmp_path, case):
    filename, content, expected = _hostile_files()[case]
    _client_as(client, world, "manager")
    url = reverse("reporting:participant_import", args=[world.project.pk])

    def run():
        snapshot = fingerprint()
        if len(content) > 10 * 1024 * 1024:  # above the form's limit: the command reads it
            path = tmp_path / filename
            path.write_bytes(content)
            err = io.StringIO()
            with pytest.raises(CommandError):
                call_command("import_participants", str(path), "--project", world.project.agreement_number,
                             "--commit", stdout=io.StringIO(), stderr=err)  # fmt: skip
            assert expected in err.getvalue()
        else:
            response = client.post(url, {"file": SimpleUploadedFile(filename, content)})
            assert response.status_code == 422
            assert expected in response.content.decode()
        assert not changed_tables(snapshot, fingerprint())

    in_savepoint(run)


@HYPOTHESIS
@given(case=import_case())
def test_import_command_is_all_or_nothing_with_hostile_cells(world, db, tmp_path_factory, case):
    cells, which, as_xlsx = case
    built = _build_import(world, cells, which, as_xlsx)
    if built is None:
        return
    content, filename = built
    path = tmp_path_factory.mktemp("import") / filename
    path.write_bytes(content)

    def run():
        before = Participation.objects.count()
        snapshot = fingerprint()
        try:
            call_command("import_participants", str(path), "--project", world.project.agreement_number, "--commit",
                         stdout=io.StringIO(), stderr=io.StringIO())  # fmt: skip
        except CommandError:
            assert not changed_tables(snapshot, fingerprint()), "a refused import saved something"
        else:
            assert Participation.objects.count() == before + 3
            _stored_text_is_plain(world.project)

    in_savepoint(run)


# --- exports ------------------------------------------------------------------------------------


@HYPOTHESIS
@given(
    formula=st.sampled_from(CELL_FORMULAS + ["=1+1", "+48 600 100 200", "-5", "@SUM(A1:A2)", "\r=1"]),
    column=st.sampled_from(["first_name", "last_name", "locality", "phone", "email"]),
    fmt=st.sampled_from(["csv", "xlsx"]),
)
def test_exports_never_hand_a_spreadsheet_a_formula(world, db, client, formula, column, fmt):
    _client_as(client, world, "manager")

    def run():
        Participation.objects.filter(pk=world.participation.pk).update(**{column: formula})
        response = client.get(reverse("reporting:participant_export", args=[world.project.pk]), {"format": fmt})
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        if fmt == "csv":
            cells = [cell for line in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
                     for cell in line]  # fmt: skip
            flat = " ".join(formula.splitlines())  # one physical line per record: line breaks become spaces
            assert (flat if flat.startswith(" ") else "'" + flat) in cells, "the value is exported, neutralised"
            assert not [c for c in cells if c.startswith(FORMULA_PREFIXES)], "a cell a spreadsheet would run"
        else:
            sheet = openpyxl.load_workbook(io.BytesIO(content)).active
            cells = [cell for row in sheet.iter_rows() for cell in row]
            assert not [c.coordinate for c in cells if c.data_type == "f"], "a formula cell in the XLSX"

            def plain(value):  # XML keeps no bare CR: compare without line breaks
                return str(value).replace("\r", "").replace("\n", "")

            assert plain(formula) in [plain(c.value) for c in cells], "the value is exported as text"

    in_savepoint(run)


# --- stored markup: escaped on pages, literal in PDFs, and never fetched --------------------------

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip


def _store(world, text):
    """The text in a family note (the needs diagnosis), a visit note, a programme goal, a contract
    goal and a referral reason."""
    world.diagnosis.__class__.objects.filter(pk=world.diagnosis.pk).update(problems=text)
    world.visit.__class__.objects.filter(pk=world.visit.pk).update(notes=text)
    world.programme_submitted.goals.update(text=text)
    world.contract_signed.goals.update(text=text)
    world.referral_sent.__class__.objects.filter(pk=world.referral_sent.pk).update(reason=text)


def test_stored_script_is_escaped_on_every_page_that_shows_it(world, db, client):
    _store(world, SCRIPT)
    pages = {
        "social_worker": [
            reverse("families:family_detail", args=[world.family.pk]),
            reverse("contracts:programme_detail", args=[world.programme_submitted.pk]),
            reverse("contracts:contract_detail", args=[world.contract_signed.pk]),
            reverse("contracts:referral_detail", args=[world.referral_sent.pk]),
        ],
        "coordinator": [reverse("contracts:programme_detail", args=[world.programme_submitted.pk])],
        "partner": [reverse("contracts:referral_detail", args=[world.referral_sent.pk])],
    }
    for role, urls in pages.items():
        _client_as(client, world, role)
        for url in urls:
            html = client.get(url).content.decode()
            assert ESCAPED in html, f"{url} as {role}: the stored text is not shown"
            assert "<script>alert" not in html, f"{url} as {role}: stored markup is live"


def test_stored_script_is_printed_literally_in_the_contract_and_report_pdfs(world, db, client, tmp_path):
    from reporting.models import BudgetLine
    from reporting.services.reports import report_pdf_bytes

    _store(world, SCRIPT)
    world.contract_signed.__class__.objects.filter(pk=world.contract_signed.pk).update(main_goal=SCRIPT)
    _client_as(client, world, "social_worker")
    response = client.get(reverse("contracts:contract_pdf", args=[world.contract_signed.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert pdf_text(response.content, tmp_path).count(SCRIPT) >= 2  # the main goal and a goal
    BudgetLine.objects.filter(pk=world.budget_line.pk).update(category=SCRIPT)
    data = report_pdf_bytes(project=world.project, date_from=dt.date(2018, 1, 1), date_to=dt.date(2018, 12, 31))
    assert SCRIPT in pdf_text(data, tmp_path)


@pytest.fixture
def counting_server():
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(b"\x89PNG\r\n\x1a\n")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()
    server.server_close()


def test_contract_pdf_fetches_no_url_named_by_user_content(world, db, client, counting_server, tmp_path):
    port, hits = counting_server
    markup = (
        f'<img src="http://127.0.0.1:{port}/x"><link rel="stylesheet" href="http://127.0.0.1:{port}/s.css">'
        '<img src="file:///etc/passwd">'
    )
    _store(world, markup)
    world.contract_signed.__class__.objects.filter(pk=world.contract_signed.pk).update(main_goal=markup)
    world.contract_signed.actions.update(description=markup)
    _client_as(client, world, "social_worker")
    response = client.get(reverse("contracts:contract_pdf", args=[world.contract_signed.pk]))
    assert response.status_code == 200
    text = pdf_text(response.content, tmp_path)
    assert hits == [], f"the PDF renderer fetched {hits}"
    assert f"http://127.0.0.1:{port}/x" in text and "root:" not in text  # printed as text, not loaded
    # the programme goal (shown on the programme page, in no PDF) is escaped there, never loaded
    html = client.get(reverse("contracts:programme_detail", args=[world.programme_submitted.pk])).content.decode()
    assert f"&lt;img src=&quot;http://127.0.0.1:{port}/x&quot;&gt;" in html
    assert '<img src="http://127.0.0.1' not in html
    assert hits == []
