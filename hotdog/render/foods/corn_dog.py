"""A corn dog: a lumpy batter-coated sausage on a stick, sometimes with a line of mustard."""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.common import color_near, detail_seed, mix, uniform, wobble
from hotdog.render.foods.hotdog import CONDIMENT_COLORS
from hotdog.render.foods.materials import assemble
from hotdog.render.shapes import Food, circle, part, sweep

CORN_DOG_MATERIALS = {"batter": {"roughness": 0.7, "sheen": 0.2}, "stick": {"roughness": 0.8}}


def sample_corn_dog(rng: np.random.Generator) -> dict:
    return {
        "length": uniform(rng, 0.10, 0.15), "radius": uniform(rng, 0.015, 0.022), "taper": uniform(rng, 0.6, 0.9),
        "color": color_near(rng, (0.80, 0.50, 0.18), 0.04, 0.15), "lumps": uniform(rng, 0.02, 0.08),
        "stick_length": uniform(rng, 0.06, 0.1), "stick_color": color_near(rng, (0.85, 0.72, 0.50), 0.03),
        "mustard": bool(rng.random() < 0.35), "detail_seed": detail_seed(rng),
    }


def build_corn_dog(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    L, r = p["length"], p["radius"]
    n = 30
    t = np.linspace(-1, 1, n)
    xs = t * L / 2
    scale = np.clip(1 - np.abs(t) ** 2.2, 0, 1) ** (1 / 2.2) * (1 - (1 - p["taper"]) * (t + 1) / 2)
    verts, quads, tris = sweep(np.stack([xs, np.zeros(n), np.full(n, r)], 1), circle(18, r), np.maximum(scale, 1e-3),
                               caps="pole", normal_hint=(0, 0, 1))
    theta = np.arctan2(verts[:, 1], verts[:, 2] - r)
    verts[:, 1:] += (verts[:, 1:] - [0, r]) * (wobble(rng, theta, p["lumps"]) + rng.normal(0, p["lumps"] * 0.15, len(verts)))[:, None]
    colors = mix(p["color"], np.asarray(p["color"]) * 0.72, rng.random(len(verts)) * 0.6)
    parts = [part((verts, quads, tris), "batter", colors)]
    sl = p["stick_length"]
    sx = np.linspace(L / 2 - 0.01, L / 2 + sl, 6)
    stick = sweep(np.stack([sx, np.zeros(6), np.full(6, r)], 1), circle(8, 0.0025), caps="flat", normal_hint=(0, 0, 1))
    parts.append(part(stick, "stick", p["stick_color"]))
    if p["mustard"]:
        xs = np.linspace(-L * 0.35, L * 0.3, 60)
        ys = 0.5 * r * np.sin(xs / L * 40)
        zs = r + np.sqrt(np.maximum(r * r - ys * ys, 0)) + 0.001
        parts.append(part(sweep(np.stack([xs, ys, zs], 1), circle(8, 0.0025), caps="pole"), "mustard",
                          CONDIMENT_COLORS["mustard"]))
    return assemble(parts, CORN_DOG_MATERIALS)
