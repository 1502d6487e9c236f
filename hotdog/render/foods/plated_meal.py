"""A plated meal: a slab of steak, chicken or fish, a side of mash, rice or potatoes, some greens
and sometimes a sauce, on a plate."""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.common import color_near, detail_seed, pick, uniform, wobble
from hotdog.render.foods.materials import assemble
from hotdog.render.foods.servings import plate
from hotdog.render.shapes import Food, circle, merge, part, sphere, sweep

PLATED_MEAL_MATERIALS = {"plate": {"roughness": 0.2}, "main": {"roughness": 0.6}, "side": {"roughness": 0.8},
                         "greens": {"roughness": 0.5}, "sauce": {"roughness": 0.2, "coat": 0.3}}


def sample_plated_meal(rng: np.random.Generator) -> dict:
    main, color = pick(rng, {"steak": (0.38, 0.20, 0.11), "chicken": (0.85, 0.62, 0.34), "fish": (0.95, 0.85, 0.72)})
    side, side_color = pick(rng, {"mash": (0.96, 0.92, 0.78), "rice": (0.97, 0.96, 0.92), "potatoes": (0.9, 0.7, 0.35)})
    return {
        "main": main, "main_color": color_near(rng, color, 0.03), "main_size": uniform(rng, 0.06, 0.09),
        "side": side, "side_color": color_near(rng, side_color, 0.02), "greens": int(rng.integers(3, 9)),
        "greens_color": color_near(rng, (0.25, 0.55, 0.15), 0.04), "sauce": bool(rng.random() < 0.4),
        "plate_radius": uniform(rng, 0.11, 0.14), "plate_color": color_near(rng, (0.95, 0.95, 0.93), 0.02, 0.05),
        "detail_seed": detail_seed(rng),
    }


def build_plated_meal(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    R = p["plate_radius"]
    z0 = 0.0025
    parts = [plate(R, p["plate_color"])]
    s = p["main_size"]
    # main: an irregular thick slab
    theta = np.linspace(0, 2 * np.pi, 32, endpoint=False)
    outline = s / 2 * (1 + wobble(rng, theta, 0.25)) * np.where(np.cos(theta) ** 2 > 0.5, 1.2, 0.85)
    sec = np.stack([outline * np.cos(theta), outline * np.sin(theta)], 1)
    h = 0.012 if p["main"] != "fish" else 0.01
    slab = sweep(np.array([[0, 0, z0], [0, 0, z0 + h * 0.5], [0, 0, z0 + h]]), sec, np.array([1.0, 1.0, 0.92]),
                 caps="flat", normal_hint=(1, 0, 0))
    colors = np.asarray(p["main_color"]) * rng.uniform(0.8, 1.1, (len(slab[0]), 1))
    if p["main"] == "steak":  # grill lines
        colors[(np.abs(slab[0][:, 0] + slab[0][:, 1]) % 0.012 < 0.0025) & (slab[0][:, 2] > z0 + h * 0.9)] *= 0.4
    parts.append(part(slab, "main", colors).transformed(offset=(-R * 0.25, R * 0.1, 0)))
    # side: a bumpy mound or many little grains
    bits = []
    for _ in range(14 if p["side"] != "potatoes" else 7):
        rr = rng.uniform(0.01, 0.02) if p["side"] != "potatoes" else rng.uniform(0.012, 0.018)
        pos = (R * 0.35 + rng.normal(0, 0.012), -R * 0.2 + rng.normal(0, 0.012), z0 + rr * 0.5)
        bits.append(part(sphere(rr, 4, 10, squash=0.7), "side", np.asarray(p["side_color"]) * rng.uniform(0.9, 1.03)).transformed(offset=pos))
    parts.append(merge(bits))
    greens = []
    for _ in range(p["greens"]):
        rr = rng.uniform(0.006, 0.011)
        pos = (R * 0.1 + rng.normal(0, 0.015), R * 0.5 + rng.normal(0, 0.008), z0 + rr * 0.6)
        greens.append(part(sphere(rr, 3, 8, squash=0.8), "greens", np.asarray(p["greens_color"]) * rng.uniform(0.7, 1.2)).transformed(offset=pos))
    parts.append(merge(greens))
    if p["sauce"]:
        sv = sweep(np.array([[0, 0, z0], [0, 0, z0 + 0.001]]), circle(24, R * 0.3) * [1, 0.6], caps="flat")
        parts.append(part(sv, "sauce", [0.35, 0.15, 0.06]).transformed(offset=(-R * 0.2, -R * 0.05, 0)))
    return assemble(parts, PLATED_MEAL_MATERIALS)
