"""Start ``both`` from another run's finished synthetic stage, instead of training it again.

The first stage of ``both`` trains on renders only, and nothing in it depends on the real photos:
its initialisation, batch order and augmentation draws come from the seed, its data are the renders.
So the "how many photos do renders save?" studies (``--real-share``), which differ from a full study
only in the photos, can take each seed's synthetic stage from that full study: for the tuned recipe
that is 10 of a seed's 79 minutes per share. A renders-alone study (``--modes synthetic``) lends too: it
trains the same stage, and so does a recipe-search trial for the trial that differs from it only in the
fine-tuning (:mod:`hotdog.search`). :func:`borrow` checks that every setting the stage depends on is the same,
copies the stage's model (``binary_classifier.pt``) and writes a resume file
that says "synthetic stage done", with the lender's epochs as the history, so :func:`hotdog.train.train`
goes on with the fine-tuning stage exactly as if it had trained the first stage itself. The fine-tuning
stage must start a fresh optimizer (``finetune_learning_rate``): the lender's optimizer state at the end
of its first stage is not kept anywhere.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict, replace
from pathlib import Path

from hotdog import modes, paths
from hotdog.fields import render_differences
from hotdog.precision import as_recorded
from hotdog.train import TrainConfig, new_model, write_resume

# What the synthetic stage's weights depend on, beside the renders and the seed.
STAGE_FIELDS = ("seed", "learning_rate", "betas", "batch_size", "synthetic_epochs", "precision", "augment",
                "weight_decay", "schedule", "warmup", "label_smoothing", "mixup", "ema_decay", "channels_last")


class CannotLend(ValueError):
    """A run that cannot lend its synthetic stage; ``problems`` says why, one setting each."""

    def __init__(self, problems: list[str], message: str):
        super().__init__(message)
        self.problems = problems


def lender_problems(record: dict, config: TrainConfig, n_synthetic: int, render_config: dict | None,
                    split_seed: int | None, autocast: str | None = None) -> list[str]:
    """Why the run behind ``record`` cannot lend its synthetic stage to a run with these settings (empty: it can).
    ``autocast`` is what ``precision`` means on this machine (``auto`` is bf16 on one CPU, fp32 on another)."""
    problems = []
    if not _stage_trainer(record):
        problems.append("it trained neither both nor renders alone (synthetic)")
    if render_config is None:
        problems.append("this run's renders carry no settings to match (--no-render with --synthetic DIR): "
                        "let the study render them, so their render config is known")
    if autocast is not None and record.get("autocast") != autocast:
        problems.append(f"it computed in {record.get('autocast')} there, {autocast} here (--precision auto "
                        f"chooses by machine: give --precision explicitly)")
    saved, current = record.get("config", {}), json.loads(json.dumps(asdict(config)))  # tuples as lists, as saved
    problems += [f"{key} is {saved.get(key)!r} there, {current[key]!r} here" for key in STAGE_FIELDS
                 if saved.get(key) != current[key]]
    if record.get("n_synthetic") != n_synthetic:
        problems.append(f"it trained on {record.get('n_synthetic')} renders, this run on {n_synthetic}")
    differ = render_differences(record.get("render_config") or {}, render_config or {}, strict=True)
    if differ and render_config is not None:  # the same renders: every field, the render seed too
        problems.append(f"its renders were made with another render config ({', '.join(differ)})")
    if record.get("split_seed") != split_seed:
        problems.append(f"its split seed is {record.get('split_seed')}, here {split_seed} (its epochs' test scores "
                        f"would be on other photos)")
    if not config.finetune_learning_rate:
        problems.append("this recipe fine-tunes with the first stage's optimizer (no finetune_learning_rate), "
                        "which no finished run keeps")
    return problems


def _stage_trainer(record: dict) -> str | None:
    """The run of ``record`` that trained the synthetic stage: ``both``, or ``synthetic`` in a renders-alone
    study, which trains the same stage with the same draws (stage 0 of the same seed) and saves the same model."""
    histories = record.get("histories", {})
    if "start" in histories.get("adapted", {}):  # an adapted run that trained the stage itself, its history kept
        return "adapted"
    return next((mode for mode in ("both", "synthetic") if mode in histories), None)


def as_lender(record: dict) -> dict:
    """``record`` in the shape of a study seed's: a recipe-search trial's (:mod:`hotdog.search`, one run under
    ``history``) is given the keys :func:`lender_problems` reads; a seed's is returned as it is."""
    if "trial" not in record:
        return record
    history = record["history"]
    computed_in = [row.get("computed_in") for row in history["epochs"] if row["stage"] == "synthetic"]
    return {**record, "histories": {record["mode"]: history}, "config": history["config"],
            "autocast": as_recorded(computed_in, None) if any(computed_in) else None}  # older trials: unknown


def stage_epochs(record: dict) -> list[dict]:
    """The synthetic stage's epochs in the history of the run of ``record`` that trained it."""
    trainer = record["histories"][_stage_trainer(record)]
    return [row for row in trainer.get("start", trainer)["epochs"] if row["stage"] == "synthetic"]


def borrow(lender: Path, checkpoints: Path, config: TrainConfig, device: str, *, n_synthetic: int,
           render_config: dict | None, split_seed: int | None) -> None:
    """Make ``checkpoints`` hold ``lender``'s (a study's ``seed<k>.json`` or a recipe-search trial's record) finished synthetic stage, as a resume file
    that :func:`hotdog.train.train` goes on from. Raises :class:`CannotLend` naming every setting that differs."""
    import torch

    record = lend_weights(lender, checkpoints, config, device, n_synthetic=n_synthetic, render_config=render_config,
                          split_seed=split_seed)
    model = new_model(config.seed)
    model.load_state_dict(torch.load(modes.checkpoint(checkpoints, "synthetic"), map_location="cpu"))
    write_resume(modes.resume(checkpoints, "both"), "both", model, replace(config, device=device), stage_epochs(record),
                 stage=1, borrowed_from=str(lender))


def lend_weights(lender: Path, checkpoints: Path, config: TrainConfig, device: str, *, n_synthetic: int,
                 render_config: dict | None, split_seed: int | None) -> dict:
    """Copy ``lender``'s finished synthetic model into ``checkpoints`` (where ``adapted`` starts from it), once
    every setting it depends on is checked; returns the lender's record."""
    import torch

    from hotdog.precision import choose

    record = as_lender(json.loads(Path(lender).read_text()))
    weights = modes.checkpoint(paths.checkpoints_of(Path(lender)), "synthetic")
    autocast = choose(config.precision, torch.device(device)).recorded
    problems = lender_problems(record, config, n_synthetic, render_config, split_seed, autocast)
    if not weights.exists():
        problems.append(f"{weights} is missing (checkpoints are not committed: the lender must have run here)")
    if problems:
        raise CannotLend(problems, f"{lender} cannot lend its synthetic stage: " + "; ".join(problems) +
                         ". Drop --synthetic-stage-from to train the stage here, or name a study run with these settings")
    checkpoints.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(weights, modes.checkpoint(checkpoints, "synthetic"))
    return record
