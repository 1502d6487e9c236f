"""What a :class:`~hotdog.render.spec.RenderConfig` may hold, checked once when one is made: ranges within
their bounds and in order, shares between 0 and 1, kinds the renderer knows, one probability per serving
kind. Each problem names its field, so ``--set`` can say which option to change and what it takes."""

from __future__ import annotations

import json
import math

from hotdog.fields import is_number
from hotdog.render.foods import SERVINGS
from hotdog.render.scenery import SURFACE_KINDS


class SettingError(ValueError):
    """A RenderConfig field with a value it cannot render: ``field``, ``what`` it takes and the ``value``."""

    def __init__(self, field: str, what: str, value):
        self.field, self.what, self.value = field, what, value
        super().__init__(f"RenderConfig.{field} {what}, not {value!r}")


def as_json(value) -> str:
    return json.dumps(value, separators=(",", ":"), default=str)


# Ranges (low, high): each (smallest low, largest high, whole numbers?); a range needs low <= high.
RANGES = {"elevation_deg": (-90, 90, False), "photo_elevation_deg": (-90, 90, False),
          "distance_factor": (0.05, 20, False), "focal_mm": (1, 1000, False), "n_lights": (0, 16, True),
          "light_strength": (0, math.inf, False), "ambient": (0, math.inf, False), "noise_sigma": (0, 255, False),
          "blur_radius": (0, 64, False), "light_temperature_k": (1000, 40000, False),
          "material_saturation": (0, 10, False), "material_value": (0, 10, False),
          "material_roughness": (0, 10, False), "n_distractors": (0, 16, True), "saturation": (0, 10, False),
          "contrast": (0, 10, False), "jpeg_quality": (1, 100, True), "hdri_strength": (0, math.inf, False),
          "food_texture": (0, 1, False)}
SHARES = ("photo_background_p", "mesh_p", "noise_p", "blur_p", "ground_p", "jpeg_p", "surface_p", "hdri_p",
          "offcentre", "dof_p", "vignette_p", "motion_blur_p", "hand_p", "color_shift", "brightness")
LIGHT_KINDS, BACKGROUND_KINDS = ("sun", "point", "area"), ("gradient", "noise", "solid")


def problems(config, randomizations: tuple[str, ...], rotation_modes: tuple[str, ...]):
    """``(field, what it takes)`` for each setting ``config`` (a RenderConfig, whose randomization switches
    and rotation modes are ``randomizations`` and ``rotation_modes``) cannot render, in field order."""
    RANDOMIZATIONS, ROTATION_MODES = randomizations, rotation_modes  # noqa: N806

    def number(x, whole=False) -> bool:
        return is_number(x) and (not whole or float(x).is_integer())

    unknown = set(config.randomize) - set(RANDOMIZATIONS)
    if unknown:
        yield "randomize", f"switches are {', '.join(RANDOMIZATIONS)} ({', '.join(sorted(unknown))} is none of them)"
    if config.rotation_mode not in ROTATION_MODES:
        yield "rotation_mode", f"is one of {', '.join(ROTATION_MODES)}"
    for name, low in (("n_images", 0), ("samples", 1), ("image_size", 8)):
        if not isinstance(getattr(config, name), int) or getattr(config, name) < low:
            yield name, f"must be a whole number, {low} or more"
    if not isinstance(config.seed, int) or not 0 <= config.seed < 2**32:
        yield "seed", f"must be a whole number from 0 to {2**32 - 1}"
    for name in SHARES:
        if not number(getattr(config, name)) or not 0 <= getattr(config, name) <= 1:
            yield name, "is a share between 0 and 1"
    if not number(config.material_hue) or not 0 <= config.material_hue <= 0.5:
        yield "material_hue", "is a shift of hue between 0 and 0.5 of the colour circle"
    for name in ("sensor_mm", "photo_tilt_deg"):
        if not number(getattr(config, name)) or not 0 < getattr(config, name) < 1000:
            yield name, "is a number above 0"
    for name, (low, high, whole) in RANGES.items():
        pair = getattr(config, name)
        if len(pair) != 2 or not all(number(x, whole) for x in pair) or not low <= pair[0] <= pair[1] <= high:
            kind = "whole numbers" if whole else "numbers"
            yield name, f"is a range [low, high] of {kind} from {low} to {high}, low <= high"
    for name, known in (("light_kinds", LIGHT_KINDS), ("background_kinds", BACKGROUND_KINDS),
                        ("serving_kinds", SERVINGS), ("surface_kinds", SURFACE_KINDS)):
        if not getattr(config, name) or set(getattr(config, name)) - set(known):
            yield name, f"is one or more of {', '.join(known)}"
    p = config.serving_p
    if len(p) != len(config.serving_kinds) or not all(number(x) and x >= 0 for x in p) or not sum(p) > 0:
        yield "serving_p", (f"is one probability for each of serving_kinds ({', '.join(config.serving_kinds)}), "
                            f"0 or more, not all 0")
