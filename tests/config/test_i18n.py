from pathlib import Path

import polib
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def test_english_locale_compiles(tmp_path):
    po = polib.pofile(str(ROOT / "locale/en/LC_MESSAGES/django.po"))
    assert not [e for e in po if "fuzzy" in e.flags and e.msgstr and e.obsolete]
    po.save_as_mofile(str(tmp_path / "django.mo"))
    assert (tmp_path / "django.mo").stat().st_size > 0


def test_ui_is_polish_first_with_an_english_locale():
    with translation.override("pl"):
        assert translation.gettext("Logowanie") == "Logowanie"
    with translation.override("en"):
        assert translation.gettext("Logowanie") == "Log in"
