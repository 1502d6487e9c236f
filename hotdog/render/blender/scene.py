"""The scene the Blender worker draws records in: the only module, with :mod:`.meshes`, that builds
``bpy`` data.

:func:`setup_scene` makes one Cycles scene (CPU, few samples, fast denoiser, transparent film,
camera, world). A :class:`Drawer` reuses it for record after record: it removes the previous food
(objects, meshes, materials, lights: memory stays flat), builds the food from its parameters
(numpy geometry from :mod:`hotdog.render.foods`, turned into one mesh with ``foreach_set``, no
``bpy.ops``; or a mesh file through :mod:`.meshes`), rotates it, places the camera so that every
vertex is in frame, sets the lights and the world, renders the food on a transparent film, and
composites the record's background and 2D effects (:mod:`hotdog.render.effects`).

``bpy`` is imported inside functions, so importing this module is cheap and safe anywhere.
"""

from __future__ import annotations

import math
import os
import tempfile

import numpy as np

from hotdog import malloc
from hotdog.render import effects
from hotdog.render.assets import MESH_KIND
from hotdog.render.blender import meshes, surroundings
from hotdog.render.blender.session import import_bpy, quiet_stdout
from hotdog.render.foods import build_record_food
from hotdog.render.shapes import camera_axes, frame_camera, quaternion_matrix

DEFAULT_IMAGE_SIZE = 128
DEFAULT_SAMPLES = 2


def _set(owner, name: str, value, skipped: list[str]) -> None:
    """Set a render setting if this Blender has it (names change between versions)."""
    try:
        setattr(owner, name, value)
    except (AttributeError, TypeError, ValueError):
        skipped.append(f"{type(owner).__name__}.{name}={value!r}")



def setup_scene(image_size: int = DEFAULT_IMAGE_SIZE, samples: int = DEFAULT_SAMPLES, threads: int | None = None):
    """An empty scene with Cycles (CPU, few samples, fast denoiser), a transparent film, a camera and
    a world. Returns ``(scene, skipped)`` where ``skipped`` lists settings this Blender lacks."""
    bpy = import_bpy()
    malloc.limit_arenas()  # flat memory over long runs (hotdog/malloc.py)
    with quiet_stdout():
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
    colors[:, :3] = effects.srgb_to_linear(arrays["colors"])
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
    if settings.get("texture"):
        mottle(material, color.outputs["Color"], bsdf, settings["texture"])
    return material


def mottle(material, color_socket, bsdf, texture: dict) -> None:
    """The food's own texture: a fine noise (``scale`` cells a metre) that scales its colour by up to
    ``strength`` either way and bumps its surface, like crust, crumb or a sausage's skin."""
    nodes, links = material.node_tree.nodes, material.node_tree.links
    noise, coords = nodes.new("ShaderNodeTexNoise"), nodes.new("ShaderNodeTexCoord")
    noise.inputs["Scale"].default_value = texture["scale"]
    noise.inputs["Detail"].default_value = 4.0
    links.new(coords.outputs["Object"], noise.inputs["Vector"])
    gain = nodes.new("ShaderNodeMapRange")  # noise (mostly 0.3..0.7) -> colour gain 1 - s .. 1 + s
    gain.inputs["From Min"].default_value, gain.inputs["From Max"].default_value = 0.3, 0.7
    gain.inputs["To Min"].default_value, gain.inputs["To Max"].default_value = 1 - texture["strength"], 1 + texture["strength"]
    links.new(noise.outputs["Fac"], gain.inputs["Value"])
    scaled = nodes.new("ShaderNodeVectorMath")
    scaled.operation = "SCALE"
    links.new(color_socket, scaled.inputs[0])
    links.new(gain.outputs["Result"], scaled.inputs["Scale"])
    links.new(scaled.outputs["Vector"], bsdf.inputs["Base Color"])
    bump = nodes.new("ShaderNodeBump")
    bump.inputs["Strength"].default_value = min(1.0, 2 * texture["strength"])
    bump.inputs["Distance"].default_value = 0.002
    links.new(noise.outputs["Fac"], bump.inputs["Height"])
    links.new(bump.outputs["Normal"], bsdf.inputs["Normal"])


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

    def keep(self, collection: str, block):
        """Remember ``block`` (in ``bpy.data.<collection>``) to remove it before the next record."""
        self.created.append((collection, block))
        return block

    def build(self, record: dict):
        """Build the record's food, rotated; returns the object and its world-space vertices."""
        bpy = self.bpy
        if record["food"]["kind"] == MESH_KIND:  # a mesh file (hotdog/render/blender/meshes.py)
            return meshes.build_mesh(self, record)
        food = build_record_food(record)  # the food, its plate or foil, distractors (foods.py)
        arrays = food.arrays()
        mesh = self.keep("meshes", make_mesh(arrays))
        for name in arrays["material_names"]:
            mesh.materials.append(self.keep("materials", make_material(name, food.materials.get(name, {}))))
        obj = self.keep("objects", bpy.data.objects.new("food", mesh))
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
        mesh = self.keep("meshes", bpy.data.meshes.new("ground"))
        s = 1.6 * radius  # small: pixels that miss everything stay transparent, and cheap
        mesh.from_pydata([(-s, -s, 0), (s, -s, 0), (s, s, 0), (-s, s, 0)], [], [(0, 1, 2, 3)])
        obj = self.keep("objects", bpy.data.objects.new("ground", mesh))
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
        dx, dy = cam.get("offset", (0.0, 0.0))  # off-centre: a share of the half-frame (Blender: of the frame)
        self.camera.data.shift_x, self.camera.data.shift_y = shift_x - dx / 2, shift_y - dy / 2
        radius = float(np.linalg.norm(world_verts, axis=1).max())
        self.camera.data.clip_start = max(1e-4, (distance - radius) * 0.5)
        self.camera.data.clip_end = distance + radius * 2 * surroundings.TABLE_RADII  # the table, too
        dof = cam.get("dof")  # wide open, focused on the food's centre: what lies behind it blurs
        self.camera.data.dof.use_dof = bool(dof)
        if dof:
            self.camera.data.dof.focus_distance = distance
            self.camera.data.dof.aperture_fstop = dof["fstop"]
        return distance

    def set_lights(self, record: dict, radius: float) -> None:
        """Sun, point or area lights from the record. Point and area lights stand at 4 food radii and
        get the power that gives about the irradiance a sun of the same ``strength`` would."""
        from mathutils import Vector

        bpy = self.bpy
        for i, spec in enumerate(record["lights"]):
            kind = spec["kind"].upper()
            data = self.keep("lights", bpy.data.lights.new(f"light{i}", kind))
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
            obj = self.keep("objects", bpy.data.objects.new(f"light{i}", data))
            obj.location = (np.asarray(spec["direction"]) * distance).tolist()
            obj.rotation_mode = "QUATERNION"
            # Blender's own tracking: local +Z along the direction, so the light shines down its -Z at the food
            obj.rotation_quaternion = Vector(spec["direction"]).to_track_quat("Z", "Y")
            self.scene.collection.objects.link(obj)

    def set_world(self, record: dict) -> None:
        surroundings.set_world(self, record["world"])

    def render_rgba(self, record: dict) -> np.ndarray:
        """The food, ``(size, size, 4)`` uint8 with straight alpha: on a transparent background (the 2D one is
        composited later), or on an opaque one where a world HDRI shows behind it."""
        self.clear()
        self.floor_z = None
        _, world_verts = self.build(record)
        radius = float(np.linalg.norm(world_verts, axis=1).max())
        if self.floor_z is None:  # a mesh file: the lowest framed vertex
            self.floor_z = float(world_verts[:, 2].min())
        if record.get("surface"):
            surroundings.add_table(self, record["surface"], self.floor_z, radius)
        elif record.get("ground", {}).get("shadow_catcher"):
            self.add_ground(radius)
        self.place_camera(record, world_verts)
        self.set_lights(record, radius)
        self.set_world(record)
        path = os.path.join(self.tmp_dir, "render.png")
        self.scene.render.filepath = path
        with quiet_stdout():
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
