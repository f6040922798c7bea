"""contracts/templatetags/referral_rows.py: the referral lists' rows built in Python and the headers
by `{% sort_th %}` are the HTML the list's template gave (docs/performance/referrals.md)."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import get_template
from django.utils import translation

from contracts.models import Referral, ReferralStatus
from contracts.views.referrals import TABS
from core.sorting import Column, Sorting
from families.models import Person
from support_network.models import Institution, Service

# The list as its template spelled it before (the reference).
BEFORE = (Path(__file__).parent / "referral_list_before.html").read_text()
HOSTILE = "<script>alert('x')</script> & \"cudzysłów\""


def _referral(pk, status, **fields):
    referral = Referral(pk=pk, status=status, answer_due=fields.pop("answer_due", dt.date(2024, 3, 7)))
    referral.person = Person(pk=pk, first_name=fields.pop("first_name", "Anna"), last_name=HOSTILE)
    referral.service = Service(pk=pk, name=fields.pop("service", f"Doradztwo {HOSTILE}"))
    referral.institution = Institution(pk=pk, name=f"PUP {HOSTILE}", short_name=fields.pop("short_name", ""))
    referral.created_by = fields.pop("created_by")
    referral.url = f"/umowy/skierowania/{pk}/?a=1&b=<2>"
    referral.overdue = fields.pop("overdue", False)
    referral.waiting_position = fields.pop("waiting_position", 1)
    referral.hours_total = fields.pop("hours_total", Decimal("0"))
    return referral


def _rows():
    named = get_user_model()(pk=5, username="ewa", first_name="Ewa", last_name=HOSTILE)
    unnamed = get_user_model()(pk=6, username="<login>", first_name="", last_name="")
    return [
        _referral(1, ReferralStatus.SENT, overdue=True, created_by=named, hours_total=Decimal("12.50")),
        _referral(22, ReferralStatus.WAITING, waiting_position=3, answer_due=None, created_by=unnamed),
        _referral(12345, ReferralStatus.DRAFT, answer_due=None, created_by=named, short_name="PUP <W>",
                  hours_total=Decimal("7.25")),
        _referral(4, ReferralStatus.COMPLETED, created_by=unnamed, hours_total=Decimal("3")),
        _referral(5, "unknown<status>", created_by=named, first_name="", service=""),
    ]  # fmt: skip


def _context(rows, inbox, sorted_by):
    columns = {
        name: Column(href=f"?sortuj={name}&amp;x=<1>", aria_sort="ascending" if name == sorted_by else "none")
        for name in ("nr", "osoba", "usluga", "status", "termin", "godziny", "kierujacy", "realizator")
    }
    page = Paginator(rows * 2, len(rows) or 25).get_page(1)  # all the rows, and a next page
    page.query, page.param = "pokaz=open", "strona"
    return {
        "page": page,
        "tabs": TABS,
        "which": "open",
        "title": f"Skierowania {HOSTILE}",
        "sorting": Sorting(key=sorted_by, columns=columns),
        "inbox": inbox,
    }


def _without_blank_lines(html):
    """The includes of the former headers left a blank line after each cell; the tag does not."""
    return re.sub(r"\n\s*\n", "\n", html)


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("inbox", [True, False])
@pytest.mark.parametrize("sorted_by", ["", "status"])
@pytest.mark.parametrize("empty", [False, True])
def test_the_referral_list_is_the_templates_list(language, inbox, sorted_by, empty):
    rows = [] if empty else _rows()
    with translation.override(language):
        context = _context(rows, inbox, sorted_by)
        before = Template(BEFORE).render(Context(context))
        after = get_template("contracts/referrals/partials/list.html").template.render(Context(context))
    assert _without_blank_lines(after) == _without_blank_lines(before)
    if not empty:
        assert after.count('<tr class="referral') == 5
        assert "<script>" not in after
        assert "&lt;script&gt;" in after


def _repeating_rows():
    """One page where statuses and hours repeat with different positions, flags and values: what
    the tag works out once per distinct value must not carry one row's facts to another."""
    named = get_user_model()(pk=5, username="ewa", first_name="Ewa", last_name=HOSTILE)
    return [
        _referral(1, ReferralStatus.WAITING, waiting_position=1, created_by=named),
        _referral(2, ReferralStatus.WAITING, waiting_position=7, created_by=named, hours_total=Decimal("1.50")),
        _referral(3, ReferralStatus.SENT, overdue=True, created_by=named, hours_total=Decimal("1.5")),
        _referral(4, ReferralStatus.SENT, created_by=named, hours_total=Decimal("0.00")),
        _referral(1_234_567, ReferralStatus.SENT, overdue=True, created_by=named, hours_total=Decimal("12.25")),
        _referral(6, '<b>bad</b> & "x"', created_by=named),
        _referral(7, '<b>bad</b> & "x"', created_by=named, hours_total=Decimal("12.25")),
    ]


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("inbox", [True, False])
def test_rows_sharing_a_status_or_hours_each_show_their_own_facts(language, inbox):
    rows = _repeating_rows()
    with translation.override(language):
        context = _context(rows, inbox, "")
        before = Template(BEFORE).render(Context(context))
        after = get_template("contracts/referrals/partials/list.html").template.render(Context(context))
    assert _without_blank_lines(after) == _without_blank_lines(before)
    assert after.count('class="small waiting-position"') == 2
    assert after.count("table-danger") == 2
    assert 'id="referral-1234567"' in after  # an id has no thousands separator
    assert "<b>bad</b>" not in after
    assert "status-&lt;b&gt;bad&lt;/b&gt; &amp; &quot;x&quot;" in after
