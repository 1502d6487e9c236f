"""What each synthetic image shows, decided in pure Python before Blender is touched.

:func:`sample_records` turns a :class:`RenderConfig` into a list of small JSON-serialisable records,
one per image: food kind and its shape parameters and colours, object rotation, camera, lights,
background and the 2D effects (colour shift, noise, blur). Blender only draws a record, so every
image can be re-rendered from the manifest and an ablation is a change of one distribution here.

Randomness is explicit: each record gets its own seed, derived from the config's seed and the
image's index, and a ``numpy.random.Generator`` made from it is handed down to every sampler. No
global random state is read or changed. A record depends only on (config, index), never on
``n_images``, so a bigger run with the same config starts with the same images as a smaller one.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from hotdog.render.assets import MODEL_KIND, list_models
from hotdog.render.foods import FOODS, HOTDOG, NOT_HOTDOG, kinds_with_label

LABELS = (HOTDOG, NOT_HOTDOG)
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".bmp")


@dataclass(frozen=True)
class RenderConfig:
    """Everything that decides the synthetic data set; the defaults are the article's render settings
    (128x128, Cycles with 8 samples and the denoiser) with our own distributions for the scene."""

    n_images: int = 600
    seed: int = 0
    image_size: int = 128
    samples: int = 8
    not_hotdog_kinds: tuple[str, ...] = ()  # empty: every registered not-hotdog food
    # camera: direction on the upper hemisphere, distance so the food fills 1/factor of the frame
    elevation_deg: tuple[float, float] = (10.0, 75.0)
    distance_factor: tuple[float, float] = (1.05, 1.4)
    focal_mm: tuple[float, float] = (35.0, 85.0)
    sensor_mm: float = 36.0
    # lights: 1-3 of these kinds, around the camera so the food is mostly lit from the front
    n_lights: tuple[int, int] = (1, 3)
    light_kinds: tuple[str, ...] = ("sun", "point", "area")
    light_strength: tuple[float, float] = (1.5, 5.0)  # sun strength (W/m^2); point/area get the same irradiance
    ambient: tuple[float, float] = (0.15, 0.6)  # world light strength
    # background: procedural kinds, or photos from a folder (jpg/png) with this probability
    background_kinds: tuple[str, ...] = ("gradient", "noise", "solid")
    backgrounds_dir: str | None = None
    photo_background_p: float = 0.5
    # model files (hotdog/render/assets.py): a folder with hotdog/ and not_hotdog/ subfolders (any depth);
    # a class that has models draws this share of its images from them
    models_dir: str | None = None
    model_p: float = 0.5
    # 2D effects after the render
    color_shift: float = 0.08  # per-channel gain in [1 - x, 1 + x]
    brightness: float = 0.12  # overall gain in [1 - x, 1 + x]
    noise_p: float = 0.5
    noise_sigma: tuple[float, float] = (1.0, 8.0)  # Gaussian noise, in 0-255 units
    blur_p: float = 0.4
    blur_radius: tuple[float, float] = (0.3, 1.2)  # Gaussian blur sigma, in pixels

    def as_dict(self) -> dict:
        return asdict(self)


def image_seed(seed: int, index: int) -> int:
    """The seed of image ``index``: a hash of (config seed, index), the same on every machine."""
    return int(np.random.SeedSequence([int(seed), int(index)]).generate_state(1, dtype=np.uint32)[0])


def label_of(index: int) -> str:
    """Even indices are hotdogs, odd ones are not: classes stay balanced for any prefix of the run."""
    return HOTDOG if index % 2 == 0 else NOT_HOTDOG


def sample_records(config: RenderConfig | None = None) -> list[dict]:
    """One record per image, ``config.n_images`` of them; the same config gives identical records."""
    config = config or RenderConfig()
    photos = list_photos(config.backgrounds_dir)
    models = list_models(config.models_dir)
    not_hotdog = list(config.not_hotdog_kinds) or kinds_with_label(NOT_HOTDOG)
    for name in not_hotdog:
        if name not in FOODS or FOODS[name].label != NOT_HOTDOG:
            raise ValueError(f"{name!r} is not a registered not-hotdog food; choose from {kinds_with_label(NOT_HOTDOG)}")
    return [sample_record(config, index, not_hotdog, photos, models) for index in range(config.n_images)]


def sample_record(config: RenderConfig, index: int, not_hotdog: list[str] | None = None,
                  photos: list[str] | None = None, models: dict[str, list[str]] | None = None) -> dict:
    """The record of image ``index``: everything random about it, drawn from its own generator."""
    not_hotdog = not_hotdog or kinds_with_label(NOT_HOTDOG)
    seed = image_seed(config.seed, index)
    rng = np.random.default_rng(seed)
    label = label_of(index)
    kind = "hotdog" if label == HOTDOG else not_hotdog[int(rng.integers(len(not_hotdog)))]
    record = {
        "index": index,
        "seed": seed,
        "label": label,
        "file": f"{label}/{index:05d}.png",
        "image_size": config.image_size,
        "samples": config.samples,
        "food": sample_food(rng, config, kind, label, models or {}),
        "rotation": random_quaternion(rng),
        "camera": sample_camera(rng, config),
        "world": {"strength": _u(rng, *config.ambient), "color": _tint(rng, 0.08)},
    }
    record["lights"] = sample_lights(rng, config, record["camera"]["direction"])
    record["background"] = sample_background(rng, config, photos or [])
    record["effects"] = sample_effects(rng, config)
    return clean(record)


# --------------------------------------------------------------------------- samplers


def sample_food(rng: np.random.Generator, config: RenderConfig, kind: str, label: str,
                models: dict[str, list[str]]) -> dict:
    """The food: one of the label's model files with probability ``model_p`` when it has any (no
    random number is drawn when it has none, so records without models stay as they were), else
    the procedural ``kind`` with sampled parameters."""
    files = models.get(label) or []
    if files and rng.random() < config.model_p:
        return {"kind": MODEL_KIND, "params": {"path": files[int(rng.integers(len(files)))], "label": label}}
    return {"kind": kind, "params": FOODS[kind].sample(rng)}


def random_quaternion(rng: np.random.Generator) -> list[float]:
    """A uniformly random rotation as a unit quaternion ``[w, x, y, z]`` (Shoemake 1992)."""
    u1, u2, u3 = rng.random(3)
    a, b = math.sqrt(1 - u1), math.sqrt(u1)
    x, y = a * math.sin(2 * math.pi * u2), a * math.cos(2 * math.pi * u2)
    z, w = b * math.sin(2 * math.pi * u3), b * math.cos(2 * math.pi * u3)
    return [w, x, y, z]


def direction(azimuth: float, elevation: float) -> list[float]:
    """Unit vector at ``azimuth`` (from +x towards +y) and ``elevation`` above the xy plane, radians."""
    return [math.cos(elevation) * math.cos(azimuth), math.cos(elevation) * math.sin(azimuth), math.sin(elevation)]


def sample_camera(rng: np.random.Generator, config: RenderConfig) -> dict:
    """Camera direction uniform on the band of the sphere between the two elevations (uniform in area:
    sin(elevation) is uniform), a distance factor and a focal length."""
    low, high = (math.sin(math.radians(e)) for e in config.elevation_deg)
    elevation = math.asin(rng.uniform(low, high))
    focal = float(rng.uniform(*config.focal_mm))
    return {
        "direction": direction(rng.uniform(0, 2 * math.pi), elevation),
        "distance_factor": float(rng.uniform(*config.distance_factor)),
        "focal_mm": focal,
        "sensor_mm": config.sensor_mm,
        "fov_deg": math.degrees(2 * math.atan(config.sensor_mm / (2 * focal))),
    }


def sample_lights(rng: np.random.Generator, config: RenderConfig, camera_direction) -> list[dict]:
    """1-3 lights; the first (key) light comes from near the camera and above, the others anywhere
    on the camera's side, dimmer. ``direction`` points from the food towards the light."""
    cam = np.asarray(camera_direction)
    n = int(rng.integers(config.n_lights[0], config.n_lights[1] + 1))
    lights = []
    for i in range(n):
        spread = 0.8 if i == 0 else 1.6
        d = cam + rng.normal(0, spread, 3) + np.array([0, 0, 0.6 if i == 0 else 0.2])
        d = d / np.linalg.norm(d)
        kind = config.light_kinds[int(rng.integers(len(config.light_kinds)))]
        strength = rng.uniform(*config.light_strength) * (1.0 if i == 0 else rng.uniform(0.2, 0.6))
        lights.append({"kind": kind, "direction": d.tolist(), "strength": float(strength),
                       "color": _warm_or_cool(rng), "size": float(rng.uniform(0.5, 3.0))})
    return lights


def sample_background(rng: np.random.Generator, config: RenderConfig, photos: list[str]) -> dict:
    if photos and rng.random() < config.photo_background_p:
        scale = float(rng.uniform(0.3, 1.0))
        return {"kind": "photo", "path": photos[int(rng.integers(len(photos)))],
                "crop": {"x": float(rng.random()), "y": float(rng.random()), "scale": scale},
                "flip": bool(rng.random() < 0.5)}
    kind = config.background_kinds[int(rng.integers(len(config.background_kinds)))]
    colors = [_background_color(rng) for _ in range(2)]
    if kind == "solid":
        return {"kind": "solid", "colors": colors[:1]}
    if kind == "gradient":
        return {"kind": "gradient", "colors": colors, "angle_deg": float(rng.uniform(0, 360))}
    if kind == "noise":
        return {"kind": "noise", "colors": colors, "cells": int(rng.integers(2, 9)), "octaves": int(rng.integers(1, 4)),
                "seed": int(rng.integers(0, 2**31 - 1))}
    raise ValueError(f"unknown background kind {kind!r}; use gradient, noise or solid")


def sample_effects(rng: np.random.Generator, config: RenderConfig) -> dict:
    gains = rng.uniform(1 - config.color_shift, 1 + config.color_shift, 3) * rng.uniform(1 - config.brightness,
                                                                                         1 + config.brightness)
    noise = float(rng.uniform(*config.noise_sigma)) if rng.random() < config.noise_p else 0.0
    blur = float(rng.uniform(*config.blur_radius)) if rng.random() < config.blur_p else 0.0
    return {"color_shift": gains.tolist(), "noise_sigma": noise, "blur_radius": blur}


def _u(rng: np.random.Generator, low: float, high: float) -> float:
    return float(rng.uniform(low, high))


def _tint(rng: np.random.Generator, amount: float) -> list[float]:
    return np.clip(1 - rng.uniform(0, amount, 3), 0, 1).tolist()


def _warm_or_cool(rng: np.random.Generator) -> list[float]:
    """A light colour between warm (tungsten-ish) and cool (overcast) white."""
    t = rng.uniform(-1, 1)
    warm, cool = np.array([1.0, 0.85, 0.68]), np.array([0.85, 0.92, 1.0])
    return (np.ones(3) + (warm - 1) * max(t, 0) + (cool - 1) * max(-t, 0)).tolist()


def _background_color(rng: np.random.Generator) -> list[float]:
    """Table, wall and plate colours: mostly muted, sometimes bright."""
    if rng.random() < 0.7:
        grey = rng.uniform(0.15, 0.95)
        return np.clip(grey + rng.normal(0, 0.08, 3), 0, 1).tolist()
    return rng.random(3).tolist()


def list_photos(folder: str | Path | None) -> list[str]:
    """The image files in ``folder`` (recursively, sorted), or ``[]`` when there is no folder."""
    if not folder:
        return []
    folder = Path(folder)
    if not folder.is_dir():
        raise FileNotFoundError(f"backgrounds_dir {folder} is not a folder of photos")
    return sorted(str(p.resolve()) for p in folder.rglob("*") if p.suffix.lower() in PHOTO_SUFFIXES)


def clean(value, digits: int = 6):
    """A JSON-ready copy: numpy scalars to Python, floats rounded (so a record survives a JSON
    round trip unchanged and the manifest stays short)."""
    if isinstance(value, dict):
        return {k: clean(v, digits) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [clean(v, digits) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return round(float(value), digits)
    return value
