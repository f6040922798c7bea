"""`{% outcome_queue_rows proposals %}`: the rows of the outcome queue's table, the same HTML as the
`{% for %}` over the proposals with the cells in the template gave (the reference:
tests/reporting/outcome_queue_rows_before.html), built in Python with each value escaped as `{{ }}`
escapes it.

25 rows of six cells made the template engine resolve some 800 variables and filters: half of the
page's Python time (docs/performance/reporting.md)."""

from django import template
from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext_noop

from core.row_html import Words, v
from core.templatetags.cells import choice_label, dmy, row_url

register = template.Library()

_WORDS = Words(
    {
        "pick": gettext_noop("Zaznacz rezultat"),
        "referral_no": gettext_noop("skierowanie nr"),
        "confirm": gettext_noop("Potwierdź"),
        "reject": gettext_noop("Odrzuć"),
        "fte": gettext_noop("etat"),
        "months": gettext_noop("mies."),
        "changed": gettext_noop("zmieniony u źródła po potwierdzeniu"),
    }
)


def _outcome(r, t: dict) -> str:
    """The "Rezultat" cell's text: the kind and what the kind adds."""
    e = v
    text = e(choice_label(r, "kind"))
    if r.kind == "employment":
        text += f": {e(choice_label(r, 'employment_form'))}"
        if r.fte:
            text += f", {t['fte']} {floatformat(r.fte, '-2')}"
        if r.planned_months:
            text += f", {r.planned_months} {t['months']}"
        if r.employer:
            text += f", {e(r.employer)}"
    if r.kind == "qualification" and r.qualification_name:
        text += f": {e(r.qualification_name)}"
    if r.kind == "job_seeking":
        text += f": {e(choice_label(r, 'job_seeking_kind'))}"
    if r.kind == "social_progress":
        text += f": {e(choice_label(r, 'progress_category'))}"
    return text


def _row(r, t: dict) -> str:
    e = v  # `conditional_escape` with a fast path for plain text: some 270 values a page
    person = r.participation
    name = f"{e(person.first_name)} {e(person.last_name)}"
    changed = f'<br><span class="badge text-bg-warning">{t["changed"]}</span>' if r.source_changed else ""
    recorder = r.recorded_by.get_full_name() or r.recorded_by.username
    service = r.referral.service
    return (
        f'\n      <tr id="proposal-{r.pk}">\n'
        f'        <td><input class="form-check-input" type="checkbox" name="ids" value="{r.pk}" id="pick-{r.pk}"'
        f' aria-label="{t["pick"]} {name}"></td>\n'
        f'        <td><a href="{e(row_url(r.participation_id, "reporting:participant_detail"))}">{name}</a><br>'
        f'<small class="text-body-secondary">{e(person.project)}</small></td>\n'
        f"        <td>{_outcome(r, t)}\n"
        f"          {changed}</td>\n"
        f"        <td>{dmy(r.occurred_on)}</td>\n"
        f'        <td>{t["referral_no"]} {r.referral_id} · {e(service.name)}<br><small class="text-body-secondary">'
        f"{e(recorder)} ({e(service.provider)}), {dmy(template_localtime(r.recorded_at))}</small></td>\n"
        '        <td class="text-nowrap">\n'
        f'          <button class="btn btn-sm btn-primary" type="submit" name="row_confirm" value="{r.pk}">'
        f"{t['confirm']}</button>\n"
        f'          <button class="btn btn-sm btn-outline-danger" type="submit" name="row_reject" value="{r.pk}">'
        f"{t['reject']}</button>\n"
        "        </td>\n"
        "      </tr>\n    "
    )


@register.simple_tag
def outcome_queue_rows(proposals) -> SafeString:
    """The rows of `proposals` (`reporting.selectors.proposals.queue_rows`), the fixed words
    translated once per page."""
    t = _WORDS.active()
    return mark_safe("".join(_row(r, t) for r in proposals))  # noqa: S308 -- every value escaped
