"""`{% participant_outcome_rows outcomes p.pk can_manage %}`: the outcomes' list items of a
participant's page, the same HTML as the `{% for %}` over the outcomes in the template gave (the
reference: tests/reporting/participant_outcomes_before.html), built in Python with each value
escaped as `{{ }}` escapes it.

The loop resolved some 40 variables, filters and tags an outcome: a third of the page's template
time with four outcomes (docs/performance/reporting.md)."""

from django import template
from django.template.defaultfilters import floatformat
from django.template.defaulttags import CsrfTokenNode
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext_noop

from core.row_html import Words, v
from core.templatetags.cells import choice_label, dmy
from core.templatetags.numbers import money

register = template.Library()

_WORDS = Words(
    {
        "fte": gettext_noop("etat"),
        "months": gettext_noop("mies."),
        "grant": gettext_noop("dotacja"),
        "evidence": gettext_noop("Dowód:"),
        "referral_no": gettext_noop("ze skierowania nr"),
        "confirmed": gettext_noop("potwierdzony"),
        "changed": gettext_noop("zmieniony u źródła po potwierdzeniu"),
        "delete_label": gettext_noop("Usuń rezultat"),
        "delete": gettext_noop("Usuń"),
        "none": gettext_noop("Brak zapisanych rezultatów."),
    }
)
_OUTCOME = 987_654_321  # stands for the outcome's id in the delete address reversed once a page


def _employment(o, t: dict) -> str:
    """What an employment adds to its kind: form, FTE, months, employer, grant and PKD."""
    text = f": {v(choice_label(o, 'employment_form'))}"
    if o.fte:
        text += f", {t['fte']} {floatformat(o.fte, '-2')}"
    if o.planned_months:
        text += f", {v(o.planned_months)} {t['months']}"
    if o.employer:
        text += f", {v(o.employer)}"
    if o.grant_amount:
        text += f", {t['grant']} {v(money(o.grant_amount))}"
    if o.pkd:
        text += f", PKD {v(o.pkd)}"
    return text


def _details(o, t: dict) -> tuple[str, str, str, str]:
    """The four kind-specific lines (employment, job seeking, qualification, social progress)."""
    kind = o.kind
    return (
        _employment(o, t) if kind == "employment" else "",
        f": {v(choice_label(o, 'job_seeking_kind'))}" if kind == "job_seeking" else "",
        f": {v(o.qualification_name)}" if kind == "qualification" and o.qualification_name else "",
        f": {v(choice_label(o, 'progress_category'))}" if kind == "social_progress" else "",
    )


def _source(o, t: dict) -> str:
    """The line naming the referral a confirmed proposal came from (none for an outcome by hand)."""
    proposal = getattr(o, "proposal", None)  # the reverse one-to-one: none raises (an AttributeError)
    if not proposal:
        return ""
    changed = f' <span class="badge text-bg-warning">{t["changed"]}</span>' if proposal.source_changed else ""
    return (
        f'<br><small class="text-body-secondary">{t["referral_no"]} {v(proposal.referral_id)}, {t["confirmed"]} '
        f"{dmy(template_localtime(proposal.decided_at))}</small>{changed}"
    )


def _row(o, t: dict, delete_url: tuple[str, str] | None, csrf: str) -> str:
    day = dmy(o.occurred_on)
    employment, job_seeking, qualification, progress = _details(o, t)
    evidence = f'<br><small class="text-body-secondary">{t["evidence"]} {v(o.evidence)}</small>' if o.evidence else ""
    form = ""
    if delete_url is not None:
        head, tail = delete_url
        form = (
            f'<form method="post" action="{head}{v(o.pk)}{tail}">{csrf}<button class="btn btn-sm btn-outline-danger"'
            f' type="submit" aria-label="{t["delete_label"]} {day}">{t["delete"]}</button></form>'
        )
    return (
        '\n    <li class="list-group-item d-flex flex-wrap justify-content-between gap-2">\n'
        f"      <div><strong>{day}</strong> · {v(choice_label(o, 'kind'))}\n"
        f"        {employment}\n        {job_seeking}\n        {qualification}\n        {progress}\n"
        f"        {evidence}\n        {_source(o, t)}\n"
        "      </div>\n"
        f"      {form}\n"
        "    </li>\n  "
    )


def _delete_url(participation_pk) -> tuple[str, str]:
    """The delete address of the participation's outcomes, escaped as `{% url %}` escapes it, split
    where the outcome's id goes."""
    address = v(reverse("reporting:outcome_delete", args=[participation_pk, _OUTCOME]))
    head, mark, tail = address.rpartition(str(_OUTCOME))
    if not mark:
        raise ValueError("reporting:outcome_delete: the outcome's id does not appear in its address")
    return head, tail


@register.simple_tag(takes_context=True)
def participant_outcome_rows(context, outcomes, participation_pk, can_manage) -> SafeString:
    """The list items of `outcomes` (or the one saying there is none); with `can_manage`, each with
    its delete form (the page's CSRF token, as `{% csrf_token %}` writes it)."""
    t = _WORDS.active()
    if not outcomes:
        return mark_safe(f'<li class="list-group-item">{t["none"]}</li>')  # noqa: S308 -- a translated word, escaped
    delete_url = _delete_url(participation_pk) if can_manage else None
    csrf = CsrfTokenNode().render(context) if can_manage else ""
    return mark_safe("".join(_row(o, t, delete_url, csrf) for o in outcomes))  # noqa: S308 -- every value escaped
