"""Distractors: small objects around the food (a cup, a stray fry, a tomato slice, a sauce cup,
crumbs, a cube), standing on the table, partly in frame. Scenery, like the servings."""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.common import detail_seed, uniform
from hotdog.render.shapes import Part, box, lathe, merge, part, rotation_matrix, rounded_cylinder_profile, sphere

DISTRACTOR_KINDS = ("cup", "fry", "tomato_slice", "sauce_cup", "crumbs", "cube")


def sample_distractors(rng: np.random.Generator, n_range=(0, 3)) -> list[dict]:
    """Small objects around the food (a cup, a stray fry, a sauce cup, crumbs), partly in frame."""
    out = []
    for _ in range(int(rng.integers(n_range[0], n_range[1] + 1))):
        out.append({"kind": DISTRACTOR_KINDS[int(rng.integers(len(DISTRACTOR_KINDS)))],
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
