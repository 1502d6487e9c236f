"""Where the data and results live: one setting each, an environment variable or its default.

| setting             | environment variable | default                                   |
|---------------------|----------------------|-------------------------------------------|
| real photos         | ``HOTDOG_AUTHENTIC`` | ``data/authentic`` (or ``../shared/data/authentic`` beside the checkout, if that exists and ``data/authentic`` does not) |
| rendered images     | ``HOTDOG_SYNTHETIC`` | ``data/synthetic``                        |
| results             | ``HOTDOG_RESULTS``   | ``results/<size>`` (see :mod:`hotdog.settings`) |

Relative defaults are taken from the project root (the folder with ``pyproject.toml`` above the
current directory), so a notebook in ``notebooks/`` and a shell in the root see the same folders.
"""

from __future__ import annotations

import os
from pathlib import Path


def _is_project(folder: Path) -> bool:
    return (folder / "pyproject.toml").is_file() and (folder / "hotdog").is_dir()


def project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` (default: the current directory) that holds the project;
    else the checkout this package was installed from (``pip install -e``, as on Colab); else ``start``."""
    start = Path(start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if _is_project(folder):
            return folder
    installed_from = Path(__file__).resolve().parents[1]
    return installed_from if _is_project(installed_from) else start


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else None


def data_dir() -> Path:
    return project_root() / "data"


def authentic_dir() -> Path:
    """The real photos: ``$HOTDOG_AUTHENTIC``, else ``data/authentic``, else a shared copy beside the checkout."""
    env = _env_path("HOTDOG_AUTHENTIC")
    if env is not None:
        return env
    local = data_dir() / "authentic"
    shared = project_root().parent / "shared" / "data" / "authentic"
    if not local.exists() and shared.is_dir():
        return shared
    return local


def synthetic_dir() -> Path:
    return _env_path("HOTDOG_SYNTHETIC") or data_dir() / "synthetic"


def sample_synthetic_dir() -> Path:
    """320 renders kept in the repository (``data/synthetic_sample``), so the notebooks that do not
    render run anywhere, Blender or not (``scripts/make_synthetic_sample.py`` made them)."""
    return project_root() / "data" / "synthetic_sample"


def results_dir(size: str | None = None) -> Path:
    env = _env_path("HOTDOG_RESULTS")
    if env is not None:
        return env
    from hotdog.settings import current_size_name

    return project_root() / "results" / (size or current_size_name())
