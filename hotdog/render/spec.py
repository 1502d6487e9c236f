"""What each synthetic image shows, decided in pure Python before Blender is touched.

:func:`sample_records` turns a :class:`RenderConfig` into a list of small JSON-serialisable records,
one per image: food kind and its shape parameters and colours, object rotation, camera, lights,
background and the 2D effects (colour shift, noise, blur). Blender only draws a record, so every
image can be re-rendered from the manifest and an ablation is a change of one distribution here.

Randomness is explicit: each record gets its own seed, derived from the config's seed and the
image's index (:func:`hotdog.seeds.derive`), and each part of the record (food, rotation, camera,
lights, background, serving, material, distractors, the 2D effects) draws from its own
``numpy.random.Generator`` made from that seed and the part's name (:func:`aspect_rng`, through
:func:`hotdog.seeds.generator`). No global random state is read or changed. Every part is a switch:
``RenderConfig(randomize={"camera": False})`` (or ``config.without("camera")``,
``config.only("camera")``) gives that part its fixed neutral value (:data:`NEUTRAL`) and leaves
every other part of every record unchanged, so an ablation is a config change. A record depends only
on (config, index), never on ``n_images``, so a bigger run with the same config starts with the same
images as a smaller one. Every record carries :data:`RECORD_SCHEMA`, the version of the renderer's
records, so a folder rendered by older code is recognised as such.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

import numpy as np

from hotdog import seeds
from hotdog.fields import checked_value, read_setting
from hotdog.render.checks import SettingError, as_json, problems
from hotdog.render.assets import MESH_KIND, list_meshes
from hotdog.render.foods import (
    CLUTTER_KINDS, DISTRACTOR_KINDS, FOODS, HOTDOG_CLASS, NOT_HOTDOG_CLASS, SERVINGS, kinds_with_label,
    sample_distractors, sample_serving,
)
from hotdog.render.scenery import HDRIS, SURFACE_KINDS, add_photo_scene, background_color as _background_color
from hotdog.render.shapes import quaternion_multiply

# The version of a record's layout and meaning, in every record ("schema"). Raise it whenever the same
# record would draw another image or the fields change: a folder rendered by an older renderer is then
# refused (run.write_manifest) rather than mixed with new images. 2: sausages on a plate bend sideways;
# 3-D files are "meshes" (food kind "mesh", RenderConfig.meshes_dir and mesh_p). Records without the
# field are schema 1.
RECORD_SCHEMA = 2

LABELS = (HOTDOG_CLASS, NOT_HOTDOG_CLASS)
HOTDOGS_P = 1 / 3  # RenderConfig(dishes=True): the share of hotdog images with several hotdogs
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".bmp")
ROTATION_MODES = ("uniform", "food_photo")
# Each randomization can be switched off on its own (RenderConfig.randomize[name] = False); it then
# takes the fixed neutral value below, and every other part of the record stays as it was, because
# each part draws from its own generator (aspect_rng).
RANDOMIZATIONS = ("food", "rotation", "camera", "lights", "background", "serving", "material", "distractors",
                  "color", "noise", "blur", "jpeg")
NEUTRAL = {
    "rotation": [1.0, 0.0, 0.0, 0.0],  # identity: the food as built, lying flat along x
    "camera": {"azimuth_deg": -90.0, "elevation_deg": 45.0, "focal_mm": 50.0},  # from the front, 45 degrees up
    "lights": {"kind": "sun", "temperature_k": 5500.0},  # one white sun from above the camera
    "background": {"kind": "solid", "colors": [[0.5, 0.5, 0.5]]},
    "serving": "bare",
}

# The plain scene: the renderer's defaults before the photo scene became the default (2026-12-03): the food
# whole in the frame, centred, on a composited background. Every study recorded before then (article, tuned,
# the ablations, tuned-real-*) rendered it; RenderConfig(**PLAIN_SCENE) or `--set` with these continues them.
PLAIN_SCENE = {"surface_p": 0.0, "hdri_p": 0.0, "offcentre": 0.0, "distance_factor": (1.05, 1.4)}


def _all_on() -> dict:
    return dict.fromkeys(RANDOMIZATIONS, True)


@dataclass(frozen=True)
class RenderConfig:
    """Everything that decides the synthetic data set: the article's 128x128 images, Cycles with 2 samples
    and the denoiser, and our own distributions for the scene.

    2 samples leave an RMSE of 5.3 (0-255) to a 64-sample render, about the Gaussian noise we add on
    purpose (sigma 1 to 8), at half the time of 8 samples (RMSE 2.8): about 1,100 images a minute with
    2 workers on 2 cores instead of about 530 (benchmarks/bench_render.py, bench_render_quality.py). Raise
    ``samples`` for cleaner images."""

    n_images: int = 600
    seed: int = 0
    image_size: int = 128
    samples: int = 2
    not_hotdog_kinds: tuple[str, ...] = ()  # empty: every registered not-hotdog food (with dishes, meals: those too)
    dishes: bool = False  # also the 16 everyday dishes (soup, salad, pasta, bread, sushi...: foods/__init__.py),
    # and a third of the hotdog images with two to four hotdogs in a row
    meals: bool = False  # also the 8 dishes of foods/meals.py: steak, fried chicken, dumplings, waffles, sandwich,
    # roast chicken, curry, and a generic dish of random mounds, pieces, slabs and sauce
    # camera: direction on the upper hemisphere, distance so the food fills 1/factor of the frame
    elevation_deg: tuple[float, float] = (10.0, 75.0)
    distance_factor: tuple[float, float] = (0.7, 1.3)  # below 1 the food overflows the frame, as in food photos
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
    # mesh files (hotdog/render/assets.py): a folder with hotdog/ and not_hotdog/ subfolders (any depth);
    # a class that has meshes draws this share of its images from them
    meshes_dir: str | None = None
    mesh_p: float = 0.5
    # 2D effects after the render
    color_shift: float = 0.08  # per-channel gain in [1 - x, 1 + x]
    brightness: float = 0.12  # overall gain in [1 - x, 1 + x]
    noise_p: float = 0.5
    noise_sigma: tuple[float, float] = (1.0, 8.0)  # Gaussian noise, in 0-255 units
    blur_p: float = 0.4
    blur_radius: tuple[float, float] = (0.3, 1.2)  # Gaussian blur sigma, in pixels
    # --- domain randomization, each switchable on its own (see RANDOMIZATIONS and NEUTRAL) ---
    randomize: dict = field(default_factory=_all_on)  # name -> bool; a missing name counts as on
    # object rotation: "food_photo" (lying flat, random yaw, small tilt, camera from above or at an angle:
    # how people photograph food, and how the real test photos look) or "uniform" over SO(3) (the article's).
    # Under "uniform" the food is served bare: a plate tumbling in space would hide it.
    rotation_mode: str = "food_photo"
    photo_tilt_deg: float = 12.0  # food_photo: tilt standard deviation
    photo_elevation_deg: tuple[float, float] = (25.0, 89.0)  # food_photo: camera from above or at an angle
    light_temperature_k: tuple[float, float] = (2700.0, 7500.0)  # colour temperature of each light
    ground_plane: bool = True  # a shadow on the table under the food (and its plate): ...
    ground_p: float = 0.1  # ... cast on a shadow-catching plane in Blender in this share of the images (it
    # doubles those images' render time), else a 2D drop shadow composited under the render (effects.py)
    serving_kinds: tuple[str, ...] = SERVINGS  # what the food lies on: bare, plate, napkin, paper_tray, foil
    material_hue: float = 0.03  # hue shift in [-x, x] of the colour circle
    material_saturation: tuple[float, float] = (0.75, 1.25)
    material_value: tuple[float, float] = (0.85, 1.1)
    material_roughness: tuple[float, float] = (0.6, 1.4)
    # probability of each serving kind; a served image takes about twice the render time of a bare one
    # (the plate fills pixels that would otherwise be empty, and cheap), so bare stays the most common
    serving_p: tuple[float, ...] = (0.6, 0.16, 0.08, 0.08, 0.08)
    n_distractors: tuple[int, int] = (0, 2)
    clutter: bool = False  # the clutter of a real meal among the distractors: a glass, a bottle, a can, a fork,
    # a knife, a napkin, a pile of fries (foods/distractors.py)
    saturation: tuple[float, float] = (0.8, 1.2)  # 2D colour jitter after the render
    contrast: tuple[float, float] = (0.85, 1.15)
    jpeg_p: float = 0.5
    jpeg_quality: tuple[int, int] = (30, 95)
    # --- scenes like food photos (part of the "background", "camera" and "serving" switches). The photo
    # scene (tables, HDRIs, close off-centre framing) is on by default, chosen by the transfer score and the
    # renders-alone study (RESULTS.md); PLAIN_SCENE gives the plain scene of the studies before it. The
    # rest is off by default, and records without it are exactly the records of before ---
    surface_p: float = 0.8  # share of images whose food stands on a 3D table (wood, marble, cloth...) with
    surface_kinds: tuple[str, ...] = SURFACE_KINDS  # real shadows; above its horizon the background shows
    hdri_p: float = 0.5  # share of images lit by one of the bpy wheel's world HDRIs, which is also seen behind
    hdri_strength: tuple[float, float] = (0.3, 1.2)  # the table (instead of the composited background)
    offcentre: float = 0.3  # the food's centre moves by up to this share of the half-frame, each way
    dof_p: float = 0.0  # share of images with a shallow depth of field (f/2.8 to f/11, focused on the food)
    vignette_p: float = 0.0  # share of images whose corners are darker, as a lens makes them
    motion_blur_p: float = 0.0  # share of images blurred by a shaking camera (1 to 5 pixels)
    hand_p: float = 0.0  # share of images whose food (of either class) is held in a hand instead of served
    food_texture: tuple[float, float] = (0.0, 0.0)  # part of "material": a noise that mottles the food's
    # colour by up to this share and bumps its surface (crust, crumb, skin); (0, 0): smooth as before

    def __post_init__(self):
        """Every setting checked once, here: the first problem as a :class:`SettingError` naming the field."""
        for name, what in problems(self, RANDOMIZATIONS, ROTATION_MODES):
            raise SettingError(name, what, getattr(self, name))

    @classmethod
    def from_saved(cls, saved: dict) -> "RenderConfig":
        """The config a record saved with :meth:`as_dict` (lists back to tuples); a ``TypeError`` for a
        field this renderer does not have."""
        return cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in saved.items()})

    def on(self, name: str) -> bool:
        """Whether randomization ``name`` is switched on."""
        return bool(self.randomize.get(name, True))

    def only(self, *names: str) -> "RenderConfig":
        """This config with every randomization off except ``names`` (for galleries and ablations)."""
        return replace(self, randomize={k: k in names for k in RANDOMIZATIONS})

    def without(self, *names: str) -> "RenderConfig":
        """This config with the randomizations ``names`` switched off."""
        return replace(self, randomize={**self.randomize, **dict.fromkeys(names, False)})

    def as_dict(self) -> dict:
        return asdict(self)

    def with_settings(self, settings: list[str]) -> "RenderConfig":
        """This config with ``FIELD=VALUE`` settings (the command line's ``--set``); a value is read as
        JSON (``surface_p=0.8``, ``distance_factor=[0.7,1.3]``, ``dishes=true``), lists become tuples."""
        names = {f.name for f in fields(self)} - {"n_images", "seed", "randomize"}
        changes = {}
        for setting in settings:
            name, value = read_setting(setting, names, "--set")
            changes[name] = checked_value(name, value, getattr(self, name))
        try:
            return replace(self, **changes)
        except SettingError as error:
            raise ValueError(f"--set {error.field}={as_json(error.value)}: {error.field} {error.what}") from None


def image_seed(seed: int, index: int) -> int:
    """The seed of image ``index``: a hash of (config seed, index), the same on every machine."""
    return seeds.derive(int(seed), int(index))


def label_of(index: int) -> str:
    """Even indices are hotdogs, odd ones are not: classes stay balanced for any prefix of the run."""
    return HOTDOG_CLASS if index % 2 == 0 else NOT_HOTDOG_CLASS


def sample_records(config: RenderConfig | None = None) -> list[dict]:
    """One record per image, ``config.n_images`` of them; the same config gives identical records."""
    config = config or RenderConfig()
    photos = list_photos(config.backgrounds_dir)
    meshes = list_meshes(config.meshes_dir)
    not_hotdog = list(config.not_hotdog_kinds) or kinds_with_label(NOT_HOTDOG_CLASS, config.dishes, config.meals)
    for name in not_hotdog:
        if name not in FOODS or FOODS[name].label != NOT_HOTDOG_CLASS:
            raise ValueError(f"{name!r} is not a registered not-hotdog food; choose from "
                             f"{kinds_with_label(NOT_HOTDOG_CLASS, dishes=True, meals=True)}")
    return [sample_record(config, index, not_hotdog, photos, meshes) for index in range(config.n_images)]


def aspect_rng(seed: int, aspect: str) -> np.random.Generator:
    """The generator of one part of a record (``"camera"``, ``"lights"``, ...), derived from the image
    seed and the part's name, so switching one part off leaves the others' draws unchanged."""
    return seeds.generator(int(seed), aspect)


def sample_record(config: RenderConfig, index: int, not_hotdog: list[str] | None = None,
                  photos: list[str] | None = None, meshes: dict[str, list[str]] | None = None) -> dict:
    """The record of image ``index``: everything random about it, each part from its own generator."""
    not_hotdog = not_hotdog or kinds_with_label(NOT_HOTDOG_CLASS, config.dishes, config.meals)
    seed = image_seed(config.seed, index)
    label = label_of(index)
    rng = aspect_rng(seed, "kind")
    if label == HOTDOG_CLASS:  # with the dishes, a third of the hotdog images show two to four in a row
        kind = "hotdogs" if config.dishes and rng.random() < HOTDOGS_P else "hotdog"
    else:
        kind = not_hotdog[int(rng.integers(len(not_hotdog)))]
    # food off: every image of a kind has the same shape, colours and toppings
    food_rng = aspect_rng(seed, "food") if config.on("food") else aspect_rng(config.seed, "food:" + kind)
    camera = sample_camera(aspect_rng(seed, "camera"), config)
    record = {
        "schema": RECORD_SCHEMA,
        "index": index,
        "seed": seed,
        "label": label,
        "file": f"{label}/{index:05d}.png",
        "image_size": config.image_size,
        "samples": config.samples,
        "food": sample_food(food_rng, config, kind, label, meshes or {}),
        "rotation_mode": config.rotation_mode,
        "rotation": sample_rotation(aspect_rng(seed, "rotation"), config),
        "camera": camera,
        "world": sample_world(aspect_rng(seed, "world"), config),
        "lights": sample_lights(aspect_rng(seed, "lights"), config, camera["direction"]),
        "background": sample_background(aspect_rng(seed, "background"), config, photos or []),
        "ground": sample_ground(aspect_rng(seed, "ground"), config),
        "serving": (sample_serving(aspect_rng(seed, "serving"), config.serving_kinds, config.serving_p)
                    if config.on("serving") and config.rotation_mode == "food_photo" else {"kind": NEUTRAL["serving"]}),
        "material": sample_material(aspect_rng(seed, "material"), config),
        "distractors": (sample_distractors(aspect_rng(seed, "distractors"), config.n_distractors,
                                           DISTRACTOR_KINDS + (CLUTTER_KINDS if config.clutter else ()))
                        if config.on("distractors") else []),
        "effects": sample_effects(aspect_rng(seed, "effects"), config),
    }
    add_photo_scene(record, config)
    return clean(record)


# --------------------------------------------------------------------------- samplers


def sample_food(rng: np.random.Generator, config: RenderConfig, kind: str, label: str,
                meshes: dict[str, list[str]]) -> dict:
    """The food: one of the label's mesh files with probability ``mesh_p`` when it has any (no
    random number is drawn when it has none, so records without meshes stay as they were), else
    the procedural ``kind`` with sampled parameters."""
    files = meshes.get(label) or []
    if files and rng.random() < config.mesh_p:
        return {"kind": MESH_KIND, "params": {"path": files[int(rng.integers(len(files)))], "label": label}}
    return {"kind": kind, "params": FOODS[kind].sample(rng)}


def random_quaternion(rng: np.random.Generator) -> list[float]:
    """A uniformly random rotation as a unit quaternion ``[w, x, y, z]`` (Shoemake 1992)."""
    u1, u2, u3 = rng.random(3)
    a, b = math.sqrt(1 - u1), math.sqrt(u1)
    x, y = a * math.sin(2 * math.pi * u2), a * math.cos(2 * math.pi * u2)
    z, w = b * math.sin(2 * math.pi * u3), b * math.cos(2 * math.pi * u3)
    return [w, x, y, z]


def sample_rotation(rng: np.random.Generator, config: RenderConfig) -> list[float]:
    """``uniform``: uniform over SO(3) (the article's). ``food_photo``: the food lies as built (flat,
    bun opening up) with a uniform yaw and a small tilt about a random horizontal axis. Off: identity."""
    if not config.on("rotation"):
        return list(NEUTRAL["rotation"])
    if config.rotation_mode == "uniform":
        return random_quaternion(rng)
    yaw = rng.uniform(0, 2 * math.pi)
    tilt = math.radians(float(np.clip(rng.normal(0, config.photo_tilt_deg), -3 * config.photo_tilt_deg,
                                      3 * config.photo_tilt_deg)))
    axis = rng.uniform(0, 2 * math.pi)
    q_yaw = [math.cos(yaw / 2), 0.0, 0.0, math.sin(yaw / 2)]
    q_tilt = [math.cos(tilt / 2), math.sin(tilt / 2) * math.cos(axis), math.sin(tilt / 2) * math.sin(axis), 0.0]
    return quaternion_multiply(q_tilt, q_yaw)


def direction(azimuth: float, elevation: float) -> list[float]:
    """Unit vector at ``azimuth`` (from +x towards +y) and ``elevation`` above the xy plane, radians."""
    return [math.cos(elevation) * math.cos(azimuth), math.cos(elevation) * math.sin(azimuth), math.sin(elevation)]


def sample_camera(rng: np.random.Generator, config: RenderConfig) -> dict:
    """Camera direction uniform on the band of the sphere between the two elevations (uniform in area:
    sin(elevation) is uniform), a distance factor and a focal length."""
    if not config.on("camera"):
        n = NEUTRAL["camera"]
        focal = n["focal_mm"]
        return {"direction": direction(math.radians(n["azimuth_deg"]), math.radians(n["elevation_deg"])),
                "distance_factor": float(np.mean(config.distance_factor)), "focal_mm": focal,
                "sensor_mm": config.sensor_mm, "fov_deg": math.degrees(2 * math.atan(config.sensor_mm / (2 * focal)))}
    band = config.photo_elevation_deg if config.rotation_mode == "food_photo" else config.elevation_deg
    low, high = (math.sin(math.radians(e)) for e in band)
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
    if not config.on("lights"):
        d = cam + np.array([0, 0, 0.6])
        return [{"kind": NEUTRAL["lights"]["kind"], "direction": (d / np.linalg.norm(d)).tolist(),
                 "strength": float(np.mean(config.light_strength)), "temperature_k": NEUTRAL["lights"]["temperature_k"],
                 "color": kelvin_to_rgb(NEUTRAL["lights"]["temperature_k"]), "size": 1.0}]
    n = int(rng.integers(config.n_lights[0], config.n_lights[1] + 1))
    lights = []
    for i in range(n):
        spread = 0.8 if i == 0 else 1.6
        d = cam + rng.normal(0, spread, 3) + np.array([0, 0, 0.6 if i == 0 else 0.2])
        d = d / np.linalg.norm(d)
        kind = config.light_kinds[int(rng.integers(len(config.light_kinds)))]
        strength = rng.uniform(*config.light_strength) * (1.0 if i == 0 else rng.uniform(0.2, 0.6))
        kelvin = float(rng.uniform(*config.light_temperature_k))
        lights.append({"kind": kind, "direction": d.tolist(), "strength": float(strength), "temperature_k": kelvin,
                       "color": kelvin_to_rgb(kelvin), "size": float(rng.uniform(0.5, 3.0))})
    return lights


def sample_ground(rng: np.random.Generator, config: RenderConfig) -> dict:
    """The food's shadow on the table: a Blender shadow catcher (``ground_p``) or a 2D drop shadow
    (offset, softness and darkness); without ``ground_plane``: neither."""
    catcher = bool(config.ground_plane and rng.random() < config.ground_p)
    shadow = None
    if config.ground_plane and not catcher:
        angle = rng.uniform(0, 2 * math.pi)
        offset = rng.uniform(0.0, 0.06)
        shadow = {"dx": offset * math.cos(angle), "dy": offset * math.sin(angle), "blur": _u(rng, 0.015, 0.05),
                  "strength": _u(rng, 0.25, 0.6)}
    return {"shadow_catcher": catcher, "drop_shadow": shadow}


def sample_world(rng: np.random.Generator, config: RenderConfig) -> dict:
    """The ambient (world) light; part of the ``lights`` randomization."""
    if not config.on("lights"):
        return {"strength": float(np.mean(config.ambient)), "color": [1.0, 1.0, 1.0]}
    return {"strength": _u(rng, *config.ambient), "color": _tint(rng, 0.08)}


def kelvin_to_rgb(kelvin: float) -> list[float]:
    """The colour of a black body at ``kelvin`` (Tanner Helland's fit), scaled so the largest channel is 1."""
    t = kelvin / 100.0
    r = 255.0 if t <= 66 else 329.698727446 * (t - 60) ** -0.1332047592
    g = 99.4708025861 * math.log(t) - 161.1195681661 if t <= 66 else 288.1221695283 * (t - 60) ** -0.0755148492
    b = 255.0 if t >= 66 else (0.0 if t <= 19 else 138.5177312231 * math.log(t - 10) - 305.0447927307)
    rgb = np.clip([r, g, b], 1, 255)
    return (rgb / rgb.max()).tolist()


def sample_material(rng: np.random.Generator, config: RenderConfig) -> dict | None:
    """Material jitter of the food: hue shift, saturation, value and roughness factors; off: ``None``."""
    if not config.on("material"):
        return None
    jitter = {"hue": _u(rng, -config.material_hue, config.material_hue), "saturation": _u(rng, *config.material_saturation),
              "value": _u(rng, *config.material_value), "roughness": _u(rng, *config.material_roughness)}
    if max(config.food_texture) > 0:  # drawn last, so the other draws stay as they were
        jitter["texture"] = {"strength": _u(rng, *config.food_texture), "scale": _u(rng, 40.0, 200.0)}
    return jitter


def sample_background(rng: np.random.Generator, config: RenderConfig, photos: list[str]) -> dict:
    if not config.on("background"):
        return {"kind": NEUTRAL["background"]["kind"], "colors": [list(c) for c in NEUTRAL["background"]["colors"]]}
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
    """The 2D effects; ``color``, ``noise``, ``blur`` and ``jpeg`` are switched on and off separately
    (each from its own generator). Neutral: gains 1, saturation 1, contrast 1, no noise, no blur, no JPEG."""
    seed = int(rng.integers(0, 2**31 - 1))
    rngs = {name: aspect_rng(seed, name) for name in ("color", "noise", "blur", "jpeg")}
    out = {"color_shift": [1.0, 1.0, 1.0], "saturation": 1.0, "contrast": 1.0, "noise_sigma": 0.0, "blur_radius": 0.0,
           "jpeg_quality": 0}
    if config.on("color"):
        r = rngs["color"]
        gains = r.uniform(1 - config.color_shift, 1 + config.color_shift, 3) * r.uniform(1 - config.brightness,
                                                                                         1 + config.brightness)
        out.update(color_shift=gains.tolist(), saturation=_u(r, *config.saturation), contrast=_u(r, *config.contrast))
    if config.on("noise") and rngs["noise"].random() < config.noise_p:
        out["noise_sigma"] = float(rngs["noise"].uniform(*config.noise_sigma))
    if config.on("blur") and rngs["blur"].random() < config.blur_p:
        out["blur_radius"] = float(rngs["blur"].uniform(*config.blur_radius))
    if config.on("jpeg") and rngs["jpeg"].random() < config.jpeg_p:
        out["jpeg_quality"] = int(rngs["jpeg"].integers(config.jpeg_quality[0], config.jpeg_quality[1] + 1))
    return out


def _u(rng: np.random.Generator, low: float, high: float) -> float:
    return float(rng.uniform(low, high))


def _tint(rng: np.random.Generator, amount: float) -> list[float]:
    return np.clip(1 - rng.uniform(0, amount, 3), 0, 1).tolist()


def list_photos(folder: str | Path | None) -> list[str]:
    """The image files in ``folder`` (recursively, sorted), or ``[]`` when there is no folder."""
    if not folder:
        return []
    folder = Path(folder)
    fix = ("point it at a folder of .jpg/.png photos (python -m hotdog download --article fetches the "
           "article's 19 into data/article/backgrounds), or leave it out for procedural backgrounds")
    if not folder.is_dir():
        raise FileNotFoundError(f"backgrounds_dir {folder} is not a folder: {fix}")
    photos = sorted(str(p.resolve()) for p in folder.rglob("*") if p.suffix.lower() in PHOTO_SUFFIXES)
    if not photos:
        raise FileNotFoundError(f"backgrounds_dir {folder} holds no photos ({', '.join(sorted(PHOTO_SUFFIXES))}): {fix}")
    return photos


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
