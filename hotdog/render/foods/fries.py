"""Fries: a loose pile of square-sectioned sticks, slightly sagging, darker at the tips."""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.common import color_near, detail_seed, mix, smoothstep, uniform
from hotdog.render.foods.materials import assemble
from hotdog.render.shapes import Food, merge, part, rotation_matrix, superellipse, sweep


def sample_fries(rng: np.random.Generator) -> dict:
    return {
        "count": int(rng.integers(5, 14)), "thickness": uniform(rng, 0.0065, 0.0095), "length": uniform(rng, 0.055, 0.09),
        "spread": uniform(rng, 0.008, 0.022), "color": color_near(rng, (0.96, 0.76, 0.34), 0.03),
        "tip_color": color_near(rng, (0.72, 0.44, 0.16), 0.03), "detail_seed": detail_seed(rng),
    }


def build_fries(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    sticks = []
    for i in range(p["count"]):
        length = p["length"] * rng.uniform(0.6, 1.15)
        xs = np.linspace(-length / 2, length / 2, 10)
        sag = rng.uniform(-0.05, 0.05) * length
        path = np.stack([xs, np.zeros_like(xs), sag * (1 - (2 * xs / length) ** 2)], axis=1)
        w = p["thickness"] * rng.uniform(0.85, 1.15)
        verts, quads, tris = sweep(path, superellipse(12, w / 2, w / 2, 5.0), caps="flat", normal_hint=(0, 0, 1))
        tip = smoothstep(0.35 * length, 0.5 * length, np.abs(verts[:, 0]))
        colors = mix(p["color"], p["tip_color"], tip) * rng.uniform(0.9, 1.05)
        turn = rotation_matrix((0, 0, 1), rng.uniform(0, np.pi)) @ rotation_matrix((0, 1, 0), rng.uniform(-0.35, 0.35))
        centre = (*rng.normal(0, p["spread"], 2), i * p["thickness"] * 0.45)
        sticks.append(part((verts, quads, tris), "fries", colors).transformed(turn, centre))
    return assemble([merge(sticks)], {"fries": {"roughness": 0.55, "sheen": 0.2}})
