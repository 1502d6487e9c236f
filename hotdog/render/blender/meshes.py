"""Draw a food from a mesh file: the worker's side of :mod:`hotdog.render.assets`.

A record whose food kind is ``"mesh"`` (params ``{"path": ..., "label": ...}``) is drawn by
:func:`build_mesh` instead of a procedural builder. COLLADA files (which Blender 5 cannot import)
are read by :func:`hotdog.render.assets.read_collada` and turned into one mesh with a UV map and,
per material, a Principled BSDF whose Base Color is an Image Texture on that UV map (a plain colour
when the texture file is missing). glTF/GLB, OBJ, PLY, STL and FBX go through Blender's importers
and keep the materials the file brings.

A file is loaded once per worker and kept (meshes, materials, images; at most :data:`CACHE_SIZE`
files): each record only adds objects that use the cached meshes, and the worker removes those
objects after the record, so memory stays flat. The mesh is centred and scaled to
:data:`hotdog.render.assets.TARGET_SIZE` like the procedural food, then rotated by the record.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hotdog.render.assets import TARGET_SIZE, MeshError, mesh_format, read_collada
from hotdog.render.blender.session import quiet_stdout
from hotdog.render.effects import srgb_to_linear
from hotdog.render.shapes import quaternion_matrix

CACHE_SIZE = 16


class LoadedMesh:
    """A file's meshes kept in ``bpy.data`` with their placement (4x4, already normalised) and the
    vertices of the whole file in that normalised space (for framing the camera)."""

    def __init__(self, path: str, meshes: list, matrices: list[np.ndarray], verts: np.ndarray, blocks: list):
        self.path, self.meshes, self.matrices, self.verts, self.blocks = path, meshes, matrices, verts, blocks


def _cache(drawer) -> dict:
    if not hasattr(drawer, "_mesh_files"):
        drawer._mesh_files = {}
    return drawer._mesh_files


def build_mesh(drawer, record: dict):
    """Add the record's mesh file to the drawer's scene, rotated; returns ``(object, world vertices)``."""
    from mathutils import Matrix

    bpy = drawer.bpy
    path = str(record["food"]["params"]["path"])
    loaded = load_mesh(drawer, path)
    rotation = np.eye(4)
    q = np.asarray(record["rotation"], dtype=float)
    rotation[:3, :3] = quaternion_matrix(q)
    first = None
    for i, (mesh, matrix) in enumerate(zip(loaded.meshes, loaded.matrices)):
        obj = drawer.keep("objects", bpy.data.objects.new(f"mesh{i}", mesh))
        obj.matrix_world = Matrix((rotation @ matrix).tolist())
        drawer.scene.collection.objects.link(obj)
        first = first or obj
    return first, loaded.verts @ rotation[:3, :3].T


def load_mesh(drawer, path: str) -> LoadedMesh:
    """The mesh file at ``path``, from the drawer's cache or loaded into ``bpy.data`` (MeshError if it cannot be)."""
    cache = _cache(drawer)
    if path in cache:
        return cache[path]
    if len(cache) >= CACHE_SIZE:
        clear_cache(drawer)
    if not Path(path).is_file():
        raise MeshError(f"{path}: mesh file not found")
    kind = mesh_format(path)
    loaded = _load_collada(drawer.bpy, path) if kind == "collada" else _import(drawer.bpy, path, kind)
    cache[path] = loaded
    return loaded


def clear_cache(drawer) -> None:
    """Remove every cached file's meshes, materials and images from ``bpy.data``."""
    bpy = drawer.bpy
    for loaded in _cache(drawer).values():
        for collection, block in loaded.blocks:
            try:
                getattr(bpy.data, collection).remove(block)
            except (ReferenceError, RuntimeError):
                pass
    _cache(drawer).clear()


# --------------------------------------------------------------------------- COLLADA (our reader)


def _load_collada(bpy, path: str) -> LoadedMesh:
    parts = read_collada(path).parts
    verts, faces, uvs, normals, material_index = [], [], [], [], []
    offset = 0
    names = []
    for part in parts:
        key = (part.material, part.texture, tuple(part.color))
        if key not in names:
            names.append(key)
        verts.append(part.verts)
        faces.append(part.faces + offset)
        uvs.append(part.uvs if part.uvs is not None else np.zeros((len(part.faces) * 3, 2)))
        normals.append(part.normals)
        material_index.append(np.full(len(part.faces), names.index(key)))
        offset += len(part.verts)
    verts, faces = np.concatenate(verts), np.concatenate(faces)
    mesh = bpy.data.meshes.new(Path(path).stem)
    mesh.vertices.add(len(verts))
    mesh.vertices.foreach_set("co", verts.astype(np.float32).ravel())
    mesh.loops.add(faces.size)
    mesh.loops.foreach_set("vertex_index", faces.astype(np.int32).ravel())
    mesh.polygons.add(len(faces))
    mesh.polygons.foreach_set("loop_start", (np.arange(len(faces)) * 3).astype(np.int32))
    mesh.polygons.foreach_set("material_index", np.concatenate(material_index).astype(np.int32))
    mesh.update(calc_edges=True)
    mesh.polygons.foreach_set("use_smooth", np.ones(len(faces), dtype=bool))
    uv_layer = mesh.uv_layers.new(name="UVMap")
    uv_layer.data.foreach_set("uv", np.concatenate(uvs).astype(np.float32).ravel())
    changed = mesh.validate()
    if not changed and all(n is not None for n in normals):  # the file's own shading (hard and soft edges)
        try:
            mesh.normals_split_custom_set(np.concatenate(normals).astype(np.float32).tolist())
        except (AttributeError, TypeError, RuntimeError):
            pass
    mesh.update()
    blocks = [("meshes", mesh)]
    for name, texture, color in names:
        material = textured_material(bpy, name, texture, color, blocks)
        mesh.materials.append(material)
    mesh.use_fake_user = True
    return LoadedMesh(path, [mesh], [np.eye(4)], verts, blocks)


def textured_material(bpy, name: str, texture: str | None, color, blocks: list):
    """Principled BSDF; Base Color from an Image Texture on the ``UVMap`` when there is a texture file."""
    material = bpy.data.materials.new(name)
    blocks.append(("materials", material))
    if material.node_tree is None:
        material.use_nodes = True
    nodes, links = material.node_tree.nodes, material.node_tree.links
    bsdf = next(n for n in nodes if n.bl_idname == "ShaderNodeBsdfPrincipled")
    bsdf.inputs["Roughness"].default_value = 0.55
    bsdf.inputs["Base Color"].default_value = (*srgb_to_linear(color)[:3].tolist(), 1.0)
    if texture:
        image = bpy.data.images.load(texture, check_existing=True)
        blocks.append(("images", image))
        node = nodes.new("ShaderNodeTexImage")
        node.image = image
        uv = nodes.new("ShaderNodeUVMap")
        uv.uv_map = "UVMap"
        links.new(uv.outputs["UV"], node.inputs["Vector"])
        links.new(node.outputs["Color"], bsdf.inputs["Base Color"])
    return material


# --------------------------------------------------------------------------- Blender's importers


def _import(bpy, path: str, operator: str) -> LoadedMesh:
    """Import with ``bpy.ops.<operator>``, keep the meshes, remove every imported object."""
    group, name = operator.split(".")
    before = set(bpy.data.objects)
    before_meshes = set(bpy.data.meshes)
    try:
        with quiet_stdout():  # the importers print to fd 1 too
            result = getattr(getattr(bpy.ops, group), name)(filepath=str(path))
    except (RuntimeError, TypeError, ValueError, AttributeError) as error:
        _remove_new(bpy, before, before_meshes)
        raise MeshError(f"{path}: Blender could not import this file ({type(error).__name__}: "
                         f"{str(error).strip().splitlines()[-1] if str(error).strip() else error})") from error
    if "FINISHED" not in result:
        _remove_new(bpy, before, before_meshes)
        raise MeshError(f"{path}: Blender could not import this file ({result})")
    bpy.context.view_layer.update()
    new = [o for o in bpy.data.objects if o not in before]
    meshes, matrices, world = [], [], []
    for obj in new:
        if obj.type != "MESH" or not len(obj.data.vertices):
            continue
        co = np.empty(len(obj.data.vertices) * 3)
        obj.data.vertices.foreach_get("co", co)
        matrix = np.array(obj.matrix_world)
        world.append(co.reshape(-1, 3) @ matrix[:3, :3].T + matrix[:3, 3])
        meshes.append(obj.data)
        matrices.append(matrix)
    keep = {m for m in meshes}
    blocks = [("meshes", m) for m in keep]
    for mesh in keep:
        mesh.use_fake_user = True
        blocks += [("materials", m) for m in mesh.materials if m is not None]
    _remove_new(bpy, before, before_meshes, keep)
    if not meshes:
        raise MeshError(f"{path}: this file has no mesh with vertices to draw")
    verts = np.concatenate(world)
    if not np.isfinite(verts).all():
        raise MeshError(f"{path}: non-finite vertex positions")
    low, high = verts.min(axis=0), verts.max(axis=0)
    centre, extent = (low + high) / 2, float((high - low).max())
    scale = TARGET_SIZE / extent if extent > 0 else 1.0
    normalise = np.diag([scale, scale, scale, 1.0])
    normalise[:3, 3] = -centre * scale
    return LoadedMesh(path, meshes, [normalise @ m for m in matrices], (verts - centre) * scale, blocks)


def _remove_new(bpy, before_objects: set, before_meshes: set, keep: set = frozenset()) -> None:
    """Remove objects (and meshes not in ``keep``) that an import added."""
    for obj in [o for o in bpy.data.objects if o not in before_objects]:
        bpy.data.objects.remove(obj)
    for mesh in [m for m in bpy.data.meshes if m not in before_meshes and m not in keep]:
        bpy.data.meshes.remove(mesh)
