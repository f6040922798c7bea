"""Password validators (AUTH_PASSWORD_VALIDATORS): a strength estimate with Polish dictionaries and
a refusal of passwords that contain the login, the person's name or the institution.

The breached-password list is Django's CommonPasswordValidator pointed at a file shipped in the
repo (support_network/data/breached-passwords.txt.gz); nothing is fetched at run time.
"""

import re
import threading
import unicodedata

import zxcvbn_pl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from zxcvbn import zxcvbn

zxcvbn_pl.register()  # common Polish words, first and last names, place names (with inflected forms)
# zxcvbn keeps user_inputs in a module-level dictionary: one estimate at a time per process
_ZXCVBN_LOCK = threading.Lock()
MIN_PART = 3  # shorter name parts ("Jo", "ul") would refuse half of all passwords


def _fold(text: str) -> str:
    """Lower case without Polish diacritics: "Łódź" and "lodz" are the same word here."""
    text = text.lower().replace("ł", "l")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def personal_words(user) -> list[str]:
    """The login, names, e-mail's local part and the institution's names, split into words."""
    if user is None:
        return []
    texts = [
        getattr(user, "username", ""),
        getattr(user, "first_name", ""),
        getattr(user, "last_name", ""),
        (getattr(user, "email", "") or "").split("@")[0],
    ]
    membership = getattr(user, "membership", None) if getattr(user, "pk", None) else None
    if membership is not None:
        texts += [membership.institution.name, membership.institution.short_name, membership.institution.locality]
    words = {_fold(texts[0])} if texts[0] else set()
    for text in texts:
        words.update(part for part in re.split(r"[\W_]+", _fold(text or "")) if len(part) >= MIN_PART)
    return sorted(word for word in words if word)


class PersonalDataValidator:
    """Refuses a password that contains the login, the first or last name or a word of the institution."""

    def validate(self, password, user=None):
        folded = _fold(password)
        if any(word in folded for word in personal_words(user)):
            raise ValidationError(
                _("Hasło nie może zawierać loginu, imienia, nazwiska ani nazwy instytucji."),
                code="password_contains_personal_data",
            )

    def get_help_text(self):
        return _("Hasło nie może zawierać loginu, imienia, nazwiska ani nazwy instytucji.")


class StrengthValidator:
    """zxcvbn's guess estimate with Polish dictionaries (zxcvbn-pl): refuses a score below
    PASSWORD_MIN_STRENGTH (0-4) -- repeats, keyboard rows, dictionary words with digits."""

    def validate(self, password, user=None):
        with _ZXCVBN_LOCK:
            result = zxcvbn(password[:100], user_inputs=personal_words(user))
        if result["score"] < settings.PASSWORD_MIN_STRENGTH:
            raise ValidationError(
                _(
                    "Hasło jest zbyt łatwe do odgadnięcia (powtórzenia, układ klawiatury, popularne słowa "
                    "lub imiona z cyframi). Użyj kilku niezwiązanych słów albo dłuższego, przypadkowego ciągu."
                ),
                code="password_too_weak",
            )

    def get_help_text(self):
        return _("Hasło musi być trudne do odgadnięcia, np. kilka niezwiązanych ze sobą słów.")
