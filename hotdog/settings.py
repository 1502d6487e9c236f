"""The sizes of a run, in one visible place.

Every notebook and the main job read their sizes (images to render, epochs) from here, picked by
name with the ``HOTDOG_SIZE`` environment variable:

* ``tiny``  - for CI (nbval): a handful of renders, one short epoch each; proves the code runs.
* ``small`` - the default on a CPU (the main job and the committed notebooks): about ten minutes on a
  2-core laptop, with the ``tuned`` recipe (chosen on validation photos by ``scripts/choose_small.py``).
* ``article`` - the article's own schedule: 5,000 renders, 10 synthetic epochs, then 20 fine-tuning
  epochs ("both"), and 30 epochs for "authentic" alone. The default on a CUDA GPU, where it takes
  minutes, and there with the ``tuned`` recipe (:func:`default_recipe`): the project's answer.

Unset, ``HOTDOG_SIZE`` follows the device (:func:`current_size_name`); :func:`choice` says in a line
what was chosen and how to choose otherwise.
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field, replace


RENDER_JOBS = 2  # parallel Blender workers at every size: on a 2-core CPU two render faster than one (RESULTS.md)


@dataclass(frozen=True)
class Sizes:
    name: str
    n_synthetic: int  # images rendered, split evenly between hotdog and not_hotdog
    synthetic_epochs: int  # the article's EPOCHS
    finetune_epochs: int  # "both": epochs on real photos after synthetic pre-training (article: 2 * EPOCHS)
    authentic_epochs: int  # "authentic" alone (article: 3 * EPOCHS)
    authentic_train_limit: int | None = None  # use only the first N training photos (None: all 799)
    render_jobs: int = RENDER_JOBS  # parallel Blender worker processes
    batch_size: int = 64  # the article's BATCH_SIZE (tiny uses less, so its few images make full batches)

    def as_dict(self) -> dict:
        return asdict(self)


PRESETS: dict[str, Sizes] = {
    "tiny": Sizes("tiny", n_synthetic=32, synthetic_epochs=1, finetune_epochs=1, authentic_epochs=1,
                  authentic_train_limit=96, batch_size=16),
    # about ten minutes on a 2-core CPU in bf16: 1,000 renders; with the tuned recipe (its default) 6 epochs of
    # renders, 15 of photos and renders mixed, 20 of photos alone. Chosen among candidates on split 0's
    # validation photos over three seeds (scripts/choose_small.py, results/small-choice).
    "small": Sizes("small", n_synthetic=1000, synthetic_epochs=6, finetune_epochs=3, authentic_epochs=6),
    "article": Sizes("article", n_synthetic=5000, synthetic_epochs=10, finetune_epochs=20, authentic_epochs=30),
}


@dataclass(frozen=True)
class Recipe:
    """How to train, on top of a size preset: the article's recipe, or the improved one.

    ``validation_photos`` are carved from the 799 training photos (never the test photos), by class
    when ``stratified``, to choose each real-photo stage's epoch; ``real_epochs_factor`` and
    ``synthetic_epochs_factor`` scale the preset's epochs on real photos and on renders
    (``finetune_epochs_factor``, when given, ``both``'s real-photo epochs apart from ``authentic``'s);
    ``train`` overrides fields of :class:`hotdog.train.TrainConfig`.
    """

    name: str
    validation_photos: int = 0
    real_epochs_factor: float = 1.0
    train: dict = field(default_factory=dict)
    synthetic_epochs_factor: float = 1.0
    stratified: bool = False
    finetune_epochs_factor: float | None = None

    def as_dict(self) -> dict:
        return asdict(self)


RECIPES: dict[str, Recipe] = {
    "article": Recipe("article"),
    # Same network and optimiser family; what training can improve: augmented photos and renders,
    # rendered images mixed into fine-tuning (half of each epoch), decoupled weight decay, and up to
    # twice the real-photo epochs with the epoch chosen on 100 validation photos (patience 10).
    "improved": Recipe("improved", validation_photos=100, real_epochs_factor=2.0,
                       train={"augment": True, "weight_decay": 0.05, "mix_synthetic": 0.5, "patience": 10}),
    # Chosen on validation photos by the recipe search (python -m hotdog search; results/recipe-search):
    # AdamW (weight decay 0.05), one-cycle to a peak of 2e-3 stepped every batch, random crops, flips and
    # colour jitter; 100 epochs on photos (article: 30); renders 10 epochs as the article, then 100
    # epochs of photos with a fresh one-cycle to 1e-3, each fine-tuning epoch half renders, half photos,
    # shuffled together (both-mixed beat both-finetune). Trained on all 799 photos (no carve) for fixed epochs.
    "tuned": Recipe("tuned", real_epochs_factor=100 / 30, finetune_epochs_factor=100 / 20,
                    train={"augment": "crop", "weight_decay": 0.05, "schedule": "onecycle", "learning_rate": 2e-3,
                           "finetune_learning_rate": 1e-3, "mix_synthetic": 0.5, "choose_epoch": False}),
}


def recipe(name: str = "article") -> Recipe:
    if name not in RECIPES:
        raise ValueError(f"recipe {name!r} is not one of {sorted(RECIPES)}")
    return RECIPES[name]


def exact_epochs(chosen: Recipe) -> Recipe:
    """``chosen`` with its epoch factors set to one: what ``--epochs N`` asks for, N epochs in every stage,
    where the recipe would otherwise scale the preset's (``tuned`` trains 100/30 times the photo epochs)."""
    return replace(chosen, real_epochs_factor=1.0, synthetic_epochs_factor=1.0, finetune_epochs_factor=None)


def on_gpu() -> bool:
    """Whether training runs on a CUDA GPU here (torch is imported only when this is asked)."""
    from hotdog.device import default_device

    return default_device().type == "cuda"


def current_size_name() -> str:
    """``$HOTDOG_SIZE``; unset, ``article`` on a CUDA GPU and ``small`` elsewhere."""
    name = os.environ.get("HOTDOG_SIZE") or ("article" if on_gpu() else "small")
    if name not in PRESETS:
        raise ValueError(f"HOTDOG_SIZE={name!r} is not one of {sorted(PRESETS)}; set it to one of those.")
    return name


RECIPE_OF_SIZE = {"tiny": "article", "small": "tuned", "article": "article"}  # what each preset was made for


def default_recipe(size: str | None = None) -> str:
    """The recipe of a run that names none: the one its size was made for (``small``: ``tuned``; ``tiny``
    and an asked-for ``article``: the article's own), and ``tuned`` where the article's schedule is the
    device's default (a CUDA GPU, no ``size``, no ``$HOTDOG_SIZE``): there it takes minutes, and the tuned
    recipe is what the five-seed studies found renders help with."""
    if size is None and not os.environ.get("HOTDOG_SIZE") and on_gpu():
        return "tuned"
    return RECIPE_OF_SIZE[size or current_size_name()]


def choice(size: str | None = None, recipe: str | None = None) -> str:
    """A line for the screen: the size and recipe a run gets, why, and how to choose others."""
    name, chosen = size or current_size_name(), recipe or default_recipe(size)
    if size or os.environ.get("HOTDOG_SIZE"):
        why = f"size {name!r} ({'--size' if size else 'HOTDOG_SIZE'})"
    else:
        why = f"size {name!r} (the default on {'this CUDA GPU' if on_gpu() else 'a CPU'}; --size or HOTDOG_SIZE to change)"
    if name == "article" and chosen == "article":
        hint = "; --recipe tuned for the project's answer"
    elif name != "article":
        hint = "; --size article --recipe tuned for the project's answer (hours on a CPU, minutes on a GPU)"
    else:
        hint = ""
    return f"{why}, recipe {chosen!r}{'' if recipe else ' (the default here)'}{hint}"


def sizes(name: str | None = None, **overrides) -> Sizes:
    """The sizes named ``name`` (default: :func:`current_size_name`), with any field overridden."""
    return replace(PRESETS[name or current_size_name()], **overrides)
