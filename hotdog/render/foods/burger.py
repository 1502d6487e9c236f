"""The burger: bottom bun, lettuce, an irregular patty, a drooping cheese slice, tomato, a domed top
bun with sesame seeds; each layer but the buns and the patty is optional."""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.common import color_near, detail_seed, mix, smoothstep, uniform, wobble
from hotdog.render.foods.materials import assemble
from hotdog.render.shapes import (
    Food, Part, dome_profile, lathe, merge, part, polyline, rotation_matrix, rounded_cylinder_profile, sweep,
)

BURGER_MATERIALS = {"bun": {"roughness": 0.7, "sheen": 0.3, "coat": 0.15}, "patty": {"roughness": 0.85},
                    "cheese": {"roughness": 0.45}, "lettuce": {"roughness": 0.5},
                    "tomato": {"roughness": 0.25, "coat": 0.3}, "sesame": {"roughness": 0.5}}


def sample_burger(rng: np.random.Generator) -> dict:
    radius = uniform(rng, 0.045, 0.06)
    return {
        "radius": radius,
        "bottom_height": uniform(rng, 0.012, 0.02), "top_height": uniform(rng, 0.022, 0.038),
        "bun_color": color_near(rng, (0.82, 0.50, 0.20), 0.03), "crumb_color": color_near(rng, (0.94, 0.84, 0.62), 0.02, 0.05),
        "patty_height": uniform(rng, 0.009, 0.016), "patty_scale": uniform(rng, 1.0, 1.1),
        "patty_color": color_near(rng, (0.32, 0.18, 0.10), 0.02),
        "cheese": bool(rng.random() < 0.7), "cheese_color": color_near(rng, (0.98, 0.68, 0.12), 0.03),
        "cheese_angle": uniform(rng, 0, 1.57), "cheese_droop": uniform(rng, 0.5, 1.5),
        "lettuce": bool(rng.random() < 0.7), "lettuce_color": color_near(rng, (0.38, 0.66, 0.16), 0.04),
        "lettuce_scale": uniform(rng, 1.05, 1.2), "lettuce_waves": int(rng.integers(6, 11)),
        "tomato": bool(rng.random() < 0.5), "tomato_color": color_near(rng, (0.85, 0.15, 0.08), 0.03),
        "sesame": int(rng.integers(0, 45)) if rng.random() < 0.65 else 0,
        "detail_seed": detail_seed(rng),
    }


def build_burger(p: dict) -> Food:
    rng = np.random.default_rng(p["detail_seed"])
    R = p["radius"]
    parts = []
    z = 0.0
    # bottom bun: crust below, crumb on its cut top
    verts, quads, tris = lathe(rounded_cylinder_profile(R, p["bottom_height"], p["bottom_height"] * 0.45, 5), 32)
    colors = mix(p["bun_color"], p["crumb_color"], smoothstep(0.85, 1.0, verts[:, 2] / p["bottom_height"]))
    parts.append(part((verts, quads, tris), "bun", colors))
    z += p["bottom_height"]
    if p["lettuce"]:
        parts.append(_lettuce(rng, R * p["lettuce_scale"], z, p["lettuce_waves"], p["lettuce_color"]))
        z += 0.002
    # patty: irregular, bumpy, with darker crust spots
    ph = p["patty_height"]
    verts, quads, tris = lathe(rounded_cylinder_profile(R * p["patty_scale"], ph, ph * 0.45, 5, z0=z), 40)
    theta = np.arctan2(verts[:, 1], verts[:, 0])
    rho = 1 + wobble(rng, theta, 0.05) + rng.normal(0, 0.012, len(verts))
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
    colors = mix(p["crumb_color"], p["bun_color"], smoothstep(0.0, th * 0.25, verts[:, 2]))
    colors = mix(colors, np.asarray(p["bun_color"]) * 0.78, smoothstep(th * 0.6, th, verts[:, 2]))
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
    return assemble(parts, BURGER_MATERIALS)


def _lettuce(rng, radius: float, z: float, waves: int, color) -> Part:
    theta = np.linspace(0, 2 * np.pi, 72, endpoint=False)
    outline = radius * (1 + 0.07 * np.sin(waves * theta + rng.uniform(0, 6.3)) + wobble(rng, theta, 0.06))
    section = np.stack([outline * np.cos(theta), outline * np.sin(theta)], axis=1)
    path = np.array([[0, 0, z], [0, 0, z + 0.0015]])
    verts, quads, tris = sweep(path, section, caps="flat", normal_hint=(1, 0, 0))
    rho = np.hypot(verts[:, 0], verts[:, 1])
    phi = np.arctan2(verts[:, 1], verts[:, 0])
    verts[:, 2] += 0.006 * np.sin(waves * 1.5 * phi) * (rho / radius) ** 2 - 0.004 * (rho / radius) ** 3
    colors = mix(color, np.asarray(color) * 1.25 + 0.08, smoothstep(0.5, 1.0, rho / radius))
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
