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
    Food, Part, box, circle, dome_profile, grid_sheet, lathe, merge, part, polyline, rotation_matrix,
    rounded_cylinder_profile, sphere, superellipse, sweep,
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

SAUSAGE_COLORS = {"pale": (0.86, 0.58, 0.48), "frankfurter": (0.72, 0.33, 0.22), "grilled": (0.55, 0.22, 0.12),
                  "bratwurst": (0.70, 0.48, 0.34), "red_hot": (0.75, 0.22, 0.15), "charred": (0.32, 0.14, 0.08)}
CONDIMENT_COLORS = {"mustard": (0.93, 0.72, 0.08), "ketchup": (0.72, 0.06, 0.03), "relish": (0.35, 0.55, 0.12),
                    "onions": (0.93, 0.90, 0.80), "chili": (0.42, 0.17, 0.08)}
SAUCES = ("mustard", "ketchup")  # drawn as lines, zigzags, waves or blobs
TOPPING_STYLES = ("line", "zigzag", "wave", "blobs")
MATERIALS = {"bun": {"roughness": 0.8, "sheen": 0.4}, "sausage": {"roughness": 0.35, "coat": 0.35},
             "mustard": {"roughness": 0.3}, "ketchup": {"roughness": 0.25, "coat": 0.2}, "relish": {"roughness": 0.4},
             "onions": {"roughness": 0.3, "coat": 0.2}, "chili": {"roughness": 0.6}}


def sample_sausage(rng: np.random.Generator, length=(0.11, 0.22), radius=(0.008, 0.016)) -> dict:
    """A sausage: pale frankfurter to charred, thin to thick, straight to curved."""
    kind, base = _pick(rng, SAUSAGE_COLORS)
    return {"kind": kind, "length": _u(rng, *length), "radius": _u(rng, *radius), "bend": _u(rng, -0.1, 0.1),
            "color": _color(rng, base, 0.03), "grill_marks": int(rng.integers(0, 6)), "grill_angle": _u(rng, -0.6, 0.6)}


def sample_toppings(rng: np.random.Generator, p_none: float = 0.15) -> list[dict]:
    """None, one or several of mustard, ketchup, relish, onions, chili; sauces as lines, zigzags,
    waves or blobs, the rest as chunky bits."""
    if rng.random() < p_none:
        return []
    kinds = list(CONDIMENT_COLORS)
    weights = np.array([0.35, 0.25, 0.15, 0.13, 0.12])
    n = 1 + int(rng.random() < 0.35) + int(rng.random() < 0.12)
    chosen = rng.choice(len(kinds), size=n, replace=False, p=weights)
    # chunky toppings first (they lie under the sauce)
    chosen = sorted(chosen.tolist(), key=lambda i: kinds[i] in SAUCES)
    out = []
    for i in chosen:
        kind = kinds[i]
        style = TOPPING_STYLES[int(rng.integers(4))] if kind in SAUCES else "bits"
        out.append({
            "kind": kind, "style": style, "color": _color(rng, CONDIMENT_COLORS[kind], 0.03, 0.1),
            "waves": _u(rng, 2.5, 8.0), "amplitude": _u(rng, 0.2, 0.85), "phase": _u(rng, 0, 6.283),
            "thickness": _u(rng, 0.0018, 0.0035), "coverage": _u(rng, 0.55, 0.92),
            "count": int(rng.integers(8, 40)),
        })
    return out


def sample_hotdog(rng: np.random.Generator) -> dict:
    sausage = sample_sausage(rng)
    return {
        "sausage": sausage,
        "bun": {"length": round(sausage["length"] * _u(rng, 0.72, 1.05), 5), "half_width": _u(rng, 0.017, 0.03),
                "height": _u(rng, 0.024, 0.04), "opening_deg": _u(rng, 2, 30), "roundness": _u(rng, 2.2, 3.2),
                "crust_color": _color(rng, (0.80, 0.50, 0.22), 0.04, 0.2),
                "crumb_color": _color(rng, (0.95, 0.85, 0.64), 0.02, 0.05), "toast": _u(rng, 0.0, 0.6)},
        "condiments": sample_toppings(rng),
        "detail_seed": _detail_seed(rng),
    }


def build_sausage(s: dict, z_centre: float, y: float = 0.0, material: str = "sausage") -> tuple[Part, Callable]:
    """A bent capsule along x at height ``z_centre``; also returns ``top(x, y)``, its upper surface."""
    r, length = s["radius"], s["length"]
    xs, scales = _capsule_path(length, r)
    bend = s["bend"] * length
    zs = z_centre + bend * (1 - (2 * xs / length) ** 2)
    path = np.stack([xs, np.full_like(xs, y), zs], axis=1)
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

    def surface(x, yy):
        x, yy = np.asarray(x, float), np.asarray(yy, float) - y
        return z_centre + bend * (1 - (2 * x / length) ** 2) + np.sqrt(np.maximum(r * r - yy * yy, 0))

    return part((verts, quads, tris), material, colors), surface


def build_toppings(rng: np.random.Generator, toppings: list[dict], length: float, r: float, surface) -> list[Part]:
    """Sauce lines, zigzags, waves or blobs and chunky bits (onions, relish, chili) on a surface."""
    parts = []
    lift = 0.0
    for c in toppings:
        half = c["coverage"] * length / 2
        if c["style"] in ("line", "zigzag", "wave"):
            xs = np.linspace(-half, half, 90)
            phase = c["waves"] * np.pi * (xs / half) + c["phase"]
            amp = 0.12 if c["style"] == "line" else c["amplitude"]
            wave = (2 / np.pi) * np.arcsin(np.sin(phase)) if c["style"] == "zigzag" else np.sin(phase * (0.3 if c["style"] == "line" else 1))
            ys = amp * r * wave
            zs = surface(xs, ys) + c["thickness"] * 0.4 + lift
            taper = np.clip(np.minimum(np.arange(90), np.arange(90)[::-1]) / 4, 0, 1) ** 0.5
            geometry = sweep(np.stack([xs, ys, zs], axis=1), circle(8, c["thickness"]), np.maximum(taper, 1e-3), caps="pole")
            parts.append(part(geometry, c["kind"], c["color"]))
            continue
        bits = []
        if c["style"] == "blobs":
            n, size = max(3, c["count"] // 4), c["thickness"] * 1.8
        elif c["kind"] == "chili":
            n, size = c["count"] + 15, r * 0.45
        else:
            n, size = c["count"], r * (0.22 if c["kind"] == "onions" else 0.18)
        for i in range(n):
            x = -half + (i + rng.uniform(0.2, 0.8)) * 2 * half / n if c["style"] == "blobs" else rng.uniform(-half, half)
            y = rng.uniform(-0.8, 0.8) * r
            z = float(surface(x, y)) + lift
            s = size * rng.uniform(0.7, 1.3)
            if c["kind"] == "onions":
                geo = box((s, s * rng.uniform(0.7, 1.2), s * 0.8))
                turn = rotation_matrix(rng.normal(size=3), rng.uniform(0, np.pi))
                shade = np.asarray(c["color"]) * rng.uniform(0.9, 1.05)
                bits.append(part(geo, c["kind"], shade, smooth=False).transformed(turn, (x, y, z + s * 0.3)))
            else:
                geo = sphere(s, 3, 7, squash=0.6)
                shade = np.asarray(c["color"]) * rng.uniform(0.75, 1.15)
                bits.append(part(geo, c["kind"], shade).transformed(offset=(x, y, z + s * 0.2)))
        parts.append(merge(bits))
        if c["kind"] == "chili":
            lift += r * 0.35
    return parts


def build_hotdog(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
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

    # sausage: a slightly bent capsule lying in the slit, toppings on it
    sausage, surface = build_sausage(s, height * 0.45 + r * 0.35)
    parts = [left, right, sausage] + build_toppings(rng, p["condiments"], length, r, surface)
    return Food(parts, _materials(parts))


def _materials(parts: list[Part], extra: dict | None = None) -> dict:
    table = {**MATERIALS, **(extra or {})}
    return {k: table.get(k, {}) for k in dict.fromkeys(q.material for q in parts)}


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


# --------------------------------------------------------------------------- sub sandwich / baguette


def sample_sub_sandwich(rng: np.random.Generator) -> dict:
    style = "sub" if rng.random() < 0.7 else "baguette"
    fillings = []
    if style == "sub":
        options = {"lettuce": (0.40, 0.68, 0.18), "tomato": (0.85, 0.16, 0.08), "cheese": (0.98, 0.80, 0.30),
                   "ham": (0.93, 0.58, 0.55), "salami": (0.65, 0.16, 0.14), "turkey": (0.90, 0.80, 0.66)}
        for i in rng.choice(len(options), size=int(rng.integers(2, 5)), replace=False):
            name = list(options)[int(i)]
            fillings.append({"kind": name, "color": _color(rng, options[name], 0.03), "thickness": _u(rng, 0.003, 0.007),
                             "overhang": _u(rng, 0.0, 0.006)})
    return {
        "style": style, "length": _u(rng, 0.18, 0.30) if style == "sub" else _u(rng, 0.24, 0.34),
        "half_width": _u(rng, 0.022, 0.035) if style == "sub" else _u(rng, 0.018, 0.024),
        "height": _u(rng, 0.03, 0.05), "roundness": _u(rng, 2.0, 3.0), "cuts": int(rng.integers(3, 7)),
        "crust_color": _color(rng, (0.80, 0.55, 0.26) if style == "sub" else (0.76, 0.50, 0.20), 0.04, 0.18),
        "crumb_color": _color(rng, (0.95, 0.88, 0.70), 0.02, 0.05), "fillings": fillings,
        "detail_seed": _detail_seed(rng),
    }


def _loaf(length: float, half_w: float, height: float, roundness: float, n_x: int = 32) -> tuple:
    """A long rounded loaf along x (a superellipse section in (y, z)) with rounded ends."""
    xs = np.linspace(-length / 2, length / 2, n_x)
    end = np.clip(1 - np.abs(2 * xs / length) ** 2.5, 0, 1) ** (1 / 2.5)
    path = np.stack([xs, np.zeros_like(xs), np.zeros_like(xs)], axis=1)
    return sweep(path, superellipse(28, half_w, height / 2, roundness), np.maximum(end, 1e-3), caps="pole",
                 normal_hint=(0, 1, 0))


def build_sub_sandwich(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    L, w, h = p["length"], p["half_width"], p["height"]

    def crust_colors(verts, z0):
        top = _smoothstep(0.0, h / 2, verts[:, 2] - z0)
        return _mix(p["crust_color"], np.asarray(p["crust_color"]) * 0.78, top) * rng.uniform(0.95, 1.05, (len(verts), 1))

    parts = []
    if p["style"] == "baguette":
        verts, quads, tris = _loaf(L, w, h * 0.8, p["roundness"])
        colors = crust_colors(verts, 0)
        for k in range(p["cuts"]):  # diagonal scores on top, paler
            cx = (k + 0.5 - p["cuts"] / 2) * L * 0.8 / p["cuts"]
            score = (np.abs((verts[:, 0] - cx) - 0.6 * verts[:, 1]) < L * 0.02) & (verts[:, 2] > h * 0.15)
            colors[score] = _mix(colors[score], p["crumb_color"], 0.6)
        parts.append(part((verts, quads, tris), "bun", colors).transformed(offset=(0, 0, h * 0.4)))
        return Food(parts, _materials(parts))
    # a sub: bottom half, fillings, top half, all along x
    bottom = sweep(np.stack([np.linspace(-L / 2, L / 2, 32), np.zeros(32), np.zeros(32)], 1),
                   np.concatenate([superellipse(14, w, h * 0.35, p["roundness"], np.pi, 2 * np.pi, endpoint=True)]),
                   np.maximum(np.repeat((np.clip(1 - np.abs(np.linspace(-1, 1, 32)) ** 2.5, 0, 1) ** 0.4)[:, None], 2, 1), 1e-3),
                   caps="pole", normal_hint=(0, 1, 0))
    verts, quads, tris = bottom
    colors = _mix(p["crumb_color"], p["crust_color"], _smoothstep(-0.004, -0.012, verts[:, 2]))
    parts.append(part((verts, quads, tris), "bun", colors))
    z = 0.0
    for f in p["fillings"]:
        t = f["thickness"]
        xs = np.linspace(-L / 2 * 0.92, L / 2 * 0.92, 24)
        ww = w + f["overhang"]
        sec = superellipse(16, ww, t / 2, 4.0)
        scale = np.clip(1 - np.abs(np.linspace(-1, 1, 24)) ** 3, 0, 1) ** 0.35
        path = np.stack([xs, np.zeros_like(xs), np.full_like(xs, z + t / 2)], 1)
        geo = sweep(path, sec, np.maximum(np.stack([scale, np.ones_like(scale)], 1), 1e-3), caps="flat", normal_hint=(0, 1, 0))
        gv = geo[0]
        gv[:, 1] *= 1 + 0.08 * np.sin(gv[:, 0] * 120 + rng.uniform(0, 6.3)) * (f["kind"] == "lettuce")
        parts.append(part(geo, f["kind"], np.asarray(f["color"]) * rng.uniform(0.9, 1.05, (len(gv), 1))))
        z += t
    top = sweep(np.stack([np.linspace(-L / 2, L / 2, 32), np.zeros(32), np.full(32, z)], 1),
                superellipse(14, w, h * 0.65, p["roundness"], 0, np.pi, endpoint=True),
                np.maximum(np.repeat((np.clip(1 - np.abs(np.linspace(-1, 1, 32)) ** 2.5, 0, 1) ** 0.4)[:, None], 2, 1), 1e-3),
                caps="pole", normal_hint=(0, 1, 0))
    verts, quads, tris = top
    colors = _mix(p["crumb_color"], crust_colors(verts, z), _smoothstep(z + 0.002, z + 0.008, verts[:, 2]))
    parts.append(part((verts, quads, tris), "bun", colors))
    return Food(parts, _materials(parts, {"lettuce": {"roughness": 0.5}, "tomato": {"roughness": 0.25, "coat": 0.3},
                                          "cheese": {"roughness": 0.45}}))


# --------------------------------------------------------------------------- burrito / wrap


def sample_burrito(rng: np.random.Generator) -> dict:
    return {
        "style": "burrito" if rng.random() < 0.6 else "wrap", "length": _u(rng, 0.13, 0.22),
        "radius": _u(rng, 0.022, 0.035), "flatten": _u(rng, 0.75, 0.95), "bend": _u(rng, -0.05, 0.05),
        "color": _color(rng, (0.93, 0.84, 0.64), 0.03, 0.08), "spots": _u(rng, 0.0, 0.6),
        "filling_colors": [_color(rng, c, 0.04) for c in ((0.95, 0.92, 0.82), (0.40, 0.22, 0.12), (0.35, 0.6, 0.2),
                                                          (0.85, 0.25, 0.12))],
        "detail_seed": _detail_seed(rng),
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
        fill = lathe(np.stack([np.linspace(0, r * 0.9, 6), np.zeros(6)], 1)[::-1][::-1], 20)
        fv = fill[0]
        choice = rng.integers(0, 4, len(fv))
        fcol = np.asarray(p["filling_colors"])[choice]
        disc = part(fill, "filling", fcol).transformed(rotation_matrix((0, 1, 0), np.pi / 2), (L / 2 + 0.0008, 0, zs[-1]))
        disc.verts[:, 2] = zs[-1] + (disc.verts[:, 2] - zs[-1]) * p["flatten"]
        parts.append(disc)
    return Food(parts, _materials(parts, {"tortilla": {"roughness": 0.75, "sheen": 0.3}, "filling": {"roughness": 0.6}}))


# --------------------------------------------------------------------------- sausages without a bun


def sample_sausage_plate(rng: np.random.Generator) -> dict:
    n = int(rng.integers(1, 4))
    return {"sausages": [sample_sausage(rng, (0.1, 0.2), (0.009, 0.016)) for _ in range(n)],
            "gap": _u(rng, 0.003, 0.012), "toppings": sample_toppings(rng, p_none=0.6) if n == 1 else [],
            "detail_seed": _detail_seed(rng)}


def build_sausage_plate(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    parts = []
    y = 0.0
    for i, s in enumerate(p["sausages"]):
        if i:
            y += p["sausages"][i - 1]["radius"] + s["radius"] + p["gap"]
        sausage, surface = build_sausage(s, s["radius"], y)
        if abs(s["bend"]) > 0:  # bent sideways, lying on the plate, rather than up
            sausage.verts[:, [1, 2]] = sausage.verts[:, [1, 2]]
        parts.append(sausage.transformed(rotation_matrix((0, 0, 1), rng.uniform(-0.15, 0.15))))
    if p["toppings"]:
        s = p["sausages"][0]
        parts += build_toppings(rng, p["toppings"], s["length"], s["radius"], build_sausage(s, s["radius"])[1])
    return Food(parts, _materials(parts))


# --------------------------------------------------------------------------- taco


def sample_taco(rng: np.random.Generator) -> dict:
    return {
        "radius": _u(rng, 0.05, 0.07), "open_deg": _u(rng, 25, 60), "thickness": _u(rng, 0.002, 0.004),
        "shell": "hard" if rng.random() < 0.5 else "soft",
        "shell_color": _color(rng, (0.93, 0.74, 0.36), 0.04, 0.1), "meat_color": _color(rng, (0.40, 0.20, 0.10), 0.03),
        "lettuce_color": _color(rng, (0.45, 0.72, 0.22), 0.04), "cheese_color": _color(rng, (0.98, 0.78, 0.25), 0.03),
        "tomato_color": _color(rng, (0.85, 0.18, 0.10), 0.03), "filling": int(rng.integers(30, 70)),
        "detail_seed": _detail_seed(rng),
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
    section = np.concatenate([outer, inner])[:, ::-1] * [1, 1]
    n = 30
    t = np.linspace(-1, 1, n)
    path = np.stack([t * R, np.zeros(n), np.zeros(n)], 1)
    scale = np.sqrt(np.clip(1 - t ** 2, 0, 1))  # a half disc from the side
    verts, quads, tris = sweep(path, np.stack([section[:, 1], section[:, 0]], 1) * [1, 1],
                               np.maximum(np.stack([scale, np.maximum(scale, 0.25)], 1), 1e-3), caps="pole",
                               normal_hint=(0, 0, 1))
    shell_colors = np.asarray(p["shell_color"]) * rng.uniform(0.9, 1.05, (len(verts), 1))
    if p["shell"] == "soft":
        shell_colors = _mix(shell_colors, [0.95, 0.88, 0.70], 0.6)
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
    return Food(parts, _materials(parts, {"tortilla": {"roughness": 0.7}, "meat": {"roughness": 0.7},
                                          "lettuce": {"roughness": 0.5}, "cheese": {"roughness": 0.5},
                                          "tomato": {"roughness": 0.3, "coat": 0.2}}))


# --------------------------------------------------------------------------- corn dog


def sample_corn_dog(rng: np.random.Generator) -> dict:
    return {
        "length": _u(rng, 0.10, 0.15), "radius": _u(rng, 0.015, 0.022), "taper": _u(rng, 0.6, 0.9),
        "color": _color(rng, (0.80, 0.50, 0.18), 0.04, 0.15), "lumps": _u(rng, 0.02, 0.08),
        "stick_length": _u(rng, 0.06, 0.1), "stick_color": _color(rng, (0.85, 0.72, 0.50), 0.03),
        "mustard": bool(rng.random() < 0.35), "detail_seed": _detail_seed(rng),
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
    verts[:, 1:] += (verts[:, 1:] - [0, r]) * (_wobble(rng, theta, p["lumps"]) + rng.normal(0, p["lumps"] * 0.15, len(verts)))[:, None]
    colors = _mix(p["color"], np.asarray(p["color"]) * 0.72, rng.random(len(verts)) * 0.6)
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
    return Food(parts, _materials(parts, {"batter": {"roughness": 0.7, "sheen": 0.2}, "stick": {"roughness": 0.8}}))


# --------------------------------------------------------------------------- plated meal


def sample_plated_meal(rng: np.random.Generator) -> dict:
    main, color = _pick(rng, {"steak": (0.38, 0.20, 0.11), "chicken": (0.85, 0.62, 0.34), "fish": (0.95, 0.85, 0.72)})
    side, side_color = _pick(rng, {"mash": (0.96, 0.92, 0.78), "rice": (0.97, 0.96, 0.92), "potatoes": (0.9, 0.7, 0.35)})
    return {
        "main": main, "main_color": _color(rng, color, 0.03), "main_size": _u(rng, 0.06, 0.09),
        "side": side, "side_color": _color(rng, side_color, 0.02), "greens": int(rng.integers(3, 9)),
        "greens_color": _color(rng, (0.25, 0.55, 0.15), 0.04), "sauce": bool(rng.random() < 0.4),
        "plate_radius": _u(rng, 0.11, 0.14), "plate_color": _color(rng, (0.95, 0.95, 0.93), 0.02, 0.05),
        "detail_seed": _detail_seed(rng),
    }


def _plate(radius: float, color, rim: float = 0.22, height: float = 0.012, framed: bool = True) -> Part:
    """A plate: a flat disc whose outer ``rim`` fraction rises to ``height``."""
    r = np.array([0.0, radius * (1 - rim) * 0.95, radius * (1 - rim), radius * (1 - rim * 0.5), radius, radius * 0.99,
                  radius * (1 - rim * 0.5), radius * (1 - rim), 0.0])
    z = np.array([0.0, 0.0, 0.0005, height * 0.55, height, height + 0.002, height * 0.55 + 0.002, 0.0025, 0.0025])
    # lathe needs bottom-to-top order: underside (z=0) then back over the top surface to the centre
    return part(lathe(np.stack([r, z], 1), 40), "plate", color, framed=framed)


def build_plated_meal(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    R = p["plate_radius"]
    z0 = 0.0025
    parts = [_plate(R, p["plate_color"])]
    s = p["main_size"]
    # main: an irregular thick slab
    theta = np.linspace(0, 2 * np.pi, 32, endpoint=False)
    outline = s / 2 * (1 + _wobble(rng, theta, 0.25)) * np.where(np.cos(theta) ** 2 > 0.5, 1.2, 0.85)
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
    return Food(parts, _materials(parts, {"plate": {"roughness": 0.2}, "main": {"roughness": 0.6},
                                          "side": {"roughness": 0.8}, "greens": {"roughness": 0.5},
                                          "sauce": {"roughness": 0.2, "coat": 0.3}}))


# --------------------------------------------------------------------------- serving: plate, napkin, tray, foil

SERVINGS = ("bare", "plate", "napkin", "paper_tray", "foil")
# scenery materials stay simple (no coat or sheen layers): they cover much of the frame, and cost render time
SERVING_MATERIALS = {"plate": {"roughness": 0.2}, "napkin": {"roughness": 0.9},
                     "paper_tray": {"roughness": 0.85}, "foil": {"roughness": 0.25, "metallic": 1.0}}


def sample_serving(rng: np.random.Generator, kinds=SERVINGS, p=None) -> dict:
    """What the food is served on (``p``: the probability of each kind, default equal), and how big
    that is relative to the food's footprint."""
    if p is not None and len(p) == len(kinds):
        kind = kinds[int(rng.choice(len(kinds), p=np.asarray(p, float) / np.sum(p)))]
    else:
        kind = kinds[int(rng.integers(len(kinds)))]
    palette = {"plate": [(0.95, 0.95, 0.93), (0.85, 0.88, 0.92), (0.2, 0.2, 0.22), (0.9, 0.85, 0.75)],
               "napkin": [(0.96, 0.96, 0.94), (0.85, 0.2, 0.15), (0.9, 0.9, 0.85)],
               "paper_tray": [(0.95, 0.93, 0.88), (0.85, 0.2, 0.15), (0.75, 0.6, 0.4)],
               "foil": [(0.85, 0.85, 0.86)], "bare": [(1.0, 1.0, 1.0)]}[kind]
    return {"kind": kind, "color": _color(rng, palette[int(rng.integers(len(palette)))], 0.02, 0.06),
            "scale": _u(rng, 1.1, 1.5), "angle": _u(rng, -0.5, 0.5), "detail_seed": _detail_seed(rng)}


def serving_parts(spec: dict, footprint: np.ndarray, floor: float) -> list[Part]:
    """The plate, napkin, paper tray or foil under a food whose xy half-extents are ``footprint``
    and whose lowest point is at ``floor``; the food rests on it. Not framed: it may leave the frame."""
    kind = spec["kind"]
    if kind == "bare":
        return []
    rng = np.random.default_rng(spec["detail_seed"])
    hx, hy = np.asarray(footprint) * spec["scale"] + 0.01
    turn = rotation_matrix((0, 0, 1), spec["angle"])
    if kind == "plate":
        radius = max(hx, hy) * 1.05
        return [_plate(radius, spec["color"], framed=False).transformed(offset=(0, 0, floor - 0.0025))]
    if kind == "paper_tray":
        wall, h = 0.0015, 0.02
        pieces = [box((2 * hx, 2 * hy, wall))] + [
            (lambda g, o: (g[0] + o, g[1], g[2]))(box(size), np.array(offset)) for size, offset in (
                ((2 * hx, wall, h), (0, hy, h / 2)), ((2 * hx, wall, h), (0, -hy, h / 2)),
                ((wall, 2 * hy, h), (hx, 0, h / 2)), ((wall, 2 * hy, h), (-hx, 0, h / 2)))]
        parts = [part(g, "paper_tray", spec["color"], smooth=False, framed=False) for g in pieces]
        return [merge(parts).transformed(turn, (0, 0, floor - wall / 2))]
    side = max(hx, hy) * (1.3 if kind == "napkin" else 1.15)
    if kind == "napkin":
        folds = rng.uniform(0.001, 0.003)
        height = lambda x, y: folds * np.sin(x / side * rng.uniform(3, 8)) * np.cos(y / side * rng.uniform(2, 6))  # noqa: E731
        geo = grid_sheet(2 * side, 2 * side, 16, height)
        return [part(geo, "napkin", spec["color"], framed=False).transformed(turn, (0, 0, floor - 0.004))]
    # foil: a crumpled sheet whose edges fold up around the food
    coarse = rng.normal(0, 1, (6, 6))

    def height(x, y):
        u = np.clip((x / side + 1) * 2.5, 0, 4.999)
        v = np.clip((y / side + 1) * 2.5, 0, 4.999)
        crumple = coarse[u.astype(int), v.astype(int)] * 0.0015 + rng.normal(0, 0.0008, x.shape)
        edge = np.maximum(np.abs(x) / side, np.abs(y) / side)
        return crumple + 0.02 * _smoothstep(0.7, 1.0, edge)

    geo = grid_sheet(2 * side, 2 * side, 22, height)
    colors = np.asarray(spec["color"]) * rng.uniform(0.85, 1.1, (len(geo[0]), 1))
    return [part(geo, "foil", colors, smooth=False, framed=False).transformed(turn, (0, 0, floor - 0.003))]


# --------------------------------------------------------------------------- distractors and material jitter

DISTRACTOR_KINDS = ("cup", "fry", "tomato_slice", "sauce_cup", "crumbs", "cube")


def sample_distractors(rng: np.random.Generator, n_range=(0, 3)) -> list[dict]:
    """Small objects around the food (a cup, a stray fry, a sauce cup, crumbs), partly in frame."""
    out = []
    for _ in range(int(rng.integers(n_range[0], n_range[1] + 1))):
        out.append({"kind": DISTRACTOR_KINDS[int(rng.integers(len(DISTRACTOR_KINDS)))],
                    "angle": _u(rng, 0, 6.283), "distance": _u(rng, 0.6, 1.1), "size": _u(rng, 0.6, 1.4),
                    "color": [round(float(v), 4) for v in rng.random(3)], "detail_seed": _detail_seed(rng)})
    return out


def distractor_parts(specs: list[dict], radius: float, floor: float) -> list[Part]:
    """The distractors as parts standing on ``floor`` at ``distance * radius`` from the food's centre."""
    parts = []
    for d in specs:
        rng = np.random.default_rng(d["detail_seed"])
        s = d["size"] * radius * 0.3
        kind = d["kind"]
        if kind == "cup":
            geo = lathe(np.array([[0, 0], [s * 0.7, 0], [s * 0.9, s * 2.2], [s * 0.85, s * 2.2], [0, s * 0.2]]), 20)
        elif kind == "sauce_cup":
            geo = lathe(np.array([[0, 0], [s * 0.5, 0], [s * 0.6, s * 0.5], [0, s * 0.45]]), 16)
        elif kind == "fry":
            geo = box((s * 2.5, s * 0.25, s * 0.25))
        elif kind == "tomato_slice":
            geo = lathe(rounded_cylinder_profile(s * 0.6, s * 0.12, s * 0.04, 3), 16)
        elif kind == "crumbs":
            geo = merge([part(sphere(s * rng.uniform(0.05, 0.12), 2, 5), "x", (0, 0, 0)).transformed(
                offset=(*rng.normal(0, s * 0.5, 2), 0)) for _ in range(8)])
            geo = (geo.verts, geo.quads, geo.tris)
        else:
            geo = box((s, s, s))
        color = {"fry": (0.95, 0.75, 0.35), "tomato_slice": (0.85, 0.15, 0.08), "crumbs": (0.8, 0.6, 0.35)}.get(kind, d["color"])
        pos = (np.cos(d["angle"]) * d["distance"] * radius, np.sin(d["angle"]) * d["distance"] * radius, floor)
        turn = rotation_matrix((0, 0, 1), rng.uniform(0, 6.3))
        lift = s * 0.125 if kind == "fry" else (s * 0.5 if kind == "cube" else 0.0)
        parts.append(part(geo, "distractor", color, framed=False).transformed(turn, (pos[0], pos[1], floor + lift)))
    return parts


def _rgb_to_hsv(c: np.ndarray) -> np.ndarray:
    r, g, b = c[:, 0], c[:, 1], c[:, 2]
    mx, mn = c.max(axis=1), c.min(axis=1)
    d = mx - mn
    h = np.zeros_like(mx)
    safe = np.where(d > 1e-9, d, 1)
    h = np.where(mx == r, ((g - b) / safe) % 6, h)
    h = np.where(mx == g, (b - r) / safe + 2, h)
    h = np.where(mx == b, (r - g) / safe + 4, h)
    h = np.where(d > 1e-9, h / 6, 0)
    s = np.where(mx > 1e-9, d / np.where(mx > 1e-9, mx, 1), 0)
    return np.stack([h, s, mx], axis=1)


def _hsv_to_rgb(c: np.ndarray) -> np.ndarray:
    h, s, v = c[:, 0] % 1.0, c[:, 1], c[:, 2]
    i = np.floor(h * 6).astype(int) % 6
    f = h * 6 - np.floor(h * 6)
    p, q, t = v * (1 - s), v * (1 - f * s), v * (1 - (1 - f) * s)
    table = np.stack([np.stack(x, 1) for x in ((v, t, p), (q, v, p), (p, v, t), (p, q, v), (t, p, v), (v, p, q))])
    return table[i, np.arange(len(h))]


def jitter_materials(food: Food, jitter: dict | None) -> Food:
    """Shift the food's colours in hue, scale saturation and value, scale roughness (material jitter).
    Scenery (plates, distractors) is left alone: only framed parts change."""
    if not jitter:
        return food
    parts = []
    for q in food.parts:
        if q.framed:
            hsv = _rgb_to_hsv(q.colors)
            hsv[:, 0] += jitter.get("hue", 0.0)
            hsv[:, 1] = np.clip(hsv[:, 1] * jitter.get("saturation", 1.0), 0, 1)
            hsv[:, 2] = np.clip(hsv[:, 2] * jitter.get("value", 1.0), 0, 1)
            q = Part(q.verts, q.quads, q.tris, q.material, np.clip(_hsv_to_rgb(hsv), 0, 1), q.smooth, q.framed)
        parts.append(q)
    rough = jitter.get("roughness", 1.0)
    materials = {k: ({**v, "roughness": float(np.clip(v.get("roughness", 0.5) * rough, 0.02, 1))} if k not in SERVING_MATERIALS else v)
                 for k, v in food.materials.items()}
    return Food(parts, materials)


# --------------------------------------------------------------------------- registry

FOODS: dict[str, FoodKind] = {
    "hotdog": FoodKind("hotdog", HOTDOG, sample_hotdog, build_hotdog),
    "burger": FoodKind("burger", NOT_HOTDOG, sample_burger, build_burger),
    "pizza_slice": FoodKind("pizza_slice", NOT_HOTDOG, sample_pizza_slice, build_pizza_slice),
    "donut": FoodKind("donut", NOT_HOTDOG, sample_donut, build_donut),
    "fries": FoodKind("fries", NOT_HOTDOG, sample_fries, build_fries),
    "banana": FoodKind("banana", NOT_HOTDOG, sample_banana, build_banana),
    "sub_sandwich": FoodKind("sub_sandwich", NOT_HOTDOG, sample_sub_sandwich, build_sub_sandwich),
    "burrito": FoodKind("burrito", NOT_HOTDOG, sample_burrito, build_burrito),
    "sausage_plate": FoodKind("sausage_plate", NOT_HOTDOG, sample_sausage_plate, build_sausage_plate),
    "taco": FoodKind("taco", NOT_HOTDOG, sample_taco, build_taco),
    "corn_dog": FoodKind("corn_dog", NOT_HOTDOG, sample_corn_dog, build_corn_dog),
    "plated_meal": FoodKind("plated_meal", NOT_HOTDOG, sample_plated_meal, build_plated_meal),
}


def kinds_with_label(label: str) -> list[str]:
    """Names of the registered food kinds that carry ``label``, in registry order."""
    return [name for name, kind in FOODS.items() if kind.label == label]


def build_food(kind: str, params: dict) -> Food:
    """The geometry of one record's food, centred on the origin."""
    return FOODS[kind].build(params).centered()


def build_record_food(record: dict) -> Food:
    """Everything a record puts in the scene as one :class:`Food`: the food (with the record's
    material jitter), centred on the origin, resting on its serving (plate, napkin, tray, foil) with
    the distractors around it. Scenery parts are not framed: the camera frames the food."""
    food = jitter_materials(build_food(record["food"]["kind"], record["food"]["params"]), record.get("material"))
    verts = food.verts
    floor = float(verts[:, 2].min())
    footprint = np.abs(verts[:, :2]).max(axis=0)
    extra = []
    serving = record.get("serving")
    if serving and serving["kind"] != "bare":
        extra += serving_parts(serving, footprint, floor)
    if record.get("distractors"):
        extra += distractor_parts(record["distractors"], float(np.hypot(*footprint)), floor)
    if not extra:
        return food
    materials = dict(food.materials)
    for q in extra:
        materials.setdefault(q.material, SERVING_MATERIALS.get(q.material, {"roughness": 0.5}))
    return Food(food.parts + extra, materials)
