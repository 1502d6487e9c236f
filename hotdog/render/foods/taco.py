"""A taco: a folded tortilla (hard or soft) standing on its edge, filled with meat, lettuce,
cheese and tomato."""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.common import color_near, detail_seed, mix, uniform
from hotdog.render.foods.materials import assemble
from hotdog.render.shapes import Food, box, merge, part, rotation_matrix, sphere, sweep

TACO_MATERIALS = {"tortilla": {"roughness": 0.7}, "meat": {"roughness": 0.7}, "lettuce": {"roughness": 0.5},
                  "cheese": {"roughness": 0.5}, "tomato": {"roughness": 0.3, "coat": 0.2}}


def sample_taco(rng: np.random.Generator) -> dict:
    return {
        "radius": uniform(rng, 0.05, 0.07), "open_deg": uniform(rng, 25, 60), "thickness": uniform(rng, 0.002, 0.004),
        "shell": "hard" if rng.random() < 0.5 else "soft",
        "shell_color": color_near(rng, (0.93, 0.74, 0.36), 0.04, 0.1), "meat_color": color_near(rng, (0.40, 0.20, 0.10), 0.03),
        "lettuce_color": color_near(rng, (0.45, 0.72, 0.22), 0.04), "cheese_color": color_near(rng, (0.98, 0.78, 0.25), 0.03),
        "tomato_color": color_near(rng, (0.85, 0.18, 0.10), 0.03), "filling": int(rng.integers(30, 70)),
        "detail_seed": detail_seed(rng),
    }


def build_taco(p: dict) -> Food:
    """A folded tortilla standing on its edge (a half disc seen from the side, a U from the end), filled."""
    rng = np.random.default_rng(p["detail_seed"])
    R, th = p["radius"], p["thickness"]
    half_open = np.radians(p["open_deg"]) / 2
    # section in (y, z): a U whose top is at z = 0, width set by the opening angle
    a = np.linspace(-np.pi / 2 + half_open * 0.3, np.pi / 2 - half_open * 0.3, 16)
    w = R * 0.35
    outer = np.stack([w * np.sin(a) * (1 + half_open), -R * np.cos(a) ** 0.7], 1)
    inner = outer[::-1] * [(w - th) / w, 1] + [0, th]
    # swept with the normal up, the U's width goes along z and its depth along y: the shell lies on its
    # side, opening towards -y, with the filling at its mouth
    section = np.concatenate([outer, inner])
    n = 30
    t = np.linspace(-1, 1, n)
    path = np.stack([t * R, np.zeros(n), np.zeros(n)], 1)
    scale = np.sqrt(np.clip(1 - t ** 2, 0, 1))  # a half disc from the side
    verts, quads, tris = sweep(path, section, np.maximum(np.stack([scale, np.maximum(scale, 0.25)], 1), 1e-3),
                               caps="pole", normal_hint=(0, 0, 1))
    shell_colors = np.asarray(p["shell_color"]) * rng.uniform(0.9, 1.05, (len(verts), 1))
    if p["shell"] == "soft":
        shell_colors = mix(shell_colors, [0.95, 0.88, 0.70], 0.6)
    parts = [part((verts, quads, tris), "tortilla", shell_colors)]
    bits = {"meat": [], "lettuce": [], "cheese": [], "tomato": []}
    colors = {"meat": p["meat_color"], "lettuce": p["lettuce_color"], "cheese": p["cheese_color"], "tomato": p["tomato_color"]}
    for _ in range(p["filling"]):
        kind = ("meat", "lettuce", "cheese", "tomato")[int(rng.choice(4, p=[0.35, 0.3, 0.2, 0.15]))]
        x = rng.uniform(-0.8, 0.8) * R
        span = w * np.sqrt(max(1 - (x / R) ** 2, 0.05)) * 0.9
        y = rng.uniform(-span, span)
        s = rng.uniform(0.003, 0.007)
        geo = sphere(s, 3, 7, squash=0.7) if kind in ("meat", "tomato") else box((s * 2.5, s * 0.6, s * 0.6))
        turn = rotation_matrix((0, 0, 1), rng.uniform(0, np.pi))
        bits[kind].append(part(geo, kind, np.asarray(colors[kind]) * rng.uniform(0.85, 1.1)).transformed(
            turn, (x, y, rng.uniform(-0.006, 0.004))))
    parts += [merge(v) for v in bits.values() if v]
    return assemble(parts, TACO_MATERIALS)
