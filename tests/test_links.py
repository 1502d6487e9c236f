"""Every relative link in the Markdown pages (README, RESULTS, WORKSHOP, docs/) leads to a file that exists
and, where it names a section, to a heading of that file: moving a section must not leave a dead link."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted([*ROOT.glob("*.md"), *ROOT.glob("docs/*.md")])
LINK = re.compile(r"\]\(([^)\s]+)\)")


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*]", "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def anchors(page: Path) -> set[str]:
    return {slug(line.lstrip("#")) for line in page.read_text().splitlines() if line.startswith("#")}


def relative_links(page: Path) -> list[str]:
    return [link for link in LINK.findall(page.read_text()) if not re.match(r"[a-z]+:", link)]


def test_slug_is_githubs():
    assert slug("Reliability: the faults a user meets, and what they see") == \
        "reliability-the-faults-a-user-meets-and-what-they-see"
    assert slug("What `bash run.sh` prints") == "what-bash-runsh-prints"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page):
    dead = []
    for link in relative_links(page):
        target, _, anchor = link.partition("#")
        path = (page.parent / target).resolve() if target else page
        if not path.exists():
            dead.append(f"{link}: no file {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            dead.append(f"{link}: no heading #{anchor} in {path.name}")
    assert not dead, f"{page.name}: " + "; ".join(dead)
