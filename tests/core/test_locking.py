"""core.locking: the values of the "changed in the meantime" page are shown as the page shows them."""

import datetime as dt
from decimal import Decimal

from django import forms

from core.locking import EMPTY, shown


class _Form(forms.Form):
    kind = forms.ChoiceField(choices=[("a", "Pierwszy"), ("Grupa", [("b", "Drugi")])])
    kinds = forms.MultipleChoiceField(choices=[("a", "Pierwszy"), ("b", "Drugi")])
    day = forms.DateField()
    flag = forms.BooleanField()
    amount = forms.DecimalField()
    text = forms.CharField()


def test_values_are_shown_as_on_the_page():
    fields = _Form().fields
    assert shown(fields["kind"], "a") == "Pierwszy"
    assert shown(fields["kind"], "b") == "Drugi"  # inside an optgroup
    assert shown(fields["kinds"], ["b", "a"]) == "Drugi, Pierwszy"
    assert shown(fields["day"], dt.date(2024, 5, 1)) == "01.05.2024"
    assert shown(fields["flag"], True) == "tak" and shown(fields["flag"], False) == "nie"
    assert shown(fields["amount"], Decimal("1500.50")).replace("\xa0", "").replace(" ", "") == "1500,50"
    assert shown(fields["text"], "") == EMPTY and shown(fields["text"], None) == EMPTY
