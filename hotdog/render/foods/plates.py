"""Everyday dishes and foods that are not hotdogs: pasta, a fried egg, sushi, a skewer, spring
rolls, fruit, an ice cream cone. The skewer and the spring rolls are long and brown: hard
negatives, like the baguette of :mod:`bakery`."""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.bowls import scatter
from hotdog.render.foods.common import color_near, detail_seed, mix, pick, smoothstep, uniform, wobbly_outline
from hotdog.render.foods.materials import assemble
from hotdog.render.foods.servings import plate
from hotdog.render.shapes import (
    Food, capsule_profile, circle, lathe, merge, part, rotation_matrix, rounded_cylinder_profile, sphere,
    superellipse, sweep,
)

PLATE_MATERIALS = {"plate": {"roughness": 0.2}, "noodles": {"roughness": 0.35}, "sauce": {"roughness": 0.2, "coat": 0.3},
                   "egg_white": {"roughness": 0.3, "coat": 0.2}, "yolk": {"roughness": 0.15, "coat": 0.5},
                   "rice": {"roughness": 0.8}, "nori": {"roughness": 0.6}, "fish": {"roughness": 0.3, "coat": 0.3},
                   "pieces": {"roughness": 0.5}, "stick": {"roughness": 0.8}, "fried": {"roughness": 0.55, "sheen": 0.3},
                   "fruit": {"roughness": 0.3, "coat": 0.3}, "cone": {"roughness": 0.8}, "ice_cream": {"roughness": 0.6}}
PLATE_COLORS = [(0.95, 0.95, 0.93), (0.2, 0.2, 0.22), (0.9, 0.85, 0.75), (0.85, 0.88, 0.92)]


def plate_params(rng: np.random.Generator) -> dict:
    return {"plate": bool(rng.random() < 0.7), "plate_radius": uniform(rng, 0.1, 0.13),
            "plate_color": color_near(rng, PLATE_COLORS[int(rng.integers(len(PLATE_COLORS)))], 0.02, 0.06)}


def on_plate(p: dict, parts: list, materials: dict = PLATE_MATERIALS) -> Food:
    z = 0.0025 if p["plate"] else 0.0
    food = [q.transformed(offset=(0, 0, z)) for q in parts]
    return assemble(([plate(p["plate_radius"], p["plate_color"])] if p["plate"] else []) + food, materials)


def sample_pasta(rng: np.random.Generator) -> dict:
    sauce, color = pick(rng, {"tomato": (0.75, 0.18, 0.08), "cream": (0.95, 0.9, 0.75), "pesto": (0.35, 0.55, 0.15),
                              "none": None})
    return {**plate_params(rng), "color": color_near(rng, (0.95, 0.8, 0.45), 0.03), "strands": int(rng.integers(14, 30)),
            "sauce": sauce, "sauce_color": color_near(rng, color, 0.03) if color else None,
            "size": uniform(rng, 0.04, 0.06), "detail_seed": detail_seed(rng)}


def build_pasta(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    strands, S = [], p["size"]
    section = circle(6, 0.0017)
    for _ in range(p["strands"]):
        t = np.linspace(0, 1, 28)
        a0, turns = rng.uniform(0, 2 * np.pi), rng.uniform(0.6, 1.6) * rng.choice([-1, 1])
        rad = S * rng.uniform(0.15, 1.0) * (1 + 0.2 * np.sin(7 * t + rng.uniform(0, 6)))
        height = S * 0.5 * (1 - (rad / S) ** 2) + 0.003 * np.sin(6 * t + rng.uniform(0, 6))
        path = np.stack([rad * np.cos(a0 + turns * 2 * np.pi * t), rad * np.sin(a0 + turns * 2 * np.pi * t), height], 1)
        strands.append(part(sweep(path, section, caps="flat"), "noodles", np.asarray(p["color"]) * rng.uniform(0.9, 1.05)))
    parts = [merge(strands)]
    if p["sauce"] != "none":
        blob = lathe(rounded_cylinder_profile(S * 0.55, S * 0.25, S * 0.12, 4, S * 0.25, S * 0.1), 28)
        parts.append(part(blob, "sauce", p["sauce_color"]))
    return on_plate(p, parts)


def sample_fried_egg(rng: np.random.Generator) -> dict:
    return {**plate_params(rng), "count": int(rng.integers(1, 3)), "radius": uniform(rng, 0.04, 0.055),
            "white": color_near(rng, (0.97, 0.96, 0.92), 0.02), "yolk": color_near(rng, (0.98, 0.65, 0.1), 0.03),
            "brown_edge": uniform(rng, 0.0, 1.0), "detail_seed": detail_seed(rng)}


def build_fried_egg(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    parts = []
    for i in range(p["count"]):
        r = p["radius"] * rng.uniform(0.9, 1.1)
        section, outline = wobbly_outline(rng, r, 40, 0.3)
        verts, quads, tris = sweep(np.array([[0, 0, 0], [0, 0, 0.003]]), section, caps="flat", normal_hint=(1, 0, 0))
        edge = smoothstep(0.7, 1.0, np.hypot(verts[:, 0], verts[:, 1]) / np.max(outline))
        colors = mix(p["white"], (0.7, 0.45, 0.2), edge * p["brown_edge"])
        offset = (0, 0, 0) if i == 0 else (r * 1.6, rng.uniform(-r, r), 0.0005)
        parts.append(part((verts, quads, tris), "egg_white", colors).transformed(offset=offset))
        yolk = sphere(r * 0.38, 5, 16, 0.55)
        parts.append(part(yolk, "yolk", p["yolk"]).transformed(offset=np.add(offset, (*rng.normal(0, r * 0.15, 2), 0.004))))
    return on_plate(p, parts)


def sample_sushi(rng: np.random.Generator) -> dict:
    filling, color = pick(rng, {"salmon": (0.98, 0.5, 0.3), "tuna": (0.75, 0.15, 0.2), "cucumber": (0.4, 0.7, 0.3),
                                "egg": (0.98, 0.85, 0.35)})
    return {**plate_params(rng), "style": "nigiri" if rng.random() < 0.4 else "maki", "count": int(rng.integers(3, 9)),
            "filling": filling, "color": color_near(rng, color, 0.03), "detail_seed": detail_seed(rng)}


def build_sushi(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    parts = []
    cols = int(np.ceil(np.sqrt(p["count"])))
    for i in range(p["count"]):
        x, y = (i % cols - (cols - 1) / 2) * 0.032, (i // cols - (cols - 1) / 2) * 0.032
        if p["style"] == "maki":
            r = 0.012
            roll = lathe(rounded_cylinder_profile(r, 0.016, 0.002, 3), 20)
            colors = np.where((np.hypot(roll[0][:, 0], roll[0][:, 1]) > r * 0.93)[:, None], (0.08, 0.1, 0.07),
                              np.where((np.hypot(roll[0][:, 0], roll[0][:, 1]) < r * 0.4)[:, None], p["color"], (0.96, 0.96, 0.93)))
            parts.append(part(roll, "rice", colors).transformed(offset=(x, y, 0)))
        else:
            rice = sweep(np.array([[-0.02, 0, 0.006], [0.02, 0, 0.006]]), superellipse(12, 0.006, 0.009, 2.5), caps="flat",
                         normal_hint=(0, 0, 1))
            fish = sweep(np.array([[-0.024, 0, 0.013], [0.024, 0, 0.013]]), superellipse(12, 0.0025, 0.011, 3.0),
                         caps="flat", normal_hint=(0, 0, 1))
            turn = rotation_matrix((0, 0, 1), np.pi / 2 + rng.normal(0, 0.1))
            parts.append(part(rice, "rice", (0.96, 0.96, 0.93)).transformed(turn, (x, y, 0)))
            parts.append(part(fish, "fish", p["color"]).transformed(turn, (x, y, 0)))
    return on_plate(p, parts)


def sample_skewer(rng: np.random.Generator) -> dict:
    return {**plate_params(rng), "count": int(rng.integers(1, 4)), "pieces": int(rng.integers(4, 8)),
            "meat": color_near(rng, (0.55, 0.3, 0.15), 0.05), "veg": bool(rng.random() < 0.6), "detail_seed": detail_seed(rng)}


def build_skewer(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    parts = []
    veg = [(0.85, 0.15, 0.1), (0.3, 0.6, 0.2), (0.95, 0.8, 0.3), (0.9, 0.9, 0.85)]
    for k in range(p["count"]):
        y = (k - (p["count"] - 1) / 2) * 0.035
        length = p["pieces"] * 0.022 + 0.04
        stick = sweep(np.array([[-length / 2, 0, 0], [length / 2, 0, 0]]), circle(6, 0.0015), caps="flat")
        parts.append(part(stick, "stick", (0.85, 0.72, 0.5)).transformed(offset=(0, y, 0.012)))
        pieces = []
        for i in range(p["pieces"]):
            is_veg = p["veg"] and i % 2 == 1
            color = veg[int(rng.integers(len(veg)))] if is_veg else np.asarray(p["meat"]) * rng.uniform(0.8, 1.15)
            size = rng.uniform(0.008, 0.011)
            cube = sphere(size, 3, 6, 0.9)
            x = (i - (p["pieces"] - 1) / 2) * 0.022
            turn = rotation_matrix((1, 0, 0), rng.uniform(0, np.pi)) @ rotation_matrix((0, 0, 1), rng.uniform(-0.3, 0.3))
            pieces.append(part(cube, "pieces" if is_veg else "fried", color).transformed(turn, (x, y, 0.012)))
        parts += [merge([q for q in pieces if q.material == m]) for m in ("pieces", "fried")
                  if any(q.material == m for q in pieces)]
    return on_plate(p, parts)


def sample_spring_rolls(rng: np.random.Generator) -> dict:
    return {**plate_params(rng), "count": int(rng.integers(2, 6)), "length": uniform(rng, 0.06, 0.09),
            "radius": uniform(rng, 0.009, 0.013), "color": color_near(rng, (0.85, 0.6, 0.28), 0.04),
            "dip": bool(rng.random() < 0.5), "detail_seed": detail_seed(rng)}


def build_spring_rolls(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    parts = []
    for k in range(p["count"]):
        xs = np.linspace(-p["length"] / 2, p["length"] / 2, 16)
        path = np.stack([xs, np.zeros_like(xs), np.zeros_like(xs)], 1)
        scales = np.clip(capsule_profile(16, 8.0), 0.05, 1)
        verts, quads, tris = sweep(path, circle(12, p["radius"]), scales, caps="flat")
        colors = np.asarray(p["color"]) * rng.uniform(0.8, 1.1, (len(verts), 1))
        turn = rotation_matrix((0, 0, 1), rng.normal(0, 0.15))
        parts.append(part((verts, quads, tris), "fried", colors).transformed(turn, (rng.normal(0, 0.004),
                                                                                    (k - (p["count"] - 1) / 2) * 2.3 * p["radius"], p["radius"])))
    if p["dip"]:
        dip = lathe(np.array([[0, 0], [0.015, 0], [0.02, 0.015], [0.018, 0.015], [0, 0.01]]), 20)
        parts.append(part(dip, "sauce", (0.75, 0.2, 0.1)).transformed(offset=(p["length"] * 0.7, 0, 0)))
    return on_plate(p, parts)


FRUITS = {"apple": ((0.8, 0.1, 0.1), 0.035, 0.9), "green_apple": ((0.55, 0.8, 0.2), 0.035, 0.9),
          "orange": ((0.98, 0.55, 0.1), 0.037, 1.0), "lemon": ((0.98, 0.88, 0.2), 0.03, 0.8),
          "tomato": ((0.9, 0.15, 0.08), 0.03, 0.85), "grapes": ((0.45, 0.15, 0.35), 0.009, 1.0)}


def sample_fruit(rng: np.random.Generator) -> dict:
    kind, (color, radius, squash) = pick(rng, FRUITS)
    count = int(rng.integers(15, 30)) if kind == "grapes" else int(rng.integers(1, 6))
    return {"kind": kind, "color": color_near(rng, color, 0.04), "radius": uniform(rng, radius * 0.85, radius * 1.15),
            "squash": squash, "count": count, "plate": bool(rng.random() < 0.3), "plate_radius": 0.12,
            "plate_color": color_near(rng, (0.95, 0.95, 0.93), 0.02), "detail_seed": detail_seed(rng)}


def build_fruit(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    spread = p["radius"] * (1.2 if p["kind"] == "grapes" else 1.6)
    pile = scatter(rng, p["count"], (p["radius"] * 0.9, p["radius"] * 1.1), [p["color"]], spread, 0.0, "fruit",
                   p["squash"], detail=(6, 12) if p["kind"] == "grapes" else (10, 20))
    return on_plate(p, [pile])


def sample_ice_cream(rng: np.random.Generator) -> dict:
    flavours = [(0.97, 0.93, 0.8), (0.4, 0.22, 0.12), (0.97, 0.7, 0.75), (0.7, 0.9, 0.6), (0.98, 0.85, 0.5)]
    n = int(rng.integers(1, 4))
    return {"scoops": [color_near(rng, flavours[int(rng.integers(len(flavours)))], 0.03) for _ in range(n)],
            "cone": bool(rng.random() < 0.7), "cone_color": color_near(rng, (0.85, 0.6, 0.3), 0.04),
            "radius": uniform(rng, 0.022, 0.03), "detail_seed": detail_seed(rng)}


def build_ice_cream(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    r = p["radius"]
    parts = []
    if p["cone"]:  # lying on its side, as a cone put down on a table does
        cone = lathe(np.array([[0, 0], [r * 0.95, r * 3.5], [r * 1.05, r * 3.6], [0, r * 3.6]]), 20)
        parts.append(part(cone, "cone", p["cone_color"], smooth=False).transformed(offset=(0, 0, -r * 3.6)))
        base = 0.0
    else:  # a cup
        cup = lathe(np.array([[0, 0], [r * 0.9, 0], [r * 1.3, r * 1.4], [r * 1.25, r * 1.4], [0, r * 0.1]]), 24)
        parts.append(part(cup, "cone", (0.9, 0.9, 0.88)))
        base = r * 1.2
    for i, color in enumerate(p["scoops"]):
        scoop = sphere(r * rng.uniform(1.0, 1.15), 6, 16, 0.9)
        parts.append(part(scoop, "ice_cream", color).transformed(offset=(rng.normal(0, r * 0.2), rng.normal(0, r * 0.2),
                                                                        base + r * 0.5 + i * r * 1.3)))
    food = assemble(parts, PLATE_MATERIALS)
    if p["cone"]:
        tip_down = rotation_matrix((0, 1, 0), np.pi / 2 + rng.normal(0, 0.1))
        food = Food([q.transformed(tip_down) for q in food.parts], food.materials)
    return food
