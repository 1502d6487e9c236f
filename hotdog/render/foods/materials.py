"""Materials: the one way a builder gives its parts shader settings, and the record's material jitter.

Every builder ends with :func:`assemble`: the parts, and for each material name they use (in the
order the parts first use it) its settings from the builder's own table, else from the shared
:data:`MATERIALS` (bun, sausage, condiments), else none (Blender's defaults). The Blender worker
makes one Principled BSDF per name with these settings and the parts' per-vertex colours.

:func:`jitter_materials` then applies a record's material jitter (hue, saturation, value, roughness)
to the food, leaving its scenery (plates, distractors: :data:`SERVING_MATERIALS`) alone.
"""

from __future__ import annotations

import numpy as np

from hotdog.render.shapes import Food, Part

# shared by the kinds that have these parts (the hotdog, sausages without a bun, subs, corn dogs)
MATERIALS = {"bun": {"roughness": 0.8, "sheen": 0.4}, "sausage": {"roughness": 0.35, "coat": 0.35},
             "mustard": {"roughness": 0.3}, "ketchup": {"roughness": 0.25, "coat": 0.2}, "relish": {"roughness": 0.4},
             "onions": {"roughness": 0.3, "coat": 0.2}, "chili": {"roughness": 0.6}}
# scenery materials stay simple (no coat or sheen layers): they cover much of the frame, and cost render time
SERVING_MATERIALS = {"plate": {"roughness": 0.2}, "bowl": {"roughness": 0.2}, "napkin": {"roughness": 0.9},
                     "paper_tray": {"roughness": 0.85}, "foil": {"roughness": 0.25, "metallic": 1.0},
                     "skin": {"roughness": 0.5}}


def assemble(parts: list[Part], materials: dict | None = None) -> Food:
    """A :class:`Food` of ``parts`` with the settings of each material they use (see the module)."""
    table = {**MATERIALS, **(materials or {})}
    return Food(parts, {k: table.get(k, {}) for k in dict.fromkeys(q.material for q in parts)})


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
    texture = {"texture": jitter["texture"]} if "texture" in jitter else {}  # RenderConfig.food_texture
    materials = {k: ({**v, "roughness": float(np.clip(v.get("roughness", 0.5) * rough, 0.02, 1)), **texture}
                     if k not in SERVING_MATERIALS else v)
                 for k, v in food.materials.items()}
    return Food(parts, materials)
