"""`{% service_card service %}`: a catalogue card, the same HTML as the card's markup in the
template gave, built in Python (the contracts room's actions are still its template).

A page of 25 cards made the template engine resolve and localize some 450 values (two thirds of the
page's CPU time, docs/performance/referrals.md); the values are escaped and
localized as `{{ }}` did."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

from core.row_html import Words
from core.row_html import v as _v
from core.templatetags.cells import dmy
from support_network.models import Service

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


_CHOICES = ("unit", "module", "form")
_choices: dict[str | None, dict[str, dict]] = {}


def _choice_labels(language: str | None) -> dict[str, dict]:
    """The labels of the card's three choice fields in the active language, escaped once (what
    `choice_label` gives, without a `gettext` per card and field)."""
    labels = _choices.get(language)
    if labels is None:
        fields = {name: Service._meta.get_field(name) for name in _CHOICES}
        labels = _choices[language] = {
            name: {value: conditional_escape(label) for value, label in field.flatchoices}
            for name, field in fields.items()
        }
    return labels


def _label(labels: dict[str, dict], service, name: str) -> str:
    value = getattr(service, name)
    label = labels[name].get(value)
    return conditional_escape(value) if label is None else label


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
# Stand-ins for the card's id and name in the actions rendered once per page: private-use
# characters, which escaping leaves as they are.
_PK, _NAME = "\ue000pk\ue000", "\ue000name\ue000"


class _StandIn:
    """The service as the actions partial sees it when rendered once for the page: its id and name
    are the stand-ins; any other attribute it reads is noted (the card then renders the partial)."""

    pk = _PK
    name = _NAME

    def __init__(self):
        self.read: set[str] = set()

    def __getattr__(self, attribute):
        self.read.add(attribute)
        raise AttributeError(attribute)


def _actions_with_holes(context, service, partial) -> str | None:
    """The actions partial rendered once per page with the stand-ins, when that gives this card's
    actions exactly (checked on the page's first card) and reads nothing else of the service; else
    None. Rendering the partial per card was a third of the catalogue's template time
    (docs/performance/referrals.md)."""
    stand_in = _StandIn()
    with context.push(service=stand_in):
        html = partial.render(context)
    if stand_in.read or _filled(html, service) != partial.render(context):
        return None
    return html


def _filled(html: str, service) -> str:
    return html.replace(_PK, _v(service.pk)).replace(_NAME, _v(service.name))


def _actions(context, service) -> str:
    """The contracts room's actions of this card, as `{% include ACTIONS %}` renders them."""
    if _actions_with_holes not in context.render_context:  # the page's first card
        partial = context.template.engine.get_template(ACTIONS)
        context.render_context[_actions_with_holes] = _actions_with_holes(context, service, partial)
    kept = context.render_context[_actions_with_holes]
    if kept is None:
        return context.template.engine.get_template(ACTIONS).render(context)
    return _filled(kept, service)


@register.simple_tag(takes_context=True)
def service_card(context, service) -> SafeString:
    """The whole card: the markup above, then the actions rendered in the page's context as
    `{% include %}` renders them."""
    language = get_language()
    t, labels = _t(language), _choice_labels(language)
    pk = _v(service.pk)
    unit, module, form = (_label(labels, service, name) for name in _CHOICES)
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
        f"{_actions(context, service)}\n"
        "      </div>\n    </article>\n  </div>\n"
    )
