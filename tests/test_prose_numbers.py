"""A number typed into the README's or a notebook's prose is a number something measured: it appears in a
table the README regenerates from ``results/`` (scripts/refresh_tables.py, whose tables must be fresh), or,
in a notebook, in a code cell or an output above the sentence. The check looks at decimals (``73.8 %``,
``0.729``, ``+4.5``): counts such as "199 photos" are settings, not results."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from hotdog.metrics import ARTICLE

ROOT = Path(__file__).resolve().parents[1]
DECIMAL = re.compile(r"(?<![\w.])[+-]?(\d+\.\d+)(?![\w.])")  # not a part of a version such as 5.0.1
ALLOWED = {"0.5", "1.0",  # a coin's AUC and a threshold; a perfect ranking
           "0.05",  # the usual significance level
           "3.11", "3.13"}  # the Pythons bpy exists for
ARTICLE_NUMBERS = {f"{100 * v:.2f}" for v in ARTICLE.values()} | {f"{100 * (ARTICLE['both'] - ARTICLE['authentic']):.2f}"}
PENDING: dict[str, str] = {}  # notebook -> why it does not pass yet (each must still fail: strict)


def prose(markdown: str) -> str:
    """``markdown`` without what is not prose: code, link targets, comments, generated blocks and table rows."""
    text = re.sub(r"```.*?```", "", markdown, flags=re.S)
    text = re.sub(r"<!-- ([\w-]+):.*?<!-- /\1 -->", "", text, flags=re.S)
    text = re.sub(r"`[^`]*`|<!--.*?-->|\]\([^)]*\)", "", text, flags=re.S)
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("|"))


def unsourced(text: str, sources: str) -> list[str]:
    """The decimals of ``text``'s prose that neither ``sources`` nor the allowed and article numbers hold."""
    held = set(DECIMAL.findall(sources)) | ALLOWED | ARTICLE_NUMBERS
    return [number for number in DECIMAL.findall(prose(text)) if number not in held]


def _outputs(cell: dict) -> str:
    texts = [o.get("text", "") for o in cell.get("outputs", [])]
    texts += [v for o in cell.get("outputs", []) for k, v in o.get("data", {}).items() if k.startswith("text/")]
    return "\n".join("".join(t) for t in texts)


def notebook_problems(path: Path) -> list[str]:
    """Per markdown cell, the numbers no code cell or output above it holds."""
    above, problems = "", []
    for index, cell in enumerate(json.loads(path.read_text())["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] == "markdown":
            problems += [f"cell {index}: {n}" for n in unsourced(source, above)]
        else:
            above += source + "\n" + _outputs(cell)
    return problems


def test_a_typed_number_is_caught_and_a_measured_one_passes():
    assert unsourced("renders then photos get 78.3 % (AUC 0.87)", "| both | **78.3%** |") == ["0.87"]
    assert unsourced("`bpy==5.0.1` on Python 3.11, and `x = 84.2` gives 84.2 %", "x = 84.2") == []
    assert unsourced("`x = 84.2` gives 84.2 %", "") == ["84.2"]  # a number in code is no source of itself
    assert unsourced("the article's 83.92 %", "") == []


def test_readme_numbers_come_from_its_regenerated_tables():
    readme = (ROOT / "README.md").read_text()
    tables = "\n".join(block for _, block in re.findall(r"<!-- ([\w-]+): .*? -->\n(.*?)<!-- /\1 -->", readme, re.S))
    assert tables, "README.md has no regenerated table to take its numbers from"
    assert unsourced(readme, tables) == []


def test_readme_tables_say_what_the_records_say():
    check = subprocess.run([sys.executable, "scripts/refresh_tables.py", "--check"], cwd=ROOT, capture_output=True,
                           text=True)
    stale = [line for line in check.stdout.splitlines() if line.startswith("stale: README.md")]
    assert not stale, f"{stale}: run python scripts/refresh_tables.py"


@pytest.mark.parametrize("name", [p.name for p in sorted((ROOT / "notebooks").glob("*.ipynb"))])
def test_notebook_numbers_come_from_an_output_above_them(name):
    problems = notebook_problems(ROOT / "notebooks" / name)
    if name in PENDING:
        assert problems, f"{name} passes now: remove it from PENDING"
        pytest.xfail(PENDING[name])
    assert not problems, f"{name}: typed numbers no output above holds: {', '.join(problems)}"
