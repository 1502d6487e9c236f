"""Regenerate every table marked ``<!-- name: python -m hotdog ... -->`` ... ``<!-- /name -->`` in the
Markdown files (README.md, RESULTS.md, WORKSHOP.md) from the command in its marker, so the tables say
what the records under results/ say.

    python scripts/refresh_tables.py          # rewrite the stale tables, name each one
    python scripts/refresh_tables.py --check  # only name them; exit 1 if any is stale

A marker whose command holds "..." is shorthand for a longer command and is left alone.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MARKED = re.compile(r"(<!-- ([\w-]+): (python -m hotdog [^>]*?) -->\n)(.*?)(<!-- /\2 -->)", re.S)


def refresh(text: str, path: str) -> tuple[str, list[str]]:
    stale = []

    def replace(match):
        opening, name, command, block, closing = match.groups()
        if "..." in command:
            return match.group(0)
        out = subprocess.run([sys.executable, *shlex.split(command)[1:]], capture_output=True, text=True, cwd=ROOT)
        if out.returncode != 0:
            raise SystemExit(f"{path}: `{command}` failed:\n{out.stderr[-2000:]}")
        if out.stdout.strip() == block.strip():
            return match.group(0)
        stale.append(f"{path}: {name}")
        return opening + out.stdout.strip() + "\n" + closing

    return MARKED.sub(replace, text), stale


def main() -> int:
    check = "--check" in sys.argv[1:]
    stale = []
    for path in sorted(ROOT.glob("*.md")):
        text, found = refresh(path.read_text(), path.name)
        stale += found
        if found and not check:
            path.write_text(text)
    for line in stale:
        print(("stale: " if check else "rewritten: ") + line)
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
