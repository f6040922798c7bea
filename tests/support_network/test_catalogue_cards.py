"""support_network/templatetags/catalogue_cards.py: a catalogue card built in Python is the HTML the
template gave (docs/performance/referrals.md)."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from support_network.models import Institution, Service

# The cards as the template spelled them before (the reference).
TEMPLATE_CARD = (Path(__file__).parent / "catalogue_card_before.html").read_text().removesuffix("\n")


def _service(pk, *, in_use=0, reserved=0, waiting=0, **fields):
    provider = Institution(pk=pk + 100, name=fields.pop("provider_name", "MOPS <Rybnik> & co"),
                           street=fields.pop("street", "ul. \"Długa\" 1"), locality=fields.pop("locality", ""),
                           phone=fields.pop("phone", ""))  # fmt: skip
    service = Service(pk=pk, provider=provider, **fields)
    service.places_in_use, service.places_reserved, service.waiting = in_use, reserved, waiting
    return service


def _services():
    return [
        _service(7, name="Terapia <rodzinna> & \"więcej\"", module="social", form="individual", unit="hour",
                 capacity=10, capacity_period="rok <2024>", in_use=3, reserved=2, waiting=4, is_active=True,
                 description="Opis & <b>", unit_cost=Decimal("45.50"), eligibility="Rodziny <x>",
                 legal_basis="art. 7 & 8", valid_from=dt.date(2024, 1, 1), valid_to=dt.date(2024, 12, 31),
                 locality="Rybnik", phone="32 <1>"),
        _service(12345, name="Bez limitu", module="activation", form="group", unit="session", capacity=None,
                 is_active=False, description="", unit_cost=Decimal("0"), eligibility="", legal_basis=""),
        _service(8, name="Pełna", module="not-a-module", form="group", unit="day", capacity=2, capacity_period="",
                 in_use=5, reserved=0, waiting=0, is_active=True, description="d", unit_cost=Decimal("1234.5"),
                 valid_to=dt.date(2025, 6, 30), phone="1"),
    ]  # fmt: skip


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("role", ["social_worker", "coordinator"])
def test_service_cards_are_the_templates_cards(language, role):
    with translation.override(language):
        context = {"page": _services(), "user_role": role}
        before = Template(TEMPLATE_CARD).render(Context(context))
        after = Template(
            "{% load catalogue_cards %}{% for service in page %}{% service_card service %}{% endfor %}"
        ).render(Context(context))
    assert after == before


def _holes(partial: str, service, role="social_worker"):
    from support_network.templatetags.catalogue_cards import _actions_with_holes, _filled  # noqa: PLC0415

    context = Context({"service": service, "user_role": role})
    template = Template(partial)
    with context.bind_template(template):
        kept = _actions_with_holes(context, service, template)
    return kept, (None if kept is None else _filled(kept, service)), template.render(context)


def test_the_actions_rendered_once_per_page_are_each_cards_own_with_hostile_names():
    partial = '<a href="/x?service={{ service.pk }}">{{ service.name }}<span> – {{ service.name }}</span></a>'
    service = _services()[0]  # Terapia <rodzinna> & "więcej"
    kept, filled, rendered = _holes(partial, service)
    assert kept is not None
    assert filled == rendered
    assert "&lt;rodzinna&gt; &amp; &quot;więcej&quot;" in filled
    other = _services()[1]
    assert _holes(partial, other)[1] == Template(partial).render(Context({"service": other}))


@pytest.mark.parametrize(
    "partial",
    [
        "{{ service.pk }} {{ service.capacity }}",  # reads more of the service than its id and name
        "{{ service.name|upper }}",  # changes the name: the stand-in does not come through
        "{{ service.name|truncatechars:3 }}",
    ],
)
def test_actions_that_read_more_than_the_id_and_name_are_rendered_for_each_card(partial):
    kept, _filled_html, _rendered = _holes(partial, _services()[0])
    assert kept is None


@pytest.mark.parametrize("language", ["pl", "en"])
def test_service_cards_follow_the_thousands_separator_setting(language, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    services = _services()
    services[0].capacity, services[0].places_in_use = 12345, 1234
    with translation.override(language):
        context = {"page": services, "user_role": "social_worker"}
        before = Template(TEMPLATE_CARD).render(Context(context))
        after = Template(
            "{% load catalogue_cards %}{% for service in page %}{% service_card service %}{% endfor %}"
        ).render(Context(context))
    assert after == before
    assert "12" + ("\xa0" if language == "pl" else ",") + "345" in after
