"""Baked things: a slice of layer cake, a stack of pancakes, cookies, bread rolls, a muffin, a
baguette. The baguette and the rolls are the hard negatives: bread, and no sausage in it."""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.bowls import scatter
from hotdog.render.foods.common import color_near, detail_seed, mix, pick, smoothstep, uniform, wobbly_outline
from hotdog.render.foods.materials import assemble
from hotdog.render.shapes import (
    Food, capsule_profile, dome_profile, lathe, part, rotation_matrix, rounded_cylinder_profile, superellipse, sweep,
)

BAKERY_MATERIALS = {"crumb": {"roughness": 0.85, "sheen": 0.3}, "frosting": {"roughness": 0.3, "coat": 0.2},
                    "crust": {"roughness": 0.75, "sheen": 0.3}, "syrup": {"roughness": 0.05, "coat": 0.6},
                    "pieces": {"roughness": 0.5}}
CAKES = {"chocolate": ((0.35, 0.2, 0.12), (0.25, 0.13, 0.08)), "vanilla": ((0.95, 0.85, 0.6), (0.97, 0.95, 0.9)),
         "red_velvet": ((0.6, 0.12, 0.12), (0.97, 0.95, 0.9)), "carrot": ((0.75, 0.5, 0.25), (0.97, 0.93, 0.85)),
         "strawberry": ((0.95, 0.85, 0.65), (0.97, 0.7, 0.75))}


def sample_cake_slice(rng: np.random.Generator) -> dict:
    kind, (crumb, frosting) = pick(rng, CAKES)
    return {"kind": kind, "crumb": color_near(rng, crumb, 0.03), "frosting": color_near(rng, frosting, 0.03),
            "radius": uniform(rng, 0.08, 0.11), "angle": uniform(rng, 0.4, 0.9), "height": uniform(rng, 0.05, 0.08),
            "layers": int(rng.integers(2, 5)), "detail_seed": detail_seed(rng)}


def build_cake_slice(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    R, a, H = p["radius"], p["angle"], p["height"]
    arc = np.linspace(-a / 2, a / 2, 20)
    outline = np.concatenate([[[0.0, 0.0]], np.stack([R * np.cos(arc), R * np.sin(arc)], 1)])
    section = outline - outline.mean(0)
    n = 6 * p["layers"] + 1  # three rings a layer of crumb and its layer of frosting
    path = np.stack([np.zeros(n), np.zeros(n), np.linspace(0, H, n)], 1)
    verts, quads, tris = sweep(path, section, caps="flat", normal_hint=(1, 0, 0))
    layer = np.floor(verts[:, 2] / H * p["layers"] * 2 - 1e-6).astype(int) % 2  # bands: crumb, frosting, ...
    colors = np.where(layer[:, None] == 1, p["frosting"], p["crumb"]).astype(float)
    colors[verts[:, 2] > H * 0.98] = p["frosting"]
    parts = [part((verts, quads, tris), "crumb", colors, smooth=False)]
    if rng.random() < 0.5:  # berries or a swirl on top
        parts.append(scatter(rng, int(rng.integers(1, 4)), (0.006, 0.01), [(0.8, 0.1, 0.15), (0.3, 0.1, 0.3)],
                             R * 0.15, H, "pieces", 0.9))
    return assemble(parts, BAKERY_MATERIALS)


def sample_pancakes(rng: np.random.Generator) -> dict:
    return {"count": int(rng.integers(2, 7)), "radius": uniform(rng, 0.05, 0.07), "thickness": uniform(rng, 0.007, 0.012),
            "color": color_near(rng, (0.85, 0.6, 0.3), 0.04), "syrup": bool(rng.random() < 0.6),
            "berries": int(rng.integers(0, 8)) if rng.random() < 0.5 else 0, "detail_seed": detail_seed(rng)}


def build_pancakes(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    parts, z = [], 0.0
    for _ in range(p["count"]):
        r = p["radius"] * rng.uniform(0.93, 1.05)
        verts, quads, tris = lathe(rounded_cylinder_profile(r, p["thickness"], p["thickness"] * 0.45, 4, z), 32)
        edge = smoothstep(r * 0.8, r, np.hypot(verts[:, 0], verts[:, 1]))
        colors = mix(p["color"], np.asarray(p["color"]) * 1.2, edge)
        parts.append(part((verts, quads, tris), "crumb", colors).transformed(offset=(*rng.normal(0, 0.002, 2), 0)))
        z += p["thickness"] * 0.95
    if p["syrup"]:
        parts.append(part(lathe(rounded_cylinder_profile(p["radius"] * 0.7, 0.002, 0.001, 3, z), 28), "syrup",
                          (0.45, 0.2, 0.05)))
    if p["berries"]:
        parts.append(scatter(rng, p["berries"], (0.005, 0.008), [(0.2, 0.15, 0.4), (0.8, 0.1, 0.15)],
                             p["radius"] * 0.3, z, "pieces", 0.9))
    return assemble(parts, BAKERY_MATERIALS)


def sample_cookies(rng: np.random.Generator) -> dict:
    dough, color = pick(rng, {"plain": (0.85, 0.62, 0.35), "chocolate": (0.35, 0.2, 0.12), "oat": (0.75, 0.6, 0.4)})
    return {"count": int(rng.integers(1, 7)), "radius": uniform(rng, 0.025, 0.04), "color": color_near(rng, color, 0.03),
            "chips": bool(rng.random() < 0.7), "detail_seed": detail_seed(rng)}


def build_cookies(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    parts = []
    for i in range(p["count"]):
        r = p["radius"] * rng.uniform(0.9, 1.1)
        section, _ = wobbly_outline(rng, r, 28, 0.08)
        h = r * rng.uniform(0.2, 0.3)
        verts, quads, tris = sweep(np.array([[0, 0, 0], [0, 0, h * 0.7], [0, 0, h]]), section,
                                   np.array([1.0, 1.0, 0.85]), caps="flat", normal_hint=(1, 0, 0))
        colors = np.asarray(p["color"]) * rng.uniform(0.85, 1.1, (len(verts), 1))
        offset = (0, 0, 0) if i == 0 else (*rng.uniform(-2.2 * r, 2.2 * r, 2), 0)
        parts.append(part((verts, quads, tris), "crumb", colors).transformed(offset=offset))
        if p["chips"]:
            parts.append(scatter(rng, int(rng.integers(4, 9)), (0.002, 0.004), [(0.2, 0.1, 0.05)], r * 0.4, h * 0.85,
                                 "pieces", 0.6).transformed(offset=offset))
    return assemble(parts, BAKERY_MATERIALS)


def sample_bread(rng: np.random.Generator) -> dict:
    shape, length = pick(rng, {"roll": 1.0, "baguette": 3.5, "loaf": 1.8})
    return {"shape": shape, "count": int(rng.integers(1, 4)) if shape == "roll" else 1, "stretch": length,
            "radius": uniform(rng, 0.025, 0.04), "color": color_near(rng, (0.78, 0.5, 0.22), 0.04),
            "cuts": int(rng.integers(0, 5)), "seeds": bool(rng.random() < 0.3), "detail_seed": detail_seed(rng)}


def build_bread(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    parts = []
    for i in range(p["count"]):
        r = p["radius"] * rng.uniform(0.92, 1.08)
        length = 2 * r * p["stretch"]
        xs = np.linspace(-length / 2, length / 2, 24)
        path = np.stack([xs, np.zeros_like(xs), np.zeros_like(xs)], 1)
        verts, quads, tris = sweep(path, superellipse(16, r * 0.75, r, 2.2), capsule_profile(24, 3.0 if
                                   p["shape"] != "roll" else 2.0), caps="pole", normal_hint=(0, 0, 1))
        top = smoothstep(-0.2 * r, 0.7 * r, verts[:, 2])
        colors = mix(np.asarray(p["color"]) * 1.2, np.asarray(p["color"]) * 0.85, top)
        for k in range(p["cuts"]):  # pale scores across the top
            x0 = (k + 1) / (p["cuts"] + 1) * length - length / 2
            colors[(np.abs(verts[:, 0] - x0) < r * 0.12) & (verts[:, 2] > r * 0.5)] = np.minimum(1, np.asarray(p["color"]) * 1.45)
        bread = part((verts, quads, tris), "crust", colors)
        offset = (0, 0, 0) if i == 0 else (*rng.uniform(-2.5 * r, 2.5 * r, 2), 0)
        parts.append(bread.transformed(rotation_matrix((0, 0, 1), rng.uniform(0, np.pi)), offset))
        if p["seeds"]:
            parts.append(scatter(rng, 20, (0.001, 0.0018), [(0.95, 0.9, 0.75)], r * 0.4, r * 0.65, "pieces", 0.5)
                         .transformed(offset=offset))
    return assemble(parts, BAKERY_MATERIALS)


def sample_muffin(rng: np.random.Generator) -> dict:
    top, color = pick(rng, {"blueberry": (0.85, 0.62, 0.32), "chocolate": (0.3, 0.17, 0.1), "frosted": (0.97, 0.8, 0.85)})
    return {"top": top, "radius": uniform(rng, 0.03, 0.04), "cup_color": color_near(rng, (0.9, 0.9, 0.88), 0.08, 0.15),
            "color": color_near(rng, color, 0.03), "detail_seed": detail_seed(rng)}


def build_muffin(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    r = p["radius"]
    cup = lathe(np.array([[0, 0], [r * 0.75, 0], [r, r * 1.0], [r * 0.97, r * 1.0], [r * 0.72, r * 0.05], [0, r * 0.05]]), 32)
    dome = lathe(dome_profile(r * 1.15, r * 0.8, r * 0.1), 32)
    dome_verts = dome[0] + [0, 0, r * 0.95]
    colors = np.asarray(p["color"]) * rng.uniform(0.85, 1.1, (len(dome_verts), 1))
    parts = [part(cup, "paper", p["cup_color"], smooth=False), part((dome_verts, dome[1], dome[2]), "crumb", colors)]
    if p["top"] == "blueberry":
        parts.append(scatter(rng, 8, (0.003, 0.005), [(0.2, 0.15, 0.35)], r * 0.4, r * 1.5, "pieces", 0.9))
    return assemble(parts, {**BAKERY_MATERIALS, "paper": {"roughness": 0.8}})
