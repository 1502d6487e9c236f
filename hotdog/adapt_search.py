"""The adaptation trials: which way of learning from unlabelled photos, chosen on validation photos only.

Every trial starts from the same renders-only model: the tuned recipe's synthetic stage (10 epochs of the
``article`` size's 5,000 renders, AdamW, one-cycle to 2e-3, crops, flips and colour jitter), trained once
and kept in ``results/adapt-search/start.checkpoints``. Each trial then adapts it by one method of
:mod:`hotdog.adapt` to split seed 0's 799 training photos less **160 validation photos** carved from them by
class, *without their labels*, and is scored on those 160 only (accuracy, AUC, and how often it answers
hotdog), never on the 199 test photos; the test photos are neither adapted to nor scored. A trial writes
``results/adapt-search/<trial>.json`` (its settings, every epoch's validation scores, the final scores and
the time); a finished trial is skipped and one cut off goes on from its last epoch, so
``python -m hotdog adapt`` finishes what is missing. The rule for reading the table is the recipe
search's (:mod:`hotdog.search`): 160 photos measure an accuracy to about +-7 points, so a method is kept
only when it raises both the accuracy and the AUC of the model it starts from.
"""

from __future__ import annotations

import time
from dataclasses import asdict, replace
from pathlib import Path

from hotdog import adapt, data, files, modes, paths, settings
from hotdog.adapt import AdaptConfig
from hotdog.experiment import machine
from hotdog.provenance import load_records, read_json
from hotdog.render import folder_config
from hotdog.search import SPLIT_SEED, VALIDATION_PHOTOS, score

TRIALS: dict[str, AdaptConfig | None] = {
    "renders-alone": None,  # the start itself: what adaptation has to beat
    "adabn": AdaptConfig("adabn"),
    "fixmatch": AdaptConfig("fixmatch", epochs=30),
    "shot-im": AdaptConfig("shot-im", epochs=30),
}


def folder(root: Path | None = None) -> Path:
    return paths.records_dir("adapt", root)


def start_model(prepared: data.Prepared, sizes: settings.Sizes, precision: str, root: Path | None, progress: bool):
    """The renders-only model every trial starts from (trained once, then read back)."""
    from hotdog.train import TrainConfig, load_model, train

    checkpoints = folder(root) / "start.checkpoints"
    finished = modes.checkpoint(checkpoints, "synthetic")
    if not finished.exists():
        config = TrainConfig.for_sizes(sizes, settings.recipe("tuned"), seed=SPLIT_SEED, precision=precision)
        train("synthetic", {"synthetic": prepared.synthetic}, config, checkpoint_dir=checkpoints, progress=progress)
    return load_model(finished)


def run_trial(name: str, synthetic_root: Path, *, sizes: settings.Sizes | None = None, precision: str = "auto",
              root: Path | None = None, progress: bool = True) -> dict:
    """Adapt the start model by trial ``name`` (skipped if its record exists); score it on the validation photos."""
    out = folder(root)
    record_path = out / f"{name}.json"
    if record_path.exists():
        return read_json(record_path)
    sizes = sizes or settings.sizes("article")
    n_validation = min(VALIDATION_PHOTOS, (sizes.authentic_train_limit or 799) // 4)
    prepared = data.prepare(SPLIT_SEED, synthetic_root, photo_limit=sizes.authentic_train_limit,
                            validation_photos=n_validation, stratified=True, progress=progress)
    model, start = start_model(prepared, sizes, precision, root, progress), time.perf_counter()
    config, rows = TRIALS[name], []
    if config is not None:
        config = replace(config, precision=precision, batch_size=min(config.batch_size, sizes.batch_size))
        model, rows = adapt.adapt(model, prepared.synthetic, prepared.authentic_train, config,
                                  validation=prepared.validation, resume=modes.resume(out, name), progress=progress)
    record = {"trial": name, "method": asdict(config) if config else None, "split_seed": SPLIT_SEED,
              "sizes": sizes.as_dict(), "n_unlabelled": len(prepared.authentic_train),
              "n_validation": len(prepared.validation), "n_synthetic": len(prepared.synthetic),
              "render_config": folder_config(synthetic_root),
              "scores": {"plain": score(model, prepared.validation), "flip": score(model, prepared.validation, flip=True),
                         "answered_hotdog": _answered_hotdog(model, prepared.validation)},
              "history": rows, "seconds": time.perf_counter() - start, "machine": machine()}
    files.write_json(record_path, record, indent=1, default=str)
    modes.resume(out, name).unlink(missing_ok=True)
    return read_json(record_path)


def _answered_hotdog(model, photos) -> float:
    from hotdog import metrics

    return metrics.decide(metrics.predict(model, photos)[0]).float().mean().item()


def load(root: Path | None = None, damaged: list[str] | None = None) -> list[dict]:
    """Every finished trial's record, in the order of ``TRIALS`` (then any others by name)."""
    return list(load_records(folder(root), tuple(TRIALS), damaged, again="run the trial again").values())


def table(records: list[dict]) -> str:
    """The trials as a markdown table, scored on the validation photos."""
    lines = ["| trial | epochs | validation accuracy | AUC | with test-time flip | answers hotdog | minutes |",
             "|---|---|---|---|---|---|---|"]
    for r in records:
        s = r["scores"]
        method = r["method"] or {"method": "adabn"}
        epochs = method["epochs"] if method["method"] != "adabn" else "-"
        lines.append(f"| {r['trial']} | {epochs} | {s['plain']['accuracy']:.1%} | "
                     f"{s['plain']['auc']:.3f} | {s['flip']['accuracy']:.1%} / {s['flip']['auc']:.3f} | "
                     f"{s['answered_hotdog']:.0%} | {r['seconds'] / 60:.1f} |")
    return "\n".join(lines)
