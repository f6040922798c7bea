"""scripts/check_docs.py (run by `make lint`): the links of README.md and of every page under docs/,
subfolders included, resolve; a broken one is named."""

from pathlib import Path

from scripts.check_docs import broken_links, readme_too_long, slug

ROOT = Path(__file__).resolve().parents[2]


def _tree(tmp_path: Path, pages: dict[str, str]) -> Path:
    for name, text in pages.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


def test_the_repositorys_documentation_has_no_broken_link():
    assert broken_links(ROOT) == []
    assert readme_too_long(ROOT) == []


def test_a_page_in_a_subfolder_of_docs_is_checked_and_its_relative_links_resolve_from_it(tmp_path):
    root = _tree(
        tmp_path,
        {
            "README.md": "[index](docs/index.md#the-index)\n",
            "docs/index.md": "# The index\n[area](area/page.md#a-heading)\n",
            "docs/area/page.md": "# A heading\n[back](../index.md) [gone](missing.md) [wrong](../index.md#nope)\n",
        },
    )
    assert broken_links(root) == [
        "docs/area/page.md: missing.md (no such file)",
        "docs/area/page.md: ../index.md#nope (no such heading)",
    ]


def test_links_inside_code_fences_and_to_other_sites_are_not_checked(tmp_path):
    root = _tree(
        tmp_path,
        {
            "README.md": "[site](https://example.org/x)\n",
            "docs/area/page.md": "# Page\n```\n[not a link](nowhere.md)\n```\n",
        },
    )
    assert broken_links(root) == []


def test_the_anchor_is_githubs_slug_of_the_heading():
    assert slug("Coordinator's queue (scale L)") == "coordinators-queue-scale-l"
    assert slug("Inbox — the last page") == "inbox--the-last-page"
