"""glibc's ``mallopt``, for the two places where the C allocator's defaults cost us dearly.

* **Render workers** cap the number of malloc arenas (:func:`limit_arenas`): Cycles renders on fresh
  threads, and glibc kept each thread's memory, so a worker grew by 22 MB per 1,000 images.
* **Training on the CPU** keeps freed memory for the next batch (:func:`keep_freed_memory`): the
  article's network makes activations of about 120 MB per batch of 64, which glibc hands to the
  kernel with ``munmap`` when freed and maps again, page by page, on the next batch; on a 2-core
  AMD EPYC training then spent over a third of its CPU time in the kernel
  (``benchmarks/bench_train.py`` measures the difference).

Only the standard library is imported, so Blender's own Python can use this module too. Every
function is a no-op returning False where there is no glibc (macOS, Windows, musl).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import platform
import sys

M_TRIM_THRESHOLD, M_MMAP_THRESHOLD, M_ARENA_MAX = -1, -3, -8  # from glibc's malloc.h
_INT_MAX = 2**31 - 1  # mallopt takes a C int
_kept = False


def mallopt(option: int, value: int) -> bool:
    """``mallopt(option, value)`` of glibc; False where there is none or it refused the value."""
    if platform.libc_ver()[0] != "glibc":
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return bool(libc.mallopt(int(option), int(value)))
    except (OSError, AttributeError, TypeError):
        return False


def limit_arenas(arenas: int = 2) -> bool:
    """Cap the malloc arenas, as ``MALLOC_ARENA_MAX=2`` would."""
    return mallopt(M_ARENA_MAX, arenas)


def keep_freed_memory(announce: bool = False) -> bool:
    """Serve big blocks from the heap and keep freed memory there instead of returning it to the
    kernel, as ``MALLOC_MMAP_THRESHOLD_`` and ``MALLOC_TRIM_THRESHOLD_`` set to 2 GB would.

    The price is memory: the process holds on to its peak until it exits, and the heap fragments, so
    the peak itself grows (training the article's network on batches of 64: 4.1 GB instead of 2.5 GB,
    measured on the AMD EPYC). Applies to the whole process, once; ``announce`` says so the first
    time. ``TrainConfig(keep_freed_memory=False)`` leaves glibc's defaults alone."""
    global _kept
    if not _kept:
        _kept = mallopt(M_MMAP_THRESHOLD, _INT_MAX) and mallopt(M_TRIM_THRESHOLD, _INT_MAX)
        if _kept and announce:
            print("training on the CPU: glibc now keeps freed memory for the next batch, for the rest of this "
                  "process (faster, for a higher memory peak; see hotdog/malloc.py; "
                  "TrainConfig(keep_freed_memory=False) leaves it alone)")
    return _kept


def for_training(device, progress: bool = False) -> bool:
    """:func:`keep_freed_memory` when ``device`` (a ``torch.device`` or its type) is the CPU; the change is
    said on the command line when ``progress`` is on, and not in a notebook, whose reader is spared it."""
    if getattr(device, "type", device) != "cpu":
        return False
    return keep_freed_memory(announce=progress and "ipykernel" not in sys.modules)
