"""Reading one cell's value: normalised where the meaning is unambiguous, refused with a message
that shows the allowed values where it is not.

Accepted beyond the exact labels of the export:
- any dash (hyphen, en dash, minus…) and any spacing around it, any letter case, and Polish letters
  typed without their diacritics ("wyzsze (ISCED 5-8)" = "wyższe (ISCED 5–8)");
- a label's short form when it names exactly one value: the words before the parenthesis
  ("wyższe") or the parenthesis itself ("ISCED 5-8"), K/M for kobieta/mężczyzna;
- Tak/Nie/T/N and Excel's PRAWDA/FAŁSZ (TRUE/FALSE) in any case;
- dates as RRRR-MM-DD, DD.MM.RRRR, DD/MM/RRRR or DD-MM-RRRR (a time 00:00 after them is ignored),
  date cells of XLSX, and Excel date serials (5 digits: 1927–2173; shorter numbers are refused,
  "2018" typed in a date column is not a date).
"""

import datetime as dt
import difflib
import re
import unicodedata
from functools import cache

from django.utils import translation
from django.utils.translation import gettext as _

from reporting.codes import ProgressCategory
from reporting.services.validation import CONTROL_CHARS

DASHES = re.compile(r"\s*[-\u2010\u2011\u2012\u2013\u2014\u2015\u2212]\s*")
SPACES = re.compile(r"\s+")
DATE_FORMATS_SHOWN = "DD.MM.RRRR, DD/MM/RRRR, RRRR-MM-DD"
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?$")
DMY_DATE = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?: 00:00(?::00)?)?$")
EXCEL_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")
EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (with Excel's 1900 leap-year bug, after 1 Mar 1900)
YES_WORDS = {"tak", "t", "prawda", "true"}
NO_WORDS = {"nie", "n", "falsz", "false"}
EXTRA_ALIASES = {"tak": ("t", "prawda"), "nie": ("n", "falsz")}  # Answer: Tak / Nie / Odmowa…
LETTER_PREFIX = re.compile(r"^\w\) ")  # "b) wzmocnienie…" is also "wzmocnienie…"
SHOWN_VALUE_LENGTH = 40
CATEGORY_SEPARATORS = re.compile(r"[,;\n]+")
CATEGORY_LETTER = re.compile(r"^([a-hA-H])\s*[).]?$")


class ValueRefused(ValueError):
    """The cell cannot be read; `message` says why and shows what is allowed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def shown(value: str) -> str:
    """A cell value quoted in a message: no control characters, cut to a readable length."""
    value = CONTROL_CHARS.sub("\ufffd", value)
    return value if len(value) <= SHOWN_VALUE_LENGTH else value[:SHOWN_VALUE_LENGTH] + "…"


def fold(text: str) -> str:
    """Comparison key: one kind of dash without spaces around it, single spaces, lower case."""
    text = unicodedata.normalize("NFKC", text).strip().lower()
    return SPACES.sub(" ", DASHES.sub("-", text))


def ascii_fold(text: str) -> str:
    """fold() and no diacritics (ł has no decomposition: mapped by hand)."""
    text = fold(text).replace("ł", "l")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _label(choices, value) -> str:
    with translation.override("pl"):
        return str(choices(value).label)


def allowed_labels(choices) -> list[str]:
    return [_label(choices, member.value) for member in choices]


@cache
def lookup(choices) -> dict[str, str]:
    """Every accepted spelling (ascii-folded) -> code value; a short form that would name two
    values is left out (ambiguous)."""
    exact: dict[str, str] = {}
    short: dict[str, set[str]] = {}
    for member in choices:
        label = _label(choices, member.value)
        exact[ascii_fold(label)] = member.value
        forms = [*EXTRA_ALIASES.get(member.value, ()), member.value]
        if LETTER_PREFIX.match(label):
            forms.append(label[3:])
        if "(" in label:
            head, _sep, tail = label.partition("(")
            forms += [head, tail.rstrip(")")]
        for form in forms:
            short.setdefault(ascii_fold(form), set()).add(member.value)
    for form, values in short.items():
        if len(values) == 1 and form:
            exact.setdefault(form, next(iter(values)))
    return exact


def refused_message(text: str, allowed: list[str]) -> str:
    """„X” is unknown; the allowed values, and the nearest one when there is a close one."""
    message = _("nieznana wartość „%(value)s”; dozwolone: %(allowed)s.") % {
        "value": shown(text), "allowed": "; ".join(f"„{a}”" for a in allowed)}  # fmt: skip
    near = difflib.get_close_matches(ascii_fold(text), [ascii_fold(a) for a in allowed], n=1, cutoff=0.6)
    if near:
        nearest = next(a for a in allowed if ascii_fold(a) == near[0])
        message += " " + _("Czy chodziło o „%(near)s”?") % {"near": nearest}
    return message


def coded(text: str, choices) -> str:
    """The code value of a label (normalised); ValueRefused showing the allowed labels."""
    value = lookup(choices).get(ascii_fold(text))
    if value is None:
        raise ValueRefused(refused_message(text, allowed_labels(choices)))
    return value


def yes_no(text: str) -> bool:
    key = ascii_fold(text)
    if key in YES_WORDS or key in NO_WORDS:
        return key in YES_WORDS
    raise ValueRefused(refused_message(text, [_("Tak"), _("Nie")]) + " " + _("Można też T/N."))


def parse_date(text: str) -> dt.date:
    """A date in any accepted notation; ValueRefused naming the accepted ones."""
    text = text.strip()
    try:
        if match := ISO_DATE.match(text):
            year, month, day = (int(match.group(i)) for i in (1, 2, 3))
            return dt.date(year, month, day)
        if match := DMY_DATE.match(text):
            day, month, year = (int(match.group(i)) for i in (1, 3, 4))
            return dt.date(year, month, day)
        if EXCEL_SERIAL.match(text):
            return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    except (ValueError, OverflowError):
        pass
    raise ValueRefused(_("niepoprawna data „%(value)s” (oczekiwano %(formats)s).") % {
        "value": shown(text), "formats": DATE_FORMATS_SHOWN})  # fmt: skip


def progress_categories(text: str) -> list[str]:
    """ "b", "b, c", "b; c", one per line, "b)" or the full label -> ["b", "c"]."""
    letters = []
    for raw in CATEGORY_SEPARATORS.split(text):
        part = raw.strip()
        if not part:
            continue
        if match := CATEGORY_LETTER.match(part):
            letters.append(match.group(1).lower())
            continue
        value = lookup(ProgressCategory).get(ascii_fold(part))
        if value is None:
            message = _("nieznana kategoria „%(value)s”; dozwolone: litery a–h (kilka po przecinku albo w osobnych "
                        "liniach) albo pełne nazwy kategorii.")  # fmt: skip
            raise ValueRefused(message % {"value": shown(part)})
        letters.append(value)
    return sorted(set(letters))
