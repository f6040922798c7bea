"""`{% participant_rows rows %}`: the participant list's table rows, the same HTML as the template's
`{% for %}` over the page with the cells in the template gave (the reference:
tests/reporting/participant_rows_before.html), built in Python with each value escaped as `{{ }}`
escapes it; the fixed words translated once per page (docs/performance/reporting.md)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_noop, ngettext

from core.row_html import Words
from core.templatetags.cells import choice_label, dmy, row_url

register = template.Library()

_WORDS = Words({"gaps": gettext_noop("braki danych"), "degurba": gettext_noop("bez DEGURBA")})


def _notes(p, t: dict, contacts: dict) -> str:
    """The "Uwagi" cell's badges: data gaps, no DEGURBA, open follow-ups."""
    gaps = t["gaps"] if not p.sex or not p.birth_date or not p.education or not p.labour_status else ""
    degurba = "" if p.degurba else t["degurba"]
    followups = ""
    if n := p.open_followups:
        if n not in contacts:  # the template's {% blocktranslate count counter=… %}
            text = ngettext("%(counter)s kontakt", "%(counter)s kontakty", n) % {"counter": n}
            contacts[n] = conditional_escape(text)
        followups = f'<span class="badge text-bg-info">{contacts[n]}</span>'
    return f"        {gaps}\n        {degurba}\n        {followups}\n"


def _row(p, t: dict, contacts: dict) -> str:
    e = conditional_escape
    age = "—" if p.age_at_start is None else p.age_at_start
    link = e(row_url(p.pk, "reporting:participant_detail"))
    return (
        "\n    <tr>\n"
        f"      <td>{p.pk}</td>\n"
        f'      <td><a href="{link}">{e(p.last_name)} {e(p.first_name)}</a></td>\n'
        f"      <td>{e(p.sex or '—')}</td>\n"
        f"      <td>{e(age)}</td>\n"
        f"      <td>{dmy(p.start_date) or '—'}</td>\n"
        f"      <td>{dmy(p.end_date) or '—'}</td>\n"
        f"      <td>{e(choice_label(p, 'labour_status') or '—')}</td>\n"
        f'      <td class="text-end">{p.outcome_count}</td>\n'
        "      <td>\n"
        f"{_notes(p, t, contacts)}"
        "      </td>\n"
        "    </tr>\n  "
    )


@register.simple_tag
def participant_rows(rows) -> SafeString:
    """The rows of `rows` (`reporting.selectors.participants.participant_list`'s, one page)."""
    words = _WORDS.active()
    t = {
        "gaps": f'<span class="badge text-bg-warning">{words["gaps"]}</span>',
        "degurba": f'<span class="badge text-bg-light">{words["degurba"]}</span>',
    }
    contacts: dict[int, str] = {}
    return mark_safe("".join(_row(p, t, contacts) for p in rows))  # noqa: S308 -- every value escaped
