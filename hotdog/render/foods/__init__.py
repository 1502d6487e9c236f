"""Procedural food as data: each kind is a parameter sampler plus a builder from parameters to mesh.

``FOODS`` maps a kind's name to a :class:`FoodKind`:

* ``sample(rng) -> dict`` draws the kind's shape parameters and colours from a
  ``numpy.random.Generator`` that the caller hands down (plain Python numbers only, so a record
  stays JSON);
* ``build(params) -> Food`` turns those parameters into geometry (numpy arrays, see
  :mod:`hotdog.render.shapes`) and material settings. Builders are deterministic: small random
  details (sprinkles, seeds, a pile of fries) come from ``params["detail_seed"]``.

One module per concern::

    hotdog.py        the hotdog (bun, sausage, toppings) and sausages without a bun
    burger.py, pizza.py, donut.py, fries.py, banana.py, sub_sandwich.py, burrito.py, taco.py,
    corn_dog.py, plated_meal.py      the other kinds, one each
    bowls.py, bakery.py, plates.py   everyday dishes, several each (RenderConfig(dishes=True))
    meals.py         more dishes, and a generic dish of random parts (RenderConfig(meals=True))
    servings.py      what the food lies on: bare, plate, napkin, paper tray, foil
    hand.py          a hand holding the food (a serving kind of its own: RenderConfig(hand_p=...))
    distractors.py   small objects around the food, and the clutter of a meal (RenderConfig(clutter=True))
    materials.py     the one way a builder's parts get their shader settings; the material jitter
    common.py        what samplers and builders share (rounded draws, colours, blends)

The Blender worker only converts a ``Food`` into a mesh, so a builder can be tested without Blender.
Adding a food (a quesadilla, say) is adding one module with ``sample_quesadilla`` and
``build_quesadilla`` (ending in ``assemble(parts, its_materials)``) and one line in ``FOODS``;
nothing else changes. Sizes are in metres, colours are sRGB in [0, 1].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from hotdog.classes import CLASSES, HOTDOG, NOT_HOTDOG
from hotdog.render.foods import bakery, bowls, meals, plates
from hotdog.render.foods.banana import sample_banana, build_banana
from hotdog.render.foods.burger import sample_burger, build_burger
from hotdog.render.foods.burrito import sample_burrito, build_burrito
from hotdog.render.foods.corn_dog import sample_corn_dog, build_corn_dog
from hotdog.render.foods.distractors import CLUTTER_KINDS, DISTRACTOR_KINDS, distractor_parts, sample_distractors
from hotdog.render.foods.donut import sample_donut, build_donut
from hotdog.render.foods.fries import sample_fries, build_fries
from hotdog.render.foods.hand import hand_parts, sample_hand
from hotdog.render.foods.hotdog import (
    build_hotdog, build_hotdogs, build_sausage, build_sausage_plate, build_toppings, sample_hotdog, sample_hotdogs,
    sample_sausage, sample_sausage_plate, sample_toppings,
)
from hotdog.render.foods.materials import MATERIALS, SERVING_MATERIALS, assemble, jitter_materials
from hotdog.render.foods.pizza import sample_pizza_slice, build_pizza_slice
from hotdog.render.foods.plated_meal import sample_plated_meal, build_plated_meal
from hotdog.render.foods.servings import SERVINGS, plate, sample_serving, serving_parts
from hotdog.render.foods.sub_sandwich import sample_sub_sandwich, build_sub_sandwich
from hotdog.render.foods.taco import sample_taco, build_taco
from hotdog.render.shapes import Food

# the classes' names (their folders, the manifest's labels), as hotdog/classes.py names them
HOTDOG_CLASS, NOT_HOTDOG_CLASS = CLASSES[HOTDOG], CLASSES[NOT_HOTDOG]

__all__ = [
    "CLUTTER_KINDS", "DISTRACTOR_KINDS", "FOODS", "HOTDOG_CLASS", "MATERIALS", "NOT_HOTDOG_CLASS", "SERVINGS",
    "SERVING_MATERIALS", "FoodKind", "assemble", "build_food", "build_record_food", "build_sausage", "build_toppings",
    "distractor_parts", "hand_parts", "jitter_materials", "kinds_with_label", "plate", "sample_distractors",
    "sample_hand", "sample_sausage", "sample_serving", "sample_toppings", "serving_parts",
]


@dataclass(frozen=True)
class FoodKind:
    """One kind of food: its name, its label, how to draw its parameters, how to build it."""

    name: str
    label: str  # "hotdog" or "not_hotdog"
    sample: Callable[[np.random.Generator], dict]
    build: Callable[[dict], Food]
    menu: str = "classic"  # "classic": in every render; "dishes" / "meals": only with RenderConfig(dishes=True) /
    # RenderConfig(meals=True)


FOODS: dict[str, FoodKind] = {
    "hotdog": FoodKind("hotdog", HOTDOG_CLASS, sample_hotdog, build_hotdog),
    "burger": FoodKind("burger", NOT_HOTDOG_CLASS, sample_burger, build_burger),
    "pizza_slice": FoodKind("pizza_slice", NOT_HOTDOG_CLASS, sample_pizza_slice, build_pizza_slice),
    "donut": FoodKind("donut", NOT_HOTDOG_CLASS, sample_donut, build_donut),
    "fries": FoodKind("fries", NOT_HOTDOG_CLASS, sample_fries, build_fries),
    "banana": FoodKind("banana", NOT_HOTDOG_CLASS, sample_banana, build_banana),
    "sub_sandwich": FoodKind("sub_sandwich", NOT_HOTDOG_CLASS, sample_sub_sandwich, build_sub_sandwich),
    "burrito": FoodKind("burrito", NOT_HOTDOG_CLASS, sample_burrito, build_burrito),
    "sausage_plate": FoodKind("sausage_plate", NOT_HOTDOG_CLASS, sample_sausage_plate, build_sausage_plate),
    "taco": FoodKind("taco", NOT_HOTDOG_CLASS, sample_taco, build_taco),
    "corn_dog": FoodKind("corn_dog", NOT_HOTDOG_CLASS, sample_corn_dog, build_corn_dog),
    "plated_meal": FoodKind("plated_meal", NOT_HOTDOG_CLASS, sample_plated_meal, build_plated_meal),
}
# everyday dishes (bowls.py, bakery.py, plates.py): the dozens of other foods the not-hotdog photos show;
# rendered with RenderConfig(dishes=True), so renders made before they existed keep their records
DISHES = {"soup": bowls, "salad": bowls, "rice_bowl": bowls, "noodles": bowls, "cake_slice": bakery,
          "pancakes": bakery, "cookies": bakery, "bread": bakery, "muffin": bakery, "pasta": plates,
          "fried_egg": plates, "sushi": plates, "skewer": plates, "spring_rolls": plates, "fruit": plates,
          "ice_cream": plates}
FOODS["hotdogs"] = FoodKind("hotdogs", HOTDOG_CLASS, sample_hotdogs, build_hotdogs, "dishes")  # two to four in a row
FOODS.update({name: FoodKind(name, NOT_HOTDOG_CLASS, getattr(module, f"sample_{name}"), getattr(module, f"build_{name}"),
                             "dishes") for name, module in DISHES.items()})
# more dishes (meals.py), and a generic dish of random parts so the not-hotdog class is not a closed list;
# rendered with RenderConfig(meals=True)
MEALS = ("steak", "fried_chicken", "dumplings", "waffles", "sandwich", "roast_chicken", "curry", "generic_dish")
FOODS.update({name: FoodKind(name, NOT_HOTDOG_CLASS, getattr(meals, f"sample_{name}"), getattr(meals, f"build_{name}"),
                             "meals") for name in MEALS})


def kinds_with_label(label: str, dishes: bool = False, meals: bool = False) -> list[str]:
    """Names of the registered food kinds that carry ``label``, in registry order (the everyday dishes
    only with ``dishes``, the meals of meals.py only with ``meals``)."""
    menus = {"classic"} | ({"dishes"} if dishes else set()) | ({"meals"} if meals else set())
    return [name for name, kind in FOODS.items() if kind.label == label and kind.menu in menus]


def build_food(kind: str, params: dict) -> Food:
    """The geometry of one record's food, centred on the origin."""
    return FOODS[kind].build(params).centered()


def build_record_food(record: dict) -> Food:
    """Everything a record puts in the scene as one :class:`Food`: the food (with the record's
    material jitter), centred on the origin, resting on its serving (plate, napkin, tray, foil) with
    the distractors around it. Scenery parts are not framed: the camera frames the food."""
    food = jitter_materials(build_food(record["food"]["kind"], record["food"]["params"]), record.get("material"))
    verts = food.verts
    floor = float(verts[:, 2].min())
    footprint = np.abs(verts[:, :2]).max(axis=0)
    extra = []
    serving = record.get("serving")
    table = floor  # where the distractors stand: under the food, or under the arm of a hand that holds it up
    if serving and serving["kind"] == "hand":
        extra += hand_parts(serving, footprint, floor, float(verts[:, 2].max()))
        table = float(extra[-1].verts[:, 2].min())
    elif serving and serving["kind"] != "bare":
        extra += serving_parts(serving, footprint, floor)
    if record.get("distractors"):
        extra += distractor_parts(record["distractors"], float(np.hypot(*footprint)), table)
    if not extra:
        return food
    materials = dict(food.materials)
    for q in extra:
        materials.setdefault(q.material, SERVING_MATERIALS.get(q.material, {"roughness": 0.5}))
    return Food(food.parts + extra, materials)
