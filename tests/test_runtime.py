"""The set-up logic of the notebooks' first cells (hotdog/runtime.py), case by case, since CI cannot
open Colab: which Python gets which Blender, GPU or not, what is already there."""

import io
import json
import os
import tarfile
from pathlib import Path

import pytest

from hotdog import data, paths, runtime
from hotdog.runtime import BLENDER_URL, Runtime, plan

ROOT = Path(__file__).resolve().parents[1]


def kinds(steps):
    return [s.kind for s in steps]


def pip_args(steps):
    return [a for s in steps if s.kind == "pip" for a in s.args]


@pytest.mark.parametrize("python, requirement", [((3, 11), "bpy==5.0.1"), ((3, 13), "bpy>=5.1")])
def test_python_with_a_bpy_wheel_installs_bpy_to_render(python, requirement):
    steps = plan(Runtime(python=python, colab=True), render=True)
    assert pip_args(steps) == [requirement]
    assert "blender" not in kinds(steps)


@pytest.mark.parametrize("python", [(3, 12), (3, 10), (3, 14)])
def test_python_without_a_bpy_wheel_renders_through_a_blender_executable(python):
    steps = plan(Runtime(python=python, colab=True), render=True)
    assert pip_args(steps) == []
    (blender,) = [s for s in steps if s.kind == "blender"]
    assert blender.args == (BLENDER_URL,) and f"{python[0]}.{python[1]}" in blender.why


@pytest.mark.parametrize("python", [(3, 11), (3, 12), (3, 13)])
def test_notebooks_that_do_not_render_never_install_blender(python):
    steps = plan(Runtime(python=python, colab=True), render=False)
    assert pip_args(steps) == [] and "blender" not in kinds(steps)


@pytest.mark.parametrize("python", [(3, 11), (3, 12), (3, 13)])
def test_an_installed_renderer_is_left_alone(python):
    assert kinds(plan(Runtime(python=python, has_bpy=True), render=True)) == ["note"]
    assert kinds(plan(Runtime(python=python, blender="/opt/blender/blender"), render=True)) == ["note"]


def test_missing_libraries_are_installed_in_one_pip_call():
    steps = plan(Runtime(python=(3, 12), missing_modules=("PIL", "ipywidgets")))
    assert pip_args(steps) == ["pillow>=10", "ipywidgets>=8"]


def test_gpu_or_not_is_said_plainly():
    with_gpu = plan(Runtime(python=(3, 13), colab=True, gpu="Tesla T4"))
    assert with_gpu[-1].kind == "note" and "Tesla T4" in with_gpu[-1].why
    colab_cpu = plan(Runtime(python=(3, 13), colab=True))
    assert "Change runtime type" in colab_cpu[-1].why
    local_cpu = plan(Runtime(python=(3, 11)))
    assert "CPU" in local_cpu[-1].why and "Colab" not in local_cpu[-1].why


def test_data_is_fetched_only_when_missing_and_wanted():
    assert "photos" in kinds(plan(Runtime(python=(3, 13), has_photos=False)))
    assert "article" not in kinds(plan(Runtime(python=(3, 13), has_article_assets=False)))
    assert "article" in kinds(plan(Runtime(python=(3, 13), has_article_assets=False), render=True, article_assets=True))


def test_a_ready_runtime_needs_nothing_but_notes():
    for python in ((3, 11), (3, 12), (3, 13)):
        for gpu in (None, "NVIDIA H100"):
            steps = plan(Runtime(python=python, gpu=gpu, has_bpy=python != (3, 12),
                                 blender="/b/blender" if python == (3, 12) else None), render=True, article_assets=True)
            assert set(kinds(steps)) == {"note"}


def test_without_renders_the_kept_sample_is_announced():
    steps = plan(Runtime(python=(3, 12), has_renders=False))
    assert any("synthetic_sample" in s.why for s in steps)


def _blender_archive(folder: Path, top: str = f"blender-{runtime.BLENDER_VERSION}-linux-x64") -> Path:
    archive = folder / "blender.tar.xz"
    with tarfile.open(archive, "w:xz") as tar:
        script = b"#!/bin/sh\necho Blender\n"
        info = tarfile.TarInfo(f"{top}/blender")
        info.size, info.mode = len(script), 0o755
        tar.addfile(info, io.BytesIO(script))
    return archive


def test_fetch_blender_downloads_once_and_unpacks_in_place(server, tmp_path):
    www, base = server
    _blender_archive(www)
    cache = tmp_path / "cache"
    executable = runtime.fetch_blender(f"{base}/blender.tar.xz", cache)
    assert executable == cache / f"blender-{runtime.BLENDER_VERSION}-linux-x64" / "blender"
    assert os.access(executable, os.X_OK)
    (www / "blender.tar.xz").unlink()  # a second call must not download again
    assert runtime.fetch_blender(f"{base}/blender.tar.xz", cache) == executable
    assert [p.name for p in cache.iterdir()] == [executable.parent.name]  # no temporary folder left


def test_fetch_blender_reports_a_bad_archive_and_leaves_nothing(server, tmp_path):
    www, base = server
    (www / "blender.tar.xz").write_bytes(b"<html>not found</html>")
    cache = tmp_path / "cache"
    with pytest.raises(RuntimeError, match="blender.tar.xz is not a readable"):
        runtime.fetch_blender(f"{base}/blender.tar.xz", cache)
    assert list(cache.iterdir()) == []
    with pytest.raises(RuntimeError, match="could not download .*missing.tar.xz .*HOTDOG_BLENDER"):
        runtime.fetch_blender(f"{base}/missing.tar.xz", cache)


def test_prepare_on_this_machine_installs_nothing_and_is_quick_to_repeat(capsys, monkeypatch):
    monkeypatch.setattr(runtime, "run_step", lambda step: pytest.fail(f"would run {step}"))
    environment = dict(os.environ)
    for _ in range(2):
        runtime.prepare("04_train")
    assert dict(os.environ) == environment  # prepare() hands its folders back; it sets no variable
    out = capsys.readouterr().out
    assert out.count("ready.") == 2 and "  > " not in out  # "  > " marks a step that does something


def test_prepare_without_renders_points_the_notebooks_at_the_kept_sample(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTDOG_SYNTHETIC", str(tmp_path / "nothing-rendered"))
    folders = runtime.prepare("02_load", dry_run=True)
    assert folders.synthetic == paths.sample_synthetic_dir()
    assert Path(os.environ["HOTDOG_SYNTHETIC"]) == tmp_path / "nothing-rendered"  # left as it was
    assert folders.authentic == paths.authentic_dir() and folders.results == paths.results_dir()
    # a notebook that renders renders into the setting, sample or not
    assert runtime.prepare("01_render", dry_run=True).synthetic == tmp_path / "nothing-rendered"


def test_the_kept_sample_is_a_small_labelled_synthetic_set():
    sample = data.synthetic(paths.sample_synthetic_dir())
    labels = [label for _, label in sample.samples]
    assert len(sample) == 320 and labels.count(1) == labels.count(0) == 160
    size = sum(f.stat().st_size for f in paths.sample_synthetic_dir().rglob("*") if f.is_file())
    assert size < 5_000_000
    manifest = (paths.sample_synthetic_dir() / "manifest.jsonl").read_text().splitlines()
    assert {json.loads(line)["file"] for line in manifest} == {os.path.relpath(p, sample.root) for p, _ in sample.samples}


@pytest.mark.parametrize("notebook", sorted((ROOT / "notebooks").glob("0*.ipynb")), ids=lambda p: p.stem)
def test_every_notebook_starts_with_the_colab_badge_and_the_set_up_cell(notebook):
    cells = json.loads(notebook.read_text())["cells"]
    assert f"colab.research.google.com/github/{runtime.PROJECT_REPO}/blob/main/notebooks/{notebook.name}" in "".join(cells[0]["source"])
    setup = "".join(cells[1]["source"])
    assert f'runtime.setup("{notebook.stem}")' in setup and runtime.PROJECT_REPO in setup and runtime.CLONE in setup
    assert len(setup.splitlines()) <= 8  # the logic lives in runtime.setup, not in six copies of a cell


def test_setup_works_inside_the_clone_the_first_cell_made_and_installs_it_once(tmp_path, monkeypatch):
    (tmp_path / runtime.CLONE / "notebooks").mkdir(parents=True)
    calls = []
    monkeypatch.setattr(runtime, "prepare", lambda notebook, article_assets=False: calls.append(notebook) or "folders")
    monkeypatch.setattr(runtime.subprocess, "run", lambda args, check: calls.append(args[-1]))
    monkeypatch.setattr(runtime, "_installed", lambda: False)
    monkeypatch.chdir(tmp_path)
    assert runtime.setup("02_load") == "folders"
    assert Path.cwd() == tmp_path / runtime.CLONE / "notebooks"
    assert calls == [str(tmp_path / runtime.CLONE), "02_load"]  # pip install -e the clone, then prepare
    monkeypatch.setattr(runtime, "_installed", lambda: True)
    calls.clear()
    runtime.setup("02_load", here=tmp_path)  # a re-run: installed already, so only prepare
    assert calls == ["02_load"]


def test_setup_outside_a_clone_only_prepares(tmp_path, monkeypatch):
    monkeypatch.setattr(runtime, "prepare", lambda notebook, article_assets=False: notebook)
    monkeypatch.chdir(tmp_path)
    assert runtime.setup("03_model") == "03_model" and Path.cwd() == tmp_path
