"""One run: one seed of one configuration, from decoded photos to a JSON record.

:func:`run_once` is the only place that trains and tests for a result: the main job
(:mod:`hotdog.main_job`), each seed of a study (:mod:`hotdog.study`) and ``python -m hotdog train``
call it with different arguments, so a recipe, a precision, a render setting or a validation
share works in all three. It splits and decodes the photos (:func:`hotdog.data.prepare`), trains
the requested modes (``both`` also yields ``synthetic``, see :mod:`hotdog.modes`), tests every
model it made on the held-out photos, and writes a :class:`RunRecord` atomically: sizes, recipe,
training config, seeds, the split, every epoch's history, accuracies and every test photo's
probability, so regimes can be compared photo by photo.
"""

from __future__ import annotations

import json
import os
import platform
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

import torch

from hotdog import data, files, metrics, modes, settings
from hotdog.precision import as_recorded, choose as choose_precision
from hotdog.train import TrainConfig, default_device, load_model, train


@dataclass
class RunRecord:
    """What one run wrote: ``summary.json`` of the main job, ``seed<k>.json`` of a study."""

    seed: int
    sizes: dict
    config: dict
    results: dict  # mode -> metrics.summarize(...) and the test photos' probabilities
    histories: dict  # trained mode -> hotdog.train.History.to_json()
    test_photos: list  # relative to the real-photo folder
    test_labels: list
    recipe: dict = field(default_factory=lambda: settings.recipe("article").as_dict())  # older records: the article's
    n_synthetic: int = 0
    n_authentic_train: int = 0
    n_validation: int = 0
    n_test: int = 0
    study: str | None = None
    render_config: dict | None = None  # how the renders were made, as given
    render: dict | None = None  # the render report, when this run rendered
    timings_seconds: dict = field(default_factory=dict)
    machine: str = ""
    device: str = ""
    autocast: str = ""  # what precision "auto" chose
    article: dict = field(default_factory=lambda: dict(metrics.ARTICLE))
    split_seed: int | None = None  # the split's seed when it is not ``seed`` (a study with a fixed split)
    synthetic_stage_from: str | None = None  # the record whose finished synthetic stage ``both`` started from
    labels: int | None = None  # training photos that kept their labels (--labels); None: all
    n_unlabelled: int = 0  # training photos whose labels were hidden
    adaptation: dict | None = None  # the adapted regime's hotdog.adapt.AdaptConfig, when trained

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def read(cls, path: str | Path) -> "RunRecord":
        """A record written earlier (fields it lacks take their defaults, fields since dropped are ignored)."""
        saved = json.loads(Path(path).read_text())
        return cls(**{f.name: saved[f.name] for f in fields(cls) if f.name in saved})


def evaluate_checkpoints(checkpoint_dir: Path, test, which=modes.MODES, device=None) -> dict[str, dict]:
    """Per mode of ``which`` with a checkpoint: :func:`hotdog.metrics.summarize` plus the raw probabilities."""
    results = {}
    for mode in which:
        path = modes.checkpoint(checkpoint_dir, mode)
        if path.exists():
            probabilities, labels = metrics.predict(load_model(path, device), test)
            results[mode] = {**metrics.summarize(probabilities, labels), "probabilities": probabilities.tolist()}
    return results


def machine() -> str:
    return (f"{platform.machine()}, {os.cpu_count()} CPUs{cpu()}, Python {platform.python_version()}, "
            f"torch {torch.__version__}, {torch.get_num_threads()} threads")


def cpu(cpuinfo: str = "/proc/cpuinfo") -> str:
    """The CPU's model name and widest vector unit from Linux's cpuinfo, as ``", AMD EPYC (AVX-512 BF16)"``,
    or ``""`` where there is none: machines of one name differ (an AMD EPYC with AVX2 only trains bf16
    eight times slower than one with AVX-512 BF16)."""
    try:
        text = Path(cpuinfo).read_text()
    except OSError:
        return ""
    first = text.split("\n\n")[0]  # the first processor's block
    fields = {key.strip(): value for key, value in (line.split(":", 1) for line in first.splitlines() if ":" in line)}
    flags = set(fields.get("flags", "").split())
    vector = next((name for flag, name in (("amx_bf16", "AMX"), ("avx512_bf16", "AVX-512 BF16"),
                                           ("avx512f", "AVX-512"), ("avx2", "AVX2")) if flag in flags), None)
    name = " ".join(fields.get("model name", "").split())
    return f", {name}" + (f" ({vector})" if vector else "") if name else ""


def run_once(sizes: settings.Sizes, seed: int = 0, *, checkpoints: Path, record_path: Path,
             synthetic_root: Path | None = None, recipe: settings.Recipe | None = None, precision: str = "auto",
             trained: tuple[str, ...] = modes.TRAINED, study: str | None = None, render_config: dict | None = None,
             render_report: dict | None = None, reuse: bool = False, split_seed: int | None = None,
             synthetic_stage_from: Path | None = None, labels: int | None = None, adaptation=None,
             progress: bool = True) -> RunRecord:
    """Train ``trained`` (e.g. ``("both", "authentic")``) on split ``seed`` with ``sizes``, ``recipe``
    (default: the article's) and ``precision``; test on that split's held-out photos; write the record
    to ``record_path`` and the models to ``checkpoints``. With ``reuse``, a record already at
    ``record_path`` is returned as it is (a study's finished seed); a run cut off mid-training resumes
    from its last epoch either way. ``split_seed`` fixes the 799/199 split while ``seed`` varies the
    initialisation and the batches (default: ``seed`` does both). ``synthetic_stage_from`` (another run's
    record) lends ``both`` its finished synthetic stage (:mod:`hotdog.head_start`). ``labels`` keeps the labels
    of that many training photos (by class, drawn by ``seed``) and hides the rest's; ``adapted`` learns from
    those (:func:`train_adapted`, with ``adaptation``, default :data:`hotdog.adapt.CHOSEN`)."""
    if reuse and record_path.exists():
        return RunRecord.read(record_path)
    trained = check_labels(modes.check(trained), labels)
    recipe = recipe or settings.recipe("article")
    config = TrainConfig.for_sizes(sizes, recipe, seed=seed, precision=precision)
    timings, start = {}, time.perf_counter()
    rendered = synthetic_root if any(m != "authentic" for m in trained) else None
    prepared = data.prepare(seed if split_seed is None else split_seed, rendered,
                            photo_limit=sizes.authentic_train_limit, validation_photos=recipe.validation_photos,
                            stratified=recipe.stratified, labels=labels, labels_seed=seed,
                            progress=progress)
    timings["load"] = time.perf_counter() - start
    print(prepared.describe())
    lent = synthetic_stage_from is not None and modes.starts_from_synthetic(trained)
    if lent:
        _start_from(synthetic_stage_from, checkpoints, config, prepared, render_config, split_seed, trained)
    adaptation = adaptation_for(trained, seed, precision, adaptation)
    histories = {mode: _trained(mode, prepared, config, adaptation, checkpoints, reuse, timings, progress)
                 for mode in sorted(trained, key=lambda m: m == "adapted")}  # adapted last: it starts from both's stage
    t = time.perf_counter()
    results = evaluate_checkpoints(checkpoints, prepared.test, modes.produced(trained))
    timings["evaluate"], timings["total"] = time.perf_counter() - t, time.perf_counter() - start
    device = default_device(config.device)
    record = RunRecord(
        seed=seed, sizes=sizes.as_dict(), recipe=recipe.as_dict(), config={**asdict(config), "betas": list(config.betas)},
        results=results, histories=histories, test_photos=prepared.test_photos(),
        test_labels=prepared.test.labels.tolist(), n_synthetic=len(prepared.synthetic or []),
        n_authentic_train=len(prepared.authentic_train), n_validation=len(prepared.validation or []),
        n_test=len(prepared.test), study=study, render_config=render_config, render=render_report,
        timings_seconds=timings, machine=machine(), device=str(device),
        autocast=as_recorded(computed_in(histories), choose_precision(config.precision, device)), split_seed=split_seed,
        synthetic_stage_from=_lender_name(synthetic_stage_from) if lent else None,
        labels=labels, n_unlabelled=len(prepared.unlabelled_photos()) if "adapted" in trained or labels is not None else 0,
        adaptation=asdict(adaptation) if adaptation is not None else None)
    files.write_json(record_path, record.to_json(), indent=1, default=str)
    return RunRecord.read(record_path)  # exactly what a later call reads back


def _trained(mode: str, prepared: data.Prepared, config: TrainConfig, adaptation, checkpoints: Path, reuse: bool,
             timings: dict, progress: bool) -> dict:
    """Train ``mode`` and return its history; with ``reuse`` (a study's seed), a mode this seed finished before
    it was cut off is read back instead (its model and history are in ``checkpoints``)."""
    history = modes.history(checkpoints, mode)
    if reuse and history.exists() and modes.checkpoint(checkpoints, mode).exists():
        print(f"{mode}: finished before, in {checkpoints}")
        return json.loads(history.read_text())
    t = time.perf_counter()
    if mode == "adapted":
        out = train_adapted(prepared, config, adaptation, checkpoints, progress)
    else:
        out = train(mode, prepared.training(), config, test=prepared.test, checkpoint_dir=checkpoints,
                    validation=prepared.validation, progress=progress)[1].to_json()
    timings[f"train_{mode}"] = time.perf_counter() - t
    return out


def computed_in(histories: dict) -> list[str]:
    """What each epoch of these histories computed in, in order (an adapted history's renders-only ``start``
    first; a lent stage's epochs are in the history that borrowed them)."""
    runs = [h.get("start") or {} for h in histories.values()] + list(histories.values())
    return [row.get("computed_in") for run in runs for row in run.get("epochs", [])]


def check_labels(trained: tuple[str, ...], labels: int | None) -> tuple[str, ...]:
    """``trained`` if ``labels`` leaves each of them something to learn from; else a ValueError naming
    the option."""
    if labels is not None and (not isinstance(labels, int) or isinstance(labels, bool) or labels < 0):
        raise ValueError(f"--labels is how many training photos keep their labels: a whole number from 0, not {labels!r}")
    if labels == 0 and {"authentic", "both"} & set(trained):
        raise ValueError("--labels 0 leaves authentic and both no labelled photo to train on: train --modes adapted "
                         "(renders plus unlabelled photos; it gives the renders-only model too), or give --labels 1 or more")
    return trained


def adaptation_for(trained, seed: int, precision: str, adaptation=None):
    """The adapted regime's settings with this run's seed and precision (None when it is not trained)."""
    from dataclasses import replace

    from hotdog import adapt

    if "adapted" not in trained:
        return None
    return replace(adaptation or adapt.CHOSEN, seed=seed, precision=precision)


def train_adapted(prepared: data.Prepared, config: TrainConfig, adaptation, checkpoints: Path, progress: bool) -> dict:
    """The ``adapted`` model: the ``synthetic`` model of this run (trained here unless ``both`` or a lent stage
    left it in ``checkpoints``) adapted to the unlabelled training photos, with any labelled ones beside the
    renders; saved under its checkpoint name. Returns its history (one row per adaptation epoch)."""
    from hotdog import adapt
    from hotdog.train import save_atomic

    start, stage = modes.checkpoint(checkpoints, "synthetic"), None
    if not start.exists():
        stage = train("synthetic", {"synthetic": prepared.synthetic}, config, checkpoint_dir=checkpoints,
                      test=prepared.test, progress=progress)[1].to_json()
    elif modes.history(checkpoints, "synthetic").exists():  # trained here before this run was cut off
        stage = json.loads(modes.history(checkpoints, "synthetic").read_text())
    labelled = prepared.authentic_train if prepared.unlabelled is not None else None
    model, rows = adapt.adapt(load_model(start), prepared.synthetic, prepared.unlabelled_photos(), adaptation,
                              labelled=labelled, validation=prepared.validation,
                              resume=modes.resume(checkpoints, "adapted"), progress=progress)
    history = {"mode": "adapted", "config": asdict(adaptation), "epochs": rows, **({"start": stage} if stage else {})}
    save_atomic({k: v.detach().cpu().clone() for k, v in model.state_dict().items()}, modes.checkpoint(checkpoints, "adapted"))
    files.write_json(modes.history(checkpoints, "adapted"), history, indent=1)
    modes.resume(checkpoints, "adapted").unlink(missing_ok=True)
    return history


def _lender_name(lender: Path) -> str:
    """A lender's record as ``<study>/seed<k>.json``: the same on every machine."""
    return f"{Path(lender).parent.name}/{Path(lender).name}"


def _start_from(lender: Path, checkpoints: Path, config: TrainConfig, prepared, render_config, split_seed,
                trained=("both",)) -> None:
    """Borrow ``lender``'s synthetic stage unless ``both`` has begun or finished here already; a ``both`` begun
    here another way is refused, so the record never names a lender the run did not start from. A run that
    trains ``adapted`` without ``both`` takes only the stage's model, to start from."""
    from hotdog import head_start

    if "both" not in trained:
        if not modes.checkpoint(checkpoints, "synthetic").exists():
            head_start.lend_weights(lender, checkpoints, config, str(default_device(config.device)),
                                    n_synthetic=len(prepared.synthetic or []), render_config=render_config,
                                    split_seed=split_seed)
            print(f"adapted: starts from the synthetic stage of {lender}")
        return

    resume = modes.resume(checkpoints, "both")
    if resume.exists():
        began = torch.load(resume, map_location="cpu", weights_only=False).get("borrowed_from")
        if began != str(lender):
            raise ValueError(f"{resume} holds a both run begun {'from ' + began if began else 'without a borrowed stage'}"
                             f", not from {lender}: delete it to start from {lender}, or drop --synthetic-stage-from")
        return
    if modes.checkpoint(checkpoints, "both").exists():
        return
    head_start.borrow(lender, checkpoints, config, str(default_device(config.device)),
                      n_synthetic=len(prepared.synthetic or []), render_config=render_config, split_seed=split_seed)
    print(f"both: synthetic stage taken from {lender}")
