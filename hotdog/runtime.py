"""What a runtime needs before a notebook runs, decided in plain Python and then done: the first cell
of every notebook calls :func:`setup` (which calls :func:`prepare`), on Colab, in JupyterLab, anywhere.

:func:`plan` is a pure function from a :class:`Runtime` (Python version, Colab or not, GPU or not,
what is already installed and downloaded) to a list of :class:`Step` s, so every case is tested
without opening Colab. The cases that matter for the renderer:

* a Python that has a bpy wheel (3.11 and 3.13, Colab's): ``pip install`` the one
  :data:`hotdog.pyversion.BPY_REQUIREMENT` names for it (the one table; pyproject.toml's markers repeat it);
* any other Python (3.12, an older Colab runtime): no bpy wheel fits, so a Blender executable is
  downloaded once and the renderer runs its worker under it (``Folders.blender``, which the notebook
  hands to ``render_dataset(blender=...)``);
* bpy already importable, or ``HOTDOG_BLENDER`` already set: nothing to install.

Notebooks that do not render (02 to 05) never install Blender: they train on the renders of this
session if there are any, else on the small set of renders kept in the repository
(``data/synthetic_sample``). :func:`prepare` returns the folders it resolved (:class:`Folders`) and
changes no environment variable, so what a cell uses is what it was handed. It is idempotent: a
second call finds everything in place and only prints what it found.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

from hotdog.classes import CLASSES
from hotdog.pyversion import BPY_REQUIREMENT, wheels

# Where the project is published: the Colab badges and the notebooks' first cells clone it from here
# (tests/test_runtime.py checks that every notebook uses this one value).
PROJECT_REPO = "hotdog-project/hotdog"
PROJECT_URL = f"https://github.com/{PROJECT_REPO}"
BLENDER_VERSION = "5.0.1"  # the same Blender as bpy==5.0.1, so both renderers draw alike
BLENDER_URL = f"https://download.blender.org/release/Blender5.0/blender-{BLENDER_VERSION}-linux-x64.tar.xz"
# module -> pip requirement: what the notebooks import (Colab has most of them already)
RUNTIME_MODULES = {"torch": "torch>=2.3", "torchvision": "torchvision>=0.18", "joblib": "joblib>=1.3",
                   "matplotlib": "matplotlib>=3.8", "PIL": "pillow>=10", "tqdm": "tqdm>=4.66",
                   "numpy": "numpy>=1.26", "scipy": "scipy>=1.10", "pooch": "pooch>=1.7", "ipywidgets": "ipywidgets>=8"}
RENDER_NOTEBOOKS = {"01_render"}


@dataclass(frozen=True)
class Runtime:
    """What :func:`plan` decides from; :func:`inspect` fills it in for this process."""

    python: tuple[int, int]
    colab: bool = False
    gpu: str | None = None  # the CUDA device's name, None without one
    missing_modules: tuple[str, ...] = ()  # of RUNTIME_MODULES
    has_bpy: bool = False
    blender: str | None = None  # $HOTDOG_BLENDER or a Blender downloaded earlier
    has_photos: bool = True
    has_article_assets: bool = True
    has_renders: bool = True  # a rendered set in HOTDOG_SYNTHETIC (else the kept sample is used)


@dataclass(frozen=True)
class Step:
    kind: str  # "pip", "blender", "photos", "article", "note"
    why: str
    args: tuple[str, ...] = field(default=())

    def describe(self) -> str:
        return f"{self.why}: pip install {' '.join(self.args)}" if self.kind == "pip" else self.why


def plan(runtime: Runtime, render: bool = False, article_assets: bool = False) -> list[Step]:
    """The steps that make ``runtime`` ready for a notebook; ``render`` if it renders with Blender,
    ``article_assets`` if it uses the article's models and background photos."""
    steps = []
    missing = [RUNTIME_MODULES[m] for m in RUNTIME_MODULES if m in runtime.missing_modules]
    if missing:
        steps.append(Step("pip", "install the libraries the notebooks use", tuple(missing)))
    if render and not runtime.has_bpy and not runtime.blender:
        requirement = BPY_REQUIREMENT.get(runtime.python)
        version = "%d.%d" % runtime.python
        if requirement:
            steps.append(Step("pip", f"install Blender as a Python module for Python {version}", (requirement,)))
        else:
            steps.append(Step("blender", f"no bpy wheel exists for Python {version} (only {wheels()}): "
                                         f"download Blender {BLENDER_VERSION} once and render through it",
                              (BLENDER_URL,)))
    if not runtime.has_photos:
        steps.append(Step("photos", "download the 998 real photos (checked against their SHA-256)"))
    if article_assets and not runtime.has_article_assets:
        steps.append(Step("article", "download the article's four hotdog models and 19 background photos"))
    if not render and not runtime.has_renders:
        steps.append(Step("note", "no renders in the HOTDOG_SYNTHETIC folder yet: this notebook uses the 320 "
                                  "renders kept in data/synthetic_sample (run 01_render to make your own)"))
    if runtime.gpu:
        steps.append(Step("note", f"GPU: {runtime.gpu}; training runs on it"))
    elif runtime.colab:
        steps.append(Step("note", "no GPU in this Colab runtime: training runs on the CPU, about ten times slower; "
                                  "choose Runtime > Change runtime type > GPU and run this cell again"))
    else:
        steps.append(Step("note", "no GPU: training runs on the CPU"))
    return steps


def cache_dir() -> Path:
    return Path(os.environ.get("HOTDOG_CACHE", Path.home() / ".cache" / "hotdog"))


def downloaded_blender(folder: Path | None = None) -> Path | None:
    """The Blender executable an earlier :func:`fetch_blender` unpacked, if there is one."""
    candidate = (folder or cache_dir()) / f"blender-{BLENDER_VERSION}-linux-x64" / "blender"
    return candidate if candidate.is_file() and os.access(candidate, os.X_OK) else None


def inspect() -> Runtime:
    """This process's runtime. Looks, never imports bpy (that is for the render workers)."""
    from hotdog import paths

    gpu = None
    if importlib.util.find_spec("torch") is not None:
        import torch

        if torch.cuda.is_available():
            gpu = torch.cuda.get_device_name(0)
    blender = os.environ.get("HOTDOG_BLENDER") or downloaded_blender()
    synthetic = paths.synthetic_dir()
    return Runtime(
        python=sys.version_info[:2],
        colab="google.colab" in sys.modules or "COLAB_RELEASE_TAG" in os.environ,
        gpu=gpu,
        missing_modules=tuple(m for m in RUNTIME_MODULES if importlib.util.find_spec(m) is None),
        has_bpy=importlib.util.find_spec("bpy") is not None,
        blender=str(blender) if blender else None,
        has_photos=_has_images(paths.authentic_dir()),
        has_article_assets=(paths.data_dir() / "article" / "models").is_dir(),
        has_renders=_has_images(synthetic),
    )


def _has_images(folder: Path) -> bool:
    return all((folder / label).is_dir() and any((folder / label).iterdir()) for label in CLASSES)


def fetch_blender(url: str = BLENDER_URL, folder: Path | None = None) -> Path:
    """Download and unpack a Blender release once (``.tar.xz``); returns its ``blender`` executable.
    The archive is downloaded (pooch: progress, whole or not at all) and unpacked in a temporary
    folder that is renamed into place, so an interrupted download leaves nothing that looks finished."""
    import tempfile

    from hotdog.download import DownloadError, fetch

    folder = folder or cache_dir()
    existing = downloaded_blender(folder)
    if existing:
        return existing
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=folder, prefix=".blender-") as tmp:
        try:
            archive = fetch(url, tmp, "blender.tar.xz", hint="Download it by hand, unpack it and set "
                                                               "HOTDOG_BLENDER to its `blender` executable.")
        except DownloadError as error:
            raise RuntimeError(str(error)) from error
        try:
            with tarfile.open(archive) as tar:
                tar.extractall(tmp, filter="data")
        except (tarfile.TarError, EOFError) as error:
            raise RuntimeError(f"{url} is not a readable .tar.xz archive ({error}); delete {folder} and retry") from error
        unpacked = Path(tmp) / f"blender-{BLENDER_VERSION}-linux-x64"
        if not (unpacked / "blender").is_file():
            raise RuntimeError(f"{url} holds no blender-{BLENDER_VERSION}-linux-x64/blender")
        unpacked.rename(folder / unpacked.name)
    return downloaded_blender(folder)


@dataclass(frozen=True)
class Folders:
    """What :func:`prepare` resolved, for the notebook's next cells to use instead of the defaults."""

    authentic: Path  # the real photos
    synthetic: Path  # the renders to train on: this session's, or the sample kept in the repository
    results: Path  # the main job's results of the current size
    blender: str | None = None  # a Blender executable (or a Python with bpy) to render with; None: bpy here


def run_step(step: Step) -> str | None:
    """Carry out one step of :func:`plan`; a ``blender`` step returns the executable it unpacked."""
    from hotdog import paths

    if step.kind == "pip":
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", *step.args], check=True)
    elif step.kind == "blender":
        return str(fetch_blender(step.args[0]))
    elif step.kind == "photos":
        from hotdog.download import download_authentic

        download_authentic(paths.authentic_dir())
    elif step.kind == "article":
        from hotdog.article_assets import download_article_assets

        download_article_assets(paths.data_dir() / "article")
    return None


def prepare(notebook: str, article_assets: bool = False, dry_run: bool = False) -> Folders:
    """Make this runtime ready for ``notebook`` (e.g. ``"01_render"``), printing each step as it goes,
    and return the folders (and the renderer) its next cells use. Safe to call again: a ready runtime
    only gets the notes. ``dry_run`` prints without doing. Sets no environment variable."""
    from hotdog import paths

    render = notebook in RENDER_NOTEBOOKS
    runtime = inspect()
    steps = plan(runtime, render=render, article_assets=article_assets)
    print(f"Python {sys.version.split()[0]}{' on Colab' if runtime.colab else ''}; project folder {paths.project_root().name}")
    blender = runtime.blender
    for step in steps:
        print(("  - " if step.kind == "note" else "  > ") + step.describe(), flush=True)
        if not dry_run and step.kind != "note":
            blender = run_step(step) or blender
    if render:
        print(f"  - renderer: {'Blender at ' + blender if blender else 'bpy in worker processes'}")
    # no renders of this session (HOTDOG_SYNTHETIC empty or missing): the notebooks train on the kept sample
    synthetic = paths.synthetic_dir() if render or runtime.has_renders else paths.sample_synthetic_dir()
    print("ready.")
    return Folders(authentic=paths.authentic_dir(), synthetic=synthetic, results=paths.results_dir(),
                   blender=blender)


CLONE = "hotdog-project"  # the folder the notebooks' first cell clones the project into on a fresh runtime


def setup(notebook: str, article_assets: bool = False, here: Path | None = None) -> Folders:
    """The notebooks' first cell after its clone: where the working folder holds that clone (Colab, a
    fresh runtime), install it once (so Blender's worker processes import ``hotdog`` too) and work in
    its ``notebooks`` folder; then :func:`prepare`. Safe to re-run and after a restart."""
    clone = (here or Path.cwd()) / CLONE
    if clone.is_dir():
        if not _installed():
            print(f"  > pip install -e {CLONE}", flush=True)
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(clone)],
                           check=True)
        os.chdir(clone / "notebooks")
    return prepare(notebook, article_assets=article_assets)


def _installed() -> bool:
    from importlib import metadata

    try:
        metadata.distribution("hotdog")
    except metadata.PackageNotFoundError:
        return False
    return True
