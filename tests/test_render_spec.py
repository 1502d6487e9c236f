"""The renderer's pure-Python side, no Blender: records, foods, geometry, 2D effects, manifest."""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from hotdog import files
from hotdog.render import effects, shapes
from hotdog.render.foods import (
    CLUTTER_KINDS, DISTRACTOR_KINDS, FOODS, NOT_HOTDOG_CLASS, SERVINGS, build_food, build_record_food, kinds_with_label,
    sample_distractors, sample_serving,
)
from hotdog.render.foods.hotdog import build_sausage_plate
from hotdog.render.run import (
    RenderError, check_bpy_importable, is_blender_executable, read_manifest, split_shards, worker_command,
    write_manifest,
)
from hotdog.render.spec import (
    NEUTRAL, PLAIN_SCENE, RANDOMIZATIONS, RECORD_SCHEMA, SURFACE_KINDS, RenderConfig, kelvin_to_rgb, random_quaternion,
    sample_records,
)

CONFIG = RenderConfig(n_images=40, seed=7)


@pytest.fixture(scope="module")
def records():
    return sample_records(CONFIG)


# --------------------------------------------------------------------------- records


def test_same_seed_same_records_different_seed_different(records):
    assert sample_records(CONFIG) == records
    other = sample_records(RenderConfig(n_images=40, seed=8))
    assert other != records
    assert [r["seed"] for r in other] != [r["seed"] for r in records]


def test_sampling_leaves_global_random_state_alone():
    import random

    random.seed(1)
    np.random.seed(1)
    before = (random.random(), np.random.random())
    random.seed(1)
    np.random.seed(1)
    sample_records(RenderConfig(n_images=6))
    assert (random.random(), np.random.random()) == before


def test_records_do_not_depend_on_run_size(records):
    assert sample_records(RenderConfig(n_images=10, seed=7)) == records[:10]


def test_classes_balanced_and_files_match_labels(records):
    assert Counter(r["label"] for r in records) == {"hotdog": 20, "not_hotdog": 20}
    for r in records:
        assert r["file"] == f"{r['label']}/{r['index']:05d}.png"
        assert FOODS[r["food"]["kind"]].label == r["label"]
    assert len({r["file"] for r in records}) == len(records)
    odd = sample_records(RenderConfig(n_images=7))
    assert Counter(r["label"] for r in odd) == {"hotdog": 4, "not_hotdog": 3}


def test_every_not_hotdog_kind_appears_and_can_be_restricted():
    many = sample_records(RenderConfig(n_images=300, seed=7))
    assert {r["food"]["kind"] for r in many if r["label"] == NOT_HOTDOG_CLASS} == set(kinds_with_label(NOT_HOTDOG_CLASS))
    only = sample_records(RenderConfig(n_images=10, not_hotdog_kinds=("donut",)))
    assert {r["food"]["kind"] for r in only} == {"hotdog", "donut"}
    with pytest.raises(ValueError, match="not-hotdog"):
        sample_records(RenderConfig(n_images=2, not_hotdog_kinds=("hotdog",)))


def test_rotations_cameras_lights_are_valid(records):
    for r in records:
        assert np.linalg.norm(r["rotation"]) == pytest.approx(1, abs=1e-5)
        cam = r["camera"]
        assert np.linalg.norm(cam["direction"]) == pytest.approx(1, abs=1e-5)
        assert cam["direction"][2] > 0  # upper hemisphere
        low, high = RenderConfig().distance_factor  # below 1 the food overflows the frame, as in food photos
        assert low <= cam["distance_factor"] <= high
        assert cam["fov_deg"] == pytest.approx(np.degrees(2 * np.arctan(cam["sensor_mm"] / (2 * cam["focal_mm"]))), abs=1e-4)
        assert 1 <= len(r["lights"]) <= 3
        for light in r["lights"]:
            assert light["kind"] in ("sun", "point", "area")
            assert np.linalg.norm(light["direction"]) == pytest.approx(1, abs=1e-5)
            assert light["strength"] > 0
        assert r["background"]["kind"] in ("gradient", "noise", "solid")
        assert len(r["effects"]["color_shift"]) == 3
        assert r["effects"]["noise_sigma"] >= 0 and r["effects"]["blur_radius"] >= 0


def test_shoemake_quaternions_are_uniform():
    rng = np.random.default_rng(0)
    q = np.array([random_quaternion(rng) for _ in range(4000)])
    assert np.allclose(np.linalg.norm(q, axis=1), 1)
    # a uniform rotation has E[w^2] = 1/4 for every component
    assert np.allclose((q**2).mean(axis=0), 0.25, atol=0.02)


def test_records_survive_a_json_round_trip(records):
    assert json.loads(json.dumps(records)) == records


def test_photo_backgrounds_come_from_the_folder(tmp_path):
    for i in range(3):
        Image.fromarray(np.full((40, 60, 3), 50 * i, np.uint8)).save(tmp_path / f"p{i}.jpg")
    recs = sample_records(RenderConfig(n_images=20, backgrounds_dir=str(tmp_path), photo_background_p=1.0))
    assert all(r["background"]["kind"] == "photo" for r in recs)
    assert {Path(r["background"]["path"]).name for r in recs} <= {"p0.jpg", "p1.jpg", "p2.jpg"}
    bg = effects.background(recs[0]["background"], 32)
    assert bg.shape == (32, 32, 3) and bg.dtype == np.uint8


# --------------------------------------------------------------------------- foods and geometry


@pytest.mark.parametrize("kind", list(FOODS))
def test_each_food_samples_valid_params_and_builds_a_mesh(kind):
    for seed in range(5):
        params = FOODS[kind].sample(np.random.default_rng(seed))
        assert json.loads(json.dumps(params)) == params
        assert FOODS[kind].sample(np.random.default_rng(seed)) == params
        food = build_food(kind, params)
        arrays = food.arrays()
        verts = arrays["verts"]
        assert len(verts) > 100 and np.isfinite(verts).all()
        assert arrays["loop_vertices"].max() < len(verts) and arrays["loop_vertices"].min() >= 0
        assert arrays["loop_totals"].sum() == len(arrays["loop_vertices"])
        assert set(arrays["loop_totals"]) <= {3, 4}
        assert ((arrays["colors"] >= 0) & (arrays["colors"] <= 1)).all()
        assert arrays["material_index"].max() < len(arrays["material_names"])
        extent = verts.max(axis=0) - verts.min(axis=0)
        assert 0.02 < extent.max() < 0.4, extent  # metres: food-sized
        assert np.allclose((verts.max(axis=0) + verts.min(axis=0)) / 2, 0, atol=1e-9)  # centred


@pytest.mark.parametrize("kind", list(FOODS))
def test_camera_framing_keeps_every_vertex_in_frame(kind, records):
    rng = np.random.default_rng(3)
    for r in records[:12]:
        food = build_food(kind, FOODS[kind].sample(rng))
        verts = food.verts @ shapes.quaternion_matrix(r["rotation"]).T
        cam = r["camera"]
        fov = np.radians(cam["fov_deg"])
        fill = 1 / cam["distance_factor"]
        distance, sx, sy = shapes.frame_camera(verts, cam["direction"], fov, fill)
        uv = shapes.project(verts, cam["direction"], distance, fov) - 2 * np.array([sx, sy])
        assert np.abs(uv).max() <= fill + 1e-6  # inside the frame
        assert np.abs(uv).max() >= fill - 1e-3  # and as large as asked
        assert np.allclose(uv.max(axis=0) + uv.min(axis=0), 0, atol=1e-6)  # centred


def test_sweep_and_lathe_make_closed_solids():
    for verts, quads, tris in (
        shapes.sweep(np.stack([np.linspace(0, 1, 5), np.zeros(5), np.zeros(5)], 1), shapes.circle(8), caps="flat"),
        shapes.sweep(np.stack([np.linspace(0, 1, 5), np.zeros(5), np.zeros(5)], 1), shapes.circle(8),
                     shapes.capsule_profile(5), caps="pole"),
        shapes.lathe(shapes.rounded_cylinder_profile(1.0, 0.5, 0.1), 12),
    ):
        edges = Counter()
        for face in list(quads) + list(tris):
            for a, b in zip(face, np.roll(face, -1)):
                edges[tuple(sorted((int(a), int(b))))] += 1
        assert set(edges.values()) == {2}  # every edge shared by exactly two faces: watertight


# --------------------------------------------------------------------------- effects


def _rgba(alpha: int, color=(200, 100, 50), size=8) -> np.ndarray:
    out = np.zeros((size, size, 4), np.uint8)
    out[..., :3] = color
    out[..., 3] = alpha
    return out


def test_composite_respects_alpha():
    bg = np.full((8, 8, 3), 10, np.uint8)
    assert (effects.composite(_rgba(255), bg) == [200, 100, 50]).all()
    assert (effects.composite(_rgba(0), bg) == 10).all()
    half = effects.composite(_rgba(128), bg)
    assert np.allclose(half, np.array([200, 100, 50]) * 128 / 255 + 10 * 127 / 255, atol=1)
    assert half.dtype == np.uint8 and half.shape == (8, 8, 3)


def test_noise_changes_the_image_only_when_sigma_is_positive():
    image = np.full((16, 16, 3), 128, np.uint8)
    assert (effects.gaussian_noise(image, 0.0, np.random.default_rng(0)) == image).all()
    noisy = effects.gaussian_noise(image, 5.0, np.random.default_rng(0))
    assert noisy.dtype == np.uint8 and noisy.shape == image.shape
    assert (noisy != image).mean() > 0.5
    assert abs(noisy.astype(float).std() - 5) < 1
    assert (effects.gaussian_noise(image, 5.0, np.random.default_rng(0)) == noisy).all()  # seeded


def test_blur_smooths_and_keeps_shape():
    image = np.zeros((16, 16, 3), np.uint8)
    image[::2] = 255  # stripes
    assert (effects.gaussian_blur(image, 0) == image).all()
    blurred = effects.gaussian_blur(image, 1.5)
    assert blurred.shape == image.shape and blurred.dtype == np.uint8
    assert blurred.std() < image.std() / 4
    assert abs(blurred.mean() - image.mean()) < 3


def test_vignette_darkens_the_corners_and_leaves_the_centre():
    image = np.full((33, 33, 3), 200, np.uint8)
    assert (effects.vignette(image, 0) == image).all()
    dark = effects.vignette(image, 0.4)
    assert dark.dtype == np.uint8 and dark[16, 16].tolist() == [200] * 3
    assert dark[0, 0].tolist() == [120] * 3 and 120 < dark[0, 16, 0] < 200  # corners 40 % darker, edges between


def test_motion_blur_smears_along_its_angle_only():
    image = np.zeros((21, 21, 3), np.uint8)
    image[10, 10] = 255
    assert (effects.motion_blur(image, 0.5, 0) == image).all()
    across = effects.motion_blur(image, 4, 0)  # 0 degrees: along the rows
    assert (across[10, 8:13] > 0).all() and (across[[9, 11]] == 0).all()
    down = effects.motion_blur(image, 4, 90)
    assert (down[8:13, 10] > 0).all() and (down[:, [9, 11]] == 0).all()
    assert abs(int(effects.motion_blur(np.full_like(image, 90), 5, 33).mean()) - 90) <= 1  # flat stays flat


def test_vignette_and_motion_blur_come_in_their_share_only_when_asked():
    plain = sample_records(RenderConfig(n_images=300, seed=6))
    lens = sample_records(RenderConfig(n_images=300, seed=6, vignette_p=0.5, motion_blur_p=0.3))
    assert not any("vignette" in r["effects"] or "motion_blur" in r["effects"] for r in plain)
    assert 0.4 < sum("vignette" in r["effects"] for r in lens) / 300 < 0.6
    assert 0.2 < sum("motion_blur" in r["effects"] for r in lens) / 300 < 0.4
    for a, b in zip(plain, lens):
        b["effects"].pop("vignette", None), b["effects"].pop("motion_blur", None)
        assert a == b
    off = sample_records(RenderConfig(n_images=40, seed=6, vignette_p=1.0, motion_blur_p=1.0).without("camera"))
    assert not any("vignette" in r["effects"] or "motion_blur" in r["effects"] for r in off)
    lens = sample_records(RenderConfig(n_images=300, seed=6, vignette_p=0.5, motion_blur_p=0.3))
    i = next(i for i, r in enumerate(lens) if "motion_blur" in r["effects"] and "vignette" in r["effects"])
    rgba = np.zeros((32, 32, 4), np.uint8)
    rgba[8:24, 8:24] = 255
    shown = effects.apply_effects(rgba, lens[i])
    assert shown.shape == (32, 32, 3) and not (shown == effects.apply_effects(rgba, plain[i])).all()


def test_color_shift_scales_channels():
    image = np.full((4, 4, 3), 100, np.uint8)
    assert (effects.color_shift(image, [1.1, 1.0, 0.5]) == [110, 100, 50]).all()
    assert (effects.color_shift(image, [3, 3, 3]) == 255).all()


@pytest.mark.parametrize("kind", ["gradient", "noise", "solid"])
def test_backgrounds_and_apply_effects(kind, records):
    record = next(r for r in sample_records(RenderConfig(n_images=60, background_kinds=(kind,))))
    bg = effects.background(record["background"], 24)
    assert bg.shape == (24, 24, 3) and bg.dtype == np.uint8
    if kind != "solid":
        assert bg.std() > 0
    out = effects.apply_effects(_rgba(255, size=24), record)
    assert out.shape == (24, 24, 3) and out.dtype == np.uint8
    assert (effects.apply_effects(_rgba(255, size=24), record) == out).all()  # reproducible


def test_png_writers(tmp_path):
    image = np.random.default_rng(0).integers(0, 255, (9, 7, 3), dtype=np.uint8)
    (tmp_path / "raw.png").write_bytes(effects.encode_png(image))
    assert (np.asarray(Image.open(tmp_path / "raw.png")) == image).all()
    with files.atomic_path(tmp_path / "a.png") as tmp:  # as the worker writes its images
        effects.save_png(tmp, image)
    assert (effects.load_rgb(tmp_path / "a.png") == image).all()
    assert [p.name for p in tmp_path.iterdir()] and not list(tmp_path.glob("*.tmp"))


# --------------------------------------------------------------------------- manifest and run plumbing


def test_manifest_round_trip_extension_and_mismatch(tmp_path, records):
    write_manifest(tmp_path, records[:10])
    assert read_manifest(tmp_path) == records[:10]
    write_manifest(tmp_path, records)  # a bigger run of the same config extends it
    assert read_manifest(tmp_path) == records
    with pytest.raises(RenderError, match="another folder"):
        write_manifest(tmp_path, sample_records(RenderConfig(n_images=40, seed=8)))
    with pytest.raises(RenderError, match="the same config, rendered further"):
        write_manifest(tmp_path, records[:5])


def test_a_folder_of_an_older_renderer_says_so(tmp_path, records):
    assert all(r["schema"] == RECORD_SCHEMA for r in records)
    write_manifest(tmp_path, [{k: v for k, v in r.items() if k != "schema"} for r in records])  # before the field
    with pytest.raises(RenderError) as error:
        write_manifest(tmp_path, records)
    message = str(error.value)
    assert f"rendered by an older renderer (record schema 1, this one is {RECORD_SCHEMA})" in message
    assert f"delete {tmp_path} or render into another folder" in message and "another RenderConfig" not in message
    write_manifest(tmp_path / "b", [{**r, "schema": RECORD_SCHEMA - 1} for r in records[:3]])
    with pytest.raises(RenderError, match=f"older renderer \\(record schema {RECORD_SCHEMA - 1}, "):
        write_manifest(tmp_path / "b", records)


def test_shards_cover_every_record_once(records):
    shards = split_shards(records, n_jobs=2)
    assert [r for s in shards for r in s] == records and len(shards) >= 4
    assert all(len(s) == 1 for s in split_shards(records[:3], n_jobs=2))


def test_worker_commands():
    assert is_blender_executable("/opt/blender-5.0/blender") and is_blender_executable("C:/B/Blender.exe")
    assert not is_blender_executable("/usr/bin/python3.11")
    command = worker_command("/opt/blender", "s.json", "out", "r.json")
    assert command[:2] == ["/opt/blender", "-b"] and command[command.index("--") + 1:] == ["s.json", "out", "--report", "r.json"]
    assert worker_command("python3.11", "s.json", "out", "r.json")[2:] == ["s.json", "out", "--report", "r.json"]


def test_missing_bpy_error_says_what_to_do(monkeypatch):
    import importlib.util

    monkeypatch.delitem(sys.modules, "bpy", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    with pytest.raises(ImportError, match=r"3\.11.*3\.13.*HOTDOG_BLENDER"):
        check_bpy_importable()


def test_importing_the_package_does_not_import_blender_or_joblib():
    code = "import sys, hotdog.render; print(sorted(m for m in ('bpy', 'joblib', 'torch') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "[]"


def test_a_crashed_subprocess_worker_names_the_shard_and_says_how_to_resume(tmp_path):
    fake = tmp_path / "fake-python"
    fake.write_text("#!/bin/sh\necho 'Segmentation fault' >&2\nexit 139\n")
    fake.chmod(0o755)
    from hotdog.render.run import render_dataset

    with pytest.raises(RenderError) as error:
        render_dataset(tmp_path / "out", RenderConfig(n_images=3), n_jobs=2, blender=str(fake), progress=False)
    message = str(error.value)
    assert "exited with code 139" in message and "Segmentation fault" in message
    assert "hotdog/00000.png" in message and "run the same command again" in message
    assert len(read_manifest(tmp_path / "out")) == 3  # the manifest is written before rendering


# --------------------------------------------------------------------------- variety and randomization switches


def test_sausages_on_a_plate_bend_sideways_in_the_plates_plane():
    params = FOODS["sausage_plate"].sample(np.random.default_rng(0))
    params["sausages"] = params["sausages"][:1]
    straight = build_sausage_plate({**params, "sausages": [{**params["sausages"][0], "bend": 0.0}]}).parts[0]
    for bend in (0.08, -0.08):
        bent = build_sausage_plate({**params, "sausages": [{**params["sausages"][0], "bend": bend}]}).parts[0]
        assert np.allclose(bent.verts[:, 2], straight.verts[:, 2])  # lying on the plate: no vertex moves up
        sideways = bent.verts[:, 1] - straight.verts[:, 1]
        length = params["sausages"][0]["length"]
        assert np.abs(sideways).max() > 0.5 * abs(bend) * length  # but the middle moves sideways, towards the bend
        middle = np.abs(bent.verts[:, 0]) < 0.1 * length
        assert np.sign(np.median(sideways[middle])) == np.sign(bend)
    two = {**params, "gap": 0.004, "sausages": [{**params["sausages"][0], "bend": 0.1},
                                                  {**params["sausages"][0], "bend": -0.1}]}
    first, second = (q.verts[np.abs(q.verts[:, 0]) < 0.01] for q in build_sausage_plate(two).parts[:2])
    assert first[:, 1].max() < second[:, 1].min()  # bent towards each other, they are spaced not to cross


def test_the_report_counts_and_names_the_records_that_failed(tmp_path):
    fake = tmp_path / "fake-worker"  # draws the even records and fails the odd ones, as a mesh file that cannot be read
    fake.write_text(f"#!{sys.executable}\n" + """import json, sys
from pathlib import Path
import numpy as np
from hotdog.render.effects import encode_png
shard, out, report = sys.argv[2], Path(sys.argv[3]), sys.argv[5]
results = []
for r in json.loads(Path(shard).read_text())["records"]:
    if r["index"] % 2:
        results.append({"index": r["index"], "file": r["file"], "seconds": 0.0, "status": "failed", "error": "x"})
    else:
        (out / r["file"]).write_bytes(encode_png(np.zeros((128, 128, 3), np.uint8)))  # a whole PNG
        results.append({"index": r["index"], "file": r["file"], "seconds": 0.1, "status": "rendered"})
Path(report).write_text(json.dumps(results))
""")
    fake.chmod(0o755)
    from hotdog.render.run import render_dataset

    report = render_dataset(tmp_path / "out", RenderConfig(n_images=4), n_jobs=2, blender=str(fake), progress=False)
    assert report["n_rendered"] == 2 and report["n_failed"] == 2
    assert report["failed"] == ["not_hotdog/00001.png", "not_hotdog/00003.png"]
    again = render_dataset(tmp_path / "out", RenderConfig(n_images=4), n_jobs=2, blender=str(fake), progress=False)
    assert again["n_skipped"] == 2 and again["failed"] == report["failed"]  # still missing, tried again
    from hotdog.render.run import _stopped_shards  # a stopped shard's error names those of the others too

    shards = split_shards(sample_records(RenderConfig(n_images=4)), n_jobs=2)
    message = str(_stopped_shards([(0, RuntimeError("boom"))], shards, tmp_path / "empty", report["failed"]))
    assert "boom" in message and "hotdog/00000.png" in message and "not_hotdog/00003.png" in message


def test_worker_command_line_from_blender_or_python():
    from hotdog.render.blender import worker

    blender = worker.parse_args(["blender", "-b", "--factory-startup", "--python-exit-code", "1", "--python",
                                 "worker.py", "--", "s.json", "out", "--report", "r.json"])
    python = worker.parse_args(["worker.py", "s.json", "out", "--report", "r.json", "--threads", "2"])
    assert (blender.shard, blender.out_dir, blender.report, blender.threads) == ("s.json", "out", "r.json", None)
    assert (python.shard, python.out_dir, python.report, python.threads) == ("s.json", "out", "r.json", 2)
    with pytest.raises(SystemExit):
        worker.parse_args(["worker.py", "s.json"])


def test_food_variety_has_the_hard_negatives_and_everyday_food():
    negatives = set(kinds_with_label(NOT_HOTDOG_CLASS))
    assert len(negatives) >= 8
    assert {"sub_sandwich", "burrito", "sausage_plate", "banana", "taco", "corn_dog", "burger", "pizza_slice", "fries",
            "donut", "plated_meal"} <= negatives


def test_hotdogs_vary_in_toppings_sausages_and_styles():
    params = [FOODS["hotdog"].sample(np.random.default_rng(i)) for i in range(300)]
    toppings = {c["kind"] for p in params for c in p["condiments"]}
    assert toppings == {"mustard", "ketchup", "relish", "onions", "chili"}
    assert {c["style"] for p in params for c in p["condiments"]} >= {"line", "zigzag", "wave", "blobs", "bits"}
    assert any(not p["condiments"] for p in params) and any(len(p["condiments"]) >= 2 for p in params)
    assert {"pale", "charred"} <= {p["sausage"]["kind"] for p in params}
    lengths = [p["sausage"]["length"] for p in params]
    assert max(lengths) - min(lengths) > 0.07


@pytest.mark.parametrize("serving", SERVINGS)
def test_servings_and_distractors_are_scenery_under_the_food(serving):
    rng = np.random.default_rng(0)
    for kind in FOODS:
        record = {"food": {"kind": kind, "params": FOODS[kind].sample(rng)}, "serving": sample_serving(rng, (serving,)),
                  "distractors": sample_distractors(rng, (2, 2)), "material": {"hue": 0.02, "saturation": 1.2,
                                                                             "value": 0.9, "roughness": 1.3}}
        food = build_record_food(record)
        arrays = food.arrays()
        assert arrays["loop_vertices"].max() < len(arrays["verts"])
        alone = build_food(kind, record["food"]["params"])
        assert np.allclose(arrays["frame_verts"], alone.verts)  # the camera frames the food, not the plate
        scenery = [q for q in food.parts if not q.framed]
        assert len(scenery) == (serving != "bare") + 2
        floor = alone.verts[:, 2].min()
        for q in scenery:
            assert q.verts[:, 2].min() < floor + 0.002  # on the table, under or beside the food
    assert set(DISTRACTOR_KINDS) == {d["kind"] for d in sample_distractors(np.random.default_rng(1), (200, 200))}


def test_the_clutter_of_a_meal_comes_only_when_asked_and_stands_on_the_table_beside_the_food():
    plain = sample_records(RenderConfig(n_images=200, seed=8))
    cluttered = sample_records(RenderConfig(n_images=200, seed=8, clutter=True, n_distractors=(2, 4)))
    assert {d["kind"] for r in plain for d in r["distractors"]} <= set(DISTRACTOR_KINDS)
    assert {d["kind"] for r in cluttered for d in r["distractors"]} == set(DISTRACTOR_KINDS + CLUTTER_KINDS)
    for a, b in zip(plain, cluttered):
        assert {**a, "distractors": None} == {**b, "distractors": None}
    for i, kind in enumerate(CLUTTER_KINDS):  # each alone beside a bare food: it stands on the food's table
        record = {**cluttered[i], "serving": {"kind": "bare"}}
        record["distractors"] = [{**d, "kind": kind} for d in sample_distractors(np.random.default_rng(i), (2, 2))]
        food = build_record_food(record)
        arrays = food.arrays()
        assert arrays["loop_vertices"].max() < len(arrays["verts"]) and np.isfinite(arrays["verts"]).all()
        floor = build_food(record["food"]["kind"], record["food"]["params"]).verts[:, 2].min()
        clutter = [q for q in food.parts if not q.framed]
        assert len(clutter) == 2
        for q in clutter:
            assert floor - 1e-9 <= q.verts[:, 2].min() < floor + 0.002  # on the table, not under it nor above


def test_a_hand_holds_food_of_either_class_in_its_share_only_when_asked():
    plain = sample_records(RenderConfig(n_images=300, seed=9))
    held = sample_records(RenderConfig(n_images=300, seed=9, hand_p=0.4))
    hands = [r for r in held if r["serving"]["kind"] == "hand"]
    assert 0.3 < len(hands) / 300 < 0.5 and {r["label"] for r in hands} == {"hotdog", "not_hotdog"}
    for a, b in zip(plain, held):
        assert {**a, "serving": None} == {**b, "serving": None}
        assert b["serving"]["kind"] == "hand" or a["serving"] == b["serving"]
    assert not any(r["serving"]["kind"] == "hand" for r in sample_records(
        RenderConfig(n_images=40, seed=9, hand_p=1.0).without("serving")))
    for record in hands[:6]:
        food = build_record_food(record)
        alone = build_food(record["food"]["kind"], record["food"]["params"])
        hand = [q for q in food.parts if q.material == "skin"]
        assert len(hand) == 1 and not hand[0].framed and np.isfinite(hand[0].verts).all()
        low, high = alone.verts.min(0), alone.verts.max(0)
        assert hand[0].verts[:, 2].min() < low[2] and hand[0].verts[:, 2].max() > (low[2] + high[2]) / 2  # under and round
        assert np.allclose(food.arrays()["frame_verts"], alone.verts)  # the camera frames the food, not the hand
        table = hand[0].verts[:, 2].min()  # the hand holds the food up; the distractors stay on the table
        for q in food.parts:
            if not q.framed and q.material != "skin":
                assert table - 0.003 < q.verts[:, 2].min() < low[2] - 0.05
    assert any(r["distractors"] for r in hands[:6])


def test_material_jitter_changes_colours_only_of_the_food():
    record = {"food": {"kind": "hotdog", "params": FOODS["hotdog"].sample(np.random.default_rng(0))},
              "serving": sample_serving(np.random.default_rng(0), ("plate",))}
    plain = build_record_food(record)
    jittered = build_record_food({**record, "material": {"hue": 0.03, "saturation": 0.7, "value": 1.0, "roughness": 1.4}})
    for a, b in zip(plain.parts, jittered.parts):
        assert np.allclose(a.verts, b.verts)
        assert np.allclose(a.colors, b.colors) != a.framed
    assert jittered.materials["bun"]["roughness"] > plain.materials["bun"]["roughness"]
    assert jittered.materials["plate"] == plain.materials["plate"]


def test_unknown_switch_or_rotation_mode_is_an_error():
    with pytest.raises(ValueError, match="randomize switches are food"):
        RenderConfig(randomize={"wobble": True})
    with pytest.raises(ValueError, match="rotation_mode"):
        RenderConfig(rotation_mode="sideways")


@pytest.mark.parametrize("name", RANDOMIZATIONS)
def test_each_switch_off_gives_the_neutral_value_and_leaves_the_rest(name, records):
    config = RenderConfig(n_images=40, seed=7, backgrounds_dir=None)
    off = sample_records(config.without(name))
    assert off != records or name in ("jpeg", "blur", "noise")  # (some switches may be off by chance in 40)
    # lights stand around the camera, so their directions follow it
    parts = {"food": ["food"], "rotation": ["rotation"], "camera": ["camera", "lights"], "lights": ["lights", "world"],
             "background": ["background", "ground", "surface", "world"], "serving": ["serving"], "material": ["material"],
             "distractors": ["distractors"], "color": ["effects"], "noise": ["effects"], "blur": ["effects"],
             "jpeg": ["effects"]}[name]
    for a, b in zip(records, off):
        for key in a:
            if key not in parts:
                assert a[key] == b[key], (name, key)  # every other part of the record is unchanged
        e = b["effects"]
        if name == "rotation":
            assert b["rotation"] == NEUTRAL["rotation"]
        elif name == "camera":
            assert [{**x, "direction": 0} for x in a["lights"]] == [{**x, "direction": 0} for x in b["lights"]]
            assert b["camera"]["focal_mm"] == 50 and b["camera"]["direction"] == off[0]["camera"]["direction"]
        elif name == "lights":
            assert len(b["lights"]) == 1 and b["lights"][0]["kind"] == "sun" and b["world"]["color"] == [1, 1, 1]
        elif name == "background":
            assert b["background"] == NEUTRAL["background"]
        elif name == "serving":
            assert b["serving"] == {"kind": "bare"}
        elif name == "material":
            assert b["material"] is None
        elif name == "distractors":
            assert b["distractors"] == []
        elif name == "color":
            assert e["color_shift"] == [1, 1, 1] and e["saturation"] == 1 and e["contrast"] == 1
        elif name in ("noise", "blur", "jpeg"):
            assert e[{"noise": "noise_sigma", "blur": "blur_radius", "jpeg": "jpeg_quality"}[name]] == 0
            assert {k: v for k, v in e.items() if not k.startswith(name)} == \
                {k: v for k, v in a["effects"].items() if not k.startswith(name)}
        elif name == "food":  # one fixed shape per kind
            same = [r["food"] for r in off if r["food"]["kind"] == b["food"]["kind"]]
            assert all(f == same[0] for f in same)


def test_everything_off_is_one_neutral_scene_per_kind():
    recs = sample_records(RenderConfig(n_images=6, randomize=dict.fromkeys(RANDOMIZATIONS, False)))
    assert recs[0]["food"] == recs[2]["food"] == recs[4]["food"]
    for r in recs:
        assert r["effects"] == {"color_shift": [1, 1, 1], "saturation": 1, "contrast": 1, "noise_sigma": 0,
                                "blur_radius": 0, "jpeg_quality": 0}
    assert RenderConfig().only("camera").randomize == {k: k == "camera" for k in RANDOMIZATIONS}


def test_food_photo_rotation_keeps_the_food_upright():
    recs = sample_records(RenderConfig(n_images=200, rotation_mode="food_photo", photo_tilt_deg=10))
    ups = np.array([shapes.quaternion_matrix(r["rotation"])[:, 2] for r in recs])  # where the food's up axis goes
    assert (ups[:, 2] > np.cos(np.radians(31))).all()  # within 3 sigma of upright
    yaws = np.array([np.arctan2(*shapes.quaternion_matrix(r["rotation"])[:2, 0][::-1]) for r in recs])
    assert yaws.std() > 1.3  # yaw spread all round
    assert all(r["rotation_mode"] == "food_photo" for r in recs)
    elevations = np.degrees(np.arcsin([r["camera"]["direction"][2] for r in recs]))
    assert elevations.min() >= 25 - 1e-6 and elevations.max() > 70


def test_light_colour_temperature():
    warm, cool = kelvin_to_rgb(2700), kelvin_to_rgb(7500)
    assert warm[0] == 1 and warm[2] < 0.6 and cool[2] == 1 and cool[0] < 1
    for r in sample_records(RenderConfig(n_images=10)):
        for light in r["lights"]:
            assert 2700 <= light["temperature_k"] <= 7500 and max(light["color"]) == pytest.approx(1)


def test_same_seed_same_manifest_bytes(tmp_path):
    config = RenderConfig(n_images=20, seed=3, rotation_mode="food_photo")
    write_manifest(tmp_path / "a", sample_records(config))
    write_manifest(tmp_path / "b", sample_records(config))
    assert (tmp_path / "a" / "manifest.jsonl").read_bytes() == (tmp_path / "b" / "manifest.jsonl").read_bytes()


def test_jpeg_changes_the_image_and_keeps_shape_and_dtype():
    rng = np.random.default_rng(0)
    image = (effects.value_noise(rng, 40, 5)[..., None] * [220, 140, 60]).astype(np.uint8)
    image[10:20, 5:30] = [250, 240, 20]
    assert (effects.jpeg_compress(image, 0) == image).all()
    for quality in (20, 60, 90):
        out = effects.jpeg_compress(image, quality)
        assert out.shape == image.shape and out.dtype == np.uint8
        assert (out != image).any()
        fallback = effects._jpeg_numpy(image, quality)  # Blender's own Python has no Pillow
        assert fallback.shape == image.shape and fallback.dtype == np.uint8
        assert np.abs(fallback.astype(float) - out).mean() < 2.5
    low, high = (np.abs(effects.jpeg_compress(image, q).astype(float) - image).mean() for q in (10, 95))
    assert low > high


def test_saturation_and_contrast_jitter():
    image = np.zeros((4, 4, 3), np.uint8)
    image[:2] = [200, 50, 50]
    image[2:] = [20, 20, 20]
    assert (effects.saturation_contrast(image) == image).all()
    grey = effects.saturation_contrast(image, saturation=0.0)
    assert np.ptp(grey[0, 0].astype(int)) <= 1
    flat = effects.saturation_contrast(image, contrast=0.0)
    assert np.ptp(flat.astype(int).mean(axis=2)) < 2


def test_gallery_records_vary_one_switch_at_a_time():
    from hotdog.render.gallery import gallery_records

    groups = gallery_records(RenderConfig(seed=2), n=4)
    assert list(groups) == list(RANDOMIZATIONS)
    for switch, recs in groups.items():
        assert [r["file"] for r in recs] == [f"{switch}/{k:02d}.png" for k in range(4)]
        if switch != "food":
            assert len({json.dumps(r["food"]) for r in recs}) == 1  # the same hotdog throughout
    assert len({json.dumps(r["camera"]) for r in groups["camera"]}) == 4
    assert len({json.dumps(r["camera"]) for r in groups["lights"]}) == 1
    assert len({r["food"]["kind"] for r in groups["food"]}) >= 2
    with pytest.raises(ValueError, match="randomization"):
        gallery_records(RenderConfig(), switches=("wobble",))


def test_uniform_rotation_is_the_articles_and_serves_the_food_bare():
    recs = sample_records(RenderConfig(n_images=400, rotation_mode="uniform"))
    q = np.array([r["rotation"] for r in recs])
    assert np.allclose((q**2).mean(axis=0), 0.25, atol=0.04)  # uniform over SO(3)
    assert all(r["serving"] == {"kind": "bare"} for r in recs)
    assert RenderConfig().rotation_mode == "food_photo"
    photo = sample_records(RenderConfig(n_images=100))
    assert {r["serving"]["kind"] for r in photo} == set(SERVINGS)


def test_ground_shadow_is_a_catcher_or_a_2d_drop_shadow():
    recs = sample_records(RenderConfig(n_images=200, **PLAIN_SCENE))  # a table's real shadows need neither
    catchers = [r["ground"]["shadow_catcher"] for r in recs]
    assert 0 < sum(catchers) < 60
    assert all((r["ground"]["drop_shadow"] is None) == r["ground"]["shadow_catcher"] for r in recs)
    assert all(r["ground"] == {"shadow_catcher": False, "drop_shadow": None}
               for r in sample_records(RenderConfig(n_images=10, ground_plane=False)))
    bg = np.full((32, 32, 3), 200, np.uint8)
    alpha = np.zeros((32, 32), np.uint8)
    alpha[8:24, 8:24] = 255
    shaded = effects.drop_shadow(bg, alpha, {"dx": 0.1, "dy": 0.1, "blur": 0.03, "strength": 0.5})
    assert shaded.shape == bg.shape and shaded.dtype == np.uint8
    assert shaded[20, 20].max() < 120 and (shaded[0, 0] == 200).all()  # dark under the food, untouched far away
    assert (effects.drop_shadow(bg, alpha, None) == bg).all()


# --------------------------------------------------------------------------- scenes like food photos


def test_records_of_a_config_without_photo_scenes_are_the_records_of_before():
    # folders rendered before tables, HDRIs and off-centre framing existed still match their configs
    for record in sample_records(RenderConfig(n_images=20, seed=3, **PLAIN_SCENE)):
        assert "surface" not in record and "hdri" not in record["world"] and "offset" not in record["camera"]


def test_tables_hdris_and_offcentre_framing_come_in_their_shares_and_change_nothing_else():
    plain = sample_records(RenderConfig(n_images=400, seed=3, **PLAIN_SCENE))
    config = RenderConfig(n_images=400, seed=3, **{**PLAIN_SCENE, "surface_p": 0.7, "hdri_p": 0.4, "offcentre": 0.3})
    scened = sample_records(config)
    tables = [r["surface"] for r in scened if r["surface"]]
    assert 0.6 < len(tables) / 400 < 0.8
    assert 0.3 < sum(bool(r["world"]["hdri"]) for r in scened) / 400 < 0.5
    assert {t["kind"] for t in tables} == set(SURFACE_KINDS)
    assert all(abs(d) <= 0.3 for r in scened for d in r["camera"]["offset"])
    for a, b in zip(plain, scened):
        assert a["food"] == b["food"] and a["lights"] == b["lights"] and a["effects"] == b["effects"]
        if b["surface"]:  # real shadows on the table: no drop shadow, no shadow catcher
            assert b["ground"] == {"shadow_catcher": False, "drop_shadow": None}
        else:
            assert a["ground"] == b["ground"]


def test_a_shallow_depth_of_field_comes_in_its_share_only_when_asked_and_with_the_camera_switch():
    assert all("dof" not in r["camera"] for r in sample_records(RenderConfig(n_images=40, seed=3)))
    plain = sample_records(RenderConfig(n_images=400, seed=3, surface_p=0.7))
    wide = sample_records(RenderConfig(n_images=400, seed=3, surface_p=0.7, dof_p=0.5))
    stops = [r["camera"]["dof"]["fstop"] for r in wide if "dof" in r["camera"]]
    assert 0.4 < len(stops) / 400 < 0.6 and all(2.8 <= f <= 11 for f in stops)
    for a, b in zip(plain, wide):  # everything else as it was
        b["camera"].pop("dof", None)
        assert a == b
    off = sample_records(RenderConfig(n_images=40, seed=3, dof_p=1.0).without("camera"))
    assert all("dof" not in r["camera"] for r in off)
    with pytest.raises(ValueError, match="dof_p"):
        RenderConfig(dof_p=1.5)


def test_background_switched_off_means_no_table_and_no_hdri():
    records = sample_records(RenderConfig(n_images=30, seed=3, surface_p=1.0, hdri_p=1.0).without("background"))
    assert all("surface" not in r and "hdri" not in r["world"] for r in records)


def test_set_reads_fields_as_json_and_names_the_fields_it_does_not_know():
    config = RenderConfig().with_settings(["surface_p=0.8", "distance_factor=[0.7,1.3]", "rotation_mode=uniform"])
    assert config.surface_p == 0.8 and config.distance_factor == (0.7, 1.3) and config.rotation_mode == "uniform"
    with pytest.raises(ValueError, match="surface_p"):
        RenderConfig().with_settings(["surface=0.8"])
    with pytest.raises(ValueError, match="share between 0 and 1"):
        RenderConfig().with_settings(["hdri_p=2"])
    with pytest.raises(ValueError, match="surface_kinds is one or more of wood"):
        RenderConfig(surface_kinds=("lava",))
    assert RenderConfig().with_settings(["surface_kinds=wood", "dishes=true"]).surface_kinds == ("wood",)
    for setting, takes in (("dishes=False", "true or false"), ("surface_p=.5", "a number"),
                           ("food_texture=0.2", "a JSON list")):
        with pytest.raises(ValueError, match=f"--set {setting}: .* takes {takes}"):
            RenderConfig().with_settings([setting])
    with pytest.raises(ValueError, match="food_texture is a range"):
        RenderConfig(food_texture=(0.2, 1.5))
    with pytest.raises(ValueError, match="surface_kinds is one or more of"):
        RenderConfig(surface_kinds=())


def test_everyday_dishes_come_only_when_asked_for_and_then_all_of_them():
    classic = set(kinds_with_label(NOT_HOTDOG_CLASS))
    assert {r["food"]["kind"] for r in sample_records(RenderConfig(n_images=400, seed=2)) if r["label"] == NOT_HOTDOG_CLASS} == classic
    dishes = sample_records(RenderConfig(n_images=800, seed=2, dishes=True))
    kinds = {r["food"]["kind"] for r in dishes if r["label"] == NOT_HOTDOG_CLASS}
    assert kinds == set(kinds_with_label(NOT_HOTDOG_CLASS, dishes=True)) and len(kinds - classic) >= 16
    hotdogs = [r["food"]["kind"] for r in dishes if r["label"] == "hotdog"]
    assert set(hotdogs) == {"hotdog", "hotdogs"} and 0.25 < hotdogs.count("hotdogs") / len(hotdogs) < 0.42
    again = sample_records(RenderConfig(n_images=800, seed=2, dishes=True))
    assert json.loads(json.dumps(dishes)) == again  # plain JSON, and the same config gives the same records


def test_meals_add_eight_kinds_to_thirty_five_negatives_and_change_nothing_else():
    both = set(kinds_with_label(NOT_HOTDOG_CLASS, dishes=True))
    every = set(kinds_with_label(NOT_HOTDOG_CLASS, dishes=True, meals=True))
    assert every - both == {"steak", "fried_chicken", "dumplings", "waffles", "sandwich", "roast_chicken", "curry",
                            "generic_dish"} and len(every) == 35
    plain, meals = (sample_records(RenderConfig(n_images=600, seed=4, meals=m)) for m in (False, True))
    assert {r["food"]["kind"] for r in meals if r["label"] == NOT_HOTDOG_CLASS} == set(kinds_with_label(NOT_HOTDOG_CLASS, meals=True))
    assert [r for r in plain if r["label"] == "hotdog"] == [r for r in meals if r["label"] == "hotdog"]
    assert RenderConfig().with_settings(["meals=true"]).meals is True


def test_the_generic_dish_is_a_different_dish_each_time():
    from hotdog.render.foods.meals import COMPONENTS

    dishes = [FOODS["generic_dish"].sample(np.random.default_rng(s)) for s in range(60)]
    assert {c["kind"] for d in dishes for c in d["components"]} == set(COMPONENTS)
    assert {d["base"] for d in dishes} == {"plate", "bowl", "none"}
    colors = np.array([c["color"] for d in dishes for c in d["components"]])
    assert colors.std(axis=0).min() > 0.15  # not one palette
    sizes = [np.ptp(build_food("generic_dish", d).verts[:, :2], axis=0).max() for d in dishes[:10]]
    assert np.ptp(sizes) > 0.03
