"""What the food is served on: bare, a plate, a napkin, a paper tray or foil.

Scenery, not food: its parts are not framed (the camera frames the food, the serving may leave the
frame), and the record's material jitter leaves it alone. :func:`plate` is also the plated meal's.
"""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.common import color_near, detail_seed, smoothstep, uniform
from hotdog.render.shapes import Part, box, grid_sheet, lathe, merge, part, rotation_matrix

SERVINGS = ("bare", "plate", "napkin", "paper_tray", "foil")


def plate(radius: float, color, rim: float = 0.22, height: float = 0.012, framed: bool = True) -> Part:
    """A plate: a flat disc whose outer ``rim`` fraction rises to ``height``."""
    r = np.array([0.0, radius * (1 - rim) * 0.95, radius * (1 - rim), radius * (1 - rim * 0.5), radius, radius * 0.99,
                  radius * (1 - rim * 0.5), radius * (1 - rim), 0.0])
    z = np.array([0.0, 0.0, 0.0005, height * 0.55, height, height + 0.002, height * 0.55 + 0.002, 0.0025, 0.0025])
    # lathe needs bottom-to-top order: underside (z=0) then back over the top surface to the centre
    return part(lathe(np.stack([r, z], 1), 40), "plate", color, framed=framed)


def sample_serving(rng: np.random.Generator, kinds=SERVINGS, p=None) -> dict:
    """What the food is served on (``p``: the probability of each kind, default equal), and how big
    that is relative to the food's footprint."""
    if p is not None and len(p) == len(kinds):
        kind = kinds[int(rng.choice(len(kinds), p=np.asarray(p, float) / np.sum(p)))]
    else:
        kind = kinds[int(rng.integers(len(kinds)))]
    palette = {"plate": [(0.95, 0.95, 0.93), (0.85, 0.88, 0.92), (0.2, 0.2, 0.22), (0.9, 0.85, 0.75)],
               "napkin": [(0.96, 0.96, 0.94), (0.85, 0.2, 0.15), (0.9, 0.9, 0.85)],
               "paper_tray": [(0.95, 0.93, 0.88), (0.85, 0.2, 0.15), (0.75, 0.6, 0.4)],
               "foil": [(0.85, 0.85, 0.86)], "bare": [(1.0, 1.0, 1.0)]}[kind]
    return {"kind": kind, "color": color_near(rng, palette[int(rng.integers(len(palette)))], 0.02, 0.06),
            "scale": uniform(rng, 1.1, 1.5), "angle": uniform(rng, -0.5, 0.5), "detail_seed": detail_seed(rng)}


def serving_parts(spec: dict, footprint: np.ndarray, floor: float) -> list[Part]:
    """The plate, napkin, paper tray or foil under a food whose xy half-extents are ``footprint``
    and whose lowest point is at ``floor``; the food rests on it. Not framed: it may leave the frame."""
    kind = spec["kind"]
    if kind == "bare":
        return []
    rng = np.random.default_rng(spec["detail_seed"])
    hx, hy = np.asarray(footprint) * spec["scale"] + 0.01
    turn = rotation_matrix((0, 0, 1), spec["angle"])
    if kind == "plate":
        radius = max(hx, hy) * 1.05
        return [plate(radius, spec["color"], framed=False).transformed(offset=(0, 0, floor - 0.0025))]
    if kind == "paper_tray":
        wall, h = 0.0015, 0.02
        pieces = [box((2 * hx, 2 * hy, wall))] + [
            (lambda g, o: (g[0] + o, g[1], g[2]))(box(size), np.array(offset)) for size, offset in (
                ((2 * hx, wall, h), (0, hy, h / 2)), ((2 * hx, wall, h), (0, -hy, h / 2)),
                ((wall, 2 * hy, h), (hx, 0, h / 2)), ((wall, 2 * hy, h), (-hx, 0, h / 2)))]
        parts = [part(g, "paper_tray", spec["color"], smooth=False, framed=False) for g in pieces]
        return [merge(parts).transformed(turn, (0, 0, floor - wall / 2))]
    side = max(hx, hy) * (1.3 if kind == "napkin" else 1.15)
    if kind == "napkin":
        folds = rng.uniform(0.001, 0.003)
        height = lambda x, y: folds * np.sin(x / side * rng.uniform(3, 8)) * np.cos(y / side * rng.uniform(2, 6))  # noqa: E731
        geo = grid_sheet(2 * side, 2 * side, 16, height)
        return [part(geo, "napkin", spec["color"], framed=False).transformed(turn, (0, 0, floor - 0.004))]
    # foil: a crumpled sheet whose edges fold up around the food
    coarse = rng.normal(0, 1, (6, 6))

    def height(x, y):
        u = np.clip((x / side + 1) * 2.5, 0, 4.999)
        v = np.clip((y / side + 1) * 2.5, 0, 4.999)
        crumple = coarse[u.astype(int), v.astype(int)] * 0.0015 + rng.normal(0, 0.0008, x.shape)
        edge = np.maximum(np.abs(x) / side, np.abs(y) / side)
        return crumple + 0.02 * smoothstep(0.7, 1.0, edge)

    geo = grid_sheet(2 * side, 2 * side, 22, height)
    colors = np.asarray(spec["color"]) * rng.uniform(0.85, 1.1, (len(geo[0]), 1))
    return [part(geo, "foil", colors, smooth=False, framed=False).transformed(turn, (0, 0, floor - 0.003))]
