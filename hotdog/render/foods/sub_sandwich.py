"""A sub sandwich (two bread halves with layers of filling) or a baguette (one scored loaf): long
bread, the hotdog's closest look-alike."""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.common import color_near, detail_seed, mix, smoothstep, uniform
from hotdog.render.foods.materials import assemble
from hotdog.render.shapes import Food, part, superellipse, sweep

SUB_MATERIALS = {"lettuce": {"roughness": 0.5}, "tomato": {"roughness": 0.25, "coat": 0.3},
                 "cheese": {"roughness": 0.45}}


def sample_sub_sandwich(rng: np.random.Generator) -> dict:
    style = "sub" if rng.random() < 0.7 else "baguette"
    fillings = []
    if style == "sub":
        options = {"lettuce": (0.40, 0.68, 0.18), "tomato": (0.85, 0.16, 0.08), "cheese": (0.98, 0.80, 0.30),
                   "ham": (0.93, 0.58, 0.55), "salami": (0.65, 0.16, 0.14), "turkey": (0.90, 0.80, 0.66)}
        for i in rng.choice(len(options), size=int(rng.integers(2, 5)), replace=False):
            name = list(options)[int(i)]
            fillings.append({"kind": name, "color": color_near(rng, options[name], 0.03), "thickness": uniform(rng, 0.003, 0.007),
                             "overhang": uniform(rng, 0.0, 0.006)})
    return {
        "style": style, "length": uniform(rng, 0.18, 0.30) if style == "sub" else uniform(rng, 0.24, 0.34),
        "half_width": uniform(rng, 0.022, 0.035) if style == "sub" else uniform(rng, 0.018, 0.024),
        "height": uniform(rng, 0.03, 0.05), "roundness": uniform(rng, 2.0, 3.0), "cuts": int(rng.integers(3, 7)),
        "crust_color": color_near(rng, (0.80, 0.55, 0.26) if style == "sub" else (0.76, 0.50, 0.20), 0.04, 0.18),
        "crumb_color": color_near(rng, (0.95, 0.88, 0.70), 0.02, 0.05), "fillings": fillings,
        "detail_seed": detail_seed(rng),
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
        top = smoothstep(0.0, h / 2, verts[:, 2] - z0)
        return mix(p["crust_color"], np.asarray(p["crust_color"]) * 0.78, top) * rng.uniform(0.95, 1.05, (len(verts), 1))

    parts = []
    if p["style"] == "baguette":
        verts, quads, tris = _loaf(L, w, h * 0.8, p["roundness"])
        colors = crust_colors(verts, 0)
        for k in range(p["cuts"]):  # diagonal scores on top, paler
            cx = (k + 0.5 - p["cuts"] / 2) * L * 0.8 / p["cuts"]
            score = (np.abs((verts[:, 0] - cx) - 0.6 * verts[:, 1]) < L * 0.02) & (verts[:, 2] > h * 0.15)
            colors[score] = mix(colors[score], p["crumb_color"], 0.6)
        parts.append(part((verts, quads, tris), "bun", colors).transformed(offset=(0, 0, h * 0.4)))
        return assemble(parts)
    # a sub: bottom half, fillings, top half, all along x
    bottom = sweep(np.stack([np.linspace(-L / 2, L / 2, 32), np.zeros(32), np.zeros(32)], 1),
                   superellipse(14, w, h * 0.35, p["roundness"], np.pi, 2 * np.pi, endpoint=True),
                   np.maximum(np.repeat((np.clip(1 - np.abs(np.linspace(-1, 1, 32)) ** 2.5, 0, 1) ** 0.4)[:, None], 2, 1), 1e-3),
                   caps="pole", normal_hint=(0, 1, 0))
    verts, quads, tris = bottom
    colors = mix(p["crumb_color"], p["crust_color"], smoothstep(-0.004, -0.012, verts[:, 2]))
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
    colors = mix(p["crumb_color"], crust_colors(verts, z), smoothstep(z + 0.002, z + 0.008, verts[:, 2]))
    parts.append(part((verts, quads, tris), "bun", colors))
    return assemble(parts, SUB_MATERIALS)
