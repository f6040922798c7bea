"""core/labels.py: the choices' tables made once per language give what the choices give; lazy labels
pickle as their message."""

import pickle

import pytest
from django.db.models import TextChoices
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy, pgettext_lazy

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


def test_a_lazy_label_pickles_as_its_message_and_stays_lazy():
    label = gettext_lazy("Logowanie")
    data = pickle.dumps({"name": label}, pickle.HIGHEST_PROTOCOL)
    assert b"core.labels" in data and b"_lazy_proxy_unpickle" not in data  # not a proxy class rebuilt
    restored = pickle.loads(data)["name"]  # noqa: S301 - the bytes pickled just above
    assert isinstance(restored, Promise)  # translated when rendered, in the reader's language
    with translation.override("en"):
        assert str(restored) == "Log in"
    with translation.override("pl"):
        assert str(restored) == "Logowanie"


def test_other_lazy_strings_pickle_as_django_pickles_them():
    label = pgettext_lazy("menu", "Logowanie")
    data = pickle.dumps(label, pickle.HIGHEST_PROTOCOL)
    assert b"_lazy_proxy_unpickle" in data
    with translation.override("pl"):
        assert str(pickle.loads(data)) == "Logowanie"  # noqa: S301 - the bytes pickled just above
