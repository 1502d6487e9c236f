"""What made a record, and the refusal to add to a name with anything else.

A study's seeds, a transfer record and a render folder each carry the settings that produced them. A
run that would add to a name that has records (another seed of a study, another seed of a transfer
variant) first compares, section by section, what it is asked to do with what each record says was
done, and refuses anything different before any work: the message names every setting that differs,
as recorded and as asked, and the ways on (continue as it began, a new name, or ``--force`` to start
that name again). A number over seeds is therefore always a number over one configuration.

Settings a record predates (a field added to a config since) are not differences: a record without
them was made with their defaults. Folders are compared by name, since the same photos sit elsewhere
on another machine. Damaged JSON is named with its fix (:func:`read_json`).
"""

from __future__ import annotations

import json
from pathlib import Path

FOLDER_FIELDS = ("backgrounds_dir", "meshes_dir", "renders")


class DamagedRecord(ValueError):
    """A record or sidecar that cannot be read; its message names the file and the fix."""


def read_json(path: str | Path, fix: str | None = None) -> dict:
    """The JSON object in ``path``, or :class:`DamagedRecord` naming the file, what is wrong and ``fix``
    (default: restore it from git, or delete it and run what made it again)."""
    path = Path(path)
    fix = fix or f"restore it (git checkout -- {path}) or delete it and run what made it again"
    try:
        value = json.loads(path.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise DamagedRecord(f"{path} is damaged ({error}): {fix}") from None
    if not isinstance(value, dict):
        raise DamagedRecord(f"{path} is damaged (it holds a {type(value).__name__}, not a record): {fix}")
    return value


def load_records(folder: Path, first: tuple[str, ...] = (), damaged: list[str] | None = None, *,
                 again: str = "run it again") -> dict[str, dict]:
    """The records ``<folder>/<name>.json`` by name: those named in ``first`` in that order, then the others by
    name. A damaged one is left out and named in ``damaged`` where a list is given (the others still print),
    else raised; its message says to restore it from git, or delete it and ``again``."""
    records = {}
    for path in sorted(Path(folder).glob("*.json")):
        try:
            records[path.stem] = read_json(path, f"restore it (git checkout -- {path}), or delete it and {again}")
        except DamagedRecord as error:
            if damaged is None:
                raise
            damaged.append(str(error))
    order = [n for n in first if n in records] + sorted(n for n in records if n not in first)
    return {n: records[n] for n in order}


def as_saved(value):
    """``value`` as a record stores it: tuples are lists, folders are their names."""
    value = json.loads(json.dumps(value, default=str))
    if isinstance(value, dict):
        return {k: Path(v).name if k in FOLDER_FIELDS and isinstance(v, str) else v for k, v in value.items()}
    return value


def differences(recorded: dict, asked: dict) -> list[str]:
    """The settings in which ``asked`` differs from ``recorded``, as ``section.field``, sorted. Both map a
    section (``sizes``, ``recipe``, ...) to a dict of fields or to a plain value; a section or field only
    one side has (a record predating it) is not a difference, but a section that is nothing (``None``) on
    one side and something on the other is."""
    out = []
    for section in recorded.keys() & asked.keys():
        mine, theirs = as_saved(recorded[section]), as_saved(asked[section])
        if isinstance(mine, dict) and isinstance(theirs, dict):
            out += [f"{section}.{k}" for k in mine.keys() & theirs.keys() if mine[k] != theirs[k]]
        elif mine != theirs:
            out.append(section)
    return sorted(out)


def describe(names: list[str], recorded: dict, asked: dict, limit: int = 60) -> str:
    """``names`` (from :func:`differences`) with both values: ``recipe.name 'article' recorded, 'tuned' asked``."""
    def value(settings: dict, name: str):
        section, _, field = name.partition(".")
        found = as_saved(settings.get(section))
        found = found.get(field) if field and isinstance(found, dict) else found
        text = json.dumps(found, separators=(",", ":"))
        return text if len(text) <= limit else text[:limit - 3] + "..."

    return "; ".join(f"{name} {value(recorded, name)} recorded, {value(asked, name)} asked" for name in names)


def without(mapping: dict | None, *keys: str) -> dict | None:
    """``mapping`` less ``keys`` (``None`` stays ``None``)."""
    return None if mapping is None else {k: v for k, v in mapping.items() if k not in keys}
