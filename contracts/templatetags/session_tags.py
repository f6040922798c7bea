"""Tags and filters of the group-session pages.

The group page's tables (sessions, participants), the enrolment form's checkboxes and the session
page's attendance rows are written in Python, the same HTML as the `{% for %}` loops that had the
cells in the template gave, each value localized and escaped as `{{ }}` does: on the group page the
loops made the template engine resolve some 400 variables and filters per request, a third of the
page's CPU time (docs/performance/referrals.md)."""

from django import template
from django.template.defaultfilters import floatformat
from django.template.defaulttags import CsrfTokenNode
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, gettext_noop

from contracts.selectors.sessions import RATINGS
from core.links import url_of
from core.row_html import v as _v
from core.templatetags.cells import dmy

register = template.Library()

# The participant's rating select: the options for each current rating (none or 1-5), written once
# per process instead of a loop of five options per participant on every request.
_RATING_OPTIONS = {
    current: format_html(
        '<option value="">—</option>{}',
        format_html_join(
            "", '<option value="{}"{}>{}</option>', ((n, " selected" if n == current else "", n) for n in RATINGS)
        ),
    )
    for current in (None, *RATINGS)
}


@register.filter
def rating_options(rating) -> SafeString:
    """`<option>`s of the rating select, `rating` (none or 1-5) selected; any other value: none."""
    return _RATING_OPTIONS.get(rating, _RATING_OPTIONS[None])


_WORDS = {
    "referral": gettext_noop("skierowanie"),
    "below": gettext_noop("poniżej wymaganej"),
    "rating": gettext_noop("Ocena uczestnika"),
    "save": gettext_noop("Zapisz"),
    "no_sessions": gettext_noop("Nie zaplanowano jeszcze zajęć."),
    "no_participants": gettext_noop("Nikt nie jest jeszcze zapisany."),
    "nobody_in_group": gettext_noop("Nikt nie jest jeszcze zapisany do grupy."),
}
_words: dict[str | None, dict[str, str]] = {}


def _t() -> dict[str, str]:
    """The tables' fixed words in the active language, as `{% translate %}` writes them: not escaped
    (a translation is the project's own text, an apostrophe stays one)."""
    language = get_language()
    words = _words.get(language)
    if words is None:
        words = _words[language] = {key: gettext(text) for key, text in _WORDS.items()}
    return words


def _session_row(session, url) -> str:
    starts = session.starts_at
    return (
        f'\n    <tr><th scope="row"><a href="{_v(url(session.pk))}">{dmy(session.held_on)} '
        f"{starts.hour:02d}:{starts.minute:02d}</a></th>\n"
        f"      <td>{_v(session.topic)}</td><td>{_v(session.trainer_label)}</td><td>{_v(session.place)}</td>\n"
        f'      <td class="text-end">{_v(floatformat(session.hours, "-2"))}</td>'
        f'<td class="text-end">{_v(session.present)}</td></tr>\n  '
    )


@register.simple_tag
def session_rows(sessions) -> SafeString:
    """The group page's rows of its sessions (with `present` counted), or the row saying none."""
    if not sessions:
        empty = _t()["no_sessions"]
        return mark_safe(f'\n    <tr><td colspan="6" class="text-body-secondary">{empty}</td></tr>\n  ')  # noqa: S308
    url = url_of("contracts:session_detail")
    return mark_safe("".join(_session_row(s, url) for s in sessions))  # noqa: S308 -- every value escaped


def _rate(row, t) -> str:
    rate = "—" if row.rate is None else f"{_v(floatformat(row.rate, 1))} %"
    return rate + (f' <span class="badge text-bg-warning">{t["below"]}</span>' if row.below else "")


def _rating_cell(row, t, csrf: str | None) -> str:
    """The rating form (`csrf`: the page's `{% csrf_token %}`) or, for a reader, the rating."""
    enrolment = row.enrolment
    if csrf is None:
        return _v(enrolment.rating or "—")
    pk = _v(enrolment.pk)
    return (
        f'<form method="post" action="{_v(row.rating_url)}" class="d-flex gap-1">{csrf}\n'
        f'          <label class="visually-hidden" for="rating-{pk}">{t["rating"]}</label>\n'
        f'          <select class="form-select form-select-sm" name="rating" id="rating-{pk}">'
        f"{rating_options(enrolment.rating)}</select>\n"
        f'          <button class="btn btn-sm btn-outline-secondary" type="submit">{t["save"]}</button></form>\n'
        "        "
    )


def _participant_row(row, t, csrf: str | None) -> str:
    person = row.enrolment.person
    referral = f' <a class="small" href="{_v(row.referral_url)}">{t["referral"]}</a>' if row.enrolment.referral else ""
    warning = ' class="table-warning"' if row.below else ""
    return (
        f'\n    <tr{warning}><th scope="row">'
        f"{_v(person.last_name)} {_v(person.first_name)}{referral}</th>\n"
        f'      <td class="text-end">{_v(row.sessions)}</td>'
        f'<td class="text-end">{_v(floatformat(row.hours, "-2"))}</td>\n'
        f'      <td class="text-end">{_rate(row, t)}</td>\n'
        f"      <td>{_rating_cell(row, t, csrf)}</td></tr>\n  "
    )


@register.simple_tag(takes_context=True)
def participant_rows(context, rows, can_run) -> SafeString:
    """The group page's rows of its participants (`contracts.selectors.sessions.ParticipantRow`
    with their links), with the rating form when `can_run`, or the row saying none."""
    t = _t()
    if not rows:
        return mark_safe(f'\n    <tr><td colspan="5" class="text-body-secondary">{t["no_participants"]}</td></tr>\n  ')  # noqa: S308
    csrf = CsrfTokenNode().render(context) if can_run else None
    return mark_safe("".join(_participant_row(row, t, csrf) for row in rows))  # noqa: S308 -- every value escaped


def _attendance_row(n: int, enrolment, disabled: str) -> str:
    pk, person = _v(enrolment.pk), enrolment.person
    checked = " checked" if enrolment.present else ""
    return (
        f'\n    <tr><td>{n}</td><th scope="row"><label for="present-{pk}">'
        f"{_v(person.last_name)} {_v(person.first_name)}</label></th>\n"
        f'      <td><input class="form-check-input" type="checkbox" name="present" value="{pk}" id="present-{pk}"'
        f"{checked}{disabled}></td></tr>\n  "
    )


@register.simple_tag
def attendance_rows(enrolments, can_run) -> SafeString:
    """The session page's rows: each participant (with `present`) and a checkbox, disabled for a
    reader; or the row saying nobody is enrolled."""
    if not enrolments:
        empty = _t()["nobody_in_group"]
        return mark_safe(f'\n    <tr><td colspan="3" class="text-body-secondary">{empty}</td></tr>\n  ')  # noqa: S308
    disabled = "" if can_run else " disabled"
    return mark_safe(  # noqa: S308 -- every value escaped
        "".join(_attendance_row(n, enrolment, disabled) for n, enrolment in enumerate(enrolments, 1))
    )


@register.simple_tag
def checkbox_choices(field, choices) -> SafeString:
    """An unbound multiple-choice field's checkboxes (`EnrolForm.offered`), ids as Django's."""
    name, auto_id = _v(field.html_name), _v(field.auto_id)
    return mark_safe(  # noqa: S308 -- every value escaped
        "".join(
            '\n          <div class="form-check">\n'
            f'            <input type="checkbox" class="form-check-input" name="{name}" value="{_v(value)}"'
            f' id="{auto_id}_{i}">\n'
            f'            <label for="{auto_id}_{i}" class="form-check-label">{_v(label)}</label>\n'
            "          </div>\n        "
            for i, (value, label) in enumerate(choices)
        )
    )
