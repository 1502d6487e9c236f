"""Food from mesh files: the COLLADA reader, mesh records, drawing them in Blender, the article's assets.

The article's own meshes are read from the shared data beside the checkout (skipped where it is absent).
``bpy`` is only imported in a child process, never in the pytest process.
"""

import hashlib
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from hotdog import article_assets
from hotdog.download import DownloadError
from hotdog.render.assets import MESH_KIND, TARGET_SIZE, MeshError, list_meshes, mesh_format, read_collada
from hotdog.render.spec import RenderConfig, sample_records

ROOT = Path(__file__).resolve().parents[1]
ARTICLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "article"
ARTICLE_MESHES = sorted(ARTICLE.glob("models/hotdog*/*.dae"))  # the folder article_assets downloads into
needs_article = pytest.mark.skipif(len(ARTICLE_MESHES) != 4, reason="the article's meshes are not beside the checkout")
needs_bpy = pytest.mark.skipif(importlib.util.find_spec("bpy") is None, reason="bpy is not importable in this Python")

CUBE_OBJ = "\n".join(["v -1 -1 -1", "v 2 -1 -1", "v 2 1 -1", "v -1 1 -1", "v -1 -1 1", "v 2 -1 1", "v 2 1 1", "v -1 1 1",
                      "f 1 4 3 2", "f 5 6 7 8", "f 1 2 6 5", "f 2 3 7 6", "f 3 4 8 7", "f 4 1 5 8"]) + "\n"

SMALL_DAE = """<?xml version="1.0" encoding="utf-8"?>
<COLLADA xmlns="http://www.collada.org/2005/11/COLLADASchema" version="1.4.1">
  <asset><unit name="centimeter" meter="0.01"/><up_axis>Y_UP</up_axis></asset>
  <library_effects><effect id="red-fx"><profile_COMMON><technique sid="common"><phong>
    <diffuse><color>1 0 0 1</color></diffuse></phong></technique></profile_COMMON></effect></library_effects>
  <library_materials><material id="red" name="red"><instance_effect url="#red-fx"/></material></library_materials>
  <library_geometries><geometry id="quad"><mesh>
    <source id="pos"><float_array id="pos-a" count="15">0 0 0 1 0 0 1 1 0 0 1 0 0.5 2 0</float_array>
      <technique_common><accessor source="#pos-a" count="5" stride="3"/></technique_common></source>
    <source id="uv"><float_array id="uv-a" count="10">0 0 1 0 1 1 0 1 0.5 1</float_array>
      <technique_common><accessor source="#uv-a" count="5" stride="2"/></technique_common></source>
    <vertices id="verts"><input semantic="POSITION" source="#pos"/></vertices>
    <polylist material="m" count="1"><input semantic="VERTEX" source="#verts" offset="0"/>
      <input semantic="TEXCOORD" source="#uv" offset="1" set="0"/><vcount>4</vcount><p>0 0 1 1 2 2 3 3</p></polylist>
    <polygons material="m" count="1"><input semantic="VERTEX" source="#verts" offset="0"/>
      <p>3 2 4</p></polygons>
  </mesh></geometry></library_geometries>
  <library_visual_scenes><visual_scene id="scene">
    <node id="outer"><translate>5 0 0</translate><scale>2 2 2</scale>
      <node id="inner"><rotate>0 0 1 90</rotate>
        <instance_geometry url="#quad"><bind_material><technique_common>
          <instance_material symbol="m" target="#red"/></technique_common></bind_material></instance_geometry>
      </node></node>
  </visual_scene></library_visual_scenes>
  <scene><instance_visual_scene url="#scene"/></scene>
</COLLADA>
"""


# --------------------------------------------------------------------------- the reader


@needs_article
@pytest.mark.parametrize("index", range(4))
def test_reader_reads_the_article_meshes(index):
    path = ARTICLE_MESHES[index]
    mesh = read_collada(path)
    assert mesh.parts
    for part in mesh.parts:
        assert part.faces.ndim == 2 and part.faces.shape[1] == 3 and len(part.faces) > 0
        assert part.faces.min() >= 0 and part.faces.max() < len(part.verts)
        assert np.isfinite(part.verts).all()
        assert part.uvs is not None and part.uvs.shape == (3 * len(part.faces), 2) and np.isfinite(part.uvs).all()
        assert part.normals.shape == (3 * len(part.faces), 3) and np.allclose(np.linalg.norm(part.normals, axis=1), 1)
        corners = part.verts[part.faces]  # the file's normals agree with the triangles' winding
        face_normals = np.cross(corners[:, 1] - corners[:, 0], corners[:, 2] - corners[:, 0])
        assert (np.einsum("ij,ij->i", face_normals, part.normals.reshape(-1, 3, 3).mean(1)) > 0).mean() > 0.99
    verts = mesh.verts
    low, high = verts.min(0), verts.max(0)
    assert np.allclose((low + high) / 2, 0, atol=1e-9)
    assert (high - low).max() == pytest.approx(TARGET_SIZE)
    if path.parent.name == "hotdog4":  # its textures were not carried: plain material, no crash
        assert all(p.texture is None and p.missing_texture for p in mesh.parts)
    else:
        assert all(p.texture and Path(p.texture).is_file() for p in mesh.parts)
    assert mesh_format(path) == "collada"


def test_reader_polylist_polygons_nodes_units_and_up_axis(tmp_path):
    path = tmp_path / "small.dae"
    path.write_text(SMALL_DAE)
    raw = read_collada(path, normalise=False)
    assert [len(p.faces) for p in raw.parts] == [2, 1]  # the quad fanned into two triangles, plus one
    assert raw.parts[0].material == "red" and raw.parts[0].color == (1.0, 0.0, 0.0) and raw.parts[0].texture is None
    assert raw.parts[1].uvs is None
    verts = raw.verts
    # x' = 5 + 2 * rotate90(x, y): file x in [-4, 5] ... then Y_UP -> Z_UP (file y becomes z) and cm -> m
    assert np.allclose(verts.min(0), [0.01, 0, 0]) and np.allclose(verts.max(0), [0.05, 0, 0.02])
    mesh = read_collada(path)
    assert (mesh.verts.max(0) - mesh.verts.min(0)).max() == pytest.approx(TARGET_SIZE)


@pytest.mark.parametrize("content, words", [
    ("this is not <xml at all", "not a COLLADA file"),
    ('<?xml version="1.0"?><html></html>', "not a COLLADA file"),
    (SMALL_DAE.replace('<source id="pos">', '<source id="gone">'), "missing"),
    (SMALL_DAE.replace("<p>0 0 1 1 2 2 3 3</p>", "<p>0 0 1 1 2 2 9 3</p>"), "out of range"),
])
def test_a_broken_mesh_file_names_itself(tmp_path, content, words):
    path = tmp_path / "broken_mesh.dae"
    path.write_text(content)
    with pytest.raises(MeshError, match=words) as info:
        read_collada(path)
    assert str(path) in str(info.value)


def test_mesh_format_and_listing(tmp_path):
    for name in ("hotdog/a/b/one.DAE", "hotdog/two.glb", "hotdog/notes.txt", "not_hotdog/x/cube.obj"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    found = list_meshes(tmp_path)
    assert [Path(p).name for p in found["hotdog"]] == ["one.DAE", "two.glb"]
    assert [Path(p).name for p in found["not_hotdog"]] == ["cube.obj"]
    assert mesh_format("x.stl") == "wm.stl_import" and mesh_format("x.gltf") == "import_scene.gltf"
    with pytest.raises(MeshError, match="x.blend"):
        mesh_format("x.blend")
    assert list_meshes(None) == {}


def test_mesh_records_are_json_deterministic_and_leave_other_records_alone(tmp_path):
    (tmp_path / "hotdog").mkdir()
    (tmp_path / "hotdog" / "cube.obj").write_text(CUBE_OBJ)
    config = RenderConfig(n_images=40, seed=3, meshes_dir=str(tmp_path), mesh_p=0.5)
    records = sample_records(config)
    assert json.loads(json.dumps(records)) == records == sample_records(config)
    meshes = [r for r in records if r["food"]["kind"] == MESH_KIND]
    assert 4 <= len(meshes) <= 16  # about half of the 20 hotdogs; not-hotdogs have no meshes here
    assert all(r["label"] == "hotdog" == r["food"]["params"]["label"] for r in meshes)
    assert all(r["food"]["params"]["path"].endswith("cube.obj") for r in meshes)
    # a class without meshes draws exactly what it drew before
    plain = sample_records(RenderConfig(n_images=40, seed=3))
    assert [r for r in records if r["label"] == "not_hotdog"] == [r for r in plain if r["label"] == "not_hotdog"]
    assert sample_records(RenderConfig(n_images=40, seed=3, meshes_dir=str(tmp_path / "hotdog"))) == plain


# --------------------------------------------------------------------------- drawing in Blender

RENDER = r"""
import json, sys
from hotdog.render.blender import worker
from hotdog.render.blender.session import import_bpy
from hotdog.render.spec import PLAIN_SCENE, RenderConfig, sample_record
paths, out = json.loads(sys.argv[1]), sys.argv[2]
records = []
for i, path in enumerate(paths):  # the plain scene: the food whole, in front of the solid colour below
    record = sample_record(RenderConfig(seed=3, image_size=64, samples=4, **PLAIN_SCENE), 2 * i)
    record["food"] = {"kind": "mesh", "params": {"path": path, "label": "hotdog"}}
    record["background"] = {"kind": "solid", "colors": [[0.2, 0.4, 0.8]]}
    record["effects"] = {"color_shift": [1, 1, 1], "noise_sigma": 0.0, "blur_radius": 0.0}
    records.append(record)
results = worker.render_shard(records, out, threads=1)
records[0]["index"], records[0]["file"] = 99, "hotdog/again.png"  # the cached mesh, drawn a second time
results += worker.render_shard(records[:1], out, threads=1)
bpy = import_bpy()
print("RESULT " + json.dumps({"results": results, "objects": len(bpy.data.objects)}))
"""


@needs_bpy
def test_meshes_render_textured_and_a_bad_mesh_file_is_skipped(tmp_path):
    (tmp_path / "cube.obj").write_text(CUBE_OBJ)
    (tmp_path / "broken.dae").write_text("garbage")
    paths = [str(p) for p in ARTICLE_MESHES] + [str(tmp_path / "cube.obj"), str(tmp_path / "broken.dae")]
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-c", RENDER, json.dumps(paths), str(out)], capture_output=True, text=True,
                          cwd=ROOT, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(next(l for l in done.stdout.splitlines() if l.startswith("RESULT "))[len("RESULT "):])
    results = report["results"]
    statuses = [r["status"] for r in results]
    assert statuses == ["rendered"] * (len(paths) - 1) + ["failed", "rendered"]
    assert "broken.dae" in results[-2]["error"] and "broken.dae" in done.stderr
    assert report["objects"] <= 1  # each record's objects are removed (the camera stays)
    from PIL import Image

    background = np.array([0.2, 0.4, 0.8]) * 255
    for r in results:
        if r["status"] != "rendered":
            continue
        image = np.asarray(Image.open(out / r["file"]).convert("RGB"), dtype=float)
        food = np.abs(image - background).sum(axis=2) > 40  # pixels that are not the background
        assert 0.03 < food.mean() < 0.95, r["file"]
        assert image[food].std() > 2, r["file"]


# --------------------------------------------------------------------------- the article's assets


def _mirror(tmp_path, root, files):
    lines = []
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
        lines.append(f"{hashlib.sha256(data).hexdigest()}  {name}")
    sums = tmp_path / "article.sha256"
    sums.write_text("\n".join(lines) + "\n")
    return sums


def test_article_download_verifies_skips_and_rejects_a_tampered_file(tmp_path, server):
    root, url = server
    files = {"models/hotdog1/HotDog.dae": b"<COLLADA/>", "models/hotdog2/Material.002_baseColor.png": b"png",
             "backgrounds/a b.jpg": b"jpeg"}
    sums = _mirror(tmp_path, root, files)
    dest = article_assets.download_article_assets(tmp_path / "article", base_url=url, progress=False, checksums=sums)
    assert {n: (dest / n).read_bytes() for n in files} == files
    assert not list(dest.rglob("*.part"))
    (root / "models").rename(root / "gone")  # already correct: nothing is fetched again
    article_assets.download_article_assets(dest, base_url=url, progress=False, checksums=sums)
    (root / "gone").rename(root / "models")
    (dest / "backgrounds" / "a b.jpg").write_bytes(b"stale")
    (root / "backgrounds" / "a b.jpg").write_bytes(b"tampered")
    with pytest.raises(DownloadError, match="a b.jpg") as info:
        article_assets.download_article_assets(dest, base_url=url, progress=False, checksums=sums)
    assert "checksum" in str(info.value)
    assert (dest / "backgrounds" / "a b.jpg").read_bytes() == b"stale"
    (root / "models" / "hotdog1" / "HotDog.dae").unlink()  # a file the server lacks
    (dest / "models" / "hotdog1" / "HotDog.dae").unlink()
    (root / "backgrounds" / "a b.jpg").write_bytes(files["backgrounds/a b.jpg"])
    with pytest.raises(DownloadError, match="HotDog.dae") as info:
        article_assets.download_article_assets(dest, base_url=url, progress=False, checksums=sums)
    assert "1 of the 3" in str(info.value)
    assert (dest / "backgrounds" / "a b.jpg").read_bytes() == files["backgrounds/a b.jpg"]  # the rest still came


def test_article_checksums_are_packaged_and_match_the_shared_copy():
    expected = article_assets.article_checksums()
    assert len(expected) == 29 and all(len(d) == 64 for d in expected.values())
    assert sum(n.startswith("backgrounds/") for n in expected) == 19
    assert article_assets.BASE_URL.endswith(article_assets.COMMIT)
    if not ARTICLE.is_dir():
        pytest.skip("the article's assets are not beside the checkout")
    assert {n: hashlib.sha256((ARTICLE / n).read_bytes()).hexdigest() for n in expected} == expected
