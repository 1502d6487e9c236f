"""Test-wide settings, for the unit tests and the notebooks that nbval runs alike.

Tiny sizes, and scratch folders for the renders and results, so tests never touch data/ or
results/. The real photos come from the ``HOTDOG_AUTHENTIC`` setting; when it is not set,
hotdog.paths falls back to ``../shared/data/authentic`` beside the checkout (CI and the team's
machines). nbval's kernels inherit these variables.
"""

import os
import tempfile
from pathlib import Path

_scratch = Path(tempfile.mkdtemp(prefix="hotdog-tests-"))
os.environ.setdefault("HOTDOG_SIZE", "tiny")
os.environ.setdefault("HOTDOG_SYNTHETIC", str(_scratch / "synthetic"))
os.environ.setdefault("HOTDOG_RESULTS", str(_scratch / "results"))
os.environ.setdefault("MPLBACKEND", "Agg")
