import datetime as dt

import pytest
from django import forms
from django.core.exceptions import ValidationError

from core.errors import DomainError, full_clean_or_error
from core.forms import DateInput, date_field, not_before, not_future, submit, validate_plausible_date, within


def test_date_input_is_dd_mm_rrrr_whatever_the_browser_locale():
    html = DateInput().render("day", dt.date(2024, 3, 5))
    assert 'type="text"' in html and 'value="05.03.2024"' in html
    assert 'inputmode="numeric"' in html and 'placeholder="dd.mm.rrrr"' in html


@pytest.mark.parametrize("typed", ["05.03.2024", "5.3.2024", "2024-03-05"])
def test_a_date_field_reads_polish_and_iso_dates(typed):
    field = forms.DateField(widget=DateInput())
    assert field.clean(typed) == dt.date(2024, 3, 5)


@pytest.mark.time_machine(dt.datetime(2024, 6, 30, 12, 0))
def test_not_future_accepts_today_and_refuses_tomorrow():
    not_future(dt.date(2024, 6, 30), "z przyszłości")
    not_future(None, "z przyszłości")
    with pytest.raises(ValidationError, match="z przyszłości"):
        not_future(dt.date(2024, 7, 1), "z przyszłości")


def test_not_before_refuses_a_date_before_the_earliest():
    not_before(dt.date(2000, 1, 1), dt.date(2000, 1, 1), "za wcześnie")
    with pytest.raises(ValidationError, match="za wcześnie"):
        not_before(dt.date(1999, 12, 31), dt.date(2000, 1, 1), "za wcześnie")


def test_plausible_date_is_a_year_from_2000_to_2099():
    validate_plausible_date(dt.date(2000, 1, 1))
    validate_plausible_date(dt.date(2099, 12, 31))
    for wrong in (dt.date(1999, 12, 31), dt.date(2100, 1, 1)):
        with pytest.raises(ValidationError, match="2000–2099"):
            validate_plausible_date(wrong)
    with pytest.raises(ValidationError, match="poza"):
        within(dt.date(2030, 1, 1), dt.date(2000, 1, 1), dt.date(2020, 1, 1), "poza")


def test_date_field_reads_the_given_formats_and_runs_the_validators():
    field = date_field("dzień", input_formats=["%d.%m.%Y"], validators=[validate_plausible_date])
    assert field.clean("05.03.2024") == dt.date(2024, 3, 5)
    with pytest.raises(ValidationError):
        field.clean("05.03.1024")


def test_full_clean_or_error_turns_model_errors_into_a_domain_error():
    class Row:
        def full_clean(self, exclude=None):
            raise ValidationError({"a": ["Pierwszy błąd."], "b": ["Drugi błąd."]})

    with pytest.raises(DomainError) as caught:
        full_clean_or_error(Row(), exclude=["x"])
    assert caught.value.message == "Pierwszy błąd. Drugi błąd." and not caught.value.conflict


class _NoteForm(forms.Form):
    note = forms.CharField()


def _valid_form():
    form = _NoteForm({"note": "tekst"})
    assert form.is_valid()
    return form


def test_submit_returns_what_the_service_saved():
    assert submit(_valid_form(), lambda: "zapisane") == ("zapisane", None)


def test_submit_puts_a_refusal_on_the_form_and_a_lost_race_answers_409():
    def refuse(conflict):
        raise DomainError("Zmieniono w międzyczasie.", conflict=conflict)

    for conflict, status in ((False, 200), (True, 409)):
        form = _valid_form()
        assert submit(form, lambda c=conflict: refuse(c), error_field="note") == (None, status)
        assert form.errors == {"note": ["Zmieniono w międzyczasie."]}


def test_submit_puts_model_errors_next_to_their_fields_and_unknown_ones_above():
    def invalid():
        raise ValidationError({"note": ["Za długie."], "hidden": ["Brak projektu."]})

    form = _valid_form()
    assert submit(form, invalid) == (None, 200)
    assert form.errors["note"] == ["Za długie."] and form.non_field_errors() == ["Brak projektu."]


def test_empty_choices_read_a_dash():
    from django.contrib.auth.models import Group
    from django.db import models

    field = models.CharField(max_length=1, blank=True, choices=[("a", "A")]).formfield()
    foreign = forms.ModelChoiceField(queryset=Group.objects.none())
    html = field.widget.render("x", "") + foreign.widget.render("y", "")
    assert "---------" not in html
    assert html.count('<option value="" selected>—</option>') + html.count('<option value="">—</option>') == 2
