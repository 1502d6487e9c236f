"""Procedural food as data: each kind is a parameter sampler plus a builder from parameters to mesh.

``FOODS`` maps a kind's name to a :class:`FoodKind`:

* ``sample(rng) -> dict`` draws the kind's shape parameters and colours from a
  ``numpy.random.Generator`` that the caller hands down (plain Python numbers only, so a record
  stays JSON);
* ``build(params) -> Food`` turns those parameters into geometry (numpy arrays, see
  :mod:`hotdog.render.shapes`) and material settings. Builders are deterministic: small random
  details (sprinkles, seeds, a pile of fries) come from ``params["detail_seed"]``.

The Blender worker only converts a ``Food`` into a mesh, so a builder can be tested without Blender.
Adding a food (a taco, say) is adding one ``sample_taco`` and one ``build_taco`` below and one line
in ``FOODS``; nothing else changes. Sizes are in metres, colours are sRGB in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from hotdog.render.shapes import (
    Food, Part, circle, dome_profile, lathe, merge, part, polyline, rotation_matrix,
    rounded_cylinder_profile, superellipse, sweep,
)

HOTDOG, NOT_HOTDOG = "hotdog", "not_hotdog"


@dataclass(frozen=True)
class FoodKind:
    """One kind of food: its name, its label, how to draw its parameters, how to build it."""

    name: str
    label: str  # "hotdog" or "not_hotdog"
    sample: Callable[[np.random.Generator], dict]
    build: Callable[[dict], Food]


# --------------------------------------------------------------------------- sampling helpers


def _u(rng: np.random.Generator, low: float, high: float) -> float:
    return round(float(rng.uniform(low, high)), 5)


def _color(rng: np.random.Generator, base, jitter: float = 0.04, brightness: float = 0.12) -> list[float]:
    """``base`` (sRGB) with its brightness scaled by up to ``brightness`` and each channel jittered."""
    base = np.asarray(base, dtype=float) * (1 + rng.uniform(-brightness, brightness))
    return [round(float(v), 4) for v in np.clip(base + rng.normal(0, jitter, 3), 0, 1)]


def _pick(rng: np.random.Generator, options: dict) -> tuple[str, object]:
    name = list(options)[int(rng.integers(len(options)))]
    return name, options[name]


def _detail_seed(rng: np.random.Generator) -> int:
    return int(rng.integers(0, 2**31 - 1))


def _mix(a, b, t) -> np.ndarray:
    """Blend colours ``a`` and ``b`` by ``t`` (a scalar or one weight per vertex)."""
    t = np.clip(np.asarray(t, dtype=float), 0, 1)[..., None]
    return np.asarray(a, dtype=float) * (1 - t) + np.asarray(b, dtype=float) * t


def _smoothstep(lo: float, hi: float, x) -> np.ndarray:
    t = np.clip((np.asarray(x, dtype=float) - lo) / (hi - lo), 0, 1)
    return t * t * (3 - 2 * t)


def _capsule_path(length: float, radius: float, n_body: int = 24, n_end: int = 6) -> tuple[np.ndarray, np.ndarray]:
    """x positions and section scales of a capsule along x: a cylinder with hemispherical ends."""
    body = max(length / 2 - radius, 1e-6)
    a = np.linspace(-np.pi / 2, 0, n_end + 1)
    start_x = -body + radius * np.sin(a)  # from -L/2 to -body
    start_s = radius * np.cos(a)
    mid_x = np.linspace(-body, body, n_body)[1:-1]
    xs = np.concatenate([start_x, mid_x, -start_x[::-1]])
    scales = np.concatenate([start_s, np.full(len(mid_x), radius), start_s[::-1]])
    return xs, scales


# --------------------------------------------------------------------------- hotdog

SAUSAGE_COLORS = {"frankfurter": (0.72, 0.33, 0.22), "grilled": (0.55, 0.22, 0.12), "bratwurst": (0.70, 0.48, 0.34),
                  "red_hot": (0.75, 0.22, 0.15)}
CONDIMENT_COLORS = {"mustard": (0.93, 0.72, 0.08), "ketchup": (0.72, 0.06, 0.03), "relish": (0.35, 0.55, 0.12)}


def sample_hotdog(rng: np.random.Generator) -> dict:
    sausage_kind, sausage_base = _pick(rng, SAUSAGE_COLORS)
    length = _u(rng, 0.13, 0.19)
    radius = _u(rng, 0.0095, 0.0135)
    condiments = []
    for _ in range(1 if rng.random() < 0.7 else 2):
        kind = "mustard" if rng.random() < 0.55 else ("ketchup" if rng.random() < 0.8 else "relish")
        condiments.append({
            "kind": kind, "color": _color(rng, CONDIMENT_COLORS[kind], 0.03, 0.1),
            "waves": _u(rng, 2.5, 7.0), "amplitude": _u(rng, 0.35, 0.8), "phase": _u(rng, 0, 6.283),
            "thickness": _u(rng, 0.002, 0.0035), "zigzag": bool(rng.random() < 0.4),
            "coverage": _u(rng, 0.6, 0.9),
        })
    return {
        "sausage": {"kind": sausage_kind, "length": length, "radius": radius, "bend": _u(rng, -0.06, 0.06),
                    "color": _color(rng, sausage_base, 0.03), "grill_marks": int(rng.integers(0, 6)),
                    "grill_angle": _u(rng, -0.6, 0.6)},
        "bun": {"length": round(length * _u(rng, 0.8, 1.0), 5), "half_width": _u(rng, 0.019, 0.026),
                "height": _u(rng, 0.026, 0.036), "opening_deg": _u(rng, 4, 22), "roundness": _u(rng, 2.2, 3.2),
                "crust_color": _color(rng, (0.80, 0.50, 0.22), 0.03), "crumb_color": _color(rng, (0.95, 0.85, 0.64), 0.02, 0.05),
                "toast": _u(rng, 0.0, 0.5)},
        "condiments": condiments,
        "detail_seed": _detail_seed(rng),
    }


def build_hotdog(p: dict) -> Food:
    s, b = p["sausage"], p["bun"]
    r, length = s["radius"], s["length"]
    height, half_w = b["height"], b["half_width"]

    # bun: two halves of an elongated rounded loaf, hinged at the bottom and opened by an angle
    n_sec = 28
    outer = superellipse(n_sec, half_w, height / 2, b["roundness"], -np.pi / 2, np.pi / 2, endpoint=True)
    inner = np.stack([np.zeros(6), np.linspace(height / 2, -height / 2, 8)[1:-1]], axis=1)
    section = np.concatenate([outer, inner])  # counter-clockwise in (y, z)
    xs = np.linspace(-b["length"] / 2, b["length"] / 2, 30)
    end = np.clip(1 - np.abs(2 * xs / b["length"]) ** 3.0, 0, 1) ** (1 / 3.0)
    path = np.stack([xs, np.zeros_like(xs), np.full_like(xs, height / 2)], axis=1)
    verts, quads, tris = sweep(path, section, np.stack([end, end * 0.9 + 0.1], axis=1), caps="pole",
                               normal_hint=(0, 1, 0))
    # colour: pale crumb on the cut face, crust outside, browner on top and with toasting
    crust = _mix(b["crust_color"], np.asarray(b["crust_color"]) * 0.7, _smoothstep(0.3, 1.0, (verts[:, 2] / height)) * b["toast"])
    colors = _mix(b["crumb_color"], crust, _smoothstep(0.08, 0.3, verts[:, 1] / half_w))
    angle = np.radians(b["opening_deg"])
    gap = max(0.0, 0.8 * r - 0.5 * height * np.sin(angle))
    right = part((verts, quads, tris), "bun", colors).transformed(rotation_matrix((1, 0, 0), -angle), (0, gap, 0))
    mirror = np.diag([1.0, -1.0, 1.0])
    left = Part(right.verts @ mirror, right.quads[:, ::-1], right.tris[:, ::-1], "bun", right.colors)

    # sausage: a slightly bent capsule lying in the slit
    xs, scales = _capsule_path(length, r)
    z_centre = height * 0.45 + r * 0.35
    bend = s["bend"] * length
    zs = z_centre + bend * (1 - (2 * xs / length) ** 2)
    path = np.stack([xs, np.zeros_like(xs), zs], axis=1)
    verts, quads, tris = sweep(path, circle(18), np.maximum(scales, 1e-5), caps="pole", normal_hint=(0, 0, 1))
    base = np.asarray(s["color"])
    top = verts[:, 2] - zs.mean()
    shade = 1 - 0.35 * _smoothstep(length / 2 - 1.5 * r, length / 2, np.abs(verts[:, 0]))  # darker, tighter ends
    colors = base * shade[:, None]
    if s["grill_marks"]:
        spacing = length / (s["grill_marks"] + 1)
        u = verts[:, 0] + s["grill_angle"] * verts[:, 1]
        stripe = np.abs(((u / spacing) + 0.5) % 1 - 0.5) < 0.12
        mark = stripe & (top > 0.2 * r) & (np.abs(verts[:, 0]) < length / 2 - r)
        colors[mark] *= 0.45
    sausage = part((verts, quads, tris), "sausage", colors)

    # condiments: thin tubes in a wave or zigzag along the top of the sausage
    parts = [left, right, sausage]
    for c in p["condiments"]:
        half = c["coverage"] * length / 2
        xs = np.linspace(-half, half, 90)
        phase = c["waves"] * np.pi * (xs / half) + c["phase"]
        wave = (2 / np.pi) * np.arcsin(np.sin(phase)) if c["zigzag"] else np.sin(phase)
        ys = c["amplitude"] * r * wave
        surface = np.sqrt(np.maximum(r * r - ys * ys, 0))
        zs = z_centre + bend * (1 - (2 * xs / length) ** 2) + surface + c["thickness"] * 0.4
        path = np.stack([xs, ys, zs], axis=1)
        taper = np.clip(np.minimum(np.arange(90), np.arange(90)[::-1]) / 4, 0, 1) ** 0.5
        geometry = sweep(path, circle(8, c["thickness"]), np.maximum(taper, 1e-3), caps="pole")
        parts.append(part(geometry, c["kind"], c["color"]))
    materials = {"bun": {"roughness": 0.8, "sheen": 0.4}, "sausage": {"roughness": 0.35, "coat": 0.35},
                 "mustard": {"roughness": 0.3}, "ketchup": {"roughness": 0.25, "coat": 0.2},
                 "relish": {"roughness": 0.4}}
    return Food(parts, {k: v for k, v in materials.items() if k in {q.material for q in parts}})


# --------------------------------------------------------------------------- burger


def sample_burger(rng: np.random.Generator) -> dict:
    radius = _u(rng, 0.045, 0.06)
    return {
        "radius": radius,
        "bottom_height": _u(rng, 0.012, 0.02), "top_height": _u(rng, 0.022, 0.038),
        "bun_color": _color(rng, (0.82, 0.50, 0.20), 0.03), "crumb_color": _color(rng, (0.94, 0.84, 0.62), 0.02, 0.05),
        "patty_height": _u(rng, 0.009, 0.016), "patty_scale": _u(rng, 1.0, 1.1),
        "patty_color": _color(rng, (0.32, 0.18, 0.10), 0.02),
        "cheese": bool(rng.random() < 0.7), "cheese_color": _color(rng, (0.98, 0.68, 0.12), 0.03),
        "cheese_angle": _u(rng, 0, 1.57), "cheese_droop": _u(rng, 0.5, 1.5),
        "lettuce": bool(rng.random() < 0.7), "lettuce_color": _color(rng, (0.38, 0.66, 0.16), 0.04),
        "lettuce_scale": _u(rng, 1.05, 1.2), "lettuce_waves": int(rng.integers(6, 11)),
        "tomato": bool(rng.random() < 0.5), "tomato_color": _color(rng, (0.85, 0.15, 0.08), 0.03),
        "sesame": int(rng.integers(0, 45)) if rng.random() < 0.65 else 0,
        "detail_seed": _detail_seed(rng),
    }


def _wobble(rng: np.random.Generator, theta: np.ndarray, amount: float, n_terms: int = 4) -> np.ndarray:
    """A smooth random function of the angle ``theta`` (for irregular outlines)."""
    out = np.zeros_like(theta)
    for k in range(1, n_terms + 1):
        out += rng.normal(0, 1) / k * np.sin(k * theta + rng.uniform(0, 2 * np.pi))
    return amount * out / 2


def build_burger(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    R = p["radius"]
    parts = []
    z = 0.0
    # bottom bun: crust below, crumb on its cut top
    verts, quads, tris = lathe(rounded_cylinder_profile(R, p["bottom_height"], p["bottom_height"] * 0.45, 5), 32)
    colors = _mix(p["bun_color"], p["crumb_color"], _smoothstep(0.85, 1.0, verts[:, 2] / p["bottom_height"]))
    parts.append(part((verts, quads, tris), "bun", colors))
    z += p["bottom_height"]
    if p["lettuce"]:
        parts.append(_lettuce(rng, R * p["lettuce_scale"], z, p["lettuce_waves"], p["lettuce_color"]))
        z += 0.002
    # patty: irregular, bumpy, with darker crust spots
    ph = p["patty_height"]
    verts, quads, tris = lathe(rounded_cylinder_profile(R * p["patty_scale"], ph, ph * 0.45, 5, z0=z), 40)
    theta = np.arctan2(verts[:, 1], verts[:, 0])
    rho = 1 + _wobble(rng, theta, 0.05) + rng.normal(0, 0.012, len(verts))
    verts[:, :2] *= rho[:, None]
    verts[:, 2] += rng.normal(0, ph * 0.05, len(verts))
    colors = np.asarray(p["patty_color"]) * rng.uniform(0.7, 1.25, (len(verts), 1))
    parts.append(part((verts, quads, tris), "patty", colors))
    z += ph
    if p["cheese"]:
        parts.append(_cheese(R * 1.9, z, p["cheese_angle"], p["cheese_droop"] * R * 0.6, R, p["cheese_color"]))
        z += 0.002
    if p["tomato"]:
        verts, quads, tris = lathe(rounded_cylinder_profile(R * 0.85, 0.005, 0.002, 3, z0=z), 28)
        parts.append(part((verts, quads, tris), "tomato", p["tomato_color"]))
        z += 0.005
    # top bun: a dome, with sesame seeds
    th = p["top_height"]
    verts, quads, tris = lathe(dome_profile(R * 1.01, th * 0.8, th * 0.2, 12), 32)
    colors = _mix(p["crumb_color"], p["bun_color"], _smoothstep(0.0, th * 0.25, verts[:, 2]))
    colors = _mix(colors, np.asarray(p["bun_color"]) * 0.78, _smoothstep(th * 0.6, th, verts[:, 2]))
    parts.append(part((verts, quads, tris), "bun", colors).transformed(offset=(0, 0, z)))
    if p["sesame"]:
        seeds = []
        seed_geo = lathe(np.array([[0, -0.0012], [0.0009, -0.0006], [0.0009, 0.0006], [0, 0.0012]]), 6)
        for _ in range(p["sesame"]):
            a, e = rng.uniform(0, 2 * np.pi), rng.uniform(0.25, 1.35)
            rr, zz = R * 1.01 * np.cos(e) ** (2 / 2.2), th * 0.2 + th * 0.8 * np.sin(e) ** (2 / 2.2)
            spin = rotation_matrix((0, 0, 1), a) @ rotation_matrix((0, 1, 0), np.pi / 2 - e) @ rotation_matrix((1, 0, 0), np.pi / 2)
            s = part(seed_geo, "sesame", (0.96, 0.90, 0.72))
            seeds.append(s.transformed(spin, (rr * np.cos(a), rr * np.sin(a), z + zz)))
        parts.append(merge(seeds))
    materials = {"bun": {"roughness": 0.7, "sheen": 0.3, "coat": 0.15}, "patty": {"roughness": 0.85},
                 "cheese": {"roughness": 0.45}, "lettuce": {"roughness": 0.5}, "tomato": {"roughness": 0.25, "coat": 0.3},
                 "sesame": {"roughness": 0.5}}
    return Food(parts, {k: v for k, v in materials.items() if k in {q.material for q in parts}})


def _lettuce(rng, radius: float, z: float, waves: int, color) -> Part:
    theta = np.linspace(0, 2 * np.pi, 72, endpoint=False)
    outline = radius * (1 + 0.07 * np.sin(waves * theta + rng.uniform(0, 6.3)) + _wobble(rng, theta, 0.06))
    section = np.stack([outline * np.cos(theta), outline * np.sin(theta)], axis=1)
    path = np.array([[0, 0, z], [0, 0, z + 0.0015]])
    verts, quads, tris = sweep(path, section, caps="flat", normal_hint=(1, 0, 0))
    rho = np.hypot(verts[:, 0], verts[:, 1])
    phi = np.arctan2(verts[:, 1], verts[:, 0])
    verts[:, 2] += 0.006 * np.sin(waves * 1.5 * phi) * (rho / radius) ** 2 - 0.004 * (rho / radius) ** 3
    colors = _mix(color, np.asarray(color) * 1.25 + 0.08, _smoothstep(0.5, 1.0, rho / radius))
    return part((verts, quads, tris), "lettuce", colors)


def _cheese(size: float, z: float, angle: float, droop: float, support: float, color) -> Part:
    half = size / 2
    xs = np.linspace(-half, half, 14)
    path = np.stack([xs, np.zeros_like(xs), np.full_like(xs, z + 0.001)], axis=1)
    section = polyline([[-half, -0.001], [half, -0.001], [half, 0.001], [-half, 0.001]], 12)
    verts, quads, tris = sweep(path, section, caps="flat", normal_hint=(0, 1, 0))
    verts = verts @ rotation_matrix((0, 0, 1), angle).T
    rho = np.hypot(verts[:, 0], verts[:, 1])
    verts[:, 2] -= droop * np.maximum(0, rho - support * 0.85) ** 2 / support
    return part((verts, quads, tris), "cheese", color, smooth=False)


# --------------------------------------------------------------------------- pizza slice


def sample_pizza_slice(rng: np.random.Generator) -> dict:
    return {
        "radius": _u(rng, 0.11, 0.15), "angle_deg": _u(rng, 28, 46), "thickness": _u(rng, 0.004, 0.007),
        "dough_color": _color(rng, (0.93, 0.80, 0.55), 0.02), "cheese_color": _color(rng, (0.99, 0.80, 0.32), 0.04),
        "sauce_color": _color(rng, (0.78, 0.18, 0.06), 0.03),
        "crust_radius": _u(rng, 0.008, 0.013), "crust_color": _color(rng, (0.80, 0.52, 0.22), 0.03),
        "pepperoni": int(rng.integers(0, 7)), "pepperoni_color": _color(rng, (0.68, 0.13, 0.08), 0.03),
        "pepperoni_radius": _u(rng, 0.008, 0.013), "droop": _u(rng, 0.0, 0.35),
        "detail_seed": _detail_seed(rng),
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
    colors = _mix(p["crust_color"], np.asarray(p["crust_color"]) * 0.72, _smoothstep(t, t + cr * 1.5, verts[:, 2]))
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
    materials = {"dough": {"roughness": 0.8}, "sauce": {"roughness": 0.3}, "cheese": {"roughness": 0.35, "coat": 0.15},
                 "crust": {"roughness": 0.75, "sheen": 0.3}, "pepperoni": {"roughness": 0.3, "coat": 0.3}}
    return Food(parts, {k: v for k, v in materials.items() if k in {q.material for q in parts}})


# --------------------------------------------------------------------------- donut

ICING_COLORS = {"pink": (0.96, 0.52, 0.68), "chocolate": (0.33, 0.17, 0.09), "white": (0.95, 0.92, 0.86),
                "caramel": (0.84, 0.56, 0.26), "none": None}
SPRINKLE_COLORS = [(0.95, 0.2, 0.25), (0.2, 0.55, 0.95), (0.98, 0.85, 0.2), (0.3, 0.8, 0.35), (0.98, 0.97, 0.95),
                   (0.9, 0.45, 0.85)]


def sample_donut(rng: np.random.Generator) -> dict:
    icing, base = _pick(rng, ICING_COLORS)
    return {
        "ring_radius": _u(rng, 0.034, 0.044), "tube_radius": _u(rng, 0.014, 0.02), "squash": _u(rng, 0.75, 0.95),
        "dough_color": _color(rng, (0.80, 0.52, 0.24), 0.03),
        "icing": icing, "icing_color": _color(rng, base, 0.03) if base else None,
        "icing_reach": _u(rng, 0.15, 0.55), "icing_waviness": _u(rng, 0.05, 0.3),
        "sprinkles": int(rng.integers(15, 60)) if base and rng.random() < 0.5 else 0,
        "detail_seed": _detail_seed(rng),
    }


def _torus_point(R: float, rho: np.ndarray, phi: np.ndarray, theta: np.ndarray, squash: float) -> np.ndarray:
    """A point on a torus: ``phi`` around the ring, ``theta`` around the tube (0 = top, +pi/2 = outside)."""
    radial = R + rho * np.sin(theta)
    return np.stack([radial * np.cos(phi), radial * np.sin(phi), squash * rho * np.cos(theta)], axis=-1)


def build_donut(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    R, r, squash = p["ring_radius"], p["tube_radius"], p["squash"]
    ring = np.stack([R * np.cos(np.linspace(0, 2 * np.pi, 48, endpoint=False)),
                     R * np.sin(np.linspace(0, 2 * np.pi, 48, endpoint=False)), np.zeros(48)], axis=1)
    verts, quads, tris = sweep(ring, circle(24, r) * [squash, 1.0], closed_path=True, normal_hint=(0, 0, 1))
    top = _smoothstep(-r, r, verts[:, 2] / squash)
    colors = _mix(np.asarray(p["dough_color"]) * 1.12, np.asarray(p["dough_color"]) * 0.82, top)
    pale = np.abs(np.hypot(verts[:, 0], verts[:, 1]) - R) > r * 0.9  # a pale band round the equator
    colors[pale & (np.abs(verts[:, 2]) < r * 0.25)] = np.minimum(1, np.asarray(p["dough_color"]) * 1.3)
    parts = [part((verts, quads, tris), "dough", colors)]
    materials = {"dough": {"roughness": 0.75, "sheen": 0.3}}
    if p["icing"] != "none":
        n_phi, n_s = 64, 14
        phi = np.linspace(0, 2 * np.pi, n_phi, endpoint=False)[:, None]
        reach = np.pi / 2 + p["icing_reach"] + p["icing_waviness"] * np.sin(7 * phi + rng.uniform(0, 6.3)) \
            + _wobble(rng, phi, p["icing_waviness"])
        s = np.linspace(-1, 1, n_s)[None, :]
        theta = s * reach  # inside edge, over the top, outside edge
        pts = _torus_point(R, r * 1.06, phi, theta, squash).reshape(-1, 3)
        ids = np.arange(n_phi * n_s).reshape(n_phi, n_s)
        a = np.arange(n_phi)[:, None]
        b = np.arange(n_s - 1)[None, :]
        icing_quads = np.stack([ids[a, b], ids[a, b + 1], ids[(a + 1) % n_phi, b + 1], ids[(a + 1) % n_phi, b]], -1)
        parts.append(part((pts, icing_quads.reshape(-1, 4), np.zeros((0, 3))), "icing", p["icing_color"]))
        materials["icing"] = {"roughness": 0.2, "coat": 0.4}
        if p["sprinkles"]:
            body = lathe(np.array([[0, -0.0028], [0.0007, -0.0024], [0.0007, 0.0024], [0, 0.0028]]), 6)
            bits = []
            for _ in range(p["sprinkles"]):
                ph, th = rng.uniform(0, 2 * np.pi), rng.uniform(-1.0, 1.0)
                centre = _torus_point(R, r * 1.06 + 0.0006, np.array(ph), np.array(th), squash)
                normal = np.array([np.sin(th) * np.cos(ph), np.sin(th) * np.sin(ph), np.cos(th)])
                tangent = np.cross(normal, rng.normal(size=3))
                tangent /= np.linalg.norm(tangent)
                axis = np.cross((0, 0, 1), tangent)
                angle = np.arccos(np.clip(tangent[2], -1, 1))
                turn = rotation_matrix(axis, angle) if np.linalg.norm(axis) > 1e-6 else np.eye(3)
                color = SPRINKLE_COLORS[int(rng.integers(len(SPRINKLE_COLORS)))]
                bits.append(part(body, "sprinkles", color).transformed(turn, centre))
            parts.append(merge(bits))
            materials["sprinkles"] = {"roughness": 0.35}
    return Food(parts, materials)


# --------------------------------------------------------------------------- fries


def sample_fries(rng: np.random.Generator) -> dict:
    return {
        "count": int(rng.integers(5, 14)), "thickness": _u(rng, 0.0065, 0.0095), "length": _u(rng, 0.055, 0.09),
        "spread": _u(rng, 0.008, 0.022), "color": _color(rng, (0.96, 0.76, 0.34), 0.03),
        "tip_color": _color(rng, (0.72, 0.44, 0.16), 0.03), "detail_seed": _detail_seed(rng),
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
        tip = _smoothstep(0.35 * length, 0.5 * length, np.abs(verts[:, 0]))
        colors = _mix(p["color"], p["tip_color"], tip) * rng.uniform(0.9, 1.05)
        turn = rotation_matrix((0, 0, 1), rng.uniform(0, np.pi)) @ rotation_matrix((0, 1, 0), rng.uniform(-0.35, 0.35))
        centre = (*rng.normal(0, p["spread"], 2), i * p["thickness"] * 0.45)
        sticks.append(part((verts, quads, tris), "fries", colors).transformed(turn, centre))
    return Food([merge(sticks)], {"fries": {"roughness": 0.55, "sheen": 0.2}})


# --------------------------------------------------------------------------- banana

BANANA_COLORS = {"ripe": (0.96, 0.82, 0.22), "green": (0.72, 0.78, 0.25), "spotty": (0.92, 0.72, 0.20)}


def sample_banana(rng: np.random.Generator) -> dict:
    kind, base = _pick(rng, BANANA_COLORS)
    return {
        "kind": kind, "arc_radius": _u(rng, 0.09, 0.14), "arc_deg": _u(rng, 55, 90), "thickness": _u(rng, 0.015, 0.02),
        "ridges": _u(rng, 0.03, 0.09), "color": _color(rng, base, 0.03),
        "tip_color": _color(rng, (0.30, 0.22, 0.10), 0.02), "spots": int(rng.integers(10, 60)) if kind == "spotty" else 0,
        "detail_seed": _detail_seed(rng),
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
    tip = np.maximum(_smoothstep(0.06, 0.0, along), _smoothstep(0.9, 0.96, along) * 0.8)
    colors = _mix(p["color"], p["tip_color"], tip)
    colors = _mix(colors, np.asarray(p["color"]) * [0.8, 0.95, 0.6], _smoothstep(0.12, 0.0, along) * 0.5)
    if p["spots"]:
        spot = rng.choice(len(verts), p["spots"], replace=False)
        colors[spot] = np.asarray(p["tip_color"]) * 1.4
    return Food([part((verts, quads, tris), "peel", colors)], {"peel": {"roughness": 0.45, "coat": 0.1}})


# --------------------------------------------------------------------------- registry

FOODS: dict[str, FoodKind] = {
    "hotdog": FoodKind("hotdog", HOTDOG, sample_hotdog, build_hotdog),
    "burger": FoodKind("burger", NOT_HOTDOG, sample_burger, build_burger),
    "pizza_slice": FoodKind("pizza_slice", NOT_HOTDOG, sample_pizza_slice, build_pizza_slice),
    "donut": FoodKind("donut", NOT_HOTDOG, sample_donut, build_donut),
    "fries": FoodKind("fries", NOT_HOTDOG, sample_fries, build_fries),
    "banana": FoodKind("banana", NOT_HOTDOG, sample_banana, build_banana),
}


def kinds_with_label(label: str) -> list[str]:
    """Names of the registered food kinds that carry ``label``, in registry order."""
    return [name for name, kind in FOODS.items() if kind.label == label]


def build_food(kind: str, params: dict) -> Food:
    """The geometry of one record's food, centred on the origin."""
    return FOODS[kind].build(params).centered()
