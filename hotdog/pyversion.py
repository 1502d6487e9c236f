"""Which Python can render: bpy is built for one Python version per Blender release."""

from __future__ import annotations

import sys

BPY_FOR_PYTHON = {(3, 11): "bpy 5.0 (Blender 4.2 to 5.0)", (3, 13): "bpy 5.1 or newer (Blender 5.1+)"}


def check_python(version: tuple[int, int] | None = None) -> str | None:
    """None when ``version`` (default: this interpreter) has a bpy wheel, else what to do instead."""
    version = tuple(version or sys.version_info[:2])
    if version in BPY_FOR_PYTHON:
        return None
    return (f"Python {version[0]}.{version[1]} has no bpy wheel: bpy needs Python 3.11 (bpy 5.0) or "
            f"3.13 (bpy 5.1+). Create the environment with one of those (`bash run.sh` looks for "
            f"python3.11 and python3.13), or render with a Blender executable: set HOTDOG_BLENDER=/path/to/blender. "
            f"Everything except rendering works on this Python.")
