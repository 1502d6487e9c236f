"""A burrito (rounded, folded ends) or a wrap (cut straight at one end, showing its filling)."""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.common import color_near, detail_seed, uniform
from hotdog.render.foods.materials import assemble
from hotdog.render.shapes import Food, circle, lathe, part, rotation_matrix, sweep

BURRITO_MATERIALS = {"tortilla": {"roughness": 0.75, "sheen": 0.3}, "filling": {"roughness": 0.6}}


def sample_burrito(rng: np.random.Generator) -> dict:
    return {
        "style": "burrito" if rng.random() < 0.6 else "wrap", "length": uniform(rng, 0.13, 0.22),
        "radius": uniform(rng, 0.022, 0.035), "flatten": uniform(rng, 0.75, 0.95), "bend": uniform(rng, -0.05, 0.05),
        "color": color_near(rng, (0.93, 0.84, 0.64), 0.03, 0.08), "spots": uniform(rng, 0.0, 0.6),
        "filling_colors": [color_near(rng, c, 0.04) for c in ((0.95, 0.92, 0.82), (0.40, 0.22, 0.12), (0.35, 0.6, 0.2),
                                                          (0.85, 0.25, 0.12))],
        "detail_seed": detail_seed(rng),
    }


def build_burrito(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    L, r = p["length"], p["radius"]
    n = 30
    xs = np.linspace(-L / 2, L / 2, n)
    t = np.linspace(-1, 1, n)
    if p["style"] == "burrito":  # rounded, folded ends
        scale = np.clip(1 - np.abs(t) ** 4, 0, 1) ** 0.25
        caps = "pole"
    else:  # a wrap cut straight at one end, showing its filling
        scale = np.where(t < 0, np.clip(1 - np.abs(t) ** 4, 0, 1) ** 0.25, 1.0)
        caps = "flat"
    zs = r * p["flatten"] + p["bend"] * L * (1 - t ** 2)
    path = np.stack([xs, np.zeros(n), zs], 1)
    sec = circle(20, r) * [1, p["flatten"]]
    verts, quads, tris = sweep(path, sec, np.maximum(scale, 1e-3), caps=caps, normal_hint=(0, 1, 0))
    noise = rng.uniform(0.93, 1.05, (len(verts), 1))
    colors = np.asarray(p["color"]) * noise
    spots = rng.random(len(verts)) < p["spots"] * 0.25
    colors[spots] *= [0.75, 0.62, 0.45]
    # a diagonal seam where the tortilla folds over
    seam = np.abs(verts[:, 1] - 0.4 * r - 0.3 * (verts[:, 0] / L) * r) < r * 0.06
    colors[seam & (verts[:, 2] > zs.mean())] *= 0.85
    parts = [part((verts, quads, tris), "tortilla", colors)]
    if p["style"] == "wrap":  # the filling on the cut face: a disc of mixed colours
        fill = lathe(np.stack([np.linspace(0, r * 0.9, 6), np.zeros(6)], 1), 20)
        fv = fill[0]
        choice = rng.integers(0, 4, len(fv))
        fcol = np.asarray(p["filling_colors"])[choice]
        disc = part(fill, "filling", fcol).transformed(rotation_matrix((0, 1, 0), np.pi / 2), (L / 2 + 0.0008, 0, zs[-1]))
        disc.verts[:, 2] = zs[-1] + (disc.verts[:, 2] - zs[-1]) * p["flatten"]
        parts.append(disc)
    return assemble(parts, BURRITO_MATERIALS)
