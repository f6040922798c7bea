"""Goal and action rows added in place (static/js/formset.js fills the empty form's template and
raises TOTAL_FORMS): the server accepts the rows so numbered, caps their number, and the page carries
what the script needs, plus the no-script fallback (one empty row, "save to get more")."""

import re

import pytest
from django.urls import reverse

from contracts.forms.social_contracts import MAX_ROWS
from contracts.models import SocialContract
from tests.contracts.test_views import contract_post_data

pytestmark = pytest.mark.django_db


def _url(family):
    return reverse("contracts:contract_create") + f"?family={family.pk}"


def test_the_form_carries_the_empty_row_template_and_the_add_button(family, social_worker, login):
    html = login(social_worker).get(_url(family)).text
    for prefix in ("goals", "actions", "evaluations"):
        assert f'data-formset="{prefix}"' in html
        assert f'name="{prefix}-__prefix__-' in html  # inside <template data-formset-empty>
        assert f'name="{prefix}-TOTAL_FORMS" value="1"' in html  # one empty row without JavaScript
    assert html.count("data-formset-add hidden") == 3 and "js/formset.js" in html
    assert "<noscript>" in html


def _with_rows(data, prefix, rows):
    data = {k: v for k, v in data.items() if not k.startswith(f"{prefix}-")}
    data.update({f"{prefix}-TOTAL_FORMS": len(rows), f"{prefix}-INITIAL_FORMS": 0,
                 f"{prefix}-MIN_NUM_FORMS": 0, f"{prefix}-MAX_NUM_FORMS": 1000})  # fmt: skip
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


def test_rows_added_in_place_are_saved_in_one_go(family, head, social_worker, login):
    goals = [{"text": f"Cel {i}"} for i in range(5)]  # five rows: four added by the button
    data = _with_rows(contract_post_data(family, head), "goals", goals)
    response = login(social_worker).post(_url(family), data)
    assert response.status_code == 302
    assert sorted(SocialContract.objects.get().goals.values_list("text", flat=True)) == [g["text"] for g in goals]


@pytest.mark.parametrize("total", [MAX_ROWS + 1, 10**6])
def test_more_rows_than_the_cap_are_refused_and_nothing_is_saved(family, head, social_worker, login, total):
    data = contract_post_data(family, head)
    data["goals-TOTAL_FORMS"] = total
    response = login(social_worker).post(_url(family), data)
    assert response.status_code == 200
    assert re.search(r"(co najwyżej|at most) 30", response.text)
    assert not SocialContract.objects.exists()


def test_empty_added_rows_are_ignored(family, head, social_worker, login):
    data = _with_rows(contract_post_data(family, head), "goals", [{"text": "Jedyny cel"}, {"text": ""}, {"text": ""}])
    assert login(social_worker).post(_url(family), data).status_code == 302
    assert list(SocialContract.objects.get().goals.values_list("text", flat=True)) == ["Jedyny cel"]


def test_the_referral_person_picker_is_a_filterable_scoped_select(login, social_worker, family, other_family):
    response = login(social_worker).get(reverse("contracts:referral_create"))
    html = response.text
    assert re.search(r'<select name="person"[^>]*data-picker', html) and "js/picker.js" in html
    options = {str(p.pk) for p in response.context["form"].fields["person"].queryset}
    assert options == {str(p.pk) for p in family.members.all()}  # only the worker's own families
    assert not other_family.members.filter(pk__in=options).exists()
