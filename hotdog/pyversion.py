"""Which Python can render: bpy is built for one Python version per Blender release. The one table of
them (``pip`` requirement by Python version); the renderer's, the notebooks' and the installer's messages
are made from it."""

from __future__ import annotations

import sys

BPY_REQUIREMENT = {(3, 11): "bpy==5.0.1", (3, 13): "bpy>=5.1"}  # bpy 4.2 to 5.0 need 3.11, 5.1+ need 3.13


def wheels() -> str:
    """The Pythons bpy exists for, with what to install on each: "3.11 (pip install 'bpy==5.0.1') or ..."."""
    return " or ".join(f"{major}.{minor} (pip install '{requirement}')"
                       for (major, minor), requirement in BPY_REQUIREMENT.items())


def check_python(version: tuple[int, int] | None = None) -> str | None:
    """None when ``version`` (default: this interpreter) has a bpy wheel, else what to do instead."""
    version = tuple(version or sys.version_info[:2])
    if version in BPY_REQUIREMENT:
        return None
    return (f"Python {version[0]}.{version[1]} has no bpy wheel: bpy needs Python {wheels()}. Create the "
            f"environment with one of those (`bash run.sh` looks for python3.11 and python3.13), or render with a "
            f"Blender executable: set HOTDOG_BLENDER=/path/to/blender. Everything except rendering works on this Python.")
