"""A hand holding the food, as people photograph a hotdog (or a burger, a taco) in the street:
the palm under the food, four fingers curled up one long side, the thumb over the other, and
the wrist and a sleeve reaching away, lower, out of the frame. A serving kind (``"hand"``), drawn in the share
``RenderConfig.hand_p`` of the images of any food, so a hand says nothing about the label.

Scenery like the other servings: not framed, left alone by the material jitter. Sizes are an
adult's hand, in metres.
"""

from __future__ import annotations

import numpy as np

from hotdog.render.foods.common import color_near, detail_seed, mix, uniform
from hotdog.render.shapes import Part, capsule_profile, circle, merge, part, rotation_matrix, sphere, sweep

SKIN = ((0.96, 0.8, 0.69), (0.36, 0.22, 0.15))  # the lightest and darkest skin tones, mixed by a draw
SLEEVES = [(0.15, 0.15, 0.18), (0.85, 0.85, 0.83), (0.2, 0.3, 0.55), (0.55, 0.1, 0.1), (0.35, 0.4, 0.3)]


def sample_hand(rng: np.random.Generator) -> dict:
    """A hand: skin tone, sleeve colour, size, where along the food it grips, from which side."""
    return {"kind": "hand", "skin": [round(float(c), 4) for c in mix(*SKIN, rng.uniform(0, 1))],
            "sleeve": color_near(rng, SLEEVES[int(rng.integers(len(SLEEVES)))], 0.03, 0.15),
            "size": uniform(rng, 0.85, 1.15), "along": uniform(rng, -0.3, 0.3), "side": int(rng.choice([-1, 1])),
            "detail_seed": detail_seed(rng)}


def _digit(points, radius: float, color) -> Part:
    """A finger along the polyline through ``points`` (sampled at 14 points), rounded at both ends."""
    points = np.asarray(points, float)
    t = np.linspace(0, 1, 14)
    knots = np.linspace(0, 1, len(points))
    path = np.stack([np.interp(t, knots, points[:, k]) for k in range(3)], 1)
    scales = np.clip(capsule_profile(14, 6.0), 0.3, 1)
    return part(sweep(path, circle(8, radius), scales, caps="flat"), "skin", color, framed=False)


def hand_parts(spec: dict, footprint: np.ndarray, floor: float, top: float) -> list[Part]:
    """The hand round a food whose xy half-extents are ``footprint``, from ``floor`` up to ``top``: it
    grips across the food's short side, at ``along`` of its long half-length."""
    k = spec["size"]
    long_x = footprint[0] >= footprint[1]
    length, w = (footprint[0], footprint[1]) if long_x else (footprint[1], footprint[0])
    w = min(w, 0.045 * k)  # a hand spans no more: a wider food (a plate, a pizza) rests on the fingers
    x0 = spec["along"] * length
    h = top - floor
    palm_y = -w * 0.2
    palm = sphere(1.0, 6, 14, 1.0)
    palm = (palm[0] * [0.042 * k, 0.045 * k, 0.012 * k] + [x0, palm_y, floor - 0.012 * k], palm[1], palm[2])
    skin = spec["skin"]
    parts = [part(palm, "skin", skin, framed=False)]
    for i, dx in enumerate(np.array([-1.5, -0.5, 0.5, 1.5]) * 0.019 * k):
        reach = 1 - 0.08 * abs(i - 1.5)
        parts.append(_digit([(x0 + dx, palm_y + 0.03 * k, floor - 0.014 * k), (x0 + dx, w + 0.006, floor - 0.004),
                             (x0 + dx * 1.1, w + 0.01, floor + h * 0.45 * reach), (x0 + dx * 1.1, w - 0.004, floor + h * 0.8 * reach)],
                            0.0085 * k, skin))
    parts.append(_digit([(x0 + 0.04 * k, palm_y, floor - 0.01 * k), (x0 + 0.045 * k, -w - 0.008, floor + h * 0.3),
                         (x0 + 0.03 * k, -w + 0.002, floor + h * 0.85)], 0.0095 * k, skin))
    wrist = np.array([[x0, palm_y - 0.035 * k, floor - 0.014 * k], [x0, -w - 0.3, floor - 0.08]])
    t = np.linspace(0, 1, 12)[:, None]
    arm = sweep(wrist[0] * (1 - t) + wrist[1] * t, circle(12, 0.026 * k), np.linspace(1, 1.35, 12), caps="flat")
    colors = np.where((arm[0][:, 1] < palm_y - 0.1 * k)[:, None], spec["sleeve"], skin)
    parts.append(part(arm, "skin", colors, framed=False))
    turn = rotation_matrix((0, 0, 1), (0.0 if long_x else np.pi / 2) + (np.pi if spec["side"] < 0 else 0.0))
    return [merge(parts).transformed(turn)]
