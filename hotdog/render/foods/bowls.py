"""Dishes served in a bowl: soup, salad, rice with toppings, noodles. The bowl is part of
the dish (it is what a photo of soup mostly shows), so it is framed with the food.

Also the small helpers every dish of :mod:`bowls`, :mod:`bakery` and :mod:`plates` shares: a bowl
and a scatter of little pieces.
"""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.common import color_near, detail_seed, pick, uniform
from hotdog.render.foods.materials import assemble
from hotdog.render.shapes import Food, Part, grid_sheet, lathe, merge, part, rotation_matrix, sphere, sweep

BOWL_COLORS = [(0.95, 0.95, 0.93), (0.2, 0.2, 0.22), (0.75, 0.55, 0.35), (0.35, 0.5, 0.7), (0.85, 0.3, 0.2)]
BOWL_MATERIALS = {"bowl": {"roughness": 0.2}, "liquid": {"roughness": 0.1, "coat": 0.3}, "leaves": {"roughness": 0.5},
                  "grains": {"roughness": 0.7}, "pieces": {"roughness": 0.5}, "noodles": {"roughness": 0.35}}


def bowl(radius: float, height: float, color, wall: float = 0.004) -> Part:
    """A bowl: a foot of half the radius widening to the rim, with a wall of thickness ``wall``."""
    foot = radius * 0.5
    outer = [[0.0, 0.0], [foot, 0.0], [foot * 1.25, height * 0.3], [radius * 0.95, height * 0.8], [radius, height]]
    inner = [[radius - wall, height], [radius * 0.95 - wall, height * 0.8], [foot * 1.25 - wall, height * 0.3 + wall],
             [foot - wall, wall], [0.0, wall]]
    return part(lathe(np.array(outer + inner), 36), "bowl", color)


def inner_radius(radius: float, height: float, z: float) -> float:
    """The bowl's inner radius at height ``z`` (linear between foot and rim: good enough to fill it)."""
    return radius * 0.5 + (radius * 0.95 - radius * 0.5) * np.clip(z / height, 0, 1) - 0.004


def scatter(rng: np.random.Generator, n: int, size: tuple[float, float], colors, spread: float, z: float,
            material: str, squash: float = 0.7, within: float | None = None, detail: tuple[int, int] = (3, 8)) -> Part:
    """``n`` small squashed spheres around the origin at height ``z`` (within a radius, if given)."""
    pieces = []
    for _ in range(n):
        r = rng.uniform(*size)
        x, y = rng.normal(0, spread, 2)
        if within is not None and np.hypot(x, y) > within - r:
            x, y = np.array([x, y]) * (within - r) / max(np.hypot(x, y), 1e-9)
        color = np.asarray(colors[int(rng.integers(len(colors)))]) * rng.uniform(0.85, 1.1)
        turn = rotation_matrix((0, 0, 1), rng.uniform(0, np.pi)) @ rotation_matrix((1, 0, 0), rng.uniform(-0.4, 0.4))
        shape = sphere(r, *detail, squash)
        shape = (shape[0] * [rng.uniform(0.8, 1.6), 1, 1], shape[1], shape[2])
        pieces.append(part(shape, material, color).transformed(turn, (x, y, z + r * squash * 0.5)))
    return merge(pieces)


def _disc(radius: float, z: float, n: int = 36):
    return lathe(np.array([[radius, z], [0.0, z]]), n)


def _bowl_params(rng: np.random.Generator) -> dict:
    return {"radius": uniform(rng, 0.06, 0.09), "height": uniform(rng, 0.04, 0.06),
            "bowl_color": color_near(rng, BOWL_COLORS[int(rng.integers(len(BOWL_COLORS)))], 0.03, 0.08),
            "fill": uniform(rng, 0.6, 0.85), "detail_seed": detail_seed(rng)}


SOUPS = {"tomato": (0.8, 0.25, 0.1), "pumpkin": (0.92, 0.55, 0.15), "green": (0.45, 0.6, 0.2),
         "broth": (0.75, 0.55, 0.25), "cream": (0.92, 0.88, 0.75), "miso": (0.7, 0.55, 0.35)}


def sample_soup(rng: np.random.Generator) -> dict:
    kind, color = pick(rng, SOUPS)
    return {**_bowl_params(rng), "soup": kind, "color": color_near(rng, color, 0.03), "bits": int(rng.integers(0, 25))}


def build_soup(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    R, H = p["radius"], p["height"]
    z = H * p["fill"]
    parts = [bowl(R, H, p["bowl_color"]), part(_disc(inner_radius(R, H, z), z), "liquid", p["color"])]
    if p["bits"]:
        colors = [(0.3, 0.6, 0.2), (0.95, 0.95, 0.9), (0.85, 0.7, 0.4), (0.8, 0.2, 0.1)]
        parts.append(scatter(rng, p["bits"], (0.002, 0.006), colors, R * 0.3, z - 0.002, "pieces", 0.5,
                             within=inner_radius(R, H, z)))
    return assemble(parts, BOWL_MATERIALS)


def sample_salad(rng: np.random.Generator) -> dict:
    return {**_bowl_params(rng), "in_bowl": bool(rng.random() < 0.6), "leaves": int(rng.integers(14, 30)),
            "leaf_color": color_near(rng, (0.4, 0.65, 0.2), 0.06), "extras": int(rng.integers(3, 14))}


def build_salad(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    R, H = p["radius"], p["height"]
    z = H * p["fill"] if p["in_bowl"] else 0.0
    parts = [bowl(R, H, p["bowl_color"])] if p["in_bowl"] else []
    leaves = []
    for _ in range(p["leaves"]):
        w, d = rng.uniform(0.02, 0.04), rng.uniform(0.015, 0.03)
        curl = rng.uniform(5, 25)
        sheet = grid_sheet(w, d, 6, height=lambda x, y, c=curl: c * (x ** 2 + 0.5 * y ** 2))
        turn = rotation_matrix((0, 0, 1), rng.uniform(0, 2 * np.pi)) @ rotation_matrix((1, 0, 0), rng.uniform(-0.6, 0.6))
        x, y = rng.normal(0, R * 0.3, 2)
        color = np.asarray(p["leaf_color"]) * rng.uniform(0.7, 1.3)
        leaves.append(part(sheet, "leaves", color).transformed(turn, (x, y, z + rng.uniform(0, 0.015))))
    parts.append(merge(leaves))
    extras = [(0.85, 0.15, 0.1), (0.95, 0.9, 0.8), (0.55, 0.3, 0.5), (0.95, 0.75, 0.2), (0.2, 0.15, 0.1)]
    parts.append(scatter(rng, p["extras"], (0.005, 0.01), extras, R * 0.3, z + 0.008, "pieces", 0.8))
    return assemble(parts, BOWL_MATERIALS)


def sample_rice_bowl(rng: np.random.Generator) -> dict:
    grain, color = pick(rng, {"rice": (0.96, 0.95, 0.9), "brown": (0.75, 0.6, 0.4), "couscous": (0.9, 0.78, 0.45),
                              "curry": (0.85, 0.6, 0.15)})
    return {**_bowl_params(rng), "grain": grain, "color": color_near(rng, color, 0.02),
            "toppings": int(rng.integers(0, 12)), "mound": uniform(rng, 0.005, 0.02)}


def build_rice_bowl(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    R, H = p["radius"], p["height"]
    z = H * p["fill"]
    r = inner_radius(R, H, z)
    t = np.linspace(0, np.pi / 2, 8)
    profile = np.stack([r * np.cos(t), z + p["mound"] * np.sin(t)], 1)
    profile[-1, 0] = 0.0  # the top is a pole: a closed dome
    mound = lathe(profile, 36)
    colors = np.asarray(p["color"]) * rng.uniform(0.85, 1.08, (len(mound[0]), 1))
    parts = [bowl(R, H, p["bowl_color"]), part(mound, "grains", colors)]
    if p["toppings"]:
        colors = [(0.8, 0.35, 0.2), (0.3, 0.55, 0.2), (0.95, 0.8, 0.3), (0.45, 0.25, 0.15), (0.95, 0.5, 0.4)]
        parts.append(scatter(rng, p["toppings"], (0.006, 0.012), colors, r * 0.35, z + p["mound"] * 0.7, "pieces"))
    return assemble(parts, BOWL_MATERIALS)


def sample_noodles(rng: np.random.Generator) -> dict:
    return {**_bowl_params(rng), "color": color_near(rng, (0.93, 0.82, 0.5), 0.04), "strands": int(rng.integers(12, 26)),
            "broth": bool(rng.random() < 0.6), "broth_color": color_near(rng, (0.7, 0.45, 0.2), 0.05),
            "toppings": int(rng.integers(0, 10))}


def build_noodles(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    R, H = p["radius"], p["height"]
    z = H * p["fill"]
    r = inner_radius(R, H, z)
    parts = [bowl(R, H, p["bowl_color"])]
    if p["broth"]:
        parts.append(part(_disc(r, z - 0.003), "liquid", p["broth_color"]))
    strands = []
    for _ in range(p["strands"]):
        t = np.linspace(0, 1, 24)
        a0, turns = rng.uniform(0, 2 * np.pi), rng.uniform(0.5, 1.5)
        rad = r * rng.uniform(0.2, 0.85) * (1 + 0.15 * np.sin(9 * t + rng.uniform(0, 6)))
        path = np.stack([rad * np.cos(a0 + turns * 2 * np.pi * t), rad * np.sin(a0 + turns * 2 * np.pi * t),
                         z + 0.004 * np.sin(5 * t + rng.uniform(0, 6)) + rng.uniform(0, 0.006)], 1)
        section = np.stack([np.cos(np.linspace(0, 2 * np.pi, 6, endpoint=False)),
                            np.sin(np.linspace(0, 2 * np.pi, 6, endpoint=False))], 1) * 0.0018
        strands.append(part(sweep(path, section, caps="flat"), "noodles", np.asarray(p["color"]) * rng.uniform(0.9, 1.05)))
    parts.append(merge(strands))
    if p["toppings"]:
        colors = [(0.3, 0.6, 0.2), (0.95, 0.9, 0.85), (0.6, 0.35, 0.25), (0.95, 0.7, 0.2)]
        parts.append(scatter(rng, p["toppings"], (0.005, 0.011), colors, r * 0.35, z + 0.006, "pieces"))
    return assemble(parts, BOWL_MATERIALS)
