"""The shortcuts the referral lists and the group page take for speed show what the plain way
shows: the page's rows from the query compiled once, and the enrolment choices written without
crispy (docs/performance.md)."""

from html.parser import HTMLParser

from crispy_forms.utils import render_crispy_form
from django.template import engines
from django.urls import reverse

from contracts.forms.sessions import EnrolForm
from contracts.models import Referral
from contracts.selectors.referrals import referral_rows, rows_of_page
from contracts.services.referrals import referral_accept, referral_create, referral_send
from contracts.services.sessions import enrollable_persons, enrollable_referrals, group_create
from contracts.templatetags.session_tags import rating_options
from tests.contracts import referral_factories as fixtures
from tests.families.factories import PersonFactory

family = fixtures.family
workshop = fixtures.workshop


def sent(person, service, by):
    return referral_send(referral=referral_create(person=person, service=service, by=by, reason="Praca."), by=by)


def _facts(row):
    return (
        row.pk,
        row.status,
        row.answer_due,
        row.get_deferred_fields(),
        (row.person.pk, row.person.last_name, row.person.first_name, row.person.get_deferred_fields()),
        (row.service.name, row.institution.name, row.created_by.username),
        (row.waiting_position, row.hours_total),
    )


def test_the_page_rows_from_the_compiled_query_are_the_querysets_rows_in_the_order_asked(
    social_worker, partner, family, workshop
):
    referrals = [sent(PersonFactory(family=family), workshop, social_worker) for _ in range(3)]
    referral_accept(referral=referrals[1], by=partner)
    ids = [referrals[2].pk, referrals[0].pk, referrals[1].pk]
    for _ in range(2):  # the second call runs the query compiled by the first
        rows = rows_of_page(ids)
        plain = {row.pk: row for row in referral_rows(Referral.objects.filter(pk__in=ids))}
        assert [_facts(row) for row in rows] == [_facts(plain[pk]) for pk in ids]
    assert rows_of_page([]) == []


class _Checkboxes(HTMLParser):
    """(id, value, label text) of each checkbox named `name`."""

    def __init__(self, name):
        super().__init__()
        self.name, self.boxes, self.labels, self._label = name, [], {}, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") == self.name:
            self.boxes.append((attrs["id"], attrs["value"]))
        elif tag == "label":
            self._label = attrs.get("for")
            self.labels[self._label] = ""

    def handle_data(self, data):
        if self._label:
            self.labels[self._label] += data

    def handle_endtag(self, tag):
        if tag == "label":
            self._label = None


def _choices(html, name):
    parser = _Checkboxes(name)
    parser.feed(html)
    return [(box, value, parser.labels.get(box, "").strip()) for box, value in parser.boxes]


def test_the_enrolment_choices_are_those_crispy_renders(client, social_worker, partner, family, workshop):
    group = group_create(by=partner, service=workshop, name="Warsztaty")
    for name in ("Nowak0", "Nowak1", "<script>alert(1)</script>"):
        referral_accept(referral=sent(PersonFactory(family=family, last_name=name), workshop, social_worker),
                        by=partner)  # fmt: skip
    client.force_login(partner)
    page = client.get(reverse("contracts:group_detail", args=[group.pk])).content.decode()
    form = EnrolForm(referrals=enrollable_referrals(group), persons=group.enrolments.none())
    crispy = render_crispy_form(form)
    assert len(_choices(page, "referrals")) == 3
    assert _choices(page, "referrals") == _choices(crispy, "referrals")
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for text in ("Ze skierowań na tę usługę", "Pokazane są osoby znalezione wyszukiwarką"):
        assert text in page


def test_the_searched_persons_choices_are_those_crispy_renders(client, social_worker, partner, family, workshop):
    group = group_create(by=partner, service=workshop, name="Warsztaty")
    for name in ("Nowak", "Nowakowska", "<b>Nowak</b>"):
        referral_accept(referral=sent(PersonFactory(family=family, last_name=name), workshop, social_worker),
                        by=partner)  # fmt: skip
    client.force_login(partner)
    page = client.get(reverse("contracts:group_detail", args=[group.pk]), {"osoba": "nowak"}).content.decode()
    form = EnrolForm(
        referrals=enrollable_referrals(group),
        persons=enrollable_persons(group, partner).filter(last_name__contains="Nowak"),
    )
    crispy = render_crispy_form(form)
    for name in ("referrals", "persons"):
        assert len(_choices(page, name)) == 3
        assert _choices(page, name) == _choices(crispy, name)
    assert "<b>Nowak" not in page


FORMER_RATING_OPTIONS = (  # the group page's template before the options were written once per process
    '<option value="">—</option>{% for n in ratings %}<option value="{{ n }}"{% if n == rating %} selected{% endif %}>'
    "{{ n }}</option>{% endfor %}"
)


def test_the_rating_options_are_those_the_template_wrote():
    former = engines["django"].from_string(FORMER_RATING_OPTIONS)
    for rating in (None, 1, 2, 3, 4, 5):
        assert rating_options(rating) == former.render({"ratings": range(1, 6), "rating": rating})
    hostile = rating_options("<script>alert(1)</script>")
    assert "<script>" not in hostile and "selected" not in hostile
