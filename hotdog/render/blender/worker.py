"""The Blender worker: draws records into PNG files. The only module that imports ``bpy``.

One call of :func:`render_shard` sets up one Cycles scene (camera, world, render settings) and then,
for each record: removes the previous food (objects, meshes, materials, lights: memory stays flat),
builds the food from its parameters (numpy geometry from :mod:`hotdog.render.foods`, turned into one
mesh with ``foreach_set``, no ``bpy.ops``), rotates it, places the camera so that every vertex is in
frame, sets the lights, renders the food on a transparent film to a temporary PNG, composites the
record's background and applies the 2D effects (:mod:`hotdog.render.effects`), and writes the final
RGB PNG atomically. Records whose image already exists are skipped, so a crashed run is finished by
running it again.

``bpy`` is imported inside functions, so importing this module is cheap and safe anywhere. The same
file is a script for another interpreter that has ``bpy``, or for a Blender executable::

    python worker.py shard.json out_dir [--report report.json]
    blender -b --factory-startup --python-exit-code 1 --python worker.py -- shard.json out_dir --report r.json

``shard.json`` holds ``{"records": [...], "image_size": 128, "samples": 2, "threads": null}`` (or just
the list of records).
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

# Run as a file (`python worker.py`, `blender -b --python worker.py`) rather than imported as part of
# the package: make the project importable from the file's own location.
_AS_SCRIPT = __name__ != "hotdog.render.blender.worker"
if _AS_SCRIPT:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import numpy as np  # noqa: E402  (Blender's own Python ships numpy)

from hotdog import malloc  # noqa: E402
from hotdog.render import effects  # noqa: E402
from hotdog.render.assets import MODEL_KIND, ModelError  # noqa: E402
from hotdog.render.foods import build_record_food  # noqa: E402
from hotdog.render.shapes import camera_axes, frame_camera, quaternion_matrix  # noqa: E402

DEFAULT_IMAGE_SIZE = 128
DEFAULT_SAMPLES = 2

BPY_HELP = (
    "Blender's Python module (bpy) cannot be imported in this Python ({version}). bpy wheels exist for "
    "Python 3.11 (bpy 5.0) and Python 3.13 (bpy 5.1+) only: use Python 3.11 (pip install bpy==5.0.1) or "
    "3.13 (pip install 'bpy>=5.1'), or set HOTDOG_BLENDER to a Blender executable (or to another Python "
    "that has bpy) so the worker runs there, e.g. `blender -b --python worker.py` as on Colab."
)


class RenderError(RuntimeError):
    """A record could not be rendered; the message names it. Images already written are kept."""


# --------------------------------------------------------------------------- bpy


def _is_blender_scripts_path(entry: str) -> bool:
    """``.../bpy/5.0/scripts/...``: folders a process that imported bpy adds to ``sys.path``."""
    parts = Path(entry).parts
    return "bpy" in parts and "scripts" in parts[parts.index("bpy"):]


def import_bpy():
    """``import bpy`` with a clean ``sys.path``, or an ImportError that says what to do.

    A worker process started by a parent that had imported bpy inherits ``bpy/5.0/scripts/modules`` on
    its ``sys.path``; the ``bpy`` package in that folder would shadow the real module and fail with
    "No module named '_bpy'". Those entries are removed before importing.
    """
    if "bpy" in sys.modules:
        return sys.modules["bpy"]
    sys.path[:] = [p for p in sys.path if not _is_blender_scripts_path(p)]
    try:
        import bpy
    except ImportError as error:
        raise ImportError(BPY_HELP.format(version=sys.version.split()[0])) from error
    return bpy


def _set(owner, name: str, value, skipped: list[str]) -> None:
    """Set a render setting if this Blender has it (names change between versions)."""
    try:
        setattr(owner, name, value)
    except (AttributeError, TypeError, ValueError):
        skipped.append(f"{type(owner).__name__}.{name}={value!r}")


@contextmanager
def _quiet_stdout():
    """Silence Blender's per-frame "Fra:1 Mem:..." lines, which go straight to file descriptor 1."""
    try:
        sys.stdout.flush()
        saved = os.dup(1)
    except (OSError, ValueError):
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


def setup_scene(image_size: int = DEFAULT_IMAGE_SIZE, samples: int = DEFAULT_SAMPLES, threads: int | None = None):
    """An empty scene with Cycles (CPU, few samples, fast denoiser), a transparent film, a camera and
    a world. Returns ``(scene, skipped)`` where ``skipped`` lists settings this Blender lacks."""
    bpy = import_bpy()
    malloc.limit_arenas()  # flat memory over long runs (hotdog/malloc.py)
    with _quiet_stdout():
        bpy.ops.wm.read_factory_settings(use_empty=True)
    scene = bpy.context.scene
    skipped: list[str] = []
    scene.render.engine = "CYCLES"
    cycles = scene.cycles
    _set(cycles, "device", "CPU", skipped)
    cycles.samples = samples
    _set(cycles, "use_adaptive_sampling", False, skipped)
    _set(cycles, "use_denoising", True, skipped)
    _set(cycles, "denoiser", "OPENIMAGEDENOISE", skipped)
    _set(cycles, "denoising_prefilter", "FAST", skipped)
    _set(cycles, "denoising_quality", "FAST", skipped)
    for name, value in (("max_bounces", 4), ("diffuse_bounces", 2), ("glossy_bounces", 2), ("transmission_bounces", 0),
                        ("volume_bounces", 0), ("transparent_max_bounces", 2), ("caustics_reflective", False),
                        ("caustics_refractive", False),
                        # a food scene has one to three lights: choosing among them with the light tree
                        # costs more than it saves (about 10 % of the render time, benchmarks/bench_render.py)
                        ("use_light_tree", False)):
        _set(cycles, name, value, skipped)
    render = scene.render
    render.resolution_x = render.resolution_y = image_size
    render.resolution_percentage = 100
    render.film_transparent = True
    render.image_settings.file_format = "PNG"
    render.image_settings.color_mode = "RGBA"
    _set(render.image_settings, "color_depth", "8", skipped)
    _set(render.image_settings, "compression", 0, skipped)
    if threads:
        render.threads_mode = "FIXED"
        render.threads = int(threads)
    _set(scene.view_settings, "view_transform", "Standard", skipped)
    _set(scene.view_settings, "look", "None", skipped)

    world = bpy.data.worlds.new("world")
    if world.node_tree is None:
        world.use_nodes = True
    scene.world = world
    camera = bpy.data.objects.new("camera", bpy.data.cameras.new("camera"))
    camera.data.sensor_fit = "AUTO"
    scene.collection.objects.link(camera)
    scene.camera = camera
    return scene, skipped


# --------------------------------------------------------------------------- drawing one record


def _srgb_to_linear(c: np.ndarray) -> np.ndarray:
    c = np.clip(c, 0, 1)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def make_mesh(arrays: dict, name: str = "food"):
    """A ``bpy`` mesh from :meth:`hotdog.render.shapes.Food.arrays` (bulk ``foreach_set``, no operators)."""
    bpy = import_bpy()
    mesh = bpy.data.meshes.new(name)
    mesh.vertices.add(len(arrays["verts"]))
    mesh.vertices.foreach_set("co", arrays["verts"].astype(np.float32).ravel())
    mesh.loops.add(len(arrays["loop_vertices"]))
    mesh.loops.foreach_set("vertex_index", arrays["loop_vertices"].astype(np.int32))
    mesh.polygons.add(len(arrays["loop_starts"]))
    mesh.polygons.foreach_set("loop_start", arrays["loop_starts"].astype(np.int32))
    mesh.polygons.foreach_set("material_index", arrays["material_index"].astype(np.int32))
    mesh.update(calc_edges=True)
    mesh.polygons.foreach_set("use_smooth", arrays["smooth"])
    colors = np.ones((len(arrays["verts"]), 4), dtype=np.float32)
    colors[:, :3] = _srgb_to_linear(arrays["colors"])
    attribute = mesh.color_attributes.new("base_color", "FLOAT_COLOR", "POINT")
    attribute.data.foreach_set("color", colors.ravel())
    mesh.update()
    return mesh


def make_material(name: str, settings: dict):
    """A Principled BSDF whose base colour is the mesh's per-vertex ``color`` attribute."""
    bpy = import_bpy()
    material = bpy.data.materials.new(name)
    if material.node_tree is None:
        material.use_nodes = True
    nodes = material.node_tree.nodes
    bsdf = next(n for n in nodes if n.bl_idname == "ShaderNodeBsdfPrincipled")
    color = nodes.new("ShaderNodeAttribute")
    color.attribute_name = "base_color"
    material.node_tree.links.new(color.outputs["Color"], bsdf.inputs["Base Color"])
    for key, socket in (("roughness", "Roughness"), ("coat", "Coat Weight"), ("sheen", "Sheen Weight"),
                        ("metallic", "Metallic")):
        if key in settings and socket in bsdf.inputs:
            bsdf.inputs[socket].default_value = settings[key]
    return material


def _track_quaternion(direction):
    """Rotation whose local +Z points along ``direction`` (so the object's -Z looks back at the origin)."""
    from mathutils import Vector

    return Vector(direction).to_track_quat("Z", "Y")


class Drawer:
    """One reused scene that draws records; it removes each food's data before building the next."""

    def __init__(self, image_size: int = DEFAULT_IMAGE_SIZE, samples: int = DEFAULT_SAMPLES, threads: int | None = None):
        self.bpy = import_bpy()
        self.image_size = image_size
        self.scene, self.skipped_settings = setup_scene(image_size, samples, threads)
        self.camera = self.scene.camera
        self.created: list = []  # (collection, datablock) pairs to remove before the next record
        self.tmp_dir = tempfile.mkdtemp(prefix="hotdog-render-")
        self._photos: dict[str, np.ndarray] = {}

    def clear(self) -> None:
        """Remove the previous record's objects first, then their meshes, materials and lights."""
        for collection, block in sorted(self.created, key=lambda cb: cb[0] != "objects"):
            getattr(self.bpy.data, collection).remove(block)
        self.created = []

    def _keep(self, collection: str, block):
        self.created.append((collection, block))
        return block

    def build(self, record: dict):
        """Build the record's food, rotated; returns the object and its world-space vertices."""
        bpy = self.bpy
        if record["food"]["kind"] == MODEL_KIND:  # a model file (hotdog/render/blender/models.py)
            from hotdog.render.blender import models

            return models.build_model(self, record)
        food = build_record_food(record)  # the food, its plate or foil, distractors (foods.py)
        arrays = food.arrays()
        mesh = self._keep("meshes", make_mesh(arrays))
        for name in arrays["material_names"]:
            mesh.materials.append(self._keep("materials", make_material(name, food.materials.get(name, {}))))
        obj = self._keep("objects", bpy.data.objects.new("food", mesh))
        obj.rotation_mode = "QUATERNION"
        q = np.asarray(record["rotation"], dtype=float)
        obj.rotation_quaternion = (q / np.linalg.norm(q)).tolist()
        self.scene.collection.objects.link(obj)
        world_verts = arrays["frame_verts"] @ quaternion_matrix(q).T  # the camera frames the food only
        self.floor_z = float((arrays["verts"] @ quaternion_matrix(q).T)[:, 2].min())  # lowest point, plate included
        return obj, world_verts

    def add_ground(self, radius: float) -> None:
        """A table plane under the lowest point that only catches shadows (transparent elsewhere, so the
        composited background shows through with the food's shadow on it)."""
        bpy = self.bpy
        mesh = self._keep("meshes", bpy.data.meshes.new("ground"))
        s = 1.6 * radius  # small: pixels that miss everything stay transparent, and cheap
        mesh.from_pydata([(-s, -s, 0), (s, -s, 0), (s, s, 0), (-s, s, 0)], [], [(0, 1, 2, 3)])
        obj = self._keep("objects", bpy.data.objects.new("ground", mesh))
        obj.location = (0.0, 0.0, self.floor_z - 1e-4)
        obj.is_shadow_catcher = True
        self.scene.collection.objects.link(obj)

    def place_camera(self, record: dict, world_verts: np.ndarray) -> float:
        """Camera along the record's direction, looking at the food, at the distance (and lens shift)
        where the food's projected bounding box is centred and fills ``1 / distance_factor`` of the
        half-frame: every vertex is in frame, for any food shape and rotation. Returns the distance."""
        cam = record["camera"]
        fov = math.radians(cam["fov_deg"])
        distance, shift_x, shift_y = frame_camera(world_verts, cam["direction"], fov, 1.0 / cam["distance_factor"])
        right, up, back = camera_axes(cam["direction"])
        matrix = np.eye(4)
        matrix[:3, 0], matrix[:3, 1], matrix[:3, 2] = right, up, back
        matrix[:3, 3] = back * distance
        from mathutils import Matrix

        self.camera.matrix_world = Matrix(matrix.tolist())
        self.camera.data.lens = cam["focal_mm"]
        self.camera.data.sensor_width = cam["sensor_mm"]
        self.camera.data.shift_x, self.camera.data.shift_y = shift_x, shift_y
        radius = float(np.linalg.norm(world_verts, axis=1).max())
        self.camera.data.clip_start = max(1e-4, (distance - radius) * 0.5)
        self.camera.data.clip_end = distance + radius * 4
        return distance

    def set_lights(self, record: dict, radius: float) -> None:
        """Sun, point or area lights from the record. Point and area lights stand at 4 food radii and
        get the power that gives about the irradiance a sun of the same ``strength`` would."""
        bpy = self.bpy
        for i, spec in enumerate(record["lights"]):
            kind = spec["kind"].upper()
            data = self._keep("lights", bpy.data.lights.new(f"light{i}", kind))
            data.color = spec["color"][:3]
            distance = 4 * radius
            if kind == "SUN":
                data.energy = spec["strength"]
                data.angle = math.radians(2 + 8 * spec["size"])
            elif kind == "POINT":
                data.energy = spec["strength"] * 4 * math.pi * distance**2 / math.pi * 2.5
                data.shadow_soft_size = spec["size"] * radius * 0.3
            else:  # AREA
                data.size = spec["size"] * radius
                data.energy = spec["strength"] * math.pi * distance**2 / math.pi * 2.5
            obj = self._keep("objects", bpy.data.objects.new(f"light{i}", data))
            obj.location = (np.asarray(spec["direction"]) * distance).tolist()
            obj.rotation_mode = "QUATERNION"
            obj.rotation_quaternion = _track_quaternion(spec["direction"])
            self.scene.collection.objects.link(obj)

    def set_world(self, record: dict) -> None:
        background = next(n for n in self.scene.world.node_tree.nodes if n.bl_idname == "ShaderNodeBackground")
        background.inputs["Color"].default_value = (*record["world"]["color"][:3], 1.0)
        background.inputs["Strength"].default_value = record["world"]["strength"]

    def render_rgba(self, record: dict) -> np.ndarray:
        """The food alone on a transparent background, ``(size, size, 4)`` uint8 with straight alpha."""
        self.clear()
        self.floor_z = None
        _, world_verts = self.build(record)
        if record.get("ground", {}).get("shadow_catcher"):
            if self.floor_z is None:  # a model file: the lowest framed vertex
                self.floor_z = float(world_verts[:, 2].min())
            self.add_ground(float(np.linalg.norm(world_verts, axis=1).max()))
        self.place_camera(record, world_verts)
        self.set_lights(record, float(np.linalg.norm(world_verts, axis=1).max()))
        self.set_world(record)
        path = os.path.join(self.tmp_dir, "render.png")
        self.scene.render.filepath = path
        with _quiet_stdout():
            self.bpy.ops.render.render(write_still=True)
        return self.load_rgba(path)

    def load_rgba(self, path: str) -> np.ndarray:
        try:
            return effects.load_rgba(path)
        except ImportError:  # no Pillow in this Python (a Blender executable): read it with Blender
            return self._load_with_blender(path)

    def _load_with_blender(self, path: str) -> np.ndarray:
        image = self.bpy.data.images.load(path, check_existing=False)
        try:
            width, height = image.size
            pixels = np.empty(width * height * 4, dtype=np.float32)
            image.pixels.foreach_get(pixels)  # byte images: the stored values / 255, rows bottom-up
        finally:
            self.bpy.data.images.remove(image)
        return np.round(pixels.reshape(height, width, 4)[::-1] * 255).astype(np.uint8)

    def load_photo(self, path: str) -> np.ndarray:
        """A background photo as RGB, at most 512 px on its short side, kept for the next records."""
        if path not in self._photos:
            try:
                photo = effects.load_rgb(path)
            except ImportError:
                photo = self._load_with_blender(path)[..., :3]
            scale = 512 / min(photo.shape[:2])
            if scale < 1:
                h, w = photo.shape[:2]
                photo = photo[(np.arange(int(h * scale)) / scale).astype(int)][:, (np.arange(int(w * scale)) / scale).astype(int)]
            if len(self._photos) > 64:
                self._photos.clear()
            self._photos[path] = photo
        return self._photos[path]

    def draw(self, record: dict) -> np.ndarray:
        """The record's final RGB image: render, then background and effects."""
        return effects.apply_effects(self.render_rgba(record), record, load_image=self.load_photo)

    def close(self) -> None:
        self.clear()
        try:
            for name in os.listdir(self.tmp_dir):
                os.remove(os.path.join(self.tmp_dir, name))
            os.rmdir(self.tmp_dir)
        except OSError:
            pass


# --------------------------------------------------------------------------- shards


def render_shard(records: list[dict], out_dir: str | os.PathLike, image_size: int | None = None,
                 samples: int | None = None, threads: int | None = None) -> list[dict]:
    """Render the records whose image is missing under ``out_dir``; one dict per record:
    ``{"index", "file", "seconds", "status"}`` with status ``"rendered"`` or ``"skipped"``.

    ``image_size`` and ``samples`` default to the records' own (the config's), else 128 and 2.
    ``threads`` fixes Cycles' thread count (one per core is best when several workers share the CPU).
    """
    out_dir = Path(out_dir)
    results = []
    todo = []
    for record in records:
        target = out_dir / record["file"]
        if target.exists():
            results.append({"index": record["index"], "file": record["file"], "seconds": 0.0, "status": "skipped"})
        else:
            todo.append(record)
            stale = target.with_name(target.name + ".tmp")
            if stale.exists():
                stale.unlink()
    if not todo:
        return results
    size = image_size or todo[0].get("image_size") or DEFAULT_IMAGE_SIZE
    n_samples = samples or todo[0].get("samples") or DEFAULT_SAMPLES
    drawer = Drawer(size, n_samples, threads)
    try:
        for record in todo:
            start = time.perf_counter()
            target = out_dir / record["file"]
            try:
                image = drawer.draw(record)
                target.parent.mkdir(parents=True, exist_ok=True)
                effects.save_png_atomic(target, image)
            except ModelError as error:  # a model file that cannot be read: reported by name, the batch goes on
                print(f"hotdog worker: skipped record {record['index']}: {error}", file=sys.stderr)
                results.append({"index": record["index"], "file": record["file"], "seconds": 0.0,
                                "status": "failed", "error": str(error)})
                continue
            except Exception as error:
                raise RenderError(
                    f"record {record['index']} ({record['file']}, {record['food']['kind']}) failed: "
                    f"{type(error).__name__}: {error}. Images already written are kept; run the same command "
                    f"again to finish the missing images.") from error
            results.append({"index": record["index"], "file": record["file"],
                            "seconds": round(time.perf_counter() - start, 4), "status": "rendered"})
    finally:
        drawer.close()
    return sorted(results, key=lambda r: r["index"])


def _parse_args(argv: list[str]) -> dict:
    args = argv[argv.index("--") + 1:] if "--" in argv else argv[1:]
    options = {"report": None, "threads": None, "image_size": None, "samples": None}
    positional = []
    i = 0
    while i < len(args):
        if args[i].startswith("--"):
            key = args[i][2:].replace("-", "_")
            if key not in options:
                raise SystemExit(f"unknown option {args[i]}; usage: worker.py shard.json out_dir [--report r.json]")
            options[key] = args[i + 1]
            i += 2
        else:
            positional.append(args[i])
            i += 1
    if len(positional) != 2:
        raise SystemExit("usage: worker.py shard.json out_dir [--report report.json] [--threads N]")
    options["shard"], options["out_dir"] = positional
    return options


def main(argv: list[str] | None = None) -> int:
    options = _parse_args(sys.argv if argv is None else argv)
    shard = json.loads(Path(options["shard"]).read_text())
    if isinstance(shard, list):
        shard = {"records": shard}

    def pick(key):
        value = options[key] if options[key] is not None else shard.get(key)
        return int(value) if value is not None else None

    results = render_shard(shard["records"], options["out_dir"], pick("image_size"), pick("samples"), pick("threads"))
    if options["report"]:
        tmp = options["report"] + ".tmp"
        Path(tmp).write_text(json.dumps(results))
        os.replace(tmp, options["report"])
    return 0


if _AS_SCRIPT:
    try:
        code = main()
    except Exception as error:  # noqa: BLE001  (the parent reads stderr and the exit code)
        import traceback

        traceback.print_exc()
        print(f"hotdog worker failed: {error}", file=sys.stderr)
        code = 1
    sys.exit(code)
