"""Distractors: small objects around the food (a cup, a stray fry, a tomato slice, a sauce cup,
crumbs, a cube), standing on the table, partly in frame. Scenery, like the servings.

With ``RenderConfig(clutter=True)`` the clutter of a real meal joins them (:data:`CLUTTER_KINDS`): a glass
with a drink, a bottle, a can, a fork, a knife, a folded napkin and a pile of fries."""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.common import detail_seed, uniform
from hotdog.render.shapes import Part, box, grid_sheet, lathe, merge, part, rotation_matrix, rounded_cylinder_profile, sphere

DISTRACTOR_KINDS = ("cup", "fry", "tomato_slice", "sauce_cup", "crumbs", "cube")
CLUTTER_KINDS = ("glass", "bottle", "can", "fork", "knife", "napkin", "fries_pile")
CUTLERY = (0.78, 0.78, 0.8)


def sample_distractors(rng: np.random.Generator, n_range=(0, 3), kinds=DISTRACTOR_KINDS) -> list[dict]:
    """Small objects around the food (a cup, a stray fry, a sauce cup, crumbs), partly in frame, of ``kinds``
    (with ``RenderConfig(clutter=True)``: also :data:`CLUTTER_KINDS`)."""
    out = []
    for _ in range(int(rng.integers(n_range[0], n_range[1] + 1))):
        out.append({"kind": kinds[int(rng.integers(len(kinds)))],
                    "angle": uniform(rng, 0, 6.283), "distance": uniform(rng, 0.6, 1.1), "size": uniform(rng, 0.6, 1.4),
                    "color": [round(float(v), 4) for v in rng.random(3)], "detail_seed": detail_seed(rng)})
    return out


def distractor_parts(specs: list[dict], radius: float, floor: float) -> list[Part]:
    """The distractors as parts standing on ``floor`` at ``distance * radius`` from the food's centre."""
    parts = []
    for d in specs:
        rng = np.random.default_rng(d["detail_seed"])
        s = d["size"] * radius * 0.3
        kind = d["kind"]
        if kind == "cup":
            geo = lathe(np.array([[0, 0], [s * 0.7, 0], [s * 0.9, s * 2.2], [s * 0.85, s * 2.2], [0, s * 0.2]]), 20)
        elif kind == "sauce_cup":
            geo = lathe(np.array([[0, 0], [s * 0.5, 0], [s * 0.6, s * 0.5], [0, s * 0.45]]), 16)
        elif kind == "fry":
            geo = box((s * 2.5, s * 0.25, s * 0.25))
        elif kind == "tomato_slice":
            geo = lathe(rounded_cylinder_profile(s * 0.6, s * 0.12, s * 0.04, 3), 16)
        elif kind in CLUTTER_KINDS:
            parts.append(_clutter(rng, kind, s, d["color"]).transformed(
                rotation_matrix((0, 0, 1), rng.uniform(0, 6.3)),
                (np.cos(d["angle"]) * d["distance"] * radius, np.sin(d["angle"]) * d["distance"] * radius, floor)))
            continue
        elif kind == "crumbs":
            geo = merge([part(sphere(s * rng.uniform(0.05, 0.12), 2, 5), "x", (0, 0, 0)).transformed(
                offset=(*rng.normal(0, s * 0.5, 2), 0)) for _ in range(8)])
            geo = (geo.verts, geo.quads, geo.tris)
        else:
            geo = box((s, s, s))
        color = {"fry": (0.95, 0.75, 0.35), "tomato_slice": (0.85, 0.15, 0.08), "crumbs": (0.8, 0.6, 0.35)}.get(kind, d["color"])
        pos = (np.cos(d["angle"]) * d["distance"] * radius, np.sin(d["angle"]) * d["distance"] * radius, floor)
        turn = rotation_matrix((0, 0, 1), rng.uniform(0, 6.3))
        lift = s * 0.125 if kind == "fry" else (s * 0.5 if kind == "cube" else 0.0)
        parts.append(part(geo, "distractor", color, framed=False).transformed(turn, (pos[0], pos[1], floor + lift)))
    return parts


def _clutter(rng: np.random.Generator, kind: str, s: float, color) -> Part:
    """One thing of a meal's clutter, standing (or lying) on z = 0, ``s`` its scale in metres."""
    if kind == "glass":  # a tumbler of the drink's colour (one opaque solid: glass would cost render time)
        return part(lathe(np.array([[0, 0], [s * 0.75, 0], [s * 0.9, s * 3.2], [s * 0.86, s * 3.2], [0, s * 2.8]]), 24),
                    "plate", color, framed=False)
    if kind == "bottle":
        profile = [[0, 0], [s * 0.6, 0], [s * 0.62, s * 3.0], [s * 0.28, s * 4.0], [s * 0.24, s * 5.2], [0, s * 5.2]]
        return part(lathe(np.array(profile), 20), "plate", np.asarray(color) * 0.6, framed=False)
    if kind == "can":
        return part(lathe(rounded_cylinder_profile(s * 0.55, s * 2.0, s * 0.06, 3), 20), "foil", color, framed=False)
    if kind in ("fork", "knife"):
        long = s * 4.5
        handle = part(box((long * 0.55, s * 0.28, s * 0.06)), "foil", CUTLERY, framed=False).transformed(offset=(-long * 0.22, 0, s * 0.03))
        if kind == "knife":
            head = [part(box((long * 0.45, s * 0.38, s * 0.03)), "foil", CUTLERY, framed=False).transformed(offset=(long * 0.28, 0, s * 0.02))]
        else:
            head = [part(box((long * 0.3, s * 0.08, s * 0.04)), "foil", CUTLERY, framed=False).transformed(
                offset=(long * 0.2, (i - 1.5) * s * 0.13, s * 0.02)) for i in range(4)]
        return merge([handle] + head)
    if kind == "napkin":  # folded paper, gently creased
        sheet = grid_sheet(s * 3.0, s * 3.0, 10, lambda x, y: s * 0.04 * (1 + np.sin(x / s * 2.1) * np.cos(y / s * 1.7)))
        paper = (0.96, 0.95, 0.92) if rng.random() < 0.6 else color
        return part(sheet, "napkin", paper, framed=False)
    fries = [part(box((s * rng.uniform(1.5, 2.8), s * 0.22, s * 0.22)), "distractor", (0.95, 0.75, 0.35), framed=False)
             .transformed(rotation_matrix((0, 0, 1), rng.uniform(0, np.pi)), (*rng.normal(0, s * 0.5, 2), s * 0.11 + i * s * 0.05))
             for i in range(int(rng.integers(5, 12)))]
    return merge(fries)
