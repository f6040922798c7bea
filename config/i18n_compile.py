"""Compile locale/*/LC_MESSAGES/django.po to .mo without GNU gettext (fallback for `make`)."""

from pathlib import Path

import polib

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"


def compile_all() -> list[Path]:
    compiled = []
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
        compiled.append(po_path)
    return compiled


if __name__ == "__main__":
    for path in compile_all():
        print(f"compiled {path}")
