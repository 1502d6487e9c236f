"""Where the data and results live: one setting each, an environment variable or its default.

| setting             | environment variable | default                                   |
|---------------------|----------------------|-------------------------------------------|
| real photos         | ``HOTDOG_AUTHENTIC`` | ``data/authentic`` (or ``../shared/data/authentic`` beside the checkout, if that exists and ``data/authentic`` does not) |
| rendered images     | ``HOTDOG_SYNTHETIC`` | ``data/synthetic``                        |
| results             | ``HOTDOG_RESULTS``   | ``results``: the main job in ``<size>/`` (see :mod:`hotdog.settings`), studies in ``studies/`` |

Every folder the project reads or writes is named here, so no other module builds a path of its own.
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


def results_root() -> Path:
    """Where results go: ``$HOTDOG_RESULTS``, else ``results`` in the project."""
    return _env_path("HOTDOG_RESULTS") or project_root() / "results"


def results_dir(size: str | None = None) -> Path:
    """The main job's results of one size preset (default: ``$HOTDOG_SIZE``)."""
    from hotdog.settings import current_size_name

    return results_root() / (size or current_size_name())


def example_run_dir() -> Path:
    """The main job's ``small`` run kept in the repository (``results/example/small``), for the notebooks to
    show before a reader has run it: the main job itself writes to :func:`results_dir`, which git ignores."""
    return project_root() / "results" / "example" / "small"


def studies_dir() -> Path:
    """Where ``python -m hotdog study`` writes its studies and ``compare`` reads them."""
    return results_root() / "studies"


def recorded_studies_dir() -> Path:
    """The studies kept in the repository (``results/studies``), whatever ``HOTDOG_RESULTS`` says:
    what the README's tables and ``05_compare`` show."""
    return project_root() / "results" / "studies"


def renders_dir(n_images: int, without: tuple[str, ...] = (), photo_backgrounds: bool = False) -> Path:
    """The renders of a study: ``data/synthetic_<n>``, with ``_without-<switch>`` for each randomization
    switched off and ``_photo-backgrounds`` when photos stand behind them, so every variant has its folder."""
    suffix = "".join(f"_without-{name}" for name in sorted(without))
    return data_dir() / f"synthetic_{n_images}{suffix}{'_photo-backgrounds' if photo_backgrounds else ''}"


def seed_renders(root: Path, seed: int) -> Path:
    """The renders of a study seed on a fixed split (each seed renders its own set): ``root`` for seed 0, so the
    usual folder serves it, and ``<root>_render<seed>`` beside it for the others."""
    return root.with_name(f"{root.name}_render{seed}") if seed else root


def transfer_renders(variant: str) -> Path:
    """The renders of transfer variant ``variant`` (``python -m hotdog transfer``): ``data/transfer_<variant>``."""
    return data_dir() / f"transfer_{variant}"


def seed_record(study: Path, seed: int) -> Path:
    """A study's record of one seed: ``results/studies/<study>/seed<k>.json``."""
    return study / f"seed{seed}.json"


def checkpoints_of(record: Path) -> Path:
    """The checkpoints kept beside a record (a seed's, a trial's; not committed): ``seed0.json`` -> ``seed0.checkpoints``."""
    return record.with_suffix(".checkpoints")


RECORDS = {"search": "recipe-search", "adapt": "adapt-search", "transfer": "transfer"}  # each kind of trial record


def records_dir(kind: str, root: Path | None = None) -> Path:
    """Where the records of ``kind`` (``search``, ``adapt`` or ``transfer``) live: ``results/recipe-search`` and so on."""
    return (root or results_root()) / RECORDS[kind]
