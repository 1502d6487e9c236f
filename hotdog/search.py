"""The recipe search: training recipes tried on validation photos, never on the test photos.

Every trial trains the article's network on split seed 0's 799 training photos less 160 validation
photos carved from them by class (:func:`hotdog.data.carve`), on the ``article`` sizes (5,000
renders; epochs scaled by the recipe), and is scored on those 160 photos only: accuracy, AUC, and
both again with test-time flip. The 199 test photos of the split are never scored here, so a recipe
chosen from this table has not seen them. Each trial writes ``results/recipe-search/<trial>.json``
(its recipe, training config, every epoch's validation scores, the final scores and the time); a
finished trial is skipped and a trial cut off resumes from its last epoch, so
``python -m hotdog search`` finishes what is missing. A trial that differs from another only in its
fine-tuning begins from that one's finished synthetic stage (``Trial.stage_from``, checked setting by setting
by :mod:`hotdog.head_start`; its record says ``synthetic_stage_from``), so the pair compares the fine-tuning
alone, on the very same renders-only model.

The trials are few and each asks one question of the one before (see ``TRIALS``): a handful of
chosen trials rather than a grid, since one costs 10 to 45 minutes on a 2-core CPU. The rule for
reading them, fixed before any addition's trial ran: 160 photos measure an accuracy to about +-7
points and an AUC near 0.8 to about +-0.07 (95 %, Hanley and McNeil), so an addition is kept only
when it raises **both** the validation accuracy and the AUC of the trial it is compared with;
otherwise the simpler recipe stays.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from pathlib import Path

from hotdog import data, files, metrics, modes, paths, settings
from hotdog.provenance import load_records
from hotdog.render import folder_config
from hotdog.experiment import machine
from hotdog.train import TrainConfig, load_model, train

SPLIT_SEED = 0
VALIDATION_PHOTOS = 160


@dataclass(frozen=True)
class Trial:
    mode: str
    recipe: settings.Recipe
    question: str  # what this trial asks, against which other
    stage_from: str | None = None  # the trial whose finished synthetic stage this one begins from (hotdog.head_start)


def _recipe(name: str, real: float = 1.0, synthetic: float = 1.0, **train) -> settings.Recipe:
    return settings.Recipe(name, validation_photos=VALIDATION_PHOTOS, stratified=True, real_epochs_factor=real,
                           synthetic_epochs_factor=synthetic, train={"choose_epoch": False, **train})


# AdamW, a one-cycle schedule to a peak of 2e-3, random crops, flips and colour jitter, 100 epochs on photos
ONECYCLE = {"augment": "crop", "weight_decay": 0.05, "schedule": "onecycle", "learning_rate": 2e-3}
LONG = 100 / 30  # the article's 30 epochs of real photos become 100

TRIALS: dict[str, Trial] = {
    "article": Trial("authentic", _recipe("article"), "the article's recipe (Adam 1e-4, 30 epochs): the baseline"),
    "onecycle": Trial("authentic", _recipe("onecycle", LONG, **ONECYCLE),
                      "AdamW, one-cycle to 2e-3, crops/flips/jitter, 100 epochs: against article"),
    "onecycle-smooth-ema": Trial("authentic", _recipe("onecycle-smooth-ema", LONG, **ONECYCLE, label_smoothing=0.1,
                                                      ema_decay=0.99),
                                 "label smoothing 0.1 and an EMA of the weights: against onecycle"),
    "onecycle-trivial": Trial("authentic", _recipe("onecycle-trivial", LONG, **{**ONECYCLE, "augment": "trivial"}),
                              "TrivialAugmentWide instead of colour jitter: against onecycle"),
    "onecycle-mixup": Trial("authentic", _recipe("onecycle-mixup", LONG, **ONECYCLE, mixup=0.5),
                            "MixUp or CutMix on every batch: against onecycle"),
    "both-finetune": Trial("both", _recipe("both-finetune", 5.0, **ONECYCLE, finetune_learning_rate=1e-3),
                           "10 epochs on 5,000 renders, then 100 on photos with a fresh one-cycle to 1e-3"),
    "both-mixed": Trial("both", _recipe("both-mixed", 5.0, **ONECYCLE, finetune_learning_rate=1e-3, mix_synthetic=0.5),
                        "as both-finetune, with half of every fine-tuning batch renders: against both-finetune"),
    "both-mixed-photo": Trial("both", _recipe("both-mixed-photo", 5.0, **ONECYCLE, finetune_learning_rate=1e-3,
                                              mix_synthetic=0.5),
                              "both-mixed again, on the photo-scene renders (the default since it ran): "
                              "the baseline of both-mixed-dsbn"),
    "both-mixed-dsbn": Trial("both", _recipe("both-mixed-dsbn", 5.0, **ONECYCLE, finetune_learning_rate=1e-3,
                                             mix_synthetic=0.5, separate_bn=True),
                             "as both-mixed, renders and photos through BatchNorm apart (its statistics the photos'): "
                             "against both-mixed-photo, on the same renders", stage_from="both-mixed-photo"),
}


def folder(root: Path | None = None) -> Path:
    return paths.records_dir("search", root)


def score(model, photos, flip: bool = False) -> dict:
    """Accuracy (at 0.5) and AUC of ``model`` on ``photos``."""
    probabilities, labels = metrics.predict(model, photos, flip=flip)
    return {"accuracy": metrics.accuracy(probabilities, labels), "auc": metrics.auc(probabilities, labels), "n": len(labels)}


def _scores(checkpoints: Path, mode: str, validation) -> dict:
    """Each model the trial made, scored on the validation photos, plain and with test-time flip."""
    out = {}
    for produced in modes.produced((mode,)):
        model = load_model(modes.checkpoint(checkpoints, produced))
        out[produced] = {"plain": score(model, validation), "flip": score(model, validation, flip=True)}
    return out


def run_trial(name: str, *, sizes: settings.Sizes | None = None, synthetic_root: Path | None = None,
              precision: str = "auto", root: Path | None = None, progress: bool = True) -> dict:
    """Train trial ``name`` (skipped if its record exists) and score it on the validation photos."""
    out = folder(root)
    record_path = out / f"{name}.json"
    if record_path.exists():
        return json.loads(record_path.read_text())
    trial, sizes = TRIALS[name], sizes or settings.sizes("article")
    recipe = replace(trial.recipe, validation_photos=min(trial.recipe.validation_photos,
                                                         (sizes.authentic_train_limit or 799) // 4))
    config = TrainConfig.for_sizes(sizes, recipe, seed=SPLIT_SEED, precision=precision)
    prepared = data.prepare(SPLIT_SEED, synthetic_root if trial.mode != "authentic" else None,
                            photo_limit=sizes.authentic_train_limit, validation_photos=recipe.validation_photos,
                            stratified=True, progress=progress)
    start = time.perf_counter()
    checkpoints = paths.checkpoints_of(record_path)
    borrowed = _borrow_stage(trial.stage_from, out, checkpoints, config, prepared, synthetic_root)
    _, history = train(trial.mode, prepared.training(), config, validation=prepared.validation,
                       checkpoint_dir=checkpoints, progress=progress)
    record = {"trial": name, "mode": trial.mode, "question": trial.question, "split_seed": SPLIT_SEED,
              "sizes": sizes.as_dict(), "recipe": recipe.as_dict(), "n_train": len(prepared.authentic_train),
              "n_validation": len(prepared.validation), "n_synthetic": len(prepared.synthetic or []),
              "render_config": folder_config(synthetic_root) if prepared.synthetic else None,
              "synthetic_stage_from": borrowed, "seconds": time.perf_counter() - start, "scores": _scores(checkpoints, trial.mode, prepared.validation),
              "history": history.to_json(), "machine": machine()}
    files.write_json(record_path, record, indent=1, default=str)
    return json.loads(record_path.read_text())  # exactly what a later call reads back


def _borrow_stage(lender: str | None, out: Path, checkpoints: Path, config: TrainConfig, prepared,
                  synthetic_root: Path | None) -> str | None:
    """Begin from trial ``lender``'s finished synthetic stage, where it ran here with the same seed, stage
    settings and renders (:func:`hotdog.head_start.borrow` checks each); else say why and train the stage.
    Returns the lender's record name, also when a cut-off trial resumes from what it borrowed."""
    from hotdog import head_start
    from hotdog.device import default_device

    resume = modes.resume(checkpoints, "both")
    if lender is None or modes.checkpoint(checkpoints, "both").exists():
        return None
    if resume.exists():
        import torch

        began = torch.load(resume, map_location="cpu", weights_only=False).get("borrowed_from")
        return Path(began).name if began else None
    try:
        head_start.borrow(out / f"{lender}.json", checkpoints, config, str(default_device(config.device)),
                          n_synthetic=len(prepared.synthetic), render_config=folder_config(synthetic_root),
                          split_seed=SPLIT_SEED)
    except FileNotFoundError:
        print(f"training the synthetic stage here: trial {lender} has not run here to lend its own")
        return None
    except head_start.CannotLend as why:
        print(f"training the synthetic stage here, not taking trial {lender}'s: {'; '.join(why.problems)}")
        return None
    print(f"both: synthetic stage taken from trial {lender}")
    return f"{lender}.json"


def calibration_for(name: str, regime: str, root: Path | None = None) -> dict:
    """Platt scaling of trial ``name``'s ``regime`` model, fitted on the trial's validation photos: the
    calibration a model trained with this recipe on all training photos ships with (hotdog/calibration.py)."""
    from hotdog import calibration

    record_path = folder(root) / f"{name}.json"
    record = json.loads(record_path.read_text())
    checkpoint = modes.checkpoint(paths.checkpoints_of(record_path), regime)
    if not checkpoint.exists():
        raise FileNotFoundError(f"{checkpoint} is missing: checkpoints are not committed; rerun the trial "
                                f"(remove {record_path}, then python -m hotdog search {name})")
    prepared = data.prepare(record["split_seed"], None, photo_limit=record["sizes"]["authentic_train_limit"],
                            validation_photos=record["n_validation"], stratified=True, progress=False)
    probabilities, labels = metrics.predict(load_model(checkpoint), prepared.validation)
    return {**calibration.fit(probabilities.numpy(), labels.numpy()), "fitted_on": f"the {len(labels)} validation "
            f"photos of recipe-search trial {name!r} (split seed {record['split_seed']}), its {regime} model"}


def load(root: Path | None = None, damaged: list[str] | None = None) -> list[dict]:
    """Every finished trial's record, in the order of ``TRIALS`` (then any others by name)."""
    return list(load_records(folder(root), tuple(TRIALS), damaged, again="run the trial again").values())


def table(records: list[dict]) -> str:
    """The search as a markdown table: each trial's models on the validation photos. A trial that began from
    another's synthetic stage says whose, and its minutes are its fine-tuning's."""
    lines = ["| trial | model | epochs (renders + photos) | validation accuracy | AUC | with test-time flip | minutes |",
             "|---|---|---|---|---|---|---|"]
    for r in records:
        config, lender = r["history"]["config"], Path(r.get("synthetic_stage_from") or "").stem
        for model, s in r["scores"].items():
            epochs = (f"{config['synthetic_epochs']}" if model == "synthetic" else
                      f"{config['synthetic_epochs']} + {config['finetune_epochs']}" if model == "both" else
                      f"{config['authentic_epochs']}")
            minutes = f"{r['seconds'] / 60:.1f}"
            if lender:
                epochs, minutes = ((f"{epochs} ({lender}'s)", "-") if model == "synthetic" else
                                   (epochs, f"{minutes} (fine-tuning)"))
            lines.append(f"| {r['trial']} | {modes.MODE_LABELS.get(model, model)} | {epochs} | "
                         f"{s['plain']['accuracy']:.1%} | {s['plain']['auc']:.3f} | "
                         f"{s['flip']['accuracy']:.1%} / {s['flip']['auc']:.3f} | {minutes} |")
    return "\n".join(lines)
