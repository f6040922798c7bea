"""Matching a file's header row to the layout's columns (reporting/importing/layout.py).

- A header matches a column's official header or its unique key, ignoring case, repeated or
  non-breaking spaces, spaces around "/" and a trailing colon ("Pesel", "Zatrudniony w:",
  "Numer umowy/ decyzji /aneksu"). Nothing else is forgiven: a hyphen is not an en dash.
- A repeated header ("W tym", and the whole institutional block of the official file) is read by
  position: it is the first column of that name the layout has after the column read just before.
- An unknown header is an error that names the nearest known header; a required column missing
  is an error; both come before any row is read.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from reporting.importing import layout as L

_SLASH = re.compile(r"\s*/\s*")


@dataclass(frozen=True)
class HeaderProblem:
    position: int  # 0-based column of the file
    column: str  # the header as written (or the missing column's key)
    message: str


def normalise(header: str) -> str:
    text = " ".join(header.replace("\u00a0", " ").split()).lower()
    return _SLASH.sub("/", text).rstrip(":").rstrip()


def _expected(headers: list[str]) -> list[L.Column]:
    """The columns a file may have, in the official order; the institutional block only when the
    file has one of its own headers (otherwise its "Kraj" would take the participant's)."""
    names = {normalise(h) for h in headers}
    institution = any(normalise(h) in names for h in L.INSTITUTION_ONLY_HEADERS)
    return L.PROJECT_COLUMNS + (L.INSTITUTION_COLUMNS if institution else []) + L.INDIVIDUAL_COLUMNS + L.EXTRA_COLUMNS


def _names(columns: list[L.Column]) -> dict[str, list[int]]:
    """Normalised header or key -> the positions in `columns` it may stand for."""
    names: dict[str, list[int]] = {}
    for seq, column in enumerate(columns):
        names.setdefault(normalise(column.header), []).append(seq)
        if column.key != column.header:
            names.setdefault(normalise(column.key), []).append(seq)
    return names


def nearest(header: str) -> str | None:
    """The known header closest to a misspelt one (official headers and unique keys)."""
    known = list(dict.fromkeys([c.header for c in L.ALL_COLUMNS] + [c.key for c in L.EXPORT_COLUMNS]))
    lowered = {k.lower(): k for k in known}
    found = difflib.get_close_matches(header.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[found[0]] if found else None


def _unknown(position: int, header: str) -> HeaderProblem:
    suggestion = nearest(header)
    if suggestion:
        message = _("nieznana kolumna – czy chodzi o „%(known)s”? Popraw nagłówek (liczy się każdy znak, "
                    "np. półpauza „–” zamiast łącznika „-”).") % {"known": suggestion}  # fmt: skip
    else:
        message = _("nieznana kolumna (nie ma jej w układzie SL2014 ani w kolumnach dodatkowych).")
    return HeaderProblem(position, header, message)


def match_headers(headers: list[str]) -> tuple[dict[str, int], list[HeaderProblem]]:
    """(column key -> 0-based position in the file, problems). Empty header cells are ignored."""
    columns = _expected(headers)
    names = _names(columns)
    index: dict[str, int] = {}
    problems: list[HeaderProblem] = []
    used: set[int] = set()
    last = -1
    for position, header in enumerate(headers):
        if not header.strip():
            continue
        candidates = [seq for seq in names.get(normalise(header), []) if seq not in used]
        if not candidates:
            if normalise(header) in names:
                problems.append(HeaderProblem(position, header, _("kolumna występuje w pliku za wiele razy.")))
            else:
                problems.append(_unknown(position, header))
            continue
        seq = next((s for s in candidates if s > last), candidates[0])
        used.add(seq)
        last = seq
        index[columns[seq].key] = position
    for key in L.REQUIRED_HEADERS:
        if key not in index:
            problems.append(HeaderProblem(len(headers), key, _("brak wymaganej kolumny.")))
    return index, problems


def header_warnings(index: dict[str, int]) -> list[str]:
    """What a file's columns mean for the data before any row is read (not errors)."""
    warnings = []
    if L.H_AT_RISK not in index:
        warnings.append(_(
            "Plik nie ma kolumny „%(column)s” (pliki SL2014 jej nie mają): odpowiedź zostanie pusta, a każdy "
            "uczestnik trafi na listę braków danych i nie będzie liczony we wskaźnikach, dopóki jej nie "
            "uzupełnisz korektą."
        ) % {"column": L.H_AT_RISK})  # fmt: skip
    return warnings
