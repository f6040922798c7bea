"""`{% caseload_rows families can_create visit_label %}`: the caseload's table rows, the same HTML
as a `{% for %}` over the rows with the cells in the template gave, built in Python.

A page of 25 rows made the template engine resolve some 700 variables and filters (about a third
of the page's CPU time, docs/performance.md "The frame and the lists"); `format_html` escapes each
value as `{{ }}` did. The rows' links and phrases come from `families.views._row_texts`."""

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext

from core.templatetags.cells import choice_label, dmy

register = template.Library()

_ROW = (
    '\n    <tr class="{}">\n'
    '      <td data-label=""><a href="{}">{}</a>\n'
    '        <div class="small text-body-secondary">{} · {}{}</div></td>\n'
    '      <td data-label="{}">{}</td>\n'
    '      <td class="d-none d-md-table-cell" data-label="{}">{}</td>\n'
    '      <td class="d-none d-lg-table-cell" data-label="{}">{}</td>\n'
    '      <td class="d-none d-lg-table-cell" data-label="{}">{}</td>\n'
    '      <td class="d-none d-md-table-cell" data-label="{}">{}{}</td>\n'
    "      {}\n"
    "    </tr>\n  "
)


def _labels() -> dict:
    return {
        "next": gettext("Następna wizyta"),
        "last": gettext("Ostatnia wizyta"),
        "area": gettext("Obszar"),
        "project": gettext("Projekt"),
        "worker": gettext("Pracownik / zespół"),
        "overdue": gettext("zaległa"),
        "unset": gettext("nie ustalono"),
        "no_members": gettext("(bez członków)"),
    }


def _next_visit(family, labels: dict):
    if not family.next_visit_due:
        return format_html('<span class="text-body-secondary">{}</span>', labels["unset"])
    if family.is_overdue:
        return format_html(
            '{} <span class="badge text-bg-danger">{}</span>', dmy(family.next_visit_due), labels["overdue"]
        )
    return dmy(family.next_visit_due)


def _row(family, labels: dict, visit_label) -> tuple:
    worker = family.social_worker.get_full_name() if family.social_worker_id else ""
    visit = ""
    if visit_label is not None:
        visit = format_html(
            '<td data-label=""><a class="btn btn-sm btn-outline-primary" href="{}">{}'
            '<span class="visually-hidden">{}</span></a></td>',
            family.visit_url,
            visit_label,
            family.visit_text,
        )
    return (
        "table-warning overdue" if family.is_overdue else "",
        family.detail_url,
        family.head_name or labels["no_members"],
        family.case_number,
        family.members_text,
        "" if family.status == "active" else format_html(" · {}", choice_label(family, "status")),
        labels["next"],
        _next_visit(family, labels),
        labels["last"],
        dmy(family.last_visit_on) or "—",
        labels["area"],
        family.area or "—",
        labels["project"],
        family.project or "—",
        labels["worker"],
        worker or "—",
        format_html('<div class="small text-body-secondary">{}</div>', family.team) if family.team_id else "",
        visit,
    )


@register.simple_tag
def caseload_rows(families, can_create: bool, visit_label):
    """The rows of `families` (the page's, with `_row_texts` applied); the last cell, the visit
    button, only when `can_create`."""
    labels = _labels()
    label = visit_label if can_create else None
    return format_html_join("", _ROW, (_row(family, labels, label) for family in families))
