"""Check the documentation (`make lint`): the README keeps to its first screen (at most
README_MAX_LINES lines; the rest belongs in docs/), and every relative link of README.md and of
every Markdown file under docs/ (subfolders too, e.g. docs/performance/) resolves: the target file
exists and each #anchor matches a heading (GitHub's slug)."""

import re
import sys
from pathlib import Path

FENCE = re.compile(r"```.*?```", flags=re.DOTALL)
LINK = re.compile(r"\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#+ (.+)$", flags=re.MULTILINE)
README_MAX_LINES = 250


def slug(heading: str) -> str:
    """GitHub's anchor: lower case, punctuation dropped (letters, digits, - and _ kept), spaces -> -."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def prose(path: Path) -> str:
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def broken_links(root: Path) -> list[str]:
    broken = []
    for md in [root / "README.md", *sorted((root / "docs").rglob("*.md"))]:
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


def readme_too_long(root: Path) -> list[str]:
    lines = len((root / "README.md").read_text(encoding="utf-8").splitlines())
    if lines > README_MAX_LINES:
        return [f"README.md: {lines} lines, at most {README_MAX_LINES} (move the detail to docs/)"]
    return []


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    problems = readme_too_long(root) + broken_links(root)
    print("\n".join(problems) or "docs: README within its first screen, all relative links resolve.")
    sys.exit(1 if problems else 0)
