"""Dead code: vulture over the app code ([tool.vulture] in pyproject.toml), run by `make lint`.

vulture reads Python only, so three kinds of use are invisible to it; this wrapper adds exactly
those and nothing else:

- templates: an identifier that appears in templates/ (`{{ referral.answered_at }}`,
  `{% url ... %}`) counts as used;
- declarative modules (models, forms, filters, admin, codes): their class attributes are fields,
  choices and options that the ORM, the forms and the admin read by name. An unused *variable*
  there is not reported, and an attribute of the same name written elsewhere
  (`plan.status_changed_at = now`) is a field write, not dead code. Their functions, methods and
  classes are still checked;
- vulture_whitelist.py: the rest (hooks Django or a library calls by dotted path or by string),
  one line each with its reason.

Everything else vulture reports at min_confidence fails the run (exit status 1).
"""

import re
import sys
import tomllib
from pathlib import Path

from vulture import Vulture

ROOT = Path(__file__).resolve().parent.parent
DECLARATIVE = re.compile(r"(^|/)(models|forms|filters|admin|codes)(\.py$|/)")
IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def main() -> int:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["vulture"]
    vulture = Vulture(ignore_names=config["ignore_names"], ignore_decorators=config["ignore_decorators"])
    vulture.scavenge([str(ROOT / path) for path in config["paths"]], exclude=config["exclude"])
    template_names: set[str] = set()
    for template in sorted((ROOT / "templates").rglob("*.html")):
        template_names.update(IDENTIFIER.findall(template.read_text(encoding="utf-8")))
    field_names = {item.name for item in vulture.defined_vars if DECLARATIVE.search(_relative(item.filename))}
    findings = []
    for item in vulture.get_unused_code(min_confidence=config["min_confidence"]):
        if item.name in template_names:
            continue
        if item.typ in ("variable", "attribute") and (
            DECLARATIVE.search(_relative(item.filename)) or item.name in field_names
        ):
            continue
        findings.append(item)
    for item in findings:
        print(f"{_relative(item.filename)}:{item.first_lineno}: {item.message} ({item.confidence}% confidence)")
    print(f"deadcode: {len(findings)} finding(s)", file=sys.stderr)
    return 1 if findings else 0


def _relative(path) -> str:
    return Path(path).resolve().relative_to(ROOT).as_posix()


if __name__ == "__main__":
    sys.exit(main())
