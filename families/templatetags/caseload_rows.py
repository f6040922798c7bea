"""`{% caseload_rows families can_create visit_label %}`: the caseload's table rows, the same HTML
as a `{% for %}` over the rows with the cells in the template gave, built in Python with each value
escaped as `{{ }}` escapes it.

A page of 25 rows made the template engine resolve some 700 variables and filters (about a third
of the page's CPU time, docs/performance/casework.md). The rows' links and phrases
come from `families.views._row_texts`."""

import html

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_noop

from core.row_html import Words
from core.templatetags.cells import choice_label, dmy

register = template.Library()


_WORDS = Words(
    {
        "next": gettext_noop("Następna wizyta"),
        "last": gettext_noop("Ostatnia wizyta"),
        "area": gettext_noop("Obszar"),
        "project": gettext_noop("Projekt"),
        "worker": gettext_noop("Pracownik / zespół"),
        "overdue": gettext_noop("zaległa"),
        "unset": gettext_noop("nie ustalono"),
        "no_members": gettext_noop("(bez członków)"),
    }
)
_labels = _WORDS.active  # the rows' fixed words in the active language, escaped once


def _next_visit(family, t: dict) -> str:
    if not family.next_visit_due:
        return f'<span class="text-body-secondary">{t["unset"]}</span>'
    if family.is_overdue:
        return f'{dmy(family.next_visit_due)} <span class="badge text-bg-danger">{t["overdue"]}</span>'
    return dmy(family.next_visit_due)


def _e(value) -> str:
    """`conditional_escape(value)`; a plain string (most cells) escaped directly, as `escape` does it
    but without its lazy-string wrapper (a tenth of the page's CPU for 250 cells)."""
    return html.escape(value) if type(value) is str else conditional_escape(value)


def _row(family, t: dict, visit_label) -> str:
    e = _e
    worker = family.social_worker.get_full_name() if family.social_worker_id else ""
    status = "" if family.status == "active" else f" · {e(choice_label(family, 'status'))}"
    team = f'<div class="small text-body-secondary">{e(family.team)}</div>' if family.team_id else ""
    visit = ""
    if visit_label is not None:
        visit = (
            f'<td data-label=""><a class="btn btn-sm btn-outline-primary" href="{e(family.visit_url)}">{visit_label}'
            f'<span class="visually-hidden">{e(family.visit_text)}</span></a></td>'
        )
    return (
        f'\n    <tr class="{"table-warning overdue" if family.is_overdue else ""}">\n'
        f'      <td data-label=""><a href="{e(family.detail_url)}">{e(family.head_name or t["no_members"])}</a>\n'
        f'        <div class="small text-body-secondary">{e(family.case_number)} · {e(family.members_text)}{status}'
        "</div></td>\n"
        f'      <td data-label="{t["next"]}">{_next_visit(family, t)}</td>\n'
        f'      <td class="d-none d-md-table-cell" data-label="{t["last"]}">{dmy(family.last_visit_on) or "—"}</td>\n'
        f'      <td class="d-none d-lg-table-cell" data-label="{t["area"]}">{e(family.area or "—")}</td>\n'
        f'      <td class="d-none d-lg-table-cell" data-label="{t["project"]}">{e(family.project or "—")}</td>\n'
        f'      <td class="d-none d-md-table-cell" data-label="{t["worker"]}">{e(worker or "—")}{team}</td>\n'
        f"      {visit}\n"
        "    </tr>\n  "
    )


@register.simple_tag
def caseload_rows(families, can_create: bool, visit_label) -> SafeString:
    """The rows of `families` (the page's, with `_row_texts` applied); the last cell, the visit
    button, only when `can_create`."""
    t = _labels()
    label = conditional_escape(visit_label) if can_create else None
    return mark_safe("".join(_row(family, t, label) for family in families))  # noqa: S308 -- every value escaped
