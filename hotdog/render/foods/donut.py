"""A donut: a squashed torus of dough with a pale band round its middle, often iced (pink,
chocolate, white, caramel) with a wavy edge, sometimes with sprinkles."""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.common import color_near, detail_seed, mix, pick, smoothstep, uniform, wobble
from hotdog.render.foods.materials import assemble
from hotdog.render.shapes import Food, circle, lathe, merge, part, rotation_matrix, sweep

ICING_COLORS = {"pink": (0.96, 0.52, 0.68), "chocolate": (0.33, 0.17, 0.09), "white": (0.95, 0.92, 0.86),
                "caramel": (0.84, 0.56, 0.26), "none": None}
SPRINKLE_COLORS = [(0.95, 0.2, 0.25), (0.2, 0.55, 0.95), (0.98, 0.85, 0.2), (0.3, 0.8, 0.35), (0.98, 0.97, 0.95),
                   (0.9, 0.45, 0.85)]
DONUT_MATERIALS = {"dough": {"roughness": 0.75, "sheen": 0.3}, "icing": {"roughness": 0.2, "coat": 0.4},
                   "sprinkles": {"roughness": 0.35}}


def sample_donut(rng: np.random.Generator) -> dict:
    icing, base = pick(rng, ICING_COLORS)
    return {
        "ring_radius": uniform(rng, 0.034, 0.044), "tube_radius": uniform(rng, 0.014, 0.02), "squash": uniform(rng, 0.75, 0.95),
        "dough_color": color_near(rng, (0.80, 0.52, 0.24), 0.03),
        "icing": icing, "icing_color": color_near(rng, base, 0.03) if base else None,
        "icing_reach": uniform(rng, 0.15, 0.55), "icing_waviness": uniform(rng, 0.05, 0.3),
        "sprinkles": int(rng.integers(15, 60)) if base and rng.random() < 0.5 else 0,
        "detail_seed": detail_seed(rng),
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
    top = smoothstep(-r, r, verts[:, 2] / squash)
    colors = mix(np.asarray(p["dough_color"]) * 1.12, np.asarray(p["dough_color"]) * 0.82, top)
    pale = np.abs(np.hypot(verts[:, 0], verts[:, 1]) - R) > r * 0.9  # a pale band round the equator
    colors[pale & (np.abs(verts[:, 2]) < r * 0.25)] = np.minimum(1, np.asarray(p["dough_color"]) * 1.3)
    parts = [part((verts, quads, tris), "dough", colors)]
    if p["icing"] != "none":
        n_phi, n_s = 64, 14
        phi = np.linspace(0, 2 * np.pi, n_phi, endpoint=False)[:, None]
        reach = np.pi / 2 + p["icing_reach"] + p["icing_waviness"] * np.sin(7 * phi + rng.uniform(0, 6.3)) \
            + wobble(rng, phi, p["icing_waviness"])
        s = np.linspace(-1, 1, n_s)[None, :]
        theta = s * reach  # inside edge, over the top, outside edge
        pts = _torus_point(R, r * 1.06, phi, theta, squash).reshape(-1, 3)
        ids = np.arange(n_phi * n_s).reshape(n_phi, n_s)
        a = np.arange(n_phi)[:, None]
        b = np.arange(n_s - 1)[None, :]
        icing_quads = np.stack([ids[a, b], ids[a, b + 1], ids[(a + 1) % n_phi, b + 1], ids[(a + 1) % n_phi, b]], -1)
        parts.append(part((pts, icing_quads.reshape(-1, 4), np.zeros((0, 3))), "icing", p["icing_color"]))
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
    return assemble(parts, DONUT_MATERIALS)
