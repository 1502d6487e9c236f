"""More of the dishes the not-hotdog photos show, and a dish that is no dish in particular:
steak, fried chicken, dumplings, waffles, a sandwich, a roast chicken, curry with rice, and
``generic_dish`` (random mounds, pieces, slabs and sauce on a plate or in a bowl, in random food
colours), so the not-hotdog class is not a closed list. Rendered with ``RenderConfig(meals=True)``.
"""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.bowls import bowl, inner_radius, scatter
from hotdog.render.foods.common import color_near, detail_seed, mix, pick, smoothstep, uniform, wobbly_outline
from hotdog.render.foods.materials import assemble
from hotdog.render.foods.plates import on_plate, plate_params
from hotdog.render.shapes import (
    Food, box, circle, dome_profile, grid_sheet, lathe, merge, part, rotation_matrix,
    rounded_cylinder_profile, sphere, superellipse, sweep,
)

MEAL_MATERIALS = {"plate": {"roughness": 0.2}, "bowl": {"roughness": 0.2}, "meat": {"roughness": 0.45, "coat": 0.2},
                  "fried": {"roughness": 0.6, "sheen": 0.3}, "dough": {"roughness": 0.55, "sheen": 0.2},
                  "waffle": {"roughness": 0.7, "sheen": 0.3}, "bread": {"roughness": 0.8, "sheen": 0.3},
                  "filling": {"roughness": 0.4}, "sauce": {"roughness": 0.15, "coat": 0.4},
                  "rice": {"roughness": 0.8}, "pieces": {"roughness": 0.5}, "bone": {"roughness": 0.6},
                  "syrup": {"roughness": 0.05, "coat": 0.6}}
SIDES = [(0.3, 0.6, 0.2), (0.95, 0.85, 0.4), (0.85, 0.2, 0.1), (0.9, 0.6, 0.2)]  # greens, corn, tomato, carrot


def _slab(outline: np.ndarray, height: float, z0: float = 0.0, rows: int = 4):
    """A flat piece of ``height`` with the ``(n, 2)`` ``outline`` (a steak, a slice of bread)."""
    path = np.stack([np.zeros(rows), np.zeros(rows), np.linspace(z0, z0 + height, rows)], 1)
    return sweep(path, outline, caps="flat", normal_hint=(1, 0, 0))


def _lumpy(rng: np.random.Generator, radius: float, squash: float, stretch: float, amount: float):
    """A rough blob (a piece of fried chicken, a potato): a sphere with its radius wobbled."""
    verts, quads, tris = sphere(radius, 8, 14, squash)
    verts = verts * [stretch, 1, 1]
    bumps = 1 + amount * np.sin(verts @ rng.normal(0, 1 / radius, (3, 3))).sum(1) / 3
    return verts * bumps[:, None], quads, tris


def sample_steak(rng: np.random.Generator) -> dict:
    return {**plate_params(rng), "length": uniform(rng, 0.08, 0.13), "width": uniform(rng, 0.05, 0.08),
            "thickness": uniform(rng, 0.012, 0.025), "color": color_near(rng, (0.42, 0.22, 0.12), 0.04),
            "inside": color_near(rng, (0.8, 0.35, 0.35), 0.05), "sliced": int(rng.integers(0, 2)) * int(rng.integers(3, 7)),
            "grill": bool(rng.random() < 0.6), "sides": int(rng.integers(0, 12)), "detail_seed": detail_seed(rng)}


def build_steak(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    parts = [_steak_slices(p)] if p["sliced"] else _whole_steak(rng, p)
    if p["sides"]:
        parts.append(scatter(rng, p["sides"], (0.005, 0.012), SIDES, p["width"] * 0.3, 0.0, "pieces", 0.7)
                     .transformed(offset=(0, p["width"] * 0.75, 0)))
    return on_plate(p, parts, MEAL_MATERIALS)


def _whole_steak(rng: np.random.Generator, p: dict) -> list:
    """The steak in one piece, with dark grill marks across its top (thin strips at 45 degrees)."""
    outline, _ = wobbly_outline(rng, 1.0, 40, 0.2)
    L, W, T = p["length"], p["width"], p["thickness"]
    parts = [part(_slab(outline * [L / 2, W / 2], T), "meat", p["color"])]
    if p["grill"]:
        turn = rotation_matrix((0, 0, 1), np.pi / 4)
        parts.append(merge([part(box((W * 0.7, 0.003, 0.0008)), "meat", (0.12, 0.07, 0.04), smooth=False)
                            .transformed(turn, (x, 0, T + 0.0002)) for x in np.arange(-L * 0.3, L * 0.3 + 1e-9, 0.015)]))
    return parts


def _steak_slices(p: dict):
    """The steak cut across and fanned out: each slice's cut faces show the pink inside."""
    width = p["length"] / p["sliced"]
    verts, quads, tris = _slab(superellipse(24, width * 0.45, p["width"] / 2, 6), p["thickness"], rows=5)
    middle = (verts[:, 2] > p["thickness"] * 0.1) & (verts[:, 2] < p["thickness"] * 0.9)
    colors = mix(p["color"], p["inside"], middle & (np.abs(verts[:, 0]) > width * 0.3))
    lean = rotation_matrix((0, 1, 0), 0.3)
    return merge([part((verts, quads, tris), "meat", colors).transformed(lean, ((i - (p["sliced"] - 1) / 2) * width * 1.1, 0, 0))
                  for i in range(p["sliced"])])


def sample_fried_chicken(rng: np.random.Generator) -> dict:
    return {**plate_params(rng), "count": int(rng.integers(2, 7)), "size": uniform(rng, 0.022, 0.032),
            "color": color_near(rng, (0.78, 0.5, 0.2), 0.05), "bones": bool(rng.random() < 0.5),
            "detail_seed": detail_seed(rng)}


def build_fried_chicken(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    pieces, bones = [], []
    S = p["size"]
    for _ in range(p["count"]):
        stretch = rng.uniform(1.1, 1.8)
        blob = _lumpy(rng, S * rng.uniform(0.85, 1.15), 0.7, stretch, 0.12)
        colors = np.asarray(p["color"]) * rng.uniform(0.75, 1.1, (len(blob[0]), 1))
        angle, spot = rng.uniform(0, 2 * np.pi), rng.normal(0, S * 1.3, 2)
        turn = rotation_matrix((0, 0, 1), angle)
        pieces.append(part(blob, "fried", colors).transformed(turn, (*spot, S * 0.6)))
        if p["bones"]:
            bone = sweep(np.array([[S * stretch * 0.8, 0, 0], [S * stretch * 1.5, 0, 0]]), circle(8, S * 0.18), caps="flat")
            bones.append(part(bone, "bone", (0.92, 0.88, 0.8)).transformed(turn, (*spot, S * 0.6)))
    return on_plate(p, [merge(pieces)] + ([merge(bones)] if bones else []), MEAL_MATERIALS)


def sample_dumplings(rng: np.random.Generator) -> dict:
    return {**plate_params(rng), "count": int(rng.integers(3, 10)), "size": uniform(rng, 0.016, 0.022),
            "color": color_near(rng, (0.95, 0.92, 0.82), 0.03), "fried": bool(rng.random() < 0.4),
            "steamer": bool(rng.random() < 0.4), "detail_seed": detail_seed(rng)}


def build_dumplings(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    S, items = p["size"], []
    cols = int(np.ceil(np.sqrt(p["count"])))
    for i in range(p["count"]):
        verts, quads, tris = sphere(S, 8, 16, 0.75)
        verts = verts * [1.5, 0.8, 1]
        ridge = np.exp(-(verts[:, 1] / (S * 0.25)) ** 2) * (verts[:, 2] > 0)  # the pleated seam on top
        verts[:, 2] += ridge * S * (0.35 + 0.08 * np.sin(verts[:, 0] / S * 9))
        verts[:, 2] = np.maximum(verts[:, 2], -S * 0.45)  # a flat bottom
        colors = mix(p["color"], (0.7, 0.45, 0.2), (verts[:, 2] < -S * 0.4) * p["fried"])
        x, y = (i % cols - (cols - 1) / 2) * S * 3.2, (i // cols - (cols - 1) / 2) * S * 1.9
        turn = rotation_matrix((0, 0, 1), rng.normal(0, 0.3))
        items.append(part((verts, quads, tris), "dough", colors).transformed(turn, (x, y, S * 0.45)))
    parts = [merge(items)]
    if p["steamer"]:
        radius = S * 1.9 * cols + 0.01
        basket = lathe(np.array([[0, 0], [radius, 0], [radius, S * 1.6], [radius - 0.003, S * 1.6], [radius - 0.003, 0.003],
                                 [0, 0.003]]), 40)
        parts.append(part(basket, "bread", (0.8, 0.65, 0.4)))
        return assemble(parts, MEAL_MATERIALS)
    return on_plate(p, parts, MEAL_MATERIALS)


def sample_waffles(rng: np.random.Generator) -> dict:
    return {**plate_params(rng), "round": bool(rng.random() < 0.4), "size": uniform(rng, 0.09, 0.12),
            "color": color_near(rng, (0.85, 0.6, 0.3), 0.04), "cells": int(rng.integers(4, 7)),
            "berries": int(rng.integers(0, 10)), "syrup": bool(rng.random() < 0.5), "detail_seed": detail_seed(rng)}


def build_waffles(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    S, depth = p["size"], 0.004

    def pockets(x, y):
        cell = S / p["cells"]
        walls = np.maximum(np.abs(np.sin(np.pi * x / cell)), np.abs(np.sin(np.pi * y / cell)))
        return 0.014 - depth * (walls < 0.8)

    verts, quads, tris = grid_sheet(S, S, 48, pockets)
    if p["round"]:  # the square grid mapped onto a disc (x sqrt(1 - y^2 / 2), y sqrt(1 - x^2 / 2))
        u, v = verts[:, 0] / (S / 2), verts[:, 1] / (S / 2)
        verts[:, 0], verts[:, 1] = verts[:, 0] * np.sqrt(1 - v * v / 2), verts[:, 1] * np.sqrt(1 - u * u / 2)
    colors = mix(p["color"], (0.55, 0.32, 0.12), verts[:, 2] > 0.012)
    slab = sweep(np.array([[0, 0, 0.0], [0, 0, 0.01]]), superellipse(40, S / 2, S / 2, 2 if p["round"] else 8), caps="flat",
                 normal_hint=(1, 0, 0))
    parts = [part((verts, quads, tris), "waffle", colors), part(slab, "waffle", p["color"])]
    if p["berries"]:
        parts.append(scatter(rng, p["berries"], (0.005, 0.008), [(0.7, 0.05, 0.15), (0.2, 0.15, 0.4)], S * 0.2, 0.014,
                             "pieces", 0.9))
    if p["syrup"]:
        parts.append(part(lathe(rounded_cylinder_profile(S * 0.25, 0.002, 0.001, 3, 0.0135), 24), "syrup", (0.5, 0.25, 0.08)))
    return on_plate(p, parts, MEAL_MATERIALS)


FILLINGS = {"ham": (0.92, 0.6, 0.6), "cheese": (0.98, 0.8, 0.3), "lettuce": (0.45, 0.75, 0.25),
            "tomato": (0.85, 0.2, 0.12), "egg": (0.98, 0.95, 0.8), "tuna": (0.85, 0.78, 0.6)}


def sample_sandwich(rng: np.random.Generator) -> dict:
    names = list(FILLINGS)
    layers = [names[int(i)] for i in rng.integers(len(names), size=int(rng.integers(1, 4)))]
    return {**plate_params(rng), "size": uniform(rng, 0.08, 0.11), "halves": int(rng.integers(1, 3)), "layers": layers,
            "toast": uniform(rng, 0.0, 1.0), "crust": color_near(rng, (0.72, 0.48, 0.22), 0.04),
            "crumb": color_near(rng, (0.95, 0.9, 0.78), 0.02), "detail_seed": detail_seed(rng)}


def build_sandwich(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    S, slice_h = p["size"], 0.01
    triangle = np.array([[-S / 2, -S / 2], [S / 2, -S / 2], [-S / 2, S / 2]])
    outline = np.concatenate([triangle[i] + np.linspace(0, 1, 12, endpoint=False)[:, None] * (triangle[(i + 1) % 3] - triangle[i])
                              for i in range(3)])
    outline -= outline.mean(0)
    crumb = mix(p["crumb"], (0.8, 0.6, 0.35), p["toast"])
    bread, fill = [], []
    for h in range(p["halves"]):
        z, pieces = 0.0, []
        for layer in ["bread"] + p["layers"] + ["bread"]:
            if layer == "bread":
                pieces.append(_bread_slice(outline, slice_h, z, crumb, p["crust"]))
            else:
                pieces.append(part(_slab(outline * 1.04, 0.004, z), "filling", FILLINGS[layer]))
            z += slice_h if layer == "bread" else 0.004
        turn = rotation_matrix((0, 0, 1), np.pi * h + rng.normal(0, 0.1))
        offset = (h * S * 0.4, h * S * 0.4, 0)
        bread += [q.transformed(turn, offset) for q in pieces if q.material == "bread"]
        fill += [q.transformed(turn, offset) for q in pieces if q.material == "filling"]
    return on_plate(p, [merge(bread), merge(fill)], MEAL_MATERIALS)


def _bread_slice(outline: np.ndarray, height: float, z0: float, crumb, crust):
    """A slice of bread: crust round its edge, crumb on its faces (the faces' rim is inset by 8 %)."""
    z = z0 + np.array([0, 1e-4, height / 2, height - 1e-4, height])
    path = np.stack([np.zeros(5), np.zeros(5), z], 1)
    verts, quads, tris = sweep(path, outline, np.array([0.92, 1, 1, 1, 0.92]), caps="flat", normal_hint=(1, 0, 0))
    inner = np.zeros(len(verts), bool)
    inner[:len(outline)] = inner[4 * len(outline):] = True  # the inset rings and the two cap centres
    return part((verts, quads, tris), "bread", mix(crust, crumb, inner))


def sample_roast_chicken(rng: np.random.Generator) -> dict:
    return {**plate_params(rng), "size": uniform(rng, 0.07, 0.1), "color": color_near(rng, (0.8, 0.5, 0.2), 0.05),
            "sides": int(rng.integers(0, 16)), "detail_seed": detail_seed(rng)}


def build_roast_chicken(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    S = p["size"]
    body = _lumpy(rng, S * 0.5, 0.65, 1.3, 0.05)
    colors = mix(p["color"], (0.45, 0.25, 0.1), smoothstep(0.2, 0.5, body[0][:, 2] / S) * 0.6)
    parts = [part(body, "meat", colors).transformed(offset=(0, 0, S * 0.3))]
    legs = []
    for side in (-1, 1):
        leg = _lumpy(rng, S * 0.18, 0.8, 1.8, 0.05)
        turn = rotation_matrix((0, 0, 1), side * 0.5)
        legs.append(part(leg, "meat", p["color"]).transformed(turn, (S * 0.45, side * S * 0.3, S * 0.1)))
    parts.append(merge(legs))
    if p["sides"]:
        parts.append(scatter(rng, p["sides"], (0.008, 0.014), [(0.85, 0.65, 0.3), (0.9, 0.5, 0.15), (0.3, 0.55, 0.2)],
                             S * 0.6, 0.0, "pieces", 0.8))
    return on_plate(p, parts, MEAL_MATERIALS)


CURRIES = {"yellow": (0.9, 0.65, 0.15), "red": (0.75, 0.25, 0.1), "green": (0.45, 0.55, 0.2), "brown": (0.5, 0.3, 0.15)}


def sample_curry(rng: np.random.Generator) -> dict:
    kind, color = pick(rng, CURRIES)
    return {**plate_params(rng), "plate": True, "curry": kind, "color": color_near(rng, color, 0.04),
            "rice": uniform(rng, 0.03, 0.045), "pieces": int(rng.integers(3, 14)), "detail_seed": detail_seed(rng)}


def build_curry(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    R = p["rice"]
    rice = lathe(dome_profile(R, R * 0.7, 0.002, 10), 28)
    sauce = lathe(rounded_cylinder_profile(R * 1.3, 0.006, 0.003, 3), 28)
    parts = [part(rice, "rice", (0.96, 0.95, 0.9)).transformed(offset=(-R * 0.7, 0, 0)),
             part(sauce, "sauce", p["color"]).transformed(offset=(R * 0.9, 0, 0)),
             scatter(rng, p["pieces"], (0.005, 0.01), [np.asarray(p["color"]) * 0.7, (0.85, 0.75, 0.55), (0.9, 0.5, 0.2)],
                     R * 0.4, 0.004, "pieces", 0.8).transformed(offset=(R * 0.9, 0, 0))]
    return on_plate(p, parts, MEAL_MATERIALS)


# --------------------------------------------------------------------------- a dish that is no dish in particular
COMPONENTS = ("mound", "pieces", "slab", "sticks", "sauce")


def _food_color(rng: np.random.Generator) -> list[float]:
    """A colour food has: any hue, mostly warm, rarely grey or neon."""
    hue = rng.uniform(0.0, 0.17) if rng.random() < 0.6 else rng.uniform(0, 1)
    s, v = rng.uniform(0.2, 0.9), rng.uniform(0.25, 1.0)
    k = (np.array([5, 3, 1]) + hue * 6) % 6
    rgb = v - v * s * np.clip(np.minimum(k, 4 - k), 0, 1)
    return [round(float(c), 4) for c in rgb]


def sample_generic_dish(rng: np.random.Generator) -> dict:
    base = ["plate", "bowl", "none"][int(rng.choice(3, p=[0.6, 0.25, 0.15]))]
    n = int(rng.integers(1, 4))
    components = [{"kind": COMPONENTS[int(rng.integers(len(COMPONENTS)))], "color": _food_color(rng),
                   "size": uniform(rng, 0.02, 0.05), "count": int(rng.integers(3, 20)),
                   "at": [uniform(rng, -0.03, 0.03), uniform(rng, -0.03, 0.03)]} for _ in range(n)]
    return {"base": base, "base_color": color_near(rng, (0.93, 0.93, 0.9), 0.05, 0.3), "base_radius": uniform(rng, 0.08, 0.12),
            "components": components, "detail_seed": detail_seed(rng)}


def _component(rng: np.random.Generator, c: dict, z: float, room: float):
    """One part of the generic dish, standing on height ``z``, kept within ``room`` of the centre."""
    S, color = min(c["size"], room * 0.8), np.asarray(c["color"])
    at = np.clip(c["at"], -(room - S) / 2, (room - S) / 2)
    if c["kind"] == "mound":
        squash = rng.uniform(0.3, 0.8)
        blob = _lumpy(rng, S, squash, rng.uniform(1, 1.6), 0.15)
        return part(blob, "pieces", color * rng.uniform(0.85, 1.1, (len(blob[0]), 1))).transformed(offset=(*at, z + S * squash))
    if c["kind"] == "pieces":
        return scatter(rng, c["count"], (S * 0.12, S * 0.3), [color, color * 0.8, np.minimum(color * 1.2, 1)], S * 0.6, z,
                       "pieces", rng.uniform(0.4, 1.0), within=room).transformed(offset=(*at, 0))
    if c["kind"] == "slab":
        outline, _ = wobbly_outline(rng, S * 0.8, 32, 0.3)
        return part(_slab(outline * [1, rng.uniform(0.5, 1)], S * rng.uniform(0.15, 0.4), z), "pieces", color).transformed(
            rotation_matrix((0, 0, 1), rng.uniform(0, np.pi)), (*at, 0))
    if c["kind"] == "sticks":
        sticks = []
        for _ in range(min(c["count"], 10)):
            length, r = S * rng.uniform(1, 2), S * rng.uniform(0.08, 0.2)
            path = np.array([[-length / 2, 0, 0], [length / 2, 0, 0]])
            turn = rotation_matrix((0, 0, 1), rng.uniform(0, np.pi))
            sticks.append(part(sweep(path, superellipse(8, r, r, rng.choice([2, 6]))), "pieces", color * rng.uniform(0.8, 1.1))
                          .transformed(turn, (*(at + rng.normal(0, S * 0.3, 2)), z + r)))
        return merge(sticks)
    return part(lathe(rounded_cylinder_profile(min(S * 1.2, room), 0.004, 0.002, 3, z), 28), "sauce", color)


def build_generic_dish(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    R = p["base_radius"]
    if p["base"] == "bowl":  # filled to the middle, the parts on top of the filling, inside the wall
        height, z = R * 0.5, R * 0.25
        room = inner_radius(R * 0.7, height, z)
        fill = part(lathe(np.array([[room, z], [0.0, z]]), 36), "sauce", np.asarray(p["components"][0]["color"]) * 0.8)
        parts = [bowl(R * 0.7, height, p["base_color"]), fill]
    else:
        z, room, parts = 0.0, R * 0.75, []
    parts += [_component(rng, c, z, room) for c in p["components"]]
    if p["base"] == "plate":
        return on_plate({"plate": True, "plate_radius": R, "plate_color": p["base_color"]}, parts, MEAL_MATERIALS)
    return assemble(parts, MEAL_MATERIALS)
