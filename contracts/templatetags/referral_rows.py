"""`{% referral_rows rows inbox %}`: the rows of the referral lists (sent, the partner's inbox), the
same HTML as a `{% for %}` over the rows with the cells in the template gave, built in Python with
each value localized and escaped as `{{ }}` does.

A page of 25 rows made the template engine resolve some 500 variables and filters (a quarter of the
page's CPU time, docs/performance/referrals.md). The rows come from `contracts.views.referrals`
with their link (`url`) and whether they are overdue (`overdue`) worked out."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

from contracts.models import ReferralStatus
from core.row_html import Words
from core.row_html import v as _v
from core.templatetags.cells import dmy

register = template.Library()

_WORDS = Words(
    {
        "nr": gettext_noop("Nr"),
        "person": gettext_noop("Osoba"),
        "service": gettext_noop("Usługa"),
        "status": gettext_noop("Status"),
        "due": gettext_noop("Termin odpowiedzi"),
        "hours": gettext_noop("Godziny"),
        "overdue": gettext_noop("brak odpowiedzi w terminie"),
        "sender": gettext_noop("Kierujący"),
        "provider": gettext_noop("Realizator"),
    }
)
_t = _WORDS.of  # the rows' fixed words in a language, escaped once


class _Page:
    """What the rows of one page share, worked out once per distinct value: the fixed words,
    the status badges (their label is a lazy translation) and the hours (`floatformat`)."""

    def __init__(self, t: dict, inbox: bool):
        self.t, self.inbox = t, inbox
        self._badges: dict[str, str] = {}
        self._hours: dict = {}

    def badge(self, r) -> str:
        badge = self._badges.get(r.status)
        if badge is None:
            badge = self._badges[r.status] = (
                f'<span class="badge status-{_v(r.status)} {_v(r.status_badge)}">{_v(r.get_status_display())}</span>'
            )
        return badge

    def hours(self, value) -> str:
        text = self._hours.get(value)
        if text is None:
            text = self._hours[value] = _v(floatformat(value, "-2"))
        return text


def _status(r, page: _Page) -> str:
    html = page.badge(r)
    if r.status == ReferralStatus.WAITING:
        position = gettext("pozycja %(n)s na liście rezerwowej") % {"n": _v(r.waiting_position)}
        html += f' <span class="small waiting-position">{position}</span>'
    if r.overdue:
        html += f' <span class="badge text-bg-danger overdue">{page.t["overdue"]}</span>'
    return html


def _last(r, inbox: bool) -> str:
    """The sender (the inbox) or the provider (the sender's list)."""
    if inbox:
        return _v(r.created_by.get_full_name() or r.created_by.username)
    return _v(r.institution)


def _row(r, page: _Page) -> str:
    t = page.t
    pk = _v(r.pk)
    person = r.person
    return (
        f'\n    <tr class="referral{" table-danger" if r.overdue else ""}" id="referral-{pk}">\n'
        f'      <td data-label="{t["nr"]}"><a href="{_v(r.url)}">#{pk}</a></td>\n'
        f'      <td data-label="{t["person"]}">{_v(person.last_name)} {_v(person.first_name)}</td>\n'
        f'      <td data-label="{t["service"]}">{_v(r.service.name)}</td>\n'
        f'      <td data-label="{t["status"]}">{_status(r, page)}</td>\n'
        f'      <td data-label="{t["due"]}">{dmy(r.answer_due) or "—"}</td>\n'
        f'      <td data-label="{t["hours"]}">{page.hours(r.hours_total)}</td>\n'
        f'      <td data-label="{t["sender" if page.inbox else "provider"]}">{_last(r, page.inbox)}</td>\n'
        "    </tr>\n  "
    )


@register.simple_tag
def referral_rows(rows, inbox: bool) -> SafeString:
    """The table rows of `rows` (a page of the list); the last cell the sender when `inbox`, else
    the provider."""
    page = _Page(_t(get_language()), bool(inbox))
    return mark_safe("".join(_row(r, page) for r in rows))  # noqa: S308 -- every value escaped
