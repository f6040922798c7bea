"""Plural forms in correct Polish (issue 12 item 8): every template and every message is walked.

1. A count that is not a literal ({{ x }}, %(x)d, {x}) followed by a Polish noun must sit in
   `ngettext` / `{% blocktranslate count %}`: "3 osób", "1 uczestników" otherwise.
2. A literal number followed by one of the nouns of `FORMS` must use the form Polish grammar asks
   for (1 osoba, 2–4 osoby, 5+ osób, 22 osoby, 12 osób).
3. Every plural message has its three Polish forms in locale/pl (the source has only two).
Docstrings and log messages (English, for operators) are not walked. See docs/development.md.
"""

import ast
import re
import sys
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
CODE_DIRS = ("core", "support_network", "families", "contracts", "reporting", "demo", "config")
NOUNS = (
    r"os[oó]b\w*|lat[a]?|rok\w*|dni\w*|dzie[nń]\w*|uczestnik\w*|b[lł][eę]d\w*|zada[nń]\w*|rodzin\w*|wizyt\w*"
    r"|skierowa\w*|miejsc\w*|godzin\w*|minut\w*|pozycj\w*|rekord\w*|wydatk\w*|kontrakt\w*|program\w*"
    r"|spotka[nń]\w*|zaj[eę][cć]\w*|plik\w*|wiersz\w*|miesi[aąę]c\w*|tygod\w*|usług\w*|punkt\w*|cz[lł]onk\w*"
    r"|zmian\w*|wynik\w*|stron\w*|diagnoz\w*|ocen\w*|partner\w*|projekt\w*|sesj\w*|powiadomie\w*|znak\w*|cyfr\w*"
)
VARIABLE = r"\{\{[^}]+\}\}|%\(\w+\)[sd]|%[sd]|\{[\w.]+(?::[^}]*)?\}"
COUNT_THEN_NOUN = re.compile(rf"(?P<n>\b\d+\b|{VARIABLE})[ \u00a0]+(?P<noun>{NOUNS})\b", re.IGNORECASE)
COUNT_BLOCK = re.compile(r"\{%\s*blocktrans(?:late)?\b[^%]*\bcount\b.*?\{%\s*endblocktrans(?:late)?\s*%\}", re.S)
PLURAL_CALLS = {"ngettext", "ngettext_lazy", "npgettext", "npgettext_lazy"}
LOG_CALLS = {"debug", "info", "warning", "error", "exception", "critical"}

# nominative/accusative forms after a number: (1, 2–4 but not 12–14, the rest)
FORMS = [
    ("osoba", "osoby", "osób"), ("rok", "lata", "lat"), ("dzień", "dni", "dni"), ("błąd", "błędy", "błędów"),
    ("zadanie", "zadania", "zadań"), ("rodzina", "rodziny", "rodzin"), ("wizyta", "wizyty", "wizyt"),
    ("miesiąc", "miesiące", "miesięcy"), ("tydzień", "tygodnie", "tygodni"), ("godzina", "godziny", "godzin"),
    ("minuta", "minuty", "minut"), ("znak", "znaki", "znaków"), ("cyfra", "cyfry", "cyfr"),
    ("wiersz", "wiersze", "wierszy"), ("plik", "pliki", "plików"), ("miejsce", "miejsca", "miejsc"),
]  # fmt: skip

# (file, matched text): why it is right although not in ngettext
ALLOWED = {
    ("templates/reporting/pdf/indicator_report.html", "{{ days }} dni"): "'do {{ days }} dni': 'do' takes the "
    "genitive plural, and a result window is weeks long (never 1 day)",
    ("templates/reporting/rulesets/efs2014_page.html", "{{ days }} dni"): "the same 'do {{ days }} dni'",
    ("reporting/services/validation.py", "%(max)d miesięcy"): "'od 1 do %(max)d miesięcy': genitive after 'do', "
    "max is 24+",
    ("core/middleware.py", "30 minutes"): "English comment text of a module docstring-like constant",
}


def polish_form(n: int) -> int:
    """The index of Polish's plural form for n (the Plural-Forms formula of locale/pl)."""
    if n == 1:
        return 0
    return 1 if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14 else 2


def _templates():
    return sorted((ROOT / "templates").rglob("*.html"))


def _sources():
    return sorted(p for d in CODE_DIRS for p in (ROOT / d).rglob("*.py") if "migrations" not in p.parts)


def _skipped_nodes(tree) -> set[int]:
    """Nodes inside plural calls, log calls and docstrings."""
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name in PLURAL_CALLS or name in LOG_CALLS:
                skipped.update(id(sub) for sub in ast.walk(node))
        elif isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant | ast.JoinedStr):
            skipped.update(id(sub) for sub in ast.walk(node))  # docstrings and bare strings
    return skipped


def _python_texts(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped = _skipped_nodes(tree)
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value
        elif isinstance(node, ast.JoinedStr):
            yield "".join(v.value if isinstance(v, ast.Constant) else "{x}" for v in node.values)


def _texts():
    """(file, text) of every template (outside plural blocks) and every string of the code."""
    for path in _templates():
        yield str(path.relative_to(ROOT)), COUNT_BLOCK.sub("", path.read_text(encoding="utf-8"))
    for path in _sources():
        for text in _python_texts(path):
            yield str(path.relative_to(ROOT)), text


def _problem(match) -> str | None:
    number, noun = match["n"], match["noun"].lower()
    if not number.isdigit():
        return "a count outside ngettext / blocktranslate count"
    expected = next((forms for forms in FORMS if noun in forms), None)
    if expected and noun != expected[polish_form(int(number))] and noun not in expected[1:] * (number == "1"):
        return f"Polish says {number} {expected[polish_form(int(number))]}"
    return None


def find_problems() -> list[str]:
    problems = []
    for name, text in _texts():
        for match in COUNT_THEN_NOUN.finditer(text):
            if (name, match[0]) not in ALLOWED and (why := _problem(match)):
                problems.append(f"{name}: '{match[0]}': {why}")
    return problems


def test_no_count_meets_a_noun_outside_plural_forms():
    assert find_problems() == []


def test_the_walk_finds_what_it_must(tmp_path, monkeypatch):
    """The checker itself can fail: a variable count and a wrong literal form are both found."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "x.html").write_text("{{ n }} osób, 2 osób, 22 osoby, 12 osób, 1 osoba, 5 lat")
    for name in CODE_DIRS:
        (tmp_path / name).mkdir()
    (tmp_path / "core" / "x.py").write_text('from django.utils.translation import gettext as _\n_("%(n)d błędów")\n')
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    problems = find_problems()
    assert any("{{ n }} osób" in p for p in problems)
    assert any("'2 osób'" in p for p in problems)
    assert any("%(n)d błędów" in p for p in problems)
    assert not any(p for p in problems if "22 osoby" in p or "12 osób" in p or "1 osoba" in p or "5 lat" in p)


@pytest.mark.parametrize(("n", "form"), [(1, 0), (2, 1), (4, 1), (5, 2), (12, 2), (14, 2), (22, 1), (25, 2), (112, 2)])
def test_polish_plural_rule(n, form):
    assert polish_form(n) == form


def _plural_msgids():
    """msgids of every plural message: ngettext calls in the code, count blocks in templates."""
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in PLURAL_CALLS:
                args = node.args[1:] if "pgettext" in getattr(node.func, "id", "") else node.args
                if args and isinstance(args[0], ast.Constant):
                    yield str(path.relative_to(ROOT)), args[0].value
    call = re.compile(r"ngettext\((u'(?:[^'\\]|\\.)*')")
    for path in _templates():
        source = path.read_text(encoding="utf-8")
        if COUNT_BLOCK.search(source):
            for literal in call.findall(templatize(source)):
                yield str(path.relative_to(ROOT)), ast.literal_eval(literal)


def test_every_plural_message_has_three_polish_forms():
    catalog = {e.msgid: e for e in polib.pofile(str(ROOT / "locale/pl/LC_MESSAGES/django.po")) if e.msgid_plural}
    missing = [
        f"{name}: {msgid!r}"
        for name, msgid in _plural_msgids()
        if msgid not in catalog or len([v for v in catalog[msgid].msgstr_plural.values() if v]) != 3
    ]
    assert missing == []


@pytest.mark.parametrize(("n", "text"), [(1, "1 rok"), (2, "2 lata"), (5, "5 lat"), (22, "22 lata"), (12, "12 lat")])
def test_polish_forms_are_really_produced(n, text):
    with translation.override("pl"):
        assert translation.ngettext("%(age)s rok", "%(age)s lat", n) % {"age": n} == text
