"""The renderer's compass: what a model trained on renders alone does on real photos.

``python -m hotdog transfer NAME`` renders N images with a :class:`~hotdog.render.RenderConfig`,
trains the article's network on them alone with a fixed recipe and budget (:data:`RECIPE`, the same
for every renderer, so only the renders change), and scores it on the **799 training photos of split
seed 0**: the renderer's development set. The 199 test photos of that split are never scored here,
so a renderer chosen by this score can still be tested on them. It reports AUC (does the model rank
hotdogs above the rest?), balanced accuracy and accuracy, for several training seeds, with the
render and training time, in ``results/transfer/<name>.json``; a seed already in the record is not
trained again, so a cut-off run goes on where it stopped. A renderer change that does not move this
score is not kept for realism.

A second, cheaper signal comes the other way round (``reverse``): how well a model trained on real
photos alone (:data:`REFERENCE`, the recipe search's ``onecycle`` trial: split 0's training photos
less its validation photos) tells the renders' hotdogs from the rest. Renders it ranks well look, to
it, like the photos it learned from.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from hotdog import data, files, metrics, paths
from hotdog.provenance import describe, differences, load_records, read_json
from hotdog.experiment import machine
from hotdog.train import TrainConfig, train

DEV_SPLIT = 0  # the split whose 799 training photos are the renderer's development set
# Renders alone, one recipe for every renderer: AdamW, one-cycle to 2e-3, crops/flips/jitter, 10 epochs.
RECIPE = {"augment": "crop", "weight_decay": 0.05, "schedule": "onecycle", "learning_rate": 2e-3,
          "synthetic_epochs": 10}


# a model trained on real photos alone, for the reverse score (python -m hotdog search onecycle)
REFERENCE = Path("recipe-search") / "onecycle.checkpoints" / "binary_classifier_authentic.pt"


def recipe_changes(settings: list[str]) -> dict:
    """``FIELD=VALUE`` changes to :data:`RECIPE` (the command line's ``--train``), each value read as JSON
    (``augment=trivial``, ``synthetic_epochs=20``): a training variant, named as such, against the same
    renders. The seed, precision and batch size stay the command's."""
    from dataclasses import fields

    from hotdog.fields import read_setting

    own = {"seed": "--seeds", "precision": "--precision", "batch_size": "64, or half the renders (fixed)"}
    for setting in settings:
        name = setting.partition("=")[0]
        if name in own:
            raise ValueError(f"--train {setting}: {name} is the command's own: {own[name]}, not the recipe's")
    names = {f.name for f in fields(TrainConfig)} - set(own)
    changes = dict(read_setting(setting, names, "--train") for setting in settings)
    try:
        TrainConfig(**{**RECIPE, **changes})  # says what is wrong with a value before anything is rendered
    except (TypeError, ValueError) as error:
        raise ValueError(f"--train {' '.join(settings)}: {str(error).removeprefix('TrainConfig: ')}") from None
    return changes


def folder(root: Path | None = None) -> Path:
    return paths.records_dir("transfer", root)


def development_photos(progress: bool = True) -> data.TensorImages:
    """The 799 training photos of split seed 0, decoded."""
    train_set, _ = data.split(data.authentic(), seed=DEV_SPLIT)
    return data.cache(train_set, progress=progress)


def score(model, photos) -> dict:
    """AUC, balanced accuracy (the mean of the two classes' recall) and accuracy on ``photos``."""
    probabilities, labels = metrics.predict(model, photos)
    right = metrics.decide(probabilities) == labels
    recall = [right[labels == c].float().mean().item() for c in (0, 1)]
    return {"auc": metrics.auc(probabilities, labels), "balanced_accuracy": sum(recall) / 2,
            "accuracy": metrics.accuracy(probabilities, labels), "answered_hotdog": metrics.decide(probabilities).float().mean().item()}


def run(name: str, render_config, *, seeds=(0, 1, 2), renders: Path | None = None, n_jobs: int | None = None,
        precision: str = "auto", overrides: dict | None = None, root: Path | None = None, progress: bool = True,
        force: bool = False) -> dict:
    """Render (what is missing), then train and score one model per seed; returns the record. A record of
    this name made otherwise (another render config or count, training variant or precision) is refused
    before any work (:func:`check`), unless ``force`` starts the name again."""
    from hotdog.render import render_dataset

    path = folder(root) / f"{name}.json"
    renders = renders or paths.transfer_renders(name)
    asked = settings(render_config.as_dict(), renders, {**RECIPE, **(overrides or {})}, precision)
    if force and path.exists():
        path.unlink(), path.with_suffix(".png").unlink(missing_ok=True)
        print(f"--force: transfer {name!r} starts again (its record removed; its renders are kept)")
    record = check(path, asked)
    report = render_dataset(renders, render_config, n_jobs=n_jobs, progress=progress)
    record.update(render_config=render_config.as_dict(), renders=str(renders), n_images=render_config.n_images,
                  dev_split=DEV_SPLIT, recipe=asked["recipe"], precision=precision)
    record.setdefault("render", report)  # the report of the call that rendered them
    images, photos = data.cache(data.synthetic(renders), progress=progress), development_photos(progress)
    reference = (root or paths.results_root()) / REFERENCE
    if "reverse" not in record and reference.exists():
        record["reverse"] = reverse(images, reference)
        if record["seeds"]:  # a record whose seeds are done keeps it too
            files.write_json(path, record, indent=1, default=str)
    side_by_side(images, photos, path.with_suffix(".png"))
    for seed in seeds:
        if str(seed) in record["seeds"]:
            continue
        start = time.perf_counter()
        config = TrainConfig(**record["recipe"], seed=seed, precision=precision, batch_size=min(64, len(images) // 2))
        model, _ = train("synthetic", {"synthetic": images}, config, progress=progress)
        record["seeds"][str(seed)] = {**score(model, photos), "train_seconds": time.perf_counter() - start,
                                      "machine": machine()}  # the same seed is not bit-identical across CPUs
        record["summary"] = summarize(record)
        files.write_json(path, record, indent=1, default=str)
    return record


def settings(render_config: dict, renders: Path, recipe: dict, precision: str) -> dict:
    """What a variant's record says made it: the renders (config with count and seed, and their folder),
    the training recipe and the precision asked, in :mod:`hotdog.provenance`'s sections."""
    return {"render_config": render_config, "renders": {"renders": str(renders)}, "recipe": recipe,
            "dev_split": DEV_SPLIT, "precision": precision}


def check(path: Path, asked: dict) -> dict:
    """The record at ``path`` to go on with (a new one if there is none, or none of its seeds is done),
    or a ``ValueError`` naming what it was made with otherwise than ``asked`` (:func:`settings`)."""
    if not path.exists():
        return {"name": path.stem, "seeds": {}}
    record = read_json(path, f"restore it (git checkout -- {path}), or delete it and run the variant again")
    if not record.get("seeds"):
        return {"name": path.stem, "seeds": {}, **{k: record[k] for k in ("render", "reverse") if k in record}}
    recorded = {**record, "renders": {"renders": record.get("renders")}}
    differ = differences({k: recorded[k] for k in asked if k in recorded}, asked)
    if differ:
        raise ValueError(f"transfer {path.stem!r}: {path} was made with other settings than this run asks "
                         f"({describe(differ, recorded, asked)}). Give this variant a new name, or pass --force "
                         f"to start {path.stem!r} again (its scores are removed, its renders kept)")
    return record


def side_by_side(images, photos, figure: Path) -> None:
    """64 of the renders above 64 of the development photos, as the network sees them (once per variant)."""
    if figure.exists():
        return
    import matplotlib.pyplot as plt

    from hotdog import plots

    figure.parent.mkdir(parents=True, exist_ok=True)
    drawn = plots.renders_vs_photos(images, photos, n=64, size=0.9)
    drawn.savefig(figure, dpi=80)
    plt.close(drawn)


def reverse(images, checkpoint: Path) -> dict:
    """AUC and balanced accuracy of the real-photo model at ``checkpoint`` on the renders."""
    from hotdog.train import load_model

    return {**score(load_model(checkpoint), images), "checkpoint": str(checkpoint)}


def summarize(record: dict) -> dict:
    """Mean, standard deviation and 95 % t-interval over the seeds of each score."""
    runs = list(record["seeds"].values())
    keys = ("auc", "balanced_accuracy", "accuracy")
    return {k: metrics.over_seeds([r[k] for r in runs]) if len(runs) > 1 else {"mean": runs[0][k], "n": 1}
            for k in keys}


def load(root: Path | None = None, damaged: list[str] | None = None) -> list[dict]:
    """Every variant's record, the plain scene (the renderer the search began from) first and then by how
    many settings each changes from it (so a variant follows the one it builds on), then by name. A damaged
    record is left out and named in ``damaged`` when a list is given (the others still print), else raised."""
    from hotdog.render.spec import PLAIN_SCENE, RenderConfig

    default = json.loads(json.dumps(RenderConfig(**PLAIN_SCENE).as_dict()))  # as a record stores it
    records = load_records(folder(root), damaged=damaged, again="run the variant again").values()
    return sorted(records, key=lambda r: (_changes(r["render_config"], default), r["name"]))


def _changes(config: dict, default: dict) -> int:
    """How many of ``config``'s settings differ from ``default`` (its size and seed aside); a setting newer
    than the record is absent from it and counts as the default."""
    return sum(config.get(k, v) != v for k, v in default.items() if k not in ("n_images", "seed"))


def table(records: list[dict]) -> str:
    """The renderer variants side by side: each score's mean over seeds (and its spread)."""
    lines = ["| renders | images | seeds | AUC | balanced accuracy | accuracy | renders a minute | reverse AUC |",
             "|---|---|---|---|---|---|---|---|"]
    for r in records:
        s = r["summary"]
        cell = lambda k: f"{s[k]['mean']:.3f}" + (f" (sd {s[k]['sd']:.3f})" if s[k]["n"] > 1 else "")  # noqa: E731
        rate = r.get("render", {}).get("images_per_minute")
        back = f"{r['reverse']['auc']:.3f}" if "reverse" in r else "-"
        trained = ", ".join(f"{k}={v}" for k, v in r.get("recipe", RECIPE).items() if RECIPE.get(k) != v)
        lines.append(f"| {r['name']}{f' (training: {trained})' if trained else ''} | {r['n_images']} | {len(r['seeds'])} | {cell('auc')} | "
                     f"{cell('balanced_accuracy')} | {cell('accuracy')} | {rate if r['render'].get('n_rendered') else '-'} | "
                     f"{back} |")
    return "\n".join(lines)
