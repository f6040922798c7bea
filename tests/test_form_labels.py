"""Forms as an office writes them (issue 12, item 8): on every form page (the hostile-input gate's
FORM_PAGES, fetched as the role that posts them) each field's label starts with a capital letter and
no select offers Django's "---------" as its empty choice ("—" instead: core.forms.EMPTY_CHOICE)."""

import pytest
from django.forms.formsets import BaseFormSet

from tests.access_world import world_fixture
from tests.test_hostile_input import FORM_PAGES, _form_page, forms_in

world = world_fixture()


def _labels(form) -> list[tuple[str, str]]:
    forms = form.forms if isinstance(form, BaseFormSet) else [form]
    return [(name, str(bound.label)) for f in forms for name, bound in ((n, f[n]) for n in f.fields)]


@pytest.mark.parametrize("name", sorted(FORM_PAGES))
def test_every_label_starts_with_a_capital_and_no_empty_choice_reads_dashes(world, db, client, name):
    url, role, _rows = _form_page(world, client, name)
    page = client.get(url)
    assert "---------" not in page.content.decode(), f"{name}: an empty choice reads ---------"
    lower = [(field, label) for form in forms_in(page) for field, label in _labels(form)
             if label[:1].isalpha() and label[:1].islower()]  # fmt: skip
    assert not lower, f"{name} as {role}: labels starting lower-case: {lower}"
