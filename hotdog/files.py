"""Files that are either complete or absent: every write of a finished result goes through here.

A result (a JSON record, a checkpoint, a rendered image, a downloaded photo) is written to a hidden
temporary name beside its target and renamed onto it only once it is whole, so a crash or Ctrl-C
never leaves half a file under the real name. The temporary name starts with a dot, so an image
folder loader and ``glob("seed*.json")`` never pick it up. Only the standard library is imported,
so Blender's own Python (the render workers) uses this module too.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def temporary_name(path: str | os.PathLike) -> Path:
    """Where :func:`atomic_path` writes ``path`` before it is complete: ``.<name>.tmp`` beside it."""
    path = Path(path)
    return path.with_name(f".{path.name}.tmp")


@contextmanager
def atomic_path(path: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path to write ``path`` to; on leaving, rename it onto ``path`` (or, on an
    error, remove it and leave ``path`` as it was). Creates the parent folder."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_name(path)
    try:
        yield tmp
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
    return Path(path)


def write_text(path: str | os.PathLike, text: str) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(text)
    return Path(path)


def write_json(path: str | os.PathLike, obj, **dumps) -> Path:
    """``obj`` as JSON (``json.dumps(obj, **dumps)``), atomically."""
    return write_text(path, json.dumps(obj, **dumps))
