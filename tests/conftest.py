"""Fixtures shared by the unit tests (the environment is set in the root conftest.py)."""

import functools
import http.server
import threading
from pathlib import Path

import numpy as np
import pytest
from PIL import Image


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


@pytest.fixture
def server(tmp_path):
    """A static HTTP server on 127.0.0.1 serving ``tmp_path/www``: yields (folder, base URL)."""
    root = tmp_path / "www"
    root.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
