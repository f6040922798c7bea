"""`{% service_card service %}`: a catalogue card, the same HTML as the card's markup in the
template gave, built in Python (the contracts room's actions are still its template).

A page of 25 cards made the template engine resolve and localize some 450 values (two thirds of the
page's CPU time, docs/performance.md "The frame and the lists"); the values are escaped and
localized as `{{ }}` did."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

from core.row_html import Words
from core.row_html import v as _v
from core.templatetags.cells import choice_label, dmy

register = template.Library()

_WORDS = Words(
    {
        "unit": gettext_noop("jednostka"),
        "inactive": gettext_noop("nieaktywna"),
        "free": gettext_noop("Wolne miejsca"),
        "no_limit": gettext_noop("bez limitu"),
        "of": gettext_noop("z"),
        "taken": gettext_noop("zajęte miejsca"),
        "more": gettext_noop("Opis, warunki i kontakt"),
        "cost": gettext_noop("Koszt jednostkowy"),
        "who": gettext_noop("Kto może skorzystać"),
        "legal": gettext_noop("Podstawa prawna"),
        "valid": gettext_noop("Obowiązuje"),
        "from": gettext_noop("od"),
        "to": gettext_noop("do"),
        "contact": gettext_noop("Kontakt"),
    }
)
_t = _WORDS.of  # the card's fixed words in a language, escaped once


def _places(service, t: dict) -> str:
    if service.capacity is None:
        return f"\n              {t['no_limit']}\n            "
    period = f" ({_v(service.capacity_period)})" if service.capacity_period else ""
    counts = gettext("w realizacji: %(used)s, czeka na odpowiedź: %(reserved)s") % {
        "used": _v(service.places_in_use),
        "reserved": _v(service.places_reserved),
    }
    if service.waiting:
        counts += " · " + gettext("lista rezerwowa: %(n)s") % {"n": _v(service.waiting)}
    return (
        f"\n              <strong>{_v(service.places_free)}</strong> {t['of']} {_v(service.capacity)}{period}\n"
        f'              <progress class="w-100 d-block" max="{_v(service.capacity)}" value="{_v(service.places_taken)}"'
        f' aria-label="{t["taken"]}"></progress>\n'
        f'              <span class="text-body-secondary d-none d-sm-inline">{counts}</span>\n            '
    )


def _details(service, t: dict, unit: str) -> str:
    description = f'<p class="card-text mt-2">{_v(service.description)}</p>' if service.description else ""
    cost = (
        f'<dt class="col-sm-4">{t["cost"]}</dt><dd class="col-sm-8">{_v(service.unit_cost)} zł / {unit}</dd>'
        if service.unit_cost
        else ""
    )
    who = (
        f'<dt class="col-sm-4">{t["who"]}</dt><dd class="col-sm-8">{_v(service.eligibility)}</dd>'
        if service.eligibility
        else ""
    )
    legal = (
        f'<dt class="col-sm-4">{t["legal"]}</dt><dd class="col-sm-8">{_v(service.legal_basis)}</dd>'
        if service.legal_basis
        else ""
    )
    valid = ""
    if service.valid_from or service.valid_to:
        start = f"{t['from']} {dmy(service.valid_from)}" if service.valid_from else ""
        end = f"{t['to']} {dmy(service.valid_to)}" if service.valid_to else ""
        valid = f'<dt class="col-sm-4">{t["valid"]}</dt><dd class="col-sm-8">{start} {end}</dd>'
    provider = service.provider
    contact = _v(provider.street)
    if provider.locality:
        contact += f", {_v(provider.locality)}"
    if provider.phone:
        contact += f", {_v(provider.phone)}"
    return (
        f'\n        <details class="small mb-2">\n          <summary>{t["more"]}</summary>\n'
        f'          {description}\n          <dl class="row mb-0">\n'
        f"          {cost}\n          {who}\n          {legal}\n          {valid}\n"
        f'          <dt class="col-sm-4">{t["contact"]}</dt><dd class="col-sm-8">{contact}</dd>\n'
        "          </dl>\n        </details>\n        "
    )


# The contracts room's actions on a card (support_network does not import contracts: a template).
ACTIONS = "contracts/referrals/partials/catalogue_actions.html"


@register.simple_tag(takes_context=True)
def service_card(context, service) -> SafeString:
    """The whole card: the markup above, then the actions rendered in the page's context as
    `{% include %}` renders them."""
    t = _t(get_language())
    pk = _v(service.pk)
    unit = conditional_escape(choice_label(service, "unit"))
    module = conditional_escape(choice_label(service, "module"))
    form = conditional_escape(choice_label(service, "form"))
    inactive = "" if service.is_active else f'<span class="badge text-bg-warning">{t["inactive"]}</span>'
    return mark_safe(  # noqa: S308 -- every value above is escaped
        f'\n  <div class="col">\n'
        f'    <article class="card h-100 service text-break" id="service-{pk}" aria-labelledby="service-{pk}-name">\n'
        f'      <div class="card-body">\n'
        f'        <h2 class="h5 card-title" id="service-{pk}-name">{_v(service.name)}</h2>\n'
        f'        <p class="card-subtitle mb-2 text-body-secondary">{_v(service.provider.name)}</p>\n'
        f'        <p class="mb-2">\n'
        f'          <span class="badge text-bg-secondary">{module}</span>\n'
        f'          <span class="badge text-bg-light border">{form}</span>\n'
        f'          <span class="badge text-bg-light border">{t["unit"]}: {unit}</span>\n'
        f"          {inactive}\n"
        f"        </p>\n"
        f'        <dl class="row small mb-2">\n'
        f'          <dt class="col-sm-4">{t["free"]}</dt>\n'
        f'          <dd class="col-sm-8 places">\n'
        f"            {_places(service, t)}\n"
        f"          </dd>\n"
        f"        </dl>{_details(service, t, unit)}"
        f"{context.template.engine.get_template(ACTIONS).render(context)}\n"
        "      </div>\n    </article>\n  </div>\n"
    )
