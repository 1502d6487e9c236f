"""What the samplers and builders of every food kind share: rounded draws, colours near a base,
blends, and smooth random outlines.

A sampler draws from the ``numpy.random.Generator`` its caller hands down and returns plain Python
numbers (rounded, so a record stays short and survives JSON); a builder draws its small details
from a generator seeded with the record's ``detail_seed``.
"""

from __future__ import annotations

import numpy as np


def uniform(rng: np.random.Generator, low: float, high: float) -> float:
    """A uniform draw in ``[low, high)``, rounded to 5 decimals."""
    return round(float(rng.uniform(low, high)), 5)


def color_near(rng: np.random.Generator, base, jitter: float = 0.04, brightness: float = 0.12) -> list[float]:
    """``base`` (sRGB) with its brightness scaled by up to ``brightness`` and each channel jittered."""
    base = np.asarray(base, dtype=float) * (1 + rng.uniform(-brightness, brightness))
    return [round(float(v), 4) for v in np.clip(base + rng.normal(0, jitter, 3), 0, 1)]


def pick(rng: np.random.Generator, options: dict) -> tuple[str, object]:
    """One ``(name, value)`` of ``options``, each equally likely."""
    name = list(options)[int(rng.integers(len(options)))]
    return name, options[name]


def detail_seed(rng: np.random.Generator) -> int:
    """The seed a builder draws its small details from (sprinkles, seeds, a pile of fries)."""
    return int(rng.integers(0, 2**31 - 1))


def mix(a, b, t) -> np.ndarray:
    """Blend colours ``a`` and ``b`` by ``t`` (a scalar or one weight per vertex)."""
    t = np.clip(np.asarray(t, dtype=float), 0, 1)[..., None]
    return np.asarray(a, dtype=float) * (1 - t) + np.asarray(b, dtype=float) * t


def smoothstep(lo: float, hi: float, x) -> np.ndarray:
    """0 below ``lo``, 1 above ``hi``, a smooth cubic between."""
    t = np.clip((np.asarray(x, dtype=float) - lo) / (hi - lo), 0, 1)
    return t * t * (3 - 2 * t)



def wobble(rng: np.random.Generator, theta: np.ndarray, amount: float, n_terms: int = 4) -> np.ndarray:
    """A smooth random function of the angle ``theta`` (for irregular outlines)."""
    out = np.zeros_like(theta)
    for k in range(1, n_terms + 1):
        out += rng.normal(0, 1) / k * np.sin(k * theta + rng.uniform(0, 2 * np.pi))
    return amount * out / 2


def wobbly_outline(rng: np.random.Generator, radius: float, n: int, amount: float) -> tuple[np.ndarray, np.ndarray]:
    """A closed, irregular outline around the origin (a cookie, a fried egg): its ``n`` points as an
    ``(n, 2)`` section for :func:`~hotdog.render.shapes.sweep`, and each point's distance from the centre."""
    theta = np.linspace(0, 2 * np.pi, n, endpoint=False)
    radii = radius * (1 + wobble(rng, theta, amount))
    return np.stack([radii * np.cos(theta), radii * np.sin(theta)], 1), radii
