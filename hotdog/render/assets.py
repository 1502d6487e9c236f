"""Food meshes from files: the article's own COLLADA hotdogs and any 3-D file a user brings.

Blender 5 has no COLLADA importer, so :func:`read_collada` reads a ``.dae`` file itself (``xml.etree``
and numpy, no ``bpy``): every ``<mesh>`` (``<triangles>``, ``<polylist>``, ``<polygons>``), placed by
the ``<library_visual_scenes>`` node transforms, with its material's texture file or diffuse colour.
The result is a :class:`Mesh`: a list of :class:`MeshPart` (triangles, one UV per triangle corner,
a material name, a texture path or a colour), centred and scaled like the procedural food
(:data:`TARGET_SIZE` along its longest side, about a procedural hotdog's length).

Other formats (glTF/GLB, OBJ, PLY, STL, FBX) are imported by Blender's own operators in the worker
(:mod:`hotdog.render.blender.meshes`); :data:`IMPORTERS` names the operator for each extension.
:func:`list_meshes` finds mesh files under ``meshes_dir/hotdog`` and ``meshes_dir/not_hotdog``.
A mesh file that cannot be read raises :class:`MeshError`, whose message names the file.
"""

from __future__ import annotations

import math
import os
import urllib.parse
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from hotdog.classes import CLASSES, HOTDOG, NOT_HOTDOG
from hotdog.render.shapes import rotation_matrix

MESH_KIND = "mesh"  # the food kind of a record drawn from a mesh file: params {"path", "label"}
TARGET_SIZE = 0.17  # longest side of a mesh after normalising, in Blender units (a procedural hotdog: 0.13-0.19)

# extension -> Blender operator (``bpy.ops.<name>``) that imports it; COLLADA goes through read_collada
IMPORTERS = {
    ".gltf": "import_scene.gltf",
    ".glb": "import_scene.gltf",
    ".obj": "wm.obj_import",
    ".ply": "wm.ply_import",
    ".stl": "wm.stl_import",
    ".fbx": "import_scene.fbx",
    ".dae": "collada",
}
MESH_SUFFIXES = tuple(IMPORTERS)


class MeshError(ValueError):
    """A mesh file that cannot be read; the message names the file."""


@dataclass
class MeshPart:
    """Triangles of one material: ``verts (N,3)``, ``faces (T,3)`` vertex indices, ``uvs (T*3,2)`` (one
    per triangle corner, in face order) or ``None``, and a ``texture`` file or an sRGB ``color``."""

    verts: np.ndarray
    faces: np.ndarray
    uvs: np.ndarray | None
    material: str
    texture: str | None = None
    color: tuple[float, float, float] = (0.8, 0.8, 0.8)
    missing_texture: str | None = None  # the texture file the mesh names but that is not there
    normals: np.ndarray | None = None  # (T*3, 3) unit normal per triangle corner, from the file, or None


@dataclass
class Mesh:
    path: str
    parts: list[MeshPart] = field(default_factory=list)

    @property
    def verts(self) -> np.ndarray:
        return np.concatenate([p.verts for p in self.parts])

    def normalised(self, size: float = TARGET_SIZE) -> "Mesh":
        """Centred on its bounding box, longest side ``size``."""
        return Mesh(self.path, normalise_parts(self.parts, size))


def normalise_parts(parts: list[MeshPart], size: float = TARGET_SIZE) -> list[MeshPart]:
    verts = np.concatenate([p.verts for p in parts])
    low, high = verts.min(axis=0), verts.max(axis=0)
    centre, extent = (low + high) / 2, float((high - low).max())
    scale = size / extent if extent > 0 else 1.0
    return [MeshPart((p.verts - centre) * scale, p.faces, p.uvs, p.material, p.texture, p.color, p.missing_texture,
                      p.normals) for p in parts]


def mesh_format(path: str | Path) -> str:
    """The Blender operator for ``path`` (``"collada"`` for ``.dae``), or MeshError for other files."""
    suffix = Path(path).suffix.lower()
    if suffix not in IMPORTERS:
        raise MeshError(f"{path}: unsupported mesh format {suffix or '(no extension)'!r}; "
                         f"use one of {', '.join(MESH_SUFFIXES)}")
    return IMPORTERS[suffix]


def list_meshes(folder: str | Path | None, labels=(CLASSES[HOTDOG], CLASSES[NOT_HOTDOG])) -> dict[str, list[str]]:
    """``{label: sorted mesh files}`` under ``folder/<label>/`` at any depth (``{}`` without a folder)."""
    if not folder:
        return {}
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"meshes_dir {folder} is not a folder (it should hold hotdog/ and not_hotdog/)")
    found = {}
    for label in labels:
        files = [Path(top) / name for top, _, names in os.walk(folder / label, followlinks=True) for name in names]
        found[label] = sorted(str(f.absolute()) for f in files if f.suffix.lower() in MESH_SUFFIXES and f.is_file())
    return {label: files for label, files in found.items() if files}


# --------------------------------------------------------------------------- COLLADA


def _strip_namespaces(root: ET.Element) -> ET.Element:
    for element in root.iter():
        if isinstance(element.tag, str) and "}" in element.tag:
            element.tag = element.tag.split("}", 1)[1]
    return root


def _floats(text: str | None) -> np.ndarray:
    return np.array((text or "").split(), dtype=float)


def _ints(text: str | None) -> np.ndarray:
    return np.array((text or "").split(), dtype=np.int64)


def _ref(url: str | None) -> str:
    return (url or "").lstrip("#")


def _node_matrix(node: ET.Element) -> np.ndarray:
    """The product of a node's transform elements, in document order."""
    matrix = np.eye(4)
    for child in node:
        values = _floats(child.text) if child.tag in ("matrix", "translate", "rotate", "scale") else None
        if child.tag == "matrix" and values.size == 16:
            m = values.reshape(4, 4)
        elif child.tag == "translate" and values.size == 3:
            m = np.eye(4)
            m[:3, 3] = values
        elif child.tag == "scale" and values.size == 3:
            m = np.diag([*values, 1.0])
        elif child.tag == "rotate" and values.size == 4:
            m = np.eye(4)
            m[:3, :3] = rotation_matrix(values[:3], math.radians(values[3]))
        else:
            continue
        matrix = matrix @ m
    return matrix


UP_AXIS = {  # rotation that takes the file's up axis to Blender's +Z
    "Z_UP": np.eye(3),
    "Y_UP": np.array([[1.0, 0, 0], [0, 0, -1], [0, 1, 0]]),
    "X_UP": np.array([[0.0, -1, 0], [0, 0, -1], [1, 0, 0]]),
}


class _Collada:
    def __init__(self, path: Path, root: ET.Element):
        self.path = path
        self.root = root
        self.ids = {e.get("id"): e for e in root.iter() if e.get("id")}

    def fail(self, message: str) -> MeshError:
        return MeshError(f"{self.path}: cannot read this COLLADA file: {message}")

    def element(self, ref: str, tag: str | None = None) -> ET.Element:
        element = self.ids.get(_ref(ref))
        if element is None or (tag and element.tag != tag):
            raise self.fail(f"it refers to {tag or 'element'} {ref!r}, which is missing")
        return element

    def source(self, ref: str) -> np.ndarray:
        """A ``<source>`` as a ``(count, stride)`` float array (following ``<vertices>`` to its POSITION)."""
        element = self.element(ref)
        if element.tag == "vertices":
            position = next((i for i in element.findall("input") if i.get("semantic") == "POSITION"), None)
            if position is None:
                raise self.fail(f"vertices {ref!r} have no POSITION input")
            return self.source(position.get("source"))
        if element.tag != "source":
            raise self.fail(f"{ref!r} is a <{element.tag}>, not a <source>")
        values = _floats(element.findtext("float_array"))
        accessor = element.find("technique_common/accessor")
        stride = int(accessor.get("stride", 1)) if accessor is not None else 3
        count = int(accessor.get("count", len(values) // stride)) if accessor is not None else len(values) // stride
        if stride < 1 or values.size < count * stride:
            raise self.fail(f"source {ref!r} holds {values.size} numbers, fewer than its {count} x {stride}")
        return values[:count * stride].reshape(count, stride)

    def primitives(self, mesh: ET.Element):
        """``(material symbol, positions, faces (T,3), uvs (T*3,2) or None, normals (T*3,3) or None)`` per
        primitive element."""
        for prim in mesh:
            if prim.tag not in ("triangles", "polylist", "polygons"):
                continue
            inputs = prim.findall("input")
            if not inputs:
                continue
            stride = max(int(i.get("offset", 0)) for i in inputs) + 1
            vertex = next((i for i in inputs if i.get("semantic") == "VERTEX"), None)
            if vertex is None:
                raise self.fail(f"a <{prim.tag}> has no VERTEX input")
            texcoords = sorted((i for i in inputs if i.get("semantic") == "TEXCOORD"), key=lambda i: int(i.get("set", 0)))
            if prim.tag == "triangles":
                polys = [_ints(prim.findtext("p"))]
                counts = [np.full(len(polys[0]) // (3 * stride), 3)]
            elif prim.tag == "polylist":
                polys = [_ints(prim.findtext("p"))]
                counts = [_ints(prim.findtext("vcount"))]
            else:
                polys = [_ints(p.text) for p in prim.findall("p")] + [_ints(ph.findtext("p")) for ph in prim.findall("ph")]
                counts = [np.array([len(p) // stride]) for p in polys]
            p = np.concatenate(polys) if polys else np.zeros(0, dtype=np.int64)
            n = np.concatenate(counts).astype(np.int64) if counts else np.zeros(0, dtype=np.int64)
            if p.size % stride or n.sum() * stride > p.size:
                raise self.fail(f"a <{prim.tag}> has {p.size} indices, which do not fit its inputs")
            p = p[:n.sum() * stride].reshape(-1, stride)
            corners = _fan(n)  # (T, 3) indices into the primitive's corners
            positions = self.source(vertex.get("source"))[:, :3]
            vidx = p[:, int(vertex.get("offset", 0))]
            if vidx.size and (vidx.max() >= len(positions) or vidx.min() < 0):
                raise self.fail(f"vertex index {vidx.max()} is out of range ({len(positions)} positions)")
            uvs = None
            if texcoords:
                uv_source = self.source(texcoords[0].get("source"))[:, :2]
                tidx = p[:, int(texcoords[0].get("offset", 0))]
                if tidx.size and tidx.max() < len(uv_source) and uv_source.shape[1] == 2:
                    uvs = uv_source[tidx][corners.ravel()]
            normals = None
            normal = next((i for i in inputs if i.get("semantic") == "NORMAL"), None)
            if normal is not None:
                normal_source = self.source(normal.get("source"))
                nidx = p[:, int(normal.get("offset", 0))]
                if nidx.size and nidx.max() < len(normal_source) and normal_source.shape[1] >= 3:
                    normals = normal_source[nidx][corners.ravel()][:, :3]
            yield prim.get("material", ""), positions, vidx[corners], uvs, normals

    def material(self, ref: str | None) -> tuple[str, str | None, tuple, str | None]:
        """``(name, texture path or None, sRGB colour, missing texture file or None)`` of a material id."""
        default = (0.8, 0.8, 0.8)
        material = self.ids.get(_ref(ref))
        if material is None or material.tag != "material":
            return _ref(ref) or "default", None, default, None
        name = material.get("name") or material.get("id")
        effect_ref = material.find("instance_effect")
        effect = self.ids.get(_ref(effect_ref.get("url"))) if effect_ref is not None else None
        if effect is None:
            return name, None, default, None
        diffuse = next(effect.iter("diffuse"), None)
        if diffuse is None:
            return name, None, default, None
        color_text = diffuse.findtext("color")
        color = tuple(np.clip(_floats(color_text)[:3], 0, 1).tolist()) if color_text and len(color_text.split()) >= 3 \
            else default
        texture = diffuse.find("texture")
        if texture is None:
            return name, None, color, None
        file = self.image_file(effect, texture.get("texture", ""))
        if file is None:
            return name, None, color, None
        if file.is_file():
            return name, str(file), color, None
        return name, None, (0.75, 0.6, 0.45), str(file)

    def image_file(self, effect: ET.Element, sampler_sid: str) -> Path | None:
        """Follow sampler -> surface -> image -> ``init_from``; a texture may also name an image directly."""
        params = {p.get("sid"): p for p in effect.iter("newparam")}
        image_id = sampler_sid
        sampler = params.get(sampler_sid)
        if sampler is not None:
            surface_sid = sampler.findtext("sampler2D/source") or ""
            surface = params.get(surface_sid.strip())
            image_id = (surface.findtext("surface/init_from") if surface is not None else None) \
                or sampler.findtext("sampler2D/instance_image") or surface_sid
            instance = sampler.find("sampler2D/instance_image")
            if instance is not None:
                image_id = _ref(instance.get("url"))
        image = self.ids.get(_ref(image_id.strip()))
        if image is None or image.tag != "image":
            return None
        location = image.findtext("init_from/ref") or image.findtext("init_from")
        if not location or not location.strip():
            return None
        location = urllib.parse.unquote(location.strip())
        if location.startswith("file://"):
            location = location[len("file://"):]
        file = Path(location)
        return file if file.is_absolute() else self.path.parent / file

    def instances(self):
        """``(geometry element, 4x4 world matrix, {symbol: material id})`` for each placed geometry."""
        scene_ref = self.root.find("scene/instance_visual_scene")
        scene = self.ids.get(_ref(scene_ref.get("url"))) if scene_ref is not None else None
        if scene is None:
            scene = self.root.find("library_visual_scenes/visual_scene")
        if scene is None:  # no scene: every geometry once, where it stands
            for geometry in self.root.iter("geometry"):
                yield geometry, np.eye(4), {}
            return

        def walk(node, parent, depth):
            if depth > 64:
                raise self.fail("its scene nodes nest more than 64 deep (a cycle?)")
            matrix = parent @ _node_matrix(node)
            for instance in node.findall("instance_geometry"):
                geometry = self.element(instance.get("url"), "geometry")
                binding = {m.get("symbol"): m.get("target") for m in instance.iter("instance_material")}
                yield geometry, matrix, binding
            for instance in node.findall("instance_node"):
                yield from walk(self.element(instance.get("url"), "node"), matrix, depth + 1)
            for child in node.findall("node"):
                yield from walk(child, matrix, depth + 1)

        for node in scene.findall("node"):
            yield from walk(node, np.eye(4), 0)


def _fan(counts: np.ndarray) -> np.ndarray:
    """Triangle fans of polygons with ``counts`` corners, as ``(T, 3)`` indices into the corner list."""
    counts = np.asarray(counts, dtype=np.int64)
    counts_ok = counts[counts >= 3]
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])[counts >= 3]
    n_tris = counts_ok - 2
    if not n_tris.sum():
        return np.zeros((0, 3), dtype=np.int64)
    first = np.repeat(starts, n_tris)
    k = np.arange(n_tris.sum()) - np.repeat(np.cumsum(n_tris) - n_tris, n_tris)
    return np.stack([first, first + k + 1, first + k + 2], axis=1)


def read_collada(path: str | Path, normalise: bool = True, size: float = TARGET_SIZE) -> Mesh:
    """The mesh in a ``.dae`` file, one :class:`MeshPart` per (placed geometry, material)."""
    path = Path(path)
    try:
        root = _strip_namespaces(ET.parse(path).getroot())
    except ET.ParseError as error:
        raise MeshError(f"{path}: not a COLLADA file (XML error: {error})") from error
    except OSError as error:
        raise MeshError(f"{path}: cannot open this file ({error})") from error
    if root.tag != "COLLADA":
        raise MeshError(f"{path}: not a COLLADA file (its root element is <{root.tag}>)")
    doc = _Collada(path, root)
    up = UP_AXIS.get((root.findtext("asset/up_axis") or "Y_UP").strip().upper(), UP_AXIS["Y_UP"])
    unit = root.find("asset/unit")
    meter = float(unit.get("meter", 1)) if unit is not None else 1.0
    parts = []
    try:
        for geometry, matrix, binding in doc.instances():
            mesh = geometry.find("mesh")
            if mesh is None:
                continue
            for symbol, positions, faces, uvs, normals in doc.primitives(mesh):
                if not len(faces):
                    continue
                name, texture, color, missing = doc.material(binding.get(symbol, symbol))
                used, inverse = np.unique(faces, return_inverse=True)
                verts = positions[used] @ matrix[:3, :3].T + matrix[:3, 3]
                verts = verts @ up.T * meter
                faces = inverse.reshape(-1, 3)
                if normals is not None:  # normals go by the inverse transpose, then the up axis
                    normals = normals @ np.linalg.inv(matrix[:3, :3]) @ up.T
                    length = np.linalg.norm(normals, axis=1, keepdims=True)
                    normals = np.divide(normals, length, out=np.zeros_like(normals), where=length > 0)
                    if not np.isfinite(normals).all() or (length == 0).any():
                        normals = None
                if np.linalg.det(matrix[:3, :3]) < 0:  # a mirroring transform turns faces inside out
                    faces = faces[:, ::-1]
                    if uvs is not None:
                        uvs = uvs.reshape(-1, 3, 2)[:, ::-1].reshape(-1, 2)
                    if normals is not None:
                        normals = normals.reshape(-1, 3, 3)[:, ::-1].reshape(-1, 3)
                parts.append(MeshPart(verts, faces, uvs, name, texture, color, missing, normals))
    except MeshError:
        raise
    except (ValueError, TypeError, IndexError, KeyError) as error:
        raise doc.fail(f"{type(error).__name__}: {error}") from error
    if not parts:
        raise MeshError(f"{path}: this COLLADA file has no triangles to draw")
    verts = np.concatenate([p.verts for p in parts])
    if not np.isfinite(verts).all():
        raise MeshError(f"{path}: this COLLADA file has non-finite vertex positions")
    mesh = Mesh(str(path), parts)
    return mesh.normalised(size) if normalise else mesh
