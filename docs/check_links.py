"""Check the relative links of README.md and docs/*.md: each target file exists and each #anchor
matches a heading (GitHub's slug). Run from the repository root: `python docs/check_links.py`."""

import re
import sys
from pathlib import Path

FENCE = re.compile(r"```.*?```", flags=re.DOTALL)
LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#+ (.+)$", flags=re.MULTILINE)


def slug(heading: str) -> str:
    """GitHub's anchor: lower case, punctuation dropped (letters, digits, - and _ kept), spaces -> -."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def prose(path: Path) -> str:
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def broken_links(root: Path) -> list[str]:
    broken = []
    for md in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        for target in LINK.findall(prose(md)):
            if re.match(r"[a-z]+:", target):  # http:, https:, mailto:
                continue
            path, _, fragment = target.partition("#")
            full = (md.parent / path).resolve() if path else md
            if not full.exists():
                broken.append(f"{md.relative_to(root)}: {target} (no such file)")
            elif fragment and fragment not in {slug(h) for h in HEADING.findall(prose(full))}:
                broken.append(f"{md.relative_to(root)}: {target} (no such heading)")
    return broken


if __name__ == "__main__":
    problems = broken_links(Path.cwd())
    print("\n".join(problems) or "All relative links resolve.")
    sys.exit(1 if problems else 0)
