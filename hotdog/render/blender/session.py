"""What every Blender-side module shares: importing ``bpy`` cleanly (or saying how to get it),
keeping Blender's own output off the terminal, and the error a failed render raises.

Nothing here imports ``bpy`` at import time, so the parent process (:mod:`hotdog.render.run`) imports
this module too: for :class:`RenderError` and :data:`BPY_HELP`.
"""

from __future__ import annotations

import os
import sys
import threading
from contextlib import contextmanager
from pathlib import Path

from hotdog.pyversion import wheels

BPY_HELP = (
    "Blender's Python module (bpy) cannot be imported in this Python ({version}). bpy wheels exist for "
    f"Python {wheels()} only: use one of those, or set HOTDOG_BLENDER to a Blender executable (or to another "
    "Python that has bpy) so the worker runs there, e.g. `blender -b --python worker.py` as on Colab."
)


class RenderError(RuntimeError):
    """A record could not be rendered; the message names it. Images already written are kept."""


def _is_blender_scripts_path(entry: str) -> bool:
    """``.../bpy/5.0/scripts/...``: folders a process that imported bpy adds to ``sys.path``."""
    parts = Path(entry).parts
    return "bpy" in parts and "scripts" in parts[parts.index("bpy"):]


def import_bpy():
    """``import bpy`` with a clean ``sys.path``, or an ImportError that says what to do.

    A worker process started by a parent that had imported bpy inherits ``bpy/5.0/scripts/modules`` on
    its ``sys.path``; the ``bpy`` package in that folder would shadow the real module and fail with
    "No module named '_bpy'". Those entries are removed before importing.
    """
    if "bpy" in sys.modules:
        return sys.modules["bpy"]
    sys.path[:] = [p for p in sys.path if not _is_blender_scripts_path(p)]
    try:
        import bpy
    except ImportError as error:
        raise ImportError(BPY_HELP.format(version=sys.version.split()[0])) from error
    return bpy


@contextmanager
def quiet_stdout():
    """Silence what Blender prints straight to file descriptor 1 (the per-frame "Fra:1 Mem:..."
    lines of a render, the importers' chatter)."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


# What Cycles writes when it looks for a GPU library that this machine does not have; harmless (it
# renders on the CPU) and printed by every worker, so users took it for an error. Blender 5 writes it
# to stdout, older versions to stderr.
GPU_PROBE_NOISE = (b"CUEW initialization failed", b"HIPEW initialization failed")


@contextmanager
def without_gpu_probe_warnings():
    """Pass everything written to file descriptors 1 and 2 on as it comes, except Cycles' lines about
    GPU libraries that are not there (:data:`GPU_PROBE_NOISE`)."""
    with _filtered(1, sys.stdout), _filtered(2, sys.stderr):
        yield


@contextmanager
def _filtered(fd: int, stream):
    """Route file descriptor ``fd`` through a pipe whose reader drops the GPU probe lines."""
    try:
        stream.flush()
        saved = os.dup(fd)
    except (OSError, ValueError, AttributeError):
        yield
        return
    read, write = os.pipe()
    os.dup2(write, fd)
    os.close(write)

    def pump():
        with os.fdopen(read, "rb") as source:
            for line in source:
                if not any(noise in line for noise in GPU_PROBE_NOISE):
                    os.write(saved, line)

    thread = threading.Thread(target=pump, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stream.flush()
        os.dup2(saved, fd)  # the pipe's last writer goes, so the pump reads to the end and stops
        thread.join(timeout=5)
        os.close(saved)
