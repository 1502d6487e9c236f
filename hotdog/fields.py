"""``FIELD=VALUE`` settings from the command line (``--set`` on the renderer, ``--train`` on the transfer
score), read against a dataclass's fields: the value as JSON, checked against the kind of value the
field holds, and an error that names the option and the fields it takes; and how two configs saved as
JSON differ, field by field (a study's seeds, a lender's synthetic stage)."""

from __future__ import annotations

import json
from pathlib import Path


def read_setting(setting: str, names, option: str) -> tuple[str, object]:
    """A command line's ``FIELD=VALUE`` as ``(field, value)``: the value read as JSON, a bare word as a
    string; an error naming the ``option`` and the fields it takes unless ``FIELD`` is one of ``names``."""
    import difflib

    name, sep, text = setting.partition("=")
    if not sep:
        raise ValueError(f"{option} {setting!r}: give FIELD=VALUE, e.g. {option} {name}=..., the value as JSON")
    if name not in names:
        close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
        hint = f"did you mean {' or '.join(close)}?" if close else f"the fields are listed in {_where(option)}"
        raise ValueError(f"{option} {setting!r}: there is no field {name!r}; {hint}")
    try:
        return name, json.loads(text)
    except json.JSONDecodeError:
        return name, text


def is_number(x) -> bool:
    """An int or a float (not a bool, which Python counts as an int)."""
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _where(option: str) -> str:
    return {"--set": "hotdog/render/spec.py (RenderConfig)", "--train": "hotdog/train.py (TrainConfig)"}.get(option, "--help")


def checked_value(name: str, value, current):
    """A ``--set`` value checked against the kind of value the field holds now."""
    if isinstance(current, bool):
        ok, takes = isinstance(value, bool), "true or false"
    elif isinstance(current, (int, float)):
        ok, takes = isinstance(value, (int, float)) and not isinstance(value, bool), "a number, e.g. 0.5"
    elif isinstance(current, tuple):
        value = [value] if isinstance(value, str) else value  # one name for a tuple of names
        ok, takes = isinstance(value, list), "a JSON list, e.g. [0.7,1.3]"
    else:
        ok, takes = True, ""
    if not ok:
        raise ValueError(f"--set {name}={value}: {name} takes {takes}")
    return tuple(value) if isinstance(value, list) else value


def render_differences(recorded: dict, asked: dict, *, strict: bool = False) -> list[str]:
    """The fields in which render config ``asked`` differs from ``recorded`` (as saved in a record), sorted,
    folders compared by name. A field only one of them has (a record predating it) counts only if ``strict``."""
    mine = _by_folder_name(recorded)
    asked = _by_folder_name(json.loads(json.dumps(asked)))  # as saved: tuples are lists
    keys = mine.keys() | asked.keys() if strict else mine.keys() & asked.keys()
    return sorted(k for k in keys if mine.get(k, "absent") != asked.get(k, "absent"))


def _by_folder_name(config: dict) -> dict:
    """``config`` with its folders by name only: the same photos or meshes sit elsewhere on another machine."""
    return {k: Path(v).name if k in ("backgrounds_dir", "meshes_dir") and v else v for k, v in config.items()}
