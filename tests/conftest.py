"""Shared test set-up: tiny sizes, and scratch folders so tests never touch data/ or results/.

The real photos come from the ``HOTDOG_AUTHENTIC`` setting; when it is not set, hotdog.paths
falls back to ``../shared/data/authentic`` beside the checkout (CI and the team's machines).
The notebooks run under nbval in kernels that inherit these variables.
"""

import os
import tempfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

_scratch = Path(tempfile.mkdtemp(prefix="hotdog-tests-"))
os.environ.setdefault("HOTDOG_SIZE", "tiny")
os.environ.setdefault("HOTDOG_SYNTHETIC", str(_scratch / "synthetic"))
os.environ.setdefault("HOTDOG_RESULTS", str(_scratch / "results"))
os.environ.setdefault("MPLBACKEND", "Agg")


def real_photos() -> Path:
    from hotdog.paths import authentic_dir

    root = authentic_dir()
    if not (root / "hotdog").is_dir():
        pytest.skip(f"no real photos at {root}: set HOTDOG_AUTHENTIC")
    return root


@pytest.fixture
def authentic_root() -> Path:
    return real_photos()


def write_image(path: Path, size=(160, 120), mode="RGB", seed=0) -> Path:
    rng = np.random.default_rng(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    array = rng.integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)
    Image.fromarray(array).convert(mode).save(path)
    return path


@pytest.fixture
def image_folder(tmp_path) -> Path:
    """A small valid ImageFolder: 6 hotdog and 6 not_hotdog RGB images of mixed shapes."""
    root = tmp_path / "photos"
    for i in range(6):
        write_image(root / "hotdog" / f"h{i}.jpg", size=(160 + 10 * i, 120), seed=i)
        write_image(root / "not_hotdog" / f"n{i}.png", size=(100, 140 + 5 * i), seed=100 + i)
    return root
