"""A pizza slice: a dough sector with sauce and cheese, a rounded crust along the arc, a few
pepperoni discs, and a tip that droops under its own weight."""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.common import color_near, detail_seed, mix, smoothstep, uniform
from hotdog.render.foods.materials import assemble
from hotdog.render.shapes import Food, lathe, merge, part, polyline, rounded_cylinder_profile, superellipse, sweep

PIZZA_MATERIALS = {"dough": {"roughness": 0.8}, "sauce": {"roughness": 0.3}, "cheese": {"roughness": 0.35, "coat": 0.15},
                   "crust": {"roughness": 0.75, "sheen": 0.3}, "pepperoni": {"roughness": 0.3, "coat": 0.3}}


def sample_pizza_slice(rng: np.random.Generator) -> dict:
    return {
        "radius": uniform(rng, 0.11, 0.15), "angle_deg": uniform(rng, 28, 46), "thickness": uniform(rng, 0.004, 0.007),
        "dough_color": color_near(rng, (0.93, 0.80, 0.55), 0.02), "cheese_color": color_near(rng, (0.99, 0.80, 0.32), 0.04),
        "sauce_color": color_near(rng, (0.78, 0.18, 0.06), 0.03),
        "crust_radius": uniform(rng, 0.008, 0.013), "crust_color": color_near(rng, (0.80, 0.52, 0.22), 0.03),
        "pepperoni": int(rng.integers(0, 7)), "pepperoni_color": color_near(rng, (0.68, 0.13, 0.08), 0.03),
        "pepperoni_radius": uniform(rng, 0.008, 0.013), "droop": uniform(rng, 0.0, 0.35),
        "detail_seed": detail_seed(rng),
    }


def build_pizza_slice(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    R, half = p["radius"], np.radians(p["angle_deg"]) / 2
    t = p["thickness"]
    arc = np.linspace(-half, half, 16)

    def sector(radius: float, z0: float, z1: float, inset: float = 0.0):
        apex = np.array([[inset / np.sin(half), 0.0]])
        rim = np.stack([radius * np.cos(arc), radius * np.sin(arc)], axis=1)
        outline = np.concatenate([polyline(np.concatenate([apex, rim[:1]]), 10, closed=False)[:-1], rim,
                                  polyline(np.concatenate([rim[-1:], apex]), 10, closed=False)[:-1]])
        return sweep(np.array([[0, 0, z0], [0, 0, z1]]), outline, caps="flat", normal_hint=(1, 0, 0))

    parts = [part(sector(R, 0.0, t), "dough", p["dough_color"], smooth=False)]
    # a layer of sauce peeking out under the cheese, then the cheese
    parts.append(part(sector(R * 0.96, t, t + 0.0008, 0.002), "sauce", p["sauce_color"], smooth=False))
    verts, quads, tris = sector(R * 0.94, t + 0.0008, t + 0.0025, 0.003)
    colors = np.asarray(p["cheese_color"]) * rng.uniform(0.85, 1.05, (len(verts), 1))
    parts.append(part((verts, quads, tris), "cheese", colors, smooth=False))
    # crust: a fat rounded tube along the outer arc
    cr = p["crust_radius"]
    arc_c = np.linspace(-half * 1.02, half * 1.02, 40)
    path = np.stack([(R - cr * 0.5) * np.cos(arc_c), (R - cr * 0.5) * np.sin(arc_c), np.full_like(arc_c, t * 0.7)], axis=1)
    scale = np.clip(1 - np.abs(np.linspace(-1, 1, 40)) ** 6, 0, 1) ** (1 / 6)
    verts, quads, tris = sweep(path, superellipse(16, cr, cr * 0.85, 2.4), np.maximum(scale, 1e-3), caps="pole",
                               normal_hint=(0, 0, 1))
    colors = mix(p["crust_color"], np.asarray(p["crust_color"]) * 0.72, smoothstep(t, t + cr * 1.5, verts[:, 2]))
    parts.append(part((verts, quads, tris), "crust", colors))
    # pepperoni: small discs on the cheese, kept inside the slice
    pr = p["pepperoni_radius"]
    disc = lathe(rounded_cylinder_profile(pr, 0.0018, 0.0007, 3), 16)
    placed = []
    for _ in range(200):
        if len(placed) == p["pepperoni"]:
            break
        rho, a = rng.uniform(0.25 * R, R - cr - pr * 1.2), rng.uniform(-half, half)
        x, y = rho * np.cos(a), rho * np.sin(a)
        inside = abs(a) * rho < abs(half) * rho - pr * 1.1 and all(np.hypot(x - q[0], y - q[1]) > 2.05 * pr for q in placed)
        if inside:
            placed.append((x, y))
    if placed:
        parts.append(merge([part(disc, "pepperoni", p["pepperoni_color"]).transformed(offset=(x, y, t + 0.0022))
                            for x, y in placed]))
    # droop: the tip bends down under its own weight
    for q in parts:
        q.verts[:, 2] -= p["droop"] * R * 0.35 * np.clip(1 - q.verts[:, 0] / (R * 0.8), 0, 1) ** 2
    return assemble(parts, PIZZA_MATERIALS)
