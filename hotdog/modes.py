"""The article's three ways to train, their names in tables and figures, and their checkpoint files.

``synthetic``: rendered images only; ``authentic``: real photos only; ``both``: rendered images,
then real photos. Training ``both`` also yields the ``synthetic`` model (its state after the
synthetic stage), as the article's own ``train('both')`` saves ``binary_classifier`` midway, so a
run trains at most ``both`` and ``authentic`` and tests all three.

A fourth regime is the project's own: ``adapted``, the renders-only model adapted to the training photos
*without their labels* (:mod:`hotdog.adapt`); it starts from the ``synthetic`` model, so it yields that
model too.
"""

from __future__ import annotations

from pathlib import Path

MODES = ("synthetic", "authentic", "both")  # the order of the article's table
REGIMES = MODES + ("adapted",)  # the article's three and the project's fourth
MODE_LABELS = {"synthetic": "synthetic only", "authentic": "authentic only", "both": "synthetic, then authentic",
               "adapted": "synthetic + unlabelled photos"}
CHECKPOINT_NAMES = {  # the article's file names (and one in their style for the fourth)
    "synthetic": "binary_classifier",
    "both": "binary_classifier_finetuned",
    "authentic": "binary_classifier_authentic",
    "adapted": "binary_classifier_adapted",
}
TRAINED = ("both", "authentic")  # what a run trains by default: the three models from two trainings


def check(modes, allowed=REGIMES) -> tuple[str, ...]:
    """``modes`` as a tuple, or a ValueError naming the ones that are not in ``allowed``."""
    modes = tuple(modes)
    unknown = [m for m in modes if m not in allowed]
    if not modes or unknown:
        raise ValueError(f"modes are one or more of {', '.join(allowed)}, not {', '.join(unknown) or 'none'}")
    return modes


def starts_from_synthetic(trained) -> bool:
    """Whether ``trained`` holds a run that begins with the synthetic stage's model (``both``, ``adapted``): one
    that yields that model and can take it from another run (``--synthetic-stage-from``)."""
    return bool({"both", "adapted"} & set(trained))


def produced(trained) -> tuple[str, ...]:
    """The models that training ``trained`` yields, in table order (``both`` and ``adapted`` also give
    ``synthetic``)."""
    made = set(trained) | ({"synthetic"} if starts_from_synthetic(trained) else set())
    return tuple(m for m in REGIMES if m in made)


def checkpoint(folder: str | Path, mode: str) -> Path:
    """The checkpoint file of ``mode`` in ``folder``, under the article's file name."""
    return Path(folder) / f"{CHECKPOINT_NAMES[mode]}.pt"


def history(folder: str | Path, mode: str) -> Path:
    """The epoch-by-epoch record of ``mode``'s training in ``folder`` (written when it finishes)."""
    return Path(folder) / f"{mode}.history.json"


def resume(folder: str | Path, mode: str) -> Path:
    """Where ``mode``'s training in ``folder`` stands after its last finished epoch, so a run cut off goes on."""
    return Path(folder) / f"{mode}.resume.pt"
