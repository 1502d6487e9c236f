"""A banana: a ridged, tapering arc with a stem and dark tips; ripe, green or spotty."""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.common import color_near, detail_seed, mix, pick, smoothstep, uniform
from hotdog.render.foods.materials import assemble
from hotdog.render.shapes import Food, part, sweep

BANANA_COLORS = {"ripe": (0.96, 0.82, 0.22), "green": (0.72, 0.78, 0.25), "spotty": (0.92, 0.72, 0.20)}


def sample_banana(rng: np.random.Generator) -> dict:
    kind, base = pick(rng, BANANA_COLORS)
    return {
        "kind": kind, "arc_radius": uniform(rng, 0.09, 0.14), "arc_deg": uniform(rng, 55, 90), "thickness": uniform(rng, 0.015, 0.02),
        "ridges": uniform(rng, 0.03, 0.09), "color": color_near(rng, base, 0.03),
        "tip_color": color_near(rng, (0.30, 0.22, 0.10), 0.02), "spots": int(rng.integers(10, 60)) if kind == "spotty" else 0,
        "detail_seed": detail_seed(rng),
    }


def build_banana(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    A, arc = p["arc_radius"], np.radians(p["arc_deg"])
    n = 44
    t = np.linspace(0, 1, n)
    a = (t - 0.5) * arc
    path = np.stack([A * np.sin(a), np.zeros(n), -A * np.cos(a) + A], axis=1)  # curves upwards at both ends
    body = np.sin(np.pi * np.clip(t / 0.92, 0, 1)) ** 0.55  # fat middle, tapering ends
    stem = (t > 0.9) * 0.22  # a thin stem at one end
    scale = np.maximum(np.maximum(body, stem), 1e-3)
    scale[-1] = 1e-3
    theta = np.linspace(0, 2 * np.pi, 20, endpoint=False)
    ridge = 1 + p["ridges"] * np.cos(5 * theta)
    section = p["thickness"] * np.stack([ridge * np.cos(theta), ridge * np.sin(theta)], axis=1)
    verts, quads, tris = sweep(path, section, scale, caps="pole", normal_hint=(0, 0, 1))
    along = np.concatenate([np.repeat(t[1:-1], 20), [0.0, 1.0]])  # position of each vertex along the banana
    tip = np.maximum(smoothstep(0.06, 0.0, along), smoothstep(0.9, 0.96, along) * 0.8)
    colors = mix(p["color"], p["tip_color"], tip)
    colors = mix(colors, np.asarray(p["color"]) * [0.8, 0.95, 0.6], smoothstep(0.12, 0.0, along) * 0.5)
    if p["spots"]:
        spot = rng.choice(len(verts), p["spots"], replace=False)
        colors[spot] = np.asarray(p["tip_color"]) * 1.4
    return assemble([part((verts, quads, tris), "peel", colors)], {"peel": {"roughness": 0.45, "coat": 0.1}})
