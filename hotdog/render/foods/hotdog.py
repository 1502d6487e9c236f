"""The hotdog, and the sausages without a bun (a not-hotdog look-alike) that share its parts.

A hotdog is a bun of two hinged halves with a sausage in the slit, bent up or down a little
(:func:`build_sausage`), and none, one or several toppings on it (:func:`build_toppings`): mustard and
ketchup as lines, zigzags, waves or blobs, relish, onions and chili as chunky bits. A sausage plate
is one to three of the same sausages lying side by side on a plate, each bent sideways in the
plate's plane rather than up.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from hotdog.render.foods.common import color_near, detail_seed, mix, pick, smoothstep, uniform
from hotdog.render.foods.materials import assemble
from hotdog.render.shapes import Food, Part, box, circle, merge, part, rotation_matrix, sphere, superellipse, sweep


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


SAUSAGE_COLORS = {"pale": (0.86, 0.58, 0.48), "frankfurter": (0.72, 0.33, 0.22), "grilled": (0.55, 0.22, 0.12),
                  "bratwurst": (0.70, 0.48, 0.34), "red_hot": (0.75, 0.22, 0.15), "charred": (0.32, 0.14, 0.08)}
CONDIMENT_COLORS = {"mustard": (0.93, 0.72, 0.08), "ketchup": (0.72, 0.06, 0.03), "relish": (0.35, 0.55, 0.12),
                    "onions": (0.93, 0.90, 0.80), "chili": (0.42, 0.17, 0.08)}
SAUCES = ("mustard", "ketchup")  # drawn as lines, zigzags, waves or blobs
TOPPING_STYLES = ("line", "zigzag", "wave", "blobs")


def sample_sausage(rng: np.random.Generator, length=(0.11, 0.22), radius=(0.008, 0.016)) -> dict:
    """A sausage: pale frankfurter to charred, thin to thick, straight to curved."""
    kind, base = pick(rng, SAUSAGE_COLORS)
    return {"kind": kind, "length": uniform(rng, *length), "radius": uniform(rng, *radius), "bend": uniform(rng, -0.1, 0.1),
            "color": color_near(rng, base, 0.03), "grill_marks": int(rng.integers(0, 6)), "grill_angle": uniform(rng, -0.6, 0.6)}


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
            "kind": kind, "style": style, "color": color_near(rng, CONDIMENT_COLORS[kind], 0.03, 0.1),
            "waves": uniform(rng, 2.5, 8.0), "amplitude": uniform(rng, 0.2, 0.85), "phase": uniform(rng, 0, 6.283),
            "thickness": uniform(rng, 0.0018, 0.0035), "coverage": uniform(rng, 0.55, 0.92),
            "count": int(rng.integers(8, 40)),
        })
    return out


def sample_hotdog(rng: np.random.Generator) -> dict:
    sausage = sample_sausage(rng)
    return {
        "sausage": sausage,
        "bun": {"length": round(sausage["length"] * uniform(rng, 0.72, 1.05), 5), "half_width": uniform(rng, 0.017, 0.03),
                "height": uniform(rng, 0.024, 0.04), "opening_deg": uniform(rng, 2, 30), "roundness": uniform(rng, 2.2, 3.2),
                "crust_color": color_near(rng, (0.80, 0.50, 0.22), 0.04, 0.2),
                "crumb_color": color_near(rng, (0.95, 0.85, 0.64), 0.02, 0.05), "toast": uniform(rng, 0.0, 0.6)},
        "condiments": sample_toppings(rng),
        "detail_seed": detail_seed(rng),
    }


def bend_offset(s: dict, x) -> np.ndarray:
    """How far the axis of the bent sausage ``s`` lies from a straight one at ``x``: a parabola,
    ``bend * length`` in the middle and 0 at the ends."""
    return s["bend"] * s["length"] * (1 - (2 * np.asarray(x, float) / s["length"]) ** 2)


def build_sausage(s: dict, z_centre: float, y: float = 0.0, material: str = "sausage",
                  sideways: bool = False) -> tuple[Part, Callable]:
    """A capsule along x at height ``z_centre``, bent up (in a bun) or, ``sideways``, in the xy plane
    (lying on a plate); also returns ``top(x, y)``, its upper surface."""
    r, length = s["radius"], s["length"]
    xs, scales = _capsule_path(length, r)
    arc = bend_offset(s, xs)
    ys, zs = (y + arc, np.full_like(xs, z_centre)) if sideways else (np.full_like(xs, y), z_centre + arc)
    path = np.stack([xs, ys, zs], axis=1)
    verts, quads, tris = sweep(path, circle(18), np.maximum(scales, 1e-5), caps="pole", normal_hint=(0, 0, 1))
    base = np.asarray(s["color"])
    top = verts[:, 2] - zs.mean()
    shade = 1 - 0.35 * smoothstep(length / 2 - 1.5 * r, length / 2, np.abs(verts[:, 0]))  # darker, tighter ends
    colors = base * shade[:, None]
    if s["grill_marks"]:
        spacing = length / (s["grill_marks"] + 1)
        across = verts[:, 1] - bend_offset(s, verts[:, 0]) if sideways else verts[:, 1]
        u = verts[:, 0] + s["grill_angle"] * across
        stripe = np.abs(((u / spacing) + 0.5) % 1 - 0.5) < 0.12
        mark = stripe & (top > 0.2 * r) & (np.abs(verts[:, 0]) < length / 2 - r)
        colors[mark] *= 0.45

    def surface(x, yy):
        x, yy = np.asarray(x, float), np.asarray(yy, float) - y
        if sideways:
            return z_centre + np.sqrt(np.maximum(r * r - (yy - bend_offset(s, x)) ** 2, 0))
        return z_centre + bend_offset(s, x) + np.sqrt(np.maximum(r * r - yy * yy, 0))

    return part((verts, quads, tris), material, colors), surface


def build_toppings(rng: np.random.Generator, toppings: list[dict], length: float, r: float, surface,
                   centre: Callable | None = None) -> list[Part]:
    """Sauce lines, zigzags, waves or blobs and chunky bits (onions, relish, chili) on a surface,
    along the x axis or, with ``centre(x)``, along the sausage axis at ``y = centre(x)``."""
    parts = []
    lift = 0.0
    for c in toppings:
        half = c["coverage"] * length / 2
        if c["style"] in ("line", "zigzag", "wave"):
            xs = np.linspace(-half, half, 90)
            phase = c["waves"] * np.pi * (xs / half) + c["phase"]
            amp = 0.12 if c["style"] == "line" else c["amplitude"]
            wave = (2 / np.pi) * np.arcsin(np.sin(phase)) if c["style"] == "zigzag" else np.sin(phase * (0.3 if c["style"] == "line" else 1))
            ys = amp * r * wave if centre is None else amp * r * wave + centre(xs)
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
            y = rng.uniform(-0.8, 0.8) * r if centre is None else rng.uniform(-0.8, 0.8) * r + float(centre(x))
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
    crust = mix(b["crust_color"], np.asarray(b["crust_color"]) * 0.7, smoothstep(0.3, 1.0, (verts[:, 2] / height)) * b["toast"])
    colors = mix(b["crumb_color"], crust, smoothstep(0.08, 0.3, verts[:, 1] / half_w))
    angle = np.radians(b["opening_deg"])
    gap = max(0.0, 0.8 * r - 0.5 * height * np.sin(angle))
    right = part((verts, quads, tris), "bun", colors).transformed(rotation_matrix((1, 0, 0), -angle), (0, gap, 0))
    mirror = np.diag([1.0, -1.0, 1.0])
    left = Part(right.verts @ mirror, right.quads[:, ::-1], right.tris[:, ::-1], "bun", right.colors)

    # sausage: a slightly bent capsule lying in the slit, toppings on it
    sausage, surface = build_sausage(s, height * 0.45 + r * 0.35)
    parts = [left, right, sausage] + build_toppings(rng, p["condiments"], length, r, surface)
    return assemble(parts)


# --------------------------------------------------------------------------- sausages without a bun


def sample_sausage_plate(rng: np.random.Generator) -> dict:
    n = int(rng.integers(1, 4))
    return {"sausages": [sample_sausage(rng, (0.1, 0.2), (0.009, 0.016)) for _ in range(n)],
            "gap": uniform(rng, 0.003, 0.012), "toppings": sample_toppings(rng, p_none=0.6) if n == 1 else [],
            "detail_seed": detail_seed(rng)}


def build_sausage_plate(p: dict) -> Food:
    """One to three sausages side by side on the plate, each bent sideways (in the plate's plane)
    and turned a little; the sausages are spaced so that their bends never cross."""
    rng = np.random.default_rng(p["detail_seed"])
    parts = []
    y = 0.0
    for i, s in enumerate(p["sausages"]):
        if i:
            prev = p["sausages"][i - 1]
            x = np.linspace(-0.5, 0.5, 21) * min(prev["length"], s["length"])
            overlap = max(0.0, float(np.max(bend_offset(prev, x) - bend_offset(s, x))))
            y += prev["radius"] + s["radius"] + p["gap"] + overlap
        sausage, _ = build_sausage(s, s["radius"], y, sideways=True)
        parts.append(sausage.transformed(rotation_matrix((0, 0, 1), rng.uniform(-0.15, 0.15))))
    if p["toppings"]:
        s = p["sausages"][0]
        surface = build_sausage(s, s["radius"], sideways=True)[1]
        parts += build_toppings(rng, p["toppings"], s["length"], s["radius"], surface, lambda x: bend_offset(s, x))
    return assemble(parts)


def sample_hotdogs(rng: np.random.Generator) -> dict:
    """Two to four hotdogs side by side, as a paper tray or a plate of them is photographed."""
    n = int(rng.integers(2, 5))
    return {"hotdogs": [sample_hotdog(rng) for _ in range(n)], "gap": uniform(rng, 0.0, 0.012),
            "stagger": uniform(rng, 0.0, 0.03), "detail_seed": detail_seed(rng)}


def build_hotdogs(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    parts, materials, y = [], {}, 0.0
    for i, params in enumerate(p["hotdogs"]):
        one = build_hotdog(params).centered()
        width = float(np.ptp(one.frame_verts[:, 1]))
        if i:
            y += width / 2
        turn = rotation_matrix((0, 0, 1), rng.normal(0, 0.08))
        parts += [q.transformed(turn, (rng.uniform(-p["stagger"], p["stagger"]), y, 0)) for q in one.parts]
        materials.update(one.materials)
        y += width / 2 + p["gap"]
    return Food(parts, materials)
