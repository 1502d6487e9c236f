"""Mesh primitives as plain numpy arrays: the geometry the food builders are made of.

Nothing here knows Blender. A shape is vertices ``(N, 3)`` plus quads ``(Q, 4)`` and triangles
``(T, 3)`` (vertex indices); a :class:`Part` adds a material name and one sRGB colour per vertex;
a :class:`Food` is a list of parts and the material settings they use. The Blender worker turns a
``Food`` into one mesh object with one material slot per material name, so the same geometry can be
checked (size, framing) in a test without ``bpy``.

Three generators cover every food:

* :func:`sweep` moves a 2D cross-section along a 3D path (sausage, bun half, condiment line,
  banana, fries, crust, torus, slabs);
* :func:`lathe` turns an ``(r, z)`` profile around the z axis (burger buns, patty, seeds);
* :func:`fit_camera_distance` (not a shape, but geometry too) finds how far the camera must stand
  for every vertex to land inside the frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

_EMPTY_QUADS = np.zeros((0, 4), dtype=np.int64)
_EMPTY_TRIS = np.zeros((0, 3), dtype=np.int64)


@dataclass
class Part:
    """One piece of a food: geometry, the name of its material, a colour per vertex (sRGB, 0..1)."""

    verts: np.ndarray
    quads: np.ndarray
    tris: np.ndarray
    material: str
    colors: np.ndarray
    smooth: bool = True
    framed: bool = True  # False: scenery (plate, distractors) that may be cut by the frame

    def transformed(self, matrix: np.ndarray | None = None, offset=(0.0, 0.0, 0.0)) -> "Part":
        verts = self.verts if matrix is None else self.verts @ np.asarray(matrix, dtype=float).T
        return Part(verts + np.asarray(offset, dtype=float), self.quads, self.tris, self.material,
                    self.colors, self.smooth, self.framed)


@dataclass
class Food:
    """A built food: its parts and, per material name, the shader settings (roughness, coat, ...)."""

    parts: list[Part]
    materials: dict[str, dict] = field(default_factory=dict)

    @property
    def verts(self) -> np.ndarray:
        return np.concatenate([p.verts for p in self.parts])

    @property
    def frame_verts(self) -> np.ndarray:
        """The vertices the camera must keep in frame: the food itself, not its plate or distractors."""
        framed = [p.verts for p in self.parts if p.framed]
        return np.concatenate(framed) if framed else self.verts

    def centered(self) -> "Food":
        """The same food moved so that the bounding-box centre of its framed parts is the origin."""
        verts = self.frame_verts
        centre = (verts.min(axis=0) + verts.max(axis=0)) / 2
        return Food([p.transformed(offset=-centre) for p in self.parts], self.materials)

    def arrays(self) -> dict:
        """Everything the worker needs to make one mesh: concatenated vertices and polygons.

        Returns ``verts (N,3)``, ``colors (N,3)``, ``loop_vertices`` (flat vertex indices of all
        polygons), ``loop_starts`` and ``loop_totals`` (one per polygon), ``material_index`` and
        ``smooth`` (one per polygon) and ``material_names`` (the slot order).
        """
        names = list(self.materials)
        for part in self.parts:
            if part.material not in names:
                names.append(part.material)
        verts, colors, loops, totals, mat_index, smooth = [], [], [], [], [], []
        offset = 0
        for part in self.parts:
            verts.append(part.verts)
            colors.append(part.colors)
            for faces in (part.quads, part.tris):
                if len(faces):
                    loops.append((faces + offset).ravel())
                    totals.append(np.full(len(faces), faces.shape[1]))
                    mat_index.append(np.full(len(faces), names.index(part.material)))
                    smooth.append(np.full(len(faces), part.smooth))
            offset += len(part.verts)
        totals_arr = np.concatenate(totals).astype(np.int64)
        return {
            "verts": np.concatenate(verts).astype(np.float64),
            "frame_verts": self.frame_verts.astype(np.float64),
            "colors": np.concatenate(colors).astype(np.float64),
            "loop_vertices": np.concatenate(loops).astype(np.int64),
            "loop_totals": totals_arr,
            "loop_starts": np.concatenate([[0], np.cumsum(totals_arr)[:-1]]).astype(np.int64),
            "material_index": np.concatenate(mat_index).astype(np.int64),
            "smooth": np.concatenate(smooth).astype(bool),
            "material_names": names,
        }


def part(geometry: tuple, material: str, color, *, smooth: bool = True, framed: bool = True) -> Part:
    """A :class:`Part` from ``(verts, quads, tris)``; ``color`` is one RGB or an ``(N, 3)`` array."""
    verts, quads, tris = geometry
    colors = np.asarray(color, dtype=float)
    if colors.ndim == 1:
        colors = np.broadcast_to(colors, (len(verts), 3)).copy()
    return Part(np.asarray(verts, float), np.asarray(quads, np.int64).reshape(-1, 4),
                np.asarray(tris, np.int64).reshape(-1, 3), material, np.clip(colors, 0, 1), smooth, framed)


def sphere(radius: float = 1.0, rings: int = 5, segments: int = 8, squash: float = 1.0):
    """A closed UV sphere (``(verts, quads, tris)``) of ``radius``, its height scaled by ``squash``."""
    t = np.linspace(0, np.pi, rings + 2)
    return lathe(np.stack([radius * np.sin(t), -radius * squash * np.cos(t)], axis=1), segments)


def box(size) -> tuple:
    """A closed box centred on the origin with side lengths ``size = (sx, sy, sz)``."""
    sx, sy, sz = np.asarray(size, dtype=float) / 2
    verts = np.array([[x, y, z] for z in (-sz, sz) for y in (-sy, sy) for x in (-sx, sx)])
    quads = np.array([[0, 2, 3, 1], [4, 5, 7, 6], [0, 1, 5, 4], [2, 6, 7, 3], [0, 4, 6, 2], [1, 3, 7, 5]])
    return verts, quads, _EMPTY_TRIS


def grid_sheet(width: float, depth: float, n: int = 16, height=None):
    """An open rectangular sheet in the xy plane, ``n x n`` vertices; ``height(x, y)`` bends it."""
    x, y = np.meshgrid(np.linspace(-width / 2, width / 2, n), np.linspace(-depth / 2, depth / 2, n))
    z = np.zeros_like(x) if height is None else height(x, y)
    verts = np.stack([x, y, z], axis=-1).reshape(-1, 3)
    ids = np.arange(n * n).reshape(n, n)
    quads = np.stack([ids[:-1, :-1], ids[:-1, 1:], ids[1:, 1:], ids[1:, :-1]], axis=-1).reshape(-1, 4)
    return verts, quads, _EMPTY_TRIS


def merge(parts: list[Part]) -> Part:
    """Many parts with the same material as one part (sprinkles, seeds, fries)."""
    verts, quads, tris, colors = [], [], [], []
    offset = 0
    for p in parts:
        verts.append(p.verts)
        colors.append(p.colors)
        quads.append(p.quads + offset)
        tris.append(p.tris + offset)
        offset += len(p.verts)
    return Part(np.concatenate(verts), np.concatenate(quads), np.concatenate(tris), parts[0].material,
                np.concatenate(colors), parts[0].smooth, parts[0].framed)


# --------------------------------------------------------------------------- rotations
# Every rotation of the renderer is made here: axis-angle matrices for the builders and the COLLADA
# reader, quaternions (w, x, y, z: Blender's order) for the records' object rotations.


def rotation_matrix(axis, angle: float) -> np.ndarray:
    """Rotation by ``angle`` radians about ``axis`` (Rodrigues); the identity for a zero axis."""
    axis = np.asarray(axis, dtype=float)
    norm = np.linalg.norm(axis)
    if norm == 0:
        return np.eye(3)
    x, y, z = axis / norm
    c, s = np.cos(angle), np.sin(angle)
    return np.array([
        [c + x * x * (1 - c), x * y * (1 - c) - z * s, x * z * (1 - c) + y * s],
        [y * x * (1 - c) + z * s, c + y * y * (1 - c), y * z * (1 - c) - x * s],
        [z * x * (1 - c) - y * s, z * y * (1 - c) + x * s, c + z * z * (1 - c)],
    ])


def quaternion_matrix(q) -> np.ndarray:
    """The rotation matrix of a unit quaternion ``(w, x, y, z)`` (Blender's order)."""
    w, x, y, z = np.asarray(q, dtype=float) / np.linalg.norm(q)
    return np.array([
        [1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w)],
        [2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w)],
        [2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y)],
    ])


def quaternion_multiply(a, b) -> list[float]:
    """The rotation ``b`` then ``a`` (the Hamilton product ``a * b``) of quaternions ``(w, x, y, z)``, as floats."""
    w1, x1, y1, z1 = a
    w2, x2, y2, z2 = b
    return [w1 * w2 - x1 * x2 - y1 * y2 - z1 * z2, w1 * x2 + x1 * w2 + y1 * z2 - z1 * y2,
            w1 * y2 - x1 * z2 + y1 * w2 + z1 * x2, w1 * z2 + x1 * y2 - y1 * x2 + z1 * w2]


# --------------------------------------------------------------------------- sections & profiles


def circle(n: int, radius: float = 1.0) -> np.ndarray:
    """``n`` points counter-clockwise on a circle, shape ``(n, 2)``."""
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    return radius * np.stack([np.cos(t), np.sin(t)], axis=1)


def superellipse(n: int, a: float, b: float, power: float = 2.0, start: float = 0.0,
                 stop: float = 2 * np.pi, endpoint: bool = False) -> np.ndarray:
    """Points on ``|x/a|^p + |y/b|^p = 1`` from angle ``start`` to ``stop`` (counter-clockwise)."""
    t = np.linspace(start, stop, n, endpoint=endpoint)
    c, s = np.cos(t), np.sin(t)
    e = 2.0 / power
    return np.stack([a * np.sign(c) * np.abs(c) ** e, b * np.sign(s) * np.abs(s) ** e], axis=1)


def polyline(points, n_per_edge: int = 1, closed: bool = True) -> np.ndarray:
    """A polygon with ``n_per_edge`` points on each edge (so a swept slab gets a grid of vertices)."""
    points = np.asarray(points, dtype=float)
    ends = np.roll(points, -1, axis=0) if closed else points[1:]
    starts = points if closed else points[:-1]
    t = np.linspace(0, 1, n_per_edge, endpoint=False)[None, :, None]
    out = (starts[:, None, :] * (1 - t) + ends[:, None, :] * t).reshape(-1, 2)
    return out if closed else np.concatenate([out, points[-1:]])


def capsule_profile(n: int, power: float = 2.0) -> np.ndarray:
    """Scale along a path for rounded ends: ``(1 - |t|^p)^(1/p)`` for ``t`` in [-1, 1]."""
    t = np.linspace(-1, 1, n)
    return np.clip(1 - np.abs(t) ** power, 0, 1) ** (1 / power)


# --------------------------------------------------------------------------- generators


def _frames(path: np.ndarray, closed: bool, normal_hint=None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tangent, normal and binormal along a path (parallel transport, so sections do not twist)."""
    if closed:
        tangents = np.roll(path, -1, axis=0) - np.roll(path, 1, axis=0)
    else:
        tangents = np.gradient(path, axis=0)
    tangents /= np.linalg.norm(tangents, axis=1, keepdims=True)
    hint = np.array([0.0, 0.0, 1.0]) if normal_hint is None else np.asarray(normal_hint, dtype=float)
    if abs(np.dot(hint, tangents[0])) > 0.99:
        hint = np.array([1.0, 0.0, 0.0]) if abs(tangents[0][0]) < 0.9 else np.array([0.0, 1.0, 0.0])
    normals = np.empty_like(path)
    n = hint - np.dot(hint, tangents[0]) * tangents[0]
    for i, t in enumerate(tangents):
        n = n - np.dot(n, t) * t
        n /= np.linalg.norm(n)
        normals[i] = n
    binormals = np.cross(tangents, normals)
    return tangents, normals, binormals


def sweep(path, section, scales=None, *, closed_path: bool = False, closed_section: bool = True,
          caps: str = "flat", normal_hint=None):
    """Move a 2D ``section`` (``(K, 2)``, counter-clockwise) along a 3D ``path`` (``(M, 3)``).

    ``scales`` (``(M,)`` or ``(M, 2)``) stretches the section at each path point. ``caps`` closes an
    open path: ``"flat"`` (a fan at each end), ``"pole"`` (the end points become single vertices: use
    it with scales that shrink to zero, for rounded ends) or ``"none"``. The section's x axis follows
    the path's normal, which starts as ``normal_hint`` (default: up) made perpendicular to the path.
    Returns ``(verts, quads, tris)``.
    """
    path = np.asarray(path, dtype=float)
    section = np.asarray(section, dtype=float)
    m, k = len(path), len(section)
    scales = np.ones((m, 2)) if scales is None else np.asarray(scales, dtype=float)
    if scales.ndim == 1:
        scales = np.stack([scales, scales], axis=1)
    _, normals, binormals = _frames(path, closed_path, normal_hint)
    sx = scales[:, None, 0] * section[None, :, 0]
    sy = scales[:, None, 1] * section[None, :, 1]
    rings = path[:, None, :] + sx[..., None] * normals[:, None, :] + sy[..., None] * binormals[:, None, :]

    pole = caps == "pole" and not closed_path
    first, last = (1, m - 1) if pole else (0, m)
    ring_ids = np.arange(m * k).reshape(m, k)[first:last] - first * k
    verts = [rings[first:last].reshape(-1, 3)]
    n_rows = last - first
    rows = n_rows if closed_path else n_rows - 1
    cols = k if closed_section else k - 1
    r = np.arange(rows)[:, None]
    c = np.arange(cols)[None, :]
    r1, c1 = (r + 1) % n_rows, (c + 1) % k
    quads = np.stack([ring_ids[r, c], ring_ids[r, c1], ring_ids[r1, c1], ring_ids[r1, c]], axis=-1)
    quads = quads.reshape(-1, 4)
    tris = []
    if not closed_path and caps in ("flat", "pole") and closed_section:
        next_id = n_rows * k
        start_ring, end_ring = ring_ids[0], ring_ids[-1]
        if pole:
            start_centre, end_centre = path[0], path[-1]
        else:
            start_centre, end_centre = rings[0].mean(axis=0), rings[-1].mean(axis=0)
        verts.append(np.stack([start_centre, end_centre]))
        kk = np.arange(k)
        tris.append(np.stack([np.full(k, next_id), start_ring[(kk + 1) % k], start_ring[kk]], axis=1))
        tris.append(np.stack([end_ring[kk], end_ring[(kk + 1) % k], np.full(k, next_id + 1)], axis=1))
    tris = np.concatenate(tris) if tris else _EMPTY_TRIS
    return np.concatenate(verts), quads, tris


def lathe(profile, segments: int = 24):
    """Turn an ``(r, z)`` profile (``(M, 2)``, bottom to top) around the z axis.

    Profile points with ``r == 0`` at either end become poles (a closed solid); otherwise that end
    is left open. Returns ``(verts, quads, tris)``.
    """
    profile = np.asarray(profile, dtype=float)
    bottom_pole = profile[0, 0] <= 1e-12
    top_pole = profile[-1, 0] <= 1e-12
    rings = profile[int(bottom_pole): len(profile) - int(top_pole)]
    theta = np.linspace(0, 2 * np.pi, segments, endpoint=False)
    verts = np.stack([
        rings[:, None, 0] * np.cos(theta)[None, :],
        rings[:, None, 0] * np.sin(theta)[None, :],
        np.broadcast_to(rings[:, None, 1], (len(rings), segments)),
    ], axis=-1).reshape(-1, 3)
    ids = np.arange(len(rings) * segments).reshape(len(rings), segments)
    r = np.arange(len(rings) - 1)[:, None]
    c = np.arange(segments)[None, :]
    c1 = (c + 1) % segments
    quads = np.stack([ids[r, c], ids[r, c1], ids[r + 1, c1], ids[r + 1, c]], axis=-1).reshape(-1, 4)
    extra, tris = [], []
    kk = np.arange(segments)
    next_id = len(verts)
    if bottom_pole:
        extra.append([0.0, 0.0, profile[0, 1]])
        tris.append(np.stack([np.full(segments, next_id), ids[0, (kk + 1) % segments], ids[0, kk]], axis=1))
        next_id += 1
    if top_pole:
        extra.append([0.0, 0.0, profile[-1, 1]])
        tris.append(np.stack([ids[-1, kk], ids[-1, (kk + 1) % segments], np.full(segments, next_id)], axis=1))
    if extra:
        verts = np.concatenate([verts, np.asarray(extra)])
    return verts, quads, (np.concatenate(tris) if tris else _EMPTY_TRIS)


def rounded_cylinder_profile(radius: float, height: float, bevel: float, n_bevel: int = 4,
                             z0: float = 0.0, top_bulge: float = 0.0) -> np.ndarray:
    """``(r, z)`` profile of a cylinder with rounded edges (a bun base, a patty, a tomato slice)."""
    bevel = min(bevel, radius * 0.9, height / 2 * 0.99)
    a = np.linspace(-np.pi / 2, 0, n_bevel)
    b = np.linspace(0, np.pi / 2, n_bevel)
    low = np.stack([radius - bevel + bevel * np.cos(a), z0 + bevel + bevel * np.sin(a)], axis=1)
    high = np.stack([radius - bevel + bevel * np.cos(b), z0 + height - bevel + bevel * np.sin(b)], axis=1)
    top_r = np.linspace(radius - bevel, 0, 4)[1:]
    top = np.stack([top_r, z0 + height + top_bulge * (1 - (top_r / radius) ** 2)], axis=1)
    return np.concatenate([[[0.0, z0]], low, high, top])


def dome_profile(radius: float, height: float, base: float, n: int = 10, power: float = 2.2) -> np.ndarray:
    """``(r, z)`` profile of a bun top: a flat-ish base of thickness ``base`` under a dome of ``height``."""
    t = np.linspace(0, np.pi / 2, n)
    c, s = np.cos(t), np.sin(t)
    e = 2 / power
    dome = np.stack([radius * c ** e, base + height * s ** e], axis=1)
    dome[-1, 0] = 0.0
    return np.concatenate([[[0.0, 0.0], [radius * 0.97, 0.0], [radius, base * 0.5]], dome])


# --------------------------------------------------------------------------- camera


def fit_camera_distance(points, direction, fov: float, fill: float = 1.0, up=(0.0, 0.0, 1.0)) -> float:
    """How far from the origin, along unit ``direction``, a camera looking at the origin must stand
    so that every point lies within ``fill`` of the half-frame (square frame of angle ``fov``).

    In camera coordinates a point at lateral offset ``x`` and depth ``d - direction.p`` is inside
    when ``|x| <= tan(fov/2) * fill * depth``, hence ``d >= direction.p + |x| / (tan(fov/2) * fill)``.
    """
    right, cam_up, back = camera_axes(direction, up)
    points = np.asarray(points, dtype=float)
    lateral = np.maximum(np.abs(points @ right), np.abs(points @ cam_up))
    t = np.tan(fov / 2) * fill
    return float(np.max(points @ back + lateral / t))


def frame_camera(points, direction, fov: float, fill: float = 1.0, iterations: int = 24) -> tuple[float, float, float]:
    """Distance and lens shift that frame ``points`` tightly: the projected bounding box is centred
    (with the lens shift, in Blender's units: a fraction of the frame width) and its larger half-side
    is ``fill`` of the half-frame. Returns ``(distance, shift_x, shift_y)``.

    Starts from :func:`fit_camera_distance` (every point inside, unshifted), then bisects the distance
    until the centred box just fits; ``fill <= 1`` keeps every point inside the frame.
    """
    points = np.asarray(points, dtype=float)
    far = fit_camera_distance(points, direction, fov, fill)
    depth_min = float(np.max(points @ camera_axes(direction)[2]))
    near = depth_min + 1e-6 * max(far, 1e-9)

    def half_extent(distance: float) -> tuple[float, np.ndarray]:
        uv = project(points, direction, distance, fov)
        low, high = uv.min(axis=0), uv.max(axis=0)
        return float(np.max(high - low) / 2), (high + low) / 2

    for _ in range(iterations):
        mid = (near + far) / 2
        if half_extent(mid)[0] > fill:
            near = mid
        else:
            far = mid
    _, centre = half_extent(far)
    return far, float(centre[0] / 2), float(centre[1] / 2)


def camera_axes(direction, up=(0.0, 0.0, 1.0)) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Right, up and backward unit vectors of a camera at ``direction`` looking at the origin
    (Blender cameras look down their local -Z with +Y up, so these are its local X, Y and Z)."""
    back = np.asarray(direction, dtype=float)
    back = back / np.linalg.norm(back)
    up = np.asarray(up, dtype=float)
    if abs(np.dot(up, back)) > 0.999:
        up = np.array([0.0, 1.0, 0.0])
    right = np.cross(up, back)
    right /= np.linalg.norm(right)
    return right, np.cross(back, right), back


def project(points, direction, distance: float, fov: float) -> np.ndarray:
    """Normalised image coordinates in [-1, 1] (x right, y up) of ``points`` seen by that camera."""
    right, cam_up, back = camera_axes(direction)
    points = np.asarray(points, dtype=float)
    depth = distance - points @ back
    t = np.tan(fov / 2)
    return np.stack([points @ right / (depth * t), points @ cam_up / (depth * t)], axis=1)
