"""What the template tags that build a long list's rows in Python share (the rows' HTML is the same as
the template's `{% for %}` gave, docs/performance/frame.md):

    _WORDS = Words({"nr": gettext_noop("Nr"), "person": gettext_noop("Osoba")})
    t = _WORDS.active()   # the fixed words of the active language, escaped: t["nr"]
    f"<td>{v(row.hours)}</td>"   # `{{ row.hours }}`: localized and escaped

A row's fixed words (its labels, its badges) are the same on every row and every request: they are
translated and escaped once per language, not once per cell."""

import html

from django.conf import settings
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import conditional_escape


class Words:
    """A table of fixed words (`gettext_noop` texts by key), translated and escaped once per language."""

    def __init__(self, texts: dict[str, str]):
        self.texts = texts
        self._by_language: dict[str | None, dict[str, str]] = {}

    def of(self, language: str | None) -> dict[str, str]:
        """The words in `language` (None: translation deactivated, the texts as written), escaped."""
        words = self._by_language.get(language)
        if words is None:
            with translation.override(language):
                words = {key: conditional_escape(translation.gettext(text)) for key, text in self.texts.items()}
            self._by_language[language] = words
        return words

    def active(self) -> dict[str, str]:
        """The words in the active language, escaped."""
        return self.of(translation.get_language())


def v(value) -> str:
    """`{{ value }}`: localized (a number, a date) and escaped. A plain text, or an integer without
    thousands separators, is what `localize` gives back as it is: escaped straight away, without
    `escape`'s lazy wrapper and `localize`'s format lookups (most cells of a row; a tenth of a list
    page's CPU time)."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is int and not settings.USE_THOUSAND_SEPARATOR:
        return str(value)
    return conditional_escape(localize(value))
