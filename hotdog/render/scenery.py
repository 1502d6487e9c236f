"""The parts of a food photo's scene that a record can ask for: a table under the food, a world HDRI
around it, the food off the centre of the frame, a shallow depth of field (drawn by
:mod:`hotdog.render.blender.surroundings` and the camera of :mod:`hotdog.render.blender.scene`).

:func:`add_photo_scene` adds them to a record only when its config asks for them
(``RenderConfig.surface_p``, ``hdri_p``, ``offcentre``, ``dof_p``, ``vignette_p``, ``motion_blur_p``,
``hand_p``), each from its own generator, so the records of
every other config, and every other part of these, stay as they were. Tables and HDRIs belong to the
``background`` switch; the off-centre shift, the depth of field, vignetting and motion blur to the ``camera``
switch; the hand to the ``serving`` switch.
"""

from __future__ import annotations

import numpy as np

from hotdog import seeds
from hotdog.render.foods.hand import sample_hand

# Tables the food can stand on, drawn in 3D with Blender's procedural textures (blender/surroundings.py)
SURFACE_KINDS = ("wood", "marble", "checked", "cloth", "metal", "slate", "paper")
# The world HDRIs bundled with the bpy wheel (datafiles/studiolights/world/<name>.exr): light and surroundings
HDRIS = ("city", "courtyard", "forest", "interior", "night", "studio", "sunrise", "sunset")


def add_photo_scene(record: dict, config) -> None:
    """The parts of a food photo's scene, each only in records of configs that ask for it (so records
    of other configs are unchanged): the camera's off-centre shift, a 3D table, a world HDRI, a shallow
    depth of field, a hand holding the food, vignetting and motion blur. A table casts real shadows, so it
    replaces the 2D drop shadow and the shadow catcher."""
    seed = record["seed"]
    if config.offcentre > 0 and config.on("camera"):
        rng = seeds.generator(int(seed), "offcentre")
        record["camera"]["offset"] = rng.uniform(-config.offcentre, config.offcentre, 2).tolist()
    if config.surface_p > 0 and config.on("background"):
        record["surface"] = sample_surface(seeds.generator(int(seed), "surface"), config)
        if record["surface"]:
            record["ground"] = {"shadow_catcher": False, "drop_shadow": None}
    if config.hdri_p > 0 and config.on("background"):
        record["world"]["hdri"] = sample_hdri(seeds.generator(int(seed), "hdri"), config)
    if config.dof_p > 0 and config.on("camera"):
        dof = sample_depth_of_field(seeds.generator(int(seed), "dof"), config)
        if dof:
            record["camera"]["dof"] = dof
    if config.hand_p > 0 and config.on("serving") and config.rotation_mode == "food_photo":
        rng = seeds.generator(int(seed), "hand")
        if rng.random() < config.hand_p:  # a hand instead of the plate, napkin or tray
            record["serving"] = sample_hand(rng)
    if (config.vignette_p > 0 or config.motion_blur_p > 0) and config.on("camera"):
        record["effects"].update(sample_lens(seeds.generator(int(seed), "lens"), config))


def sample_lens(rng: np.random.Generator, config) -> dict:
    """What a phone's lens and a shaking hand add (2D, effects.py): vignetting (``vignette_p`` of the
    images, the corners 10 to 50 % darker) and motion blur (``motion_blur_p``, 1 to 5 pixels at any angle)."""
    vignette, shake = rng.random(2)
    strength, length, angle = rng.uniform(0.1, 0.5), rng.uniform(1.0, 5.0), rng.uniform(0, 180)  # drawn every time,
    out = {}  # so one share does not change the other's values
    if vignette < config.vignette_p:
        out["vignette"] = float(strength)
    if shake < config.motion_blur_p:
        out["motion_blur"] = {"length": float(length), "angle_deg": float(angle)}
    return out


def sample_depth_of_field(rng: np.random.Generator, config) -> dict | None:
    """A shallow depth of field (``dof_p`` of the images): the camera focused on the food's centre at an
    f-number from f/2.8 to f/11, even on a log scale: at the food's close range that blurs the table behind
    it and softens the food's own near and far ends (f/1.4 blurred the food itself past recognition)."""
    if rng.random() >= config.dof_p:
        return None
    return {"fstop": float(np.exp(rng.uniform(np.log(2.8), np.log(11.0))))}


def sample_surface(rng: np.random.Generator, config) -> dict | None:
    """A table under the food (``surface_p`` of the images): its kind, two colours, the texture's
    scale (pattern cells per food radius), rotation, roughness and bump."""
    if rng.random() >= config.surface_p:
        return None
    kind = config.surface_kinds[int(rng.integers(len(config.surface_kinds)))]
    base, second = SURFACE_COLORS[kind]
    if kind in ("checked", "cloth") and rng.random() < 0.5:  # tablecloths come in every colour
        base = background_color(rng)
    return {"kind": kind, "colors": [_jitter_color(rng, base), _jitter_color(rng, second)],
            "scale": _uniform(rng, 0.5, 3.0), "rotation_deg": _uniform(rng, 0, 180), "roughness": _uniform(rng, 0.25, 0.9),
            "bump": _uniform(rng, 0.05, 0.4)}


# each surface kind's two colours (sRGB): wood grain, marble veins, cloth checks, brushed metal, slate, paper
SURFACE_COLORS = {"wood": ((0.45, 0.28, 0.14), (0.25, 0.14, 0.06)), "marble": ((0.9, 0.89, 0.86), (0.45, 0.45, 0.47)),
                  "checked": ((0.75, 0.1, 0.08), (0.95, 0.95, 0.92)), "cloth": ((0.8, 0.78, 0.72), (0.6, 0.58, 0.52)),
                  "metal": ((0.7, 0.7, 0.72), (0.5, 0.5, 0.52)), "slate": ((0.18, 0.18, 0.19), (0.1, 0.1, 0.11)),
                  "paper": ((0.92, 0.9, 0.84), (0.8, 0.72, 0.55))}


def sample_hdri(rng: np.random.Generator, config) -> dict | None:
    """A world HDRI (``hdri_p`` of the images): which, its turn about the vertical and its strength."""
    if rng.random() >= config.hdri_p:
        return None
    return {"name": HDRIS[int(rng.integers(len(HDRIS)))], "rotation_deg": _uniform(rng, 0, 360),
            "strength": _uniform(rng, *config.hdri_strength)}


def _jitter_color(rng: np.random.Generator, color) -> list[float]:
    """``color`` with its hue nudged and its value scaled, so tables of one kind differ."""
    c = np.asarray(color) * rng.uniform(0.7, 1.25) + rng.normal(0, 0.04, 3)
    return np.clip(c, 0, 1).tolist()


def background_color(rng: np.random.Generator) -> list[float]:
    """Table, wall and plate colours: mostly muted, sometimes bright."""
    if rng.random() < 0.7:
        grey = rng.uniform(0.15, 0.95)
        return np.clip(grey + rng.normal(0, 0.08, 3), 0, 1).tolist()
    return rng.random(3).tolist()


def _uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return float(rng.uniform(low, high))
