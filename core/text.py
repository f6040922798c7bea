"""One normalisation for searching and comparing names: lower case, Polish (and other) diacritics
folded, whitespace collapsed. "SZYMAŃSKA", "Szymanska" and "szymańska" all fold to "szymanska".

Stored next to the name in a search column (`Person.search_name`, `BudgetLine.category_key` …) and
kept on save, so a plain `contains` finds them on SQLite and PostgreSQL alike (no unaccent or
collation needed), and a unique constraint on the folded value makes "unique, case-insensitive"
names really unique (docs/casework.md#search).
"""

import unicodedata

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.db import connections, models
from django.db.models import Q

# letters that NFKD does not decompose into a base letter and a combining mark
_NOT_DECOMPOSED = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ß": "ss", "æ": "ae"})


def fold(text: str | None) -> str:
    """The search form of `text`: lower case, no diacritics, single spaces."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_NOT_DECOMPOSED))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def fold_words(text: str | None, limit: int = 5) -> list[str]:
    """The folded words of a search text (at most `limit`)."""
    return fold(text).split()[:limit]


class FoldedField(models.CharField):
    """The folded text of the fields named in `sources` (joined by a space), computed on save and
    in `bulk_create` (never edited by hand). A queryset `update()` of a source does not refresh it:
    save the rows instead."""

    def __init__(self, *args, sources: tuple[str, ...] = (), **kwargs):
        self.sources = tuple(sources)
        kwargs.update(blank=True, editable=False, default="")
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("blank", "editable", "default"):
            kwargs.pop(key, None)
        kwargs["sources"] = self.sources
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = fold(" ".join(str(getattr(model_instance, name) or "") for name in self.sources))
        value = value[: self.max_length]
        setattr(model_instance, self.attname, value)
        return value


def with_folded_fields(instance: models.Model, kwargs: dict) -> dict:
    """save() kwargs where `update_fields` also names the folded field of every source it names."""
    if (fields := kwargs.get("update_fields")) is None:
        return kwargs
    folded = {
        f.name for f in instance._meta.concrete_fields if isinstance(f, FoldedField) and set(f.sources) & set(fields)
    }
    return {**kwargs, "update_fields": {*fields, *folded}} if folded else kwargs


# `field__trigram_word_similar`: PostgreSQL's `%>` (pg_trgm, a GIN trigram index makes it fast)
FoldedField.register_lookup(TrigramWordSimilar)

FUZZY_MIN_LENGTH = 4  # shorter words are matched exactly (a trigram of "ko" matches half the register)


def folded_match(field: str, words: list[str], *, fuzzy: bool = False) -> Q:
    """Every (folded) word appears in the FoldedField `field`; with `fuzzy` (PostgreSQL only: pg_trgm)
    a word of 4+ letters may instead be similar to a word of it (one typo: "Szymamska")."""
    match = Q()
    for word in words:
        word_q = Q(**{f"{field}__contains": word})
        if fuzzy and len(word) >= FUZZY_MIN_LENGTH:
            word_q |= Q(**{f"{field}__trigram_word_similar": word})
        match &= word_q
    return match


def supports_trigrams(alias: str = "default") -> bool:
    return connections[alias].vendor == "postgresql"
