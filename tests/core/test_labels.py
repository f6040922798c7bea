"""core/labels.py: the choices' tables made once per language give what the choices give."""

import pytest
from django.db.models import TextChoices
from django.utils import translation
from django.utils.translation import gettext_lazy

from contracts.models import ReferralStatus
from core.labels import choice_labels
from families.codes import Relation
from families.models import AssessmentKind


@pytest.mark.parametrize("choices", [Relation, ReferralStatus, AssessmentKind])
def test_choice_labels_follow_the_active_language(choices):
    for language in ("pl", "en", "pl"):  # a table made for one language is not the other's
        with translation.override(language):
            expected = {str(value): str(label) for value, label in choices.choices}
            assert choice_labels(choices) == expected
            assert choice_labels(choices, "x:") == {f"x:{value}": label for value, label in expected.items()}


class _Language(TextChoices):
    POLISH = "pl", gettext_lazy("polski")


def test_choice_labels_differ_between_polish_and_english():
    with translation.override("pl"):
        assert choice_labels(_Language) == {"pl": "polski"}
    with translation.override("en"):
        assert choice_labels(_Language) == {"pl": "Polish"}
