"""The Blender side: meshes and framing inside Blender, rendering, resuming, the subprocess worker.

``bpy`` is only ever imported in child processes (a ``python -c`` for the mesh checks, loky workers
or a subprocess for the renders), never in the pytest process, as in a notebook kernel.
Skipped where ``bpy`` cannot be imported (it exists for Python 3.11 and 3.13 only).
"""

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from hotdog.render import run
from hotdog.render.foods import FOODS
from hotdog.render.run import RenderError, read_manifest, render_dataset
from hotdog.render.spec import RenderConfig, sample_records

pytestmark = pytest.mark.skipif(importlib.util.find_spec("bpy") is None,
                                reason="bpy is not importable in this Python (wheels: 3.11 and 3.13)")

ROOT = Path(__file__).resolve().parents[1]
CONFIG = RenderConfig(n_images=6, seed=11, image_size=64, samples=4)

MESH_CHECK = r"""
import json
import numpy as np
from hotdog.render import effects
from hotdog.render.blender import scene
from hotdog.render.blender.session import import_bpy
from hotdog.render.foods import FOODS
from hotdog.render.spec import PLAIN_SCENE, RenderConfig, sample_record

bpy = import_bpy()
PLAIN = RenderConfig(seed=5, **PLAIN_SCENE)  # the food whole and centred: what the frame checks below expect
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Vector

drawer = scene.Drawer(64, 1, 1)
out = {}
for kind in FOODS:
    rows = []
    for index in range(4):
        record = sample_record(PLAIN, index)
        record["food"] = {"kind": kind, "params": FOODS[kind].sample(np.random.default_rng(index))}
        record["serving"], record["distractors"] = {"kind": "bare"}, []  # scenery may leave the frame
        drawer.clear()
        obj, verts = drawer.build(record)
        drawer.place_camera(record, verts)
        bpy.context.view_layer.update()
        mesh = obj.data
        co = np.empty(len(mesh.vertices) * 3)
        mesh.vertices.foreach_get("co", co)
        mw = np.array(obj.matrix_world)
        world = co.reshape(-1, 3) @ mw[:3, :3].T + mw[:3, 3]
        ndc = np.array([tuple(world_to_camera_view(drawer.scene, drawer.camera, Vector(p))) for p in world])
        rows.append({"verts": len(mesh.vertices), "faces": len(mesh.polygons), "fixed": bool(mesh.validate()),
                     "materials": len(mesh.materials), "low": ndc.min(0).tolist(), "high": ndc.max(0).tolist()})
    out[kind] = rows
# the PNG reader used where Pillow is missing (a Blender executable's Python) reads what Pillow reads
record = sample_record(RenderConfig(seed=5), 0)
drawer.render_rgba(record)
path = drawer.tmp_dir + "/render.png"
same = bool((drawer._load_with_blender(path) == effects.load_rgba(path)).all())
# every serving, and a hand, with distractors (with the hand: the clutter of a meal) and the shadow-catching
# ground, renders the food in the middle
from hotdog.render.foods import CLUTTER_KINDS, DISTRACTOR_KINDS, SERVINGS, sample_distractors, sample_hand, sample_serving
scenery = {}
for i, kind in enumerate(SERVINGS + ("hand",)):
    record = sample_record(PLAIN, 2 * i)
    rng = np.random.default_rng(i)
    record["serving"] = sample_hand(rng) if kind == "hand" else sample_serving(rng, (kind,))
    record["distractors"] = sample_distractors(rng, (2, 2), CLUTTER_KINDS if kind == "hand" else DISTRACTOR_KINDS)
    record["ground"] = {"shadow_catcher": True}
    rgba = drawer.render_rgba(record)
    alpha = rgba[..., 3]
    scenery[kind] = {"centre_alpha": int(alpha[24:40, 24:40].min()), "covered": float((alpha > 0).mean()),
                     "objects": len(bpy.data.objects)}
# a table of every surface kind, seen from above, then under a world HDRI; then neither again
from hotdog.render.scenery import SURFACE_KINDS
surroundings = {}
for i, kind in enumerate(SURFACE_KINDS):
    config = RenderConfig(seed=5, surface_p=1.0, hdri_p=1.0, surface_kinds=(kind,))
    record = sample_record(config, 2 * i)
    hdri = record["world"].pop("hdri")
    record["camera"]["direction"] = [0.0, 0.0, 1.0]  # from above: the table fills the frame
    alpha = drawer.render_rgba(record)[..., 3]
    record["world"]["hdri"] = hdri
    rgba = drawer.render_rgba(record)
    surroundings[kind] = {"table_alpha": int(alpha.min()), "hdri_alpha": int(rgba[..., 3].min()),
                          "spread": float(rgba[..., :3].std()), "hdri": hdri["name"]}
# a shallow depth of field blurs the table behind the food; the next record without one is sharp again
record = sample_record(RenderConfig(seed=5, surface_p=1.0, hdri_p=1.0, surface_kinds=("checked",)), 3)
record["camera"]["direction"] = [0.0, -0.8, 0.6]  # at an angle, so the table recedes behind the food
def detail(rgba):  # how much changes from pixel to pixel in the top rows, far behind the food
    top = rgba[:24, :, :3].astype(float)
    return float(np.abs(np.diff(top, axis=1)).mean() + np.abs(np.diff(top, axis=0)).mean())
sharp = detail(drawer.render_rgba(record))
record["camera"]["dof"] = {"fstop": 1.4}
blurred = detail(drawer.render_rgba(record))
del record["camera"]["dof"]
drawer.render_rgba(record)
surroundings["dof"] = {"sharp": sharp, "blurred": blurred, "off_again": not drawer.camera.data.dof.use_dof}
record = sample_record(PLAIN, 1)  # a bare hotdog (record 0 lies on a napkin that fills the frame)
surroundings["transparent_again"] = float((drawer.render_rgba(record)[..., 3] == 0).mean())
drawer.clear()
print("RESULT " + json.dumps({"food": out, "scenery": scenery, "surroundings": surroundings, "objects": len(bpy.data.objects), "meshes": len(bpy.data.meshes),
                              "materials": len(bpy.data.materials), "lights": len(bpy.data.lights),
                              "blender_png_reader_matches_pillow": same}))
"""


@pytest.fixture(scope="module")
def mesh_check():
    done = subprocess.run([sys.executable, "-c", MESH_CHECK], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    line = next(l for l in done.stdout.splitlines() if l.startswith("RESULT "))
    return json.loads(line[len("RESULT "):])


@pytest.mark.parametrize("kind", list(FOODS))
def test_each_food_builds_a_valid_mesh_inside_the_frame(kind, mesh_check):
    for row in mesh_check["food"][kind]:
        assert row["verts"] > 100 and row["faces"] > 100 and row["materials"] >= 1
        assert not row["fixed"], "Mesh.validate() had to repair the mesh"
        (x0, y0, z0), (x1, y1, _) = row["low"], row["high"]
        assert 0 <= x0 and x1 <= 1 and 0 <= y0 and y1 <= 1, row  # projected bounding box inside the frame
        assert z0 > 0  # in front of the camera
        assert max(x1 - x0, y1 - y0) > 0.6  # and filling a good part of it


@pytest.mark.parametrize("serving", ["bare", "plate", "napkin", "paper_tray", "foil", "hand"])
def test_servings_distractors_and_ground_render_around_the_food(serving, mesh_check):
    row = mesh_check["scenery"][serving]
    assert row["centre_alpha"] > 200  # the food is in the middle of the frame
    assert row["objects"] >= 4  # camera, food (with its serving and distractors), ground plane, lights
    assert row["covered"] > 0.1


@pytest.mark.parametrize("kind", ["wood", "marble", "checked", "cloth", "metal", "slate", "paper"])
def test_every_table_fills_the_frame_seen_from_above_and_a_world_hdri_fills_the_rest(kind, mesh_check):
    row = mesh_check["surroundings"][kind]
    assert row["table_alpha"] == 255  # no pixel left for the 2D background: the table is everywhere
    assert row["hdri_alpha"] == 255 and row["spread"] > 5  # an opaque film, and an image, not a flat colour


def test_a_shallow_depth_of_field_blurs_the_table_behind_the_food_and_the_next_record_is_sharp(mesh_check):
    dof = mesh_check["surroundings"]["dof"]
    assert dof["blurred"] < 0.8 * dof["sharp"], dof
    assert dof["off_again"]


def test_a_record_without_a_world_hdri_leaves_the_film_transparent_again(mesh_check):
    assert mesh_check["surroundings"]["transparent_again"] > 0.2  # the composited background shows there


def test_clearing_leaves_only_the_camera(mesh_check):
    counts = [mesh_check[k] for k in ("objects", "meshes", "materials", "lights")]
    assert counts == [1, 0, 0, 0]  # memory stays flat from one record to the next


def test_png_reader_without_pillow_matches_pillow(mesh_check):
    assert mesh_check["blender_png_reader_matches_pillow"]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("synthetic")
    report = render_dataset(out, CONFIG, n_jobs=2, progress=False)
    return out, report


def _pngs(out: Path) -> list[Path]:
    return sorted(out.glob("*/*.png"))


def test_render_writes_rgb_pngs_per_class_and_a_manifest(rendered):
    out, report = rendered
    assert report["n_records"] == 6 and report["n_rendered"] == 6 and report["n_skipped"] == 0
    assert report["images_per_minute"] > 0 and report["n_jobs"] == 2
    files = _pngs(out)
    assert Counter(p.parent.name for p in files) == {"hotdog": 3, "not_hotdog": 3}
    for path in files:
        with Image.open(path) as image:
            assert image.mode == "RGB" and image.size == (64, 64)
            pixels = np.asarray(image)
        assert pixels.std() > 5  # not blank
    assert read_manifest(out) == sample_records(CONFIG)
    assert {r["file"] for r in read_manifest(out)} == {f"{p.parent.name}/{p.name}" for p in files}
    assert not list(out.rglob("*.tmp"))


def test_rerun_renders_nothing_and_deleting_one_renders_exactly_that(rendered):
    out, _ = rendered
    before = {p: p.stat().st_mtime_ns for p in _pngs(out)}
    again = render_dataset(out, CONFIG, n_jobs=2, progress=False)
    assert again["n_rendered"] == 0 and again["n_skipped"] == 6
    assert {p: p.stat().st_mtime_ns for p in _pngs(out)} == before
    victim = out / "not_hotdog" / "00003.png"
    victim.unlink()
    third = render_dataset(out, CONFIG, n_jobs=2, progress=False)
    assert third["n_rendered"] == 1 and third["n_skipped"] == 5
    assert victim.exists()
    assert {p: p.stat().st_mtime_ns for p in _pngs(out) if p != victim} == {p: t for p, t in before.items() if p != victim}


def test_subprocess_worker_renders_the_same_images(rendered, tmp_path):
    out, _ = rendered
    config = RenderConfig(n_images=2, seed=CONFIG.seed, image_size=64, samples=4)
    report = render_dataset(tmp_path, config, n_jobs=1, blender=sys.executable, progress=False)
    assert report["n_rendered"] == 2 and report["renderer"].startswith("subprocess")
    for name in ("hotdog/00000.png", "not_hotdog/00001.png"):
        a = np.asarray(Image.open(tmp_path / name), dtype=float)
        b = np.asarray(Image.open(out / name), dtype=float)
        assert np.abs(a - b).mean() < 3  # the same record draws (nearly) the same image


def test_a_failing_record_is_named_and_the_rest_kept(tmp_path, monkeypatch):
    records = sample_records(RenderConfig(n_images=4, image_size=32, samples=1))
    records[1]["food"]["kind"] = "taco"  # no such builder: the worker fails on this record
    monkeypatch.setattr(run, "sample_records", lambda config: records)
    with pytest.raises(RenderError) as error:
        render_dataset(tmp_path, RenderConfig(n_images=4), n_jobs=1, shard_size=1, progress=False)
    message = str(error.value)
    assert "not_hotdog/00001.png" in message and "run the same command again" in message
    assert sorted(p.name for p in _pngs(tmp_path)) == ["00000.png", "00002.png", "00003.png"]


def test_worker_script_runs_without_pillow_like_blenders_own_python(rendered, tmp_path):
    out, _ = rendered
    shard = tmp_path / "shard.json"
    shard.write_text(json.dumps({"records": sample_records(CONFIG)[:2]}))
    code = ("import runpy, sys; sys.modules['PIL'] = None; "
            f"sys.argv = ['worker.py', {str(shard)!r}, {str(tmp_path / 'out')!r}, '--report', {str(tmp_path / 'r.json')!r}]; "
            f"runpy.run_path({str(run.WORKER_SCRIPT)!r}, run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert [r["status"] for r in json.loads((tmp_path / "r.json").read_text())] == ["rendered", "rendered"]
    for name in ("hotdog/00000.png", "not_hotdog/00001.png"):
        a = np.asarray(Image.open(tmp_path / "out" / name), dtype=float)
        assert np.abs(a - np.asarray(Image.open(out / name), dtype=float)).mean() < 3


def test_gallery_renders_each_switch_into_its_folder(tmp_path):
    from hotdog.render import gallery

    paths = gallery(tmp_path, RenderConfig(samples=2), switches=("camera", "jpeg"), n=2, image_size=32)
    assert list(paths) == ["camera", "jpeg"]
    for switch, files in paths.items():
        assert [Path(p).relative_to(tmp_path).as_posix() for p in files] == [f"{switch}/00.png", f"{switch}/01.png"]
        for p in files:
            with Image.open(p) as image:
                assert image.size == (32, 32) and image.mode == "RGB"


def test_cycles_gpu_probe_warnings_are_dropped_and_everything_else_passes():
    import subprocess
    import sys

    script = ("import os, sys\n"
              "from hotdog.render.blender.session import without_gpu_probe_warnings\n"
              "with without_gpu_probe_warnings():\n"
              "    os.write(2, b'00:00.319  cycles | WARNING CUEW initialization failed: Error opening the library\\n')\n"
              "    print('a real error', file=sys.stderr)\n"
              "    os.write(2, b'HIPEW initialization failed: Error opening HIP dynamic library\\n')\n"
              "    os.write(1, b'00:00.973  cycles | WARNING CUEW initialization failed: Error opening the library\\n')\n"
              "    print('rendered', flush=True)\n"
              "print('after', file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stderr.splitlines() == ["a real error", "after"]
    assert done.stdout.splitlines() == ["rendered"]  # Blender 5 writes the warning to stdout
