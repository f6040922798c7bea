"""The group page's tables and checkboxes written by `contracts.templatetags.session_tags` are the
HTML the template's loops wrote (kept below as they were), hostile values escaped alike, in Polish
and English, for a runner (the rating forms) and a reader, and for empty lists."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from contracts.selectors.sessions import ParticipantRow
from contracts.services.referrals import referral_accept
from contracts.services.sessions import group_create, group_enrol
from tests.contracts import referral_factories as fixtures
from tests.contracts.test_page_shortcuts import sent
from tests.families.factories import PersonFactory

family = fixtures.family
workshop = fixtures.workshop

HOSTILE = "<script>alert('x')</script> & \"O'Brien\""

FORMER_SESSIONS = """{% load i18n %}{% for session in sessions %}
    <tr><th scope="row"><a href="{% url 'contracts:session_detail' session.pk %}">{{ session.held_on|date:"d.m.Y" }} {{ session.starts_at|time:"H:i" }}</a></th>
      <td>{{ session.topic }}</td><td>{{ session.trainer_label }}</td><td>{{ session.place }}</td>
      <td class="text-end">{{ session.hours|floatformat:"-2" }}</td><td class="text-end">{{ session.present }}</td></tr>
  {% empty %}
    <tr><td colspan="6" class="text-body-secondary">{% translate "Nie zaplanowano jeszcze zajęć." %}</td></tr>
  {% endfor %}"""  # noqa: E501

FORMER_PARTICIPANTS = """{% load i18n session_tags %}{% translate "skierowanie" as word_referral %}{% translate "poniżej wymaganej" as word_below %}{% translate "Ocena uczestnika" as word_rating %}{% translate "Zapisz" as word_save %}{% for row in rows %}
    <tr{% if row.below %} class="table-warning"{% endif %}><th scope="row">{{ row.enrolment.person.last_name }} {{ row.enrolment.person.first_name }}{% if row.enrolment.referral %} <a class="small" href="{{ row.referral_url }}">{{ word_referral }}</a>{% endif %}</th>
      <td class="text-end">{{ row.sessions }}</td><td class="text-end">{{ row.hours|floatformat:"-2" }}</td>
      <td class="text-end">{% if row.rate is None %}—{% else %}{{ row.rate|floatformat:1 }} %{% endif %}{% if row.below %} <span class="badge text-bg-warning">{{ word_below }}</span>{% endif %}</td>
      <td>{% if can_run %}<form method="post" action="{{ row.rating_url }}" class="d-flex gap-1">{% csrf_token %}
          <label class="visually-hidden" for="rating-{{ row.enrolment.pk }}">{{ word_rating }}</label>
          <select class="form-select form-select-sm" name="rating" id="rating-{{ row.enrolment.pk }}">{{ row.enrolment.rating|rating_options }}</select>
          <button class="btn btn-sm btn-outline-secondary" type="submit">{{ word_save }}</button></form>
        {% else %}{{ row.enrolment.rating|default:"—" }}{% endif %}</td></tr>
  {% empty %}
    <tr><td colspan="5" class="text-body-secondary">{% translate "Nikt nie jest jeszcze zapisany." %}</td></tr>
  {% endfor %}"""  # noqa: E501

FORMER_ATTENDANCE = """{% load i18n %}{% for enrolment in enrolments %}
    <tr><td>{{ forloop.counter }}</td><th scope="row"><label for="present-{{ enrolment.pk }}">{{ enrolment.person.last_name }} {{ enrolment.person.first_name }}</label></th>
      <td><input class="form-check-input" type="checkbox" name="present" value="{{ enrolment.pk }}" id="present-{{ enrolment.pk }}"{% if enrolment.present %} checked{% endif %}{% if not can_run %} disabled{% endif %}></td></tr>
  {% empty %}
    <tr><td colspan="3" class="text-body-secondary">{% translate "Nikt nie jest jeszcze zapisany do grupy." %}</td></tr>
  {% endfor %}"""  # noqa: E501

FORMER_CHECKBOXES = """{% for value, label in choices %}
          <div class="form-check">
            <input type="checkbox" class="form-check-input" name="{{ field.html_name }}" value="{{ value }}" id="{{ field.auto_id }}_{{ forloop.counter0 }}">
            <label for="{{ field.auto_id }}_{{ forloop.counter0 }}" class="form-check-label">{{ label }}</label>
          </div>
        {% endfor %}"""  # noqa: E501


def _render(source, **context):
    return engines["django"].from_string(source).render(context)


def _sessions():
    trainer = SimpleNamespace(pk=7, held_on=dt.date(2024, 4, 2), starts_at=dt.time(9, 5), topic=HOSTILE,
                              trainer_label=HOSTILE, place=HOSTILE, hours=Decimal("2.50"), present=12)  # fmt: skip
    whole = SimpleNamespace(pk=12345, held_on=dt.date(2025, 12, 31), starts_at=dt.time(17, 30), topic="Zajęcia",
                            trainer_label="", place="Sala", hours=Decimal("3.00"), present=0)  # fmt: skip
    return [trainer, whole]


def _rows():
    def row(pk, name, referral, rating, rate, below):
        person = SimpleNamespace(last_name=name, first_name=HOSTILE)
        enrolment = SimpleNamespace(pk=pk, person=person, referral=referral, rating=rating)
        return ParticipantRow(enrolment, Decimal("12.5"), 3, rate, below, referral_url=f"/r/{pk}/?a=1&b=\"",
                              rating_url=f"/o/{pk}/?a=1&b=\"")  # fmt: skip

    return [
        row(1, HOSTILE, object(), 4, Decimal("62.5"), True),
        row(23456, "Nowak", None, None, None, False),
        row(3, "Zając", object(), 5, Decimal("100.0"), False),
    ]


@pytest.mark.parametrize("language", ["pl", "en"])
def test_the_session_rows_are_those_the_template_wrote(language):
    with translation.override(language):
        for sessions in (_sessions(), []):
            former = _render(FORMER_SESSIONS, sessions=sessions)
            assert _render("{% load session_tags %}{% session_rows sessions %}", sessions=sessions) == former
    assert "<script>" not in former


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("can_run", [True, False])
def test_the_participant_rows_are_those_the_template_wrote(language, can_run):
    with translation.override(language):
        for rows in (_rows(), []):
            context = {"rows": rows, "can_run": can_run, "csrf_token": "t0k3n"}
            former = _render(FORMER_PARTICIPANTS, **context)
            assert _render("{% load session_tags %}{% participant_rows rows can_run %}", **context) == former
    assert "<script>" not in former


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("can_run", [True, False])
def test_the_attendance_rows_are_those_the_template_wrote(language, can_run):
    person = SimpleNamespace(last_name=HOSTILE, first_name=HOSTILE)
    enrolments = [SimpleNamespace(pk=pk, person=person, present=present) for pk, present in ((1, True), (23456, False))]
    with translation.override(language):
        for listed in (enrolments, []):
            context = {"enrolments": listed, "can_run": can_run}
            former = _render(FORMER_ATTENDANCE, **context)
            assert _render("{% load session_tags %}{% attendance_rows enrolments can_run %}", **context) == former
    assert "<script>" not in former


def test_the_checkboxes_are_those_the_template_wrote():
    field = SimpleNamespace(html_name='referrals"&', auto_id="id_referrals")
    choices = [("1", HOSTILE), ("2", "Nowak Anna"), ('"3', "Zając")]
    for listed in (choices, []):
        former = _render(FORMER_CHECKBOXES, field=field, choices=listed)
        tag = _render("{% load session_tags %}{% checkbox_choices field choices %}", field=field, choices=listed)
        assert tag == former


def test_the_group_page_escapes_what_it_writes(client, social_worker, partner, family, workshop):
    group = group_create(by=partner, service=workshop, name="Warsztaty")
    persons = [PersonFactory(family=family, last_name=name) for name in (HOSTILE, "Nowak")]
    referrals = [sent(person, workshop, social_worker) for person in persons]
    for referral in referrals:
        referral_accept(referral=referral, by=partner)
    group_enrol(group=group, by=partner, referrals=referrals[:1])
    client.force_login(partner)
    page = client.get(reverse("contracts:group_detail", args=[group.pk])).content.decode()
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;O&#x27;Brien&quot;" in page
    assert page.count('name="rating"') == 1 and page.count('name="referrals"') == 1
