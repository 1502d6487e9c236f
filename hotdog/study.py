"""Several seeds of the experiment, each a JSON file, and the table over them.

One seed of a study is what the main job does once: split the 998 real photos 799/199 with that
seed, initialise and shuffle with it, train ``both`` (which also yields the ``synthetic`` model
after its first stage) and ``authentic``, and test all three on that seed's 199 photos. Each seed
writes ``<study>/seed<k>.json`` in :func:`hotdog.paths.studies_dir` (``results/studies`` unless
``HOTDOG_RESULTS`` says otherwise): sizes, training config, seeds, per-epoch history, accuracies,
and every test photo's probability, so regimes can be compared photo by photo. A seed whose file exists is skipped, and a seed cut off mid-training resumes from its last
epoch, so an interrupted study is finished by running the same command again.

:func:`summarize` reads the files back: per regime the mean accuracy over seeds, its standard
deviation and 95 % t-interval; per pair of regimes the mean paired difference with its interval
and McNemar's exact test pooled over the seeds' photos. ``python -m hotdog compare`` prints it.
"""

from __future__ import annotations

import json
from pathlib import Path

from hotdog import metrics, modes, paths, settings
from hotdog.provenance import describe, differences, read_json, without
from hotdog.experiment import run_once
from hotdog.precision import readable

PAIRS = (("both", "authentic"), ("authentic", "synthetic"), ("both", "synthetic"), ("adapted", "synthetic"),
         ("adapted", "authentic"), ("adapted", "both"))


def run_seed(study: str, seed: int, sizes: settings.Sizes, synthetic_root: Path | None, *,
             recipe: settings.Recipe | None = None, precision: str = "auto",
             trained: tuple[str, ...] = modes.TRAINED, render_config: dict | None = None,
             render_report: dict | None = None, root: Path | None = None, split_seed: int | None = None,
             synthetic_stage_from: str | None = None, labels: int | None = None, adaptation=None,
             progress: bool = True) -> dict:
    """Train and test one seed of ``study`` (skipped if its JSON exists) with
    :func:`hotdog.experiment.run_once`; returns its record.

    ``trained`` are the training runs: ``both`` (which also yields the ``synthetic`` model) and
    ``authentic``; an ablation of the renderer needs only ``both``, since ``authentic`` never sees a
    render; ``synthetic`` alone trains on renders only. ``render_config`` is recorded as given (how the
    synthetic images were made), and ``render_report`` (what the render call before it did: images made,
    seconds, images a minute). ``split_seed`` tests every seed on the same photos (that split's), the
    seed varying the rest. ``synthetic_stage_from`` names a study whose same seed lends ``both`` its
    finished synthetic stage (:mod:`hotdog.head_start`). A study whose seeds were made otherwise is
    refused (:func:`check_settings`)."""
    recipe = recipe or settings.recipe("article")
    trained = trainings(trained)
    check_settings(study, planned(sizes, recipe, precision, trained, render_config, split_seed, labels, adaptation),
                   root)
    out = (root or paths.studies_dir()) / study
    done = paths.seed_record(out, seed)
    lender = paths.seed_record((root or paths.studies_dir()) / synthetic_stage_from, seed) if synthetic_stage_from else None
    if lender is not None and not lender.exists() and not done.exists():
        raise FileNotFoundError(f"--synthetic-stage-from {synthetic_stage_from}: {lender} does not exist; run that "
                                f"study's seed {seed} first, or drop the option")
    record = run_once(sizes, seed, checkpoints=paths.checkpoints_of(done), record_path=done,
                      synthetic_root=synthetic_root, recipe=recipe, precision=precision,
                      trained=trained, study=study, render_config=render_config,
                      render_report=render_report, reuse=True, split_seed=split_seed, synthetic_stage_from=lender,
                      labels=labels, adaptation=adaptation, progress=progress)
    return record.to_json()


def planned(sizes: settings.Sizes, recipe: settings.Recipe, precision: str, trained: tuple[str, ...],
            render_config: dict | None, split_seed: int | None, labels: int | None = None, adaptation=None) -> dict:
    """What a seed of a study will record of how it was made, before it runs (as :func:`settings_of` reads
    it back): its sizes, recipe, training config, renders, split and the models trained. A lent synthetic
    stage is not a setting: it is the model this seed's own stage would be (:mod:`hotdog.head_start`
    checks that the lender was made alike)."""
    from dataclasses import asdict

    from hotdog.experiment import adaptation_for
    from hotdog.train import TrainConfig

    config = asdict(TrainConfig.for_sizes(sizes, recipe, precision=precision))
    adapted = adaptation_for(trained, 0, precision, adaptation)
    return {**_settings(sizes.as_dict(), recipe.as_dict(), config, render_config, split_seed, trained),
            "labels": labels, "adaptation": without(asdict(adapted), "seed") if adapted else None}


def settings_of(record: dict) -> dict:
    """How a finished seed was made, in the shape of :func:`planned` (a record older than the recipe's
    name trained the article's recipe)."""
    recipe = record.get("recipe") or settings.recipe("article").as_dict()
    return {**_settings(record["sizes"], recipe, record["config"], record.get("render_config"),
                        record.get("split_seed"), tuple(record["histories"])),
            "labels": record.get("labels"), "adaptation": without(record.get("adaptation"), "seed")}


def _settings(sizes, recipe, config, render_config, split_seed, trained) -> dict:
    return {"sizes": without(sizes, "render_jobs"), "recipe": recipe,
            "training": without(config, "seed", "device", "keep_freed_memory"),
            "renders": without(render_config, "seed"),  # with a fixed split each seed renders its own set
            "split_seed": split_seed, "modes": sorted(trained)}


def check_settings(study: str, asked: dict, root: Path | None = None) -> None:
    """Refuse to add to ``study`` anything made otherwise than its finished seeds (``asked`` from
    :func:`planned`), naming each setting that differs with both values and the ways on; a study is a
    number over one configuration. A damaged seed file is named (:func:`hotdog.provenance.read_json`)."""
    for path in _seed_files(study, root):
        record = read_json(path, _FIX.format(path=path))
        if not _is_seed(record):
            continue
        recorded = settings_of(record)
        if recorded["renders"] is None:  # renders of a seed recorded before records said how they were made
            recorded.pop("renders")
        differ = differences(recorded, asked)
        if differ:
            raise ValueError(
                f"study {study!r}: {path.name} was made with other settings than this run asks ("
                f"{describe(differ, recorded, asked)}). Continue it as it began{_continue(differ, recorded)}, give "
                f"this run a new study name, or pass --force to start {study!r} again (its finished seeds are removed)")


_FIX = "restore it (git checkout -- {path}), or delete it and run that seed again"


def _is_seed(record: dict) -> bool:
    return all(k in record for k in ("seed", "sizes", "config", "histories"))


def _continue(differ: list[str], recorded: dict) -> str:
    """The options that ask for what the study recorded, where an option sets what differs."""
    def option(name: str) -> str | None:
        section, _, field = name.partition(".")
        if section == "recipe":
            return f"--recipe {recorded['recipe']['name']}"
        if name == "training.precision":
            return f"--precision {recorded['training']['precision']}"
        if section == "split_seed":
            return f"--split-seed {recorded['split_seed']}" if recorded["split_seed"] is not None else "no --split-seed"
        if section == "modes":
            return f"--modes {' '.join(recorded['modes'])}"
        if section == "labels":
            return f"--labels {recorded['labels']}" if recorded["labels"] is not None else "no --labels"
        if section == "sizes":
            return _sizes_option(recorded["sizes"])
        if name == "renders":  # renders whose folder does not say how they were made
            return "renders whose folder records its settings (python -m hotdog render writes render_config.json)"
        return None

    rendered = [name.partition(".")[2] for name in differ if name.startswith("renders.")]
    options = list(dict.fromkeys(o for o in map(option, differ) if o))
    options += [_as_options(rendered, recorded["renders"])] if rendered and recorded.get("renders") else []
    return f" ({'; '.join(options)})" if options else ""


_ASKED_BY_OPTIONS = {"name", "n_synthetic", "authentic_train_limit", "render_jobs"}  # --size, --images, --real-share


def _sizes_option(recorded: dict) -> str:
    """The options that ask for the sizes the seeds recorded: --size, with --images and --real-share where those
    differ from the preset; where the preset itself has changed since (epochs, batch size), no option asks for
    them again, and the sizes are named instead."""
    name = recorded["name"]
    present = settings.PRESETS.get(name)
    differ = {f.partition(".")[2] for f in differences({"sizes": recorded}, {"sizes": present.as_dict()})} \
        if present is not None else {"name"}
    if differ - _ASKED_BY_OPTIONS:
        return (f"the sizes its seeds recorded, which --size {name} no longer gives and no option asks for again: "
                f"{recorded['n_synthetic']} renders; {recorded['synthetic_epochs']}, {recorded['finetune_epochs']} and "
                f"{recorded['authentic_epochs']} epochs of renders, of photos after renders and of photos alone")
    options = [f"--size {name}"]
    if "n_synthetic" in differ:
        options.append(f"--images {recorded['n_synthetic']}")
    if "authentic_train_limit" in differ and recorded.get("authentic_train_limit"):
        options.append(f"--real-share {_share(recorded['authentic_train_limit'])}")
    return " ".join(options) + ("" if len(options) > 1 else " (with its epochs, renders and photos)")


def _share(photos: int, of: int = 799) -> str:
    """The shortest --real-share that keeps ``photos`` of the ``of`` training photos (80: "0.1")."""
    shares = (round(photos / of, digits) for digits in range(1, 8))
    return next(f"{share:g}" for share in shares if round(of * share) == photos)


def recorded_renders(study: str, root: Path | None = None, seed: int = 0) -> list:
    """The :class:`~hotdog.render.RenderConfig` of each of ``study``'s finished seeds that recorded one this
    renderer can make again, with render seed ``seed``."""
    from hotdog.render import RenderConfig

    out = []
    for path in _seed_files(study, root):
        saved = read_json(path, _FIX.format(path=path)).get("render_config") or {}
        try:
            out.append(RenderConfig.from_saved({**saved, "seed": seed}))
        except (TypeError, ValueError):  # recorded by another renderer, or not a whole config
            continue
    return out


def start_again(study: str, root: Path | None = None) -> int:
    """Remove ``study``'s finished seeds and their checkpoints (``--force``); returns how many seeds."""
    import shutil

    folder = (root or paths.studies_dir()) / study
    seeds = _seed_files(study, root)
    for path in seeds:
        path.unlink()
    for checkpoints in folder.glob("seed*.checkpoints"):
        shutil.rmtree(checkpoints)
    return len(seeds)


def _seed_files(study: str, root: Path | None) -> list[Path]:
    return sorted(((root or paths.studies_dir()) / study).glob("seed*.json"))


def _as_options(names: list[str], recorded: dict) -> str:
    """The command-line options that ask for ``recorded``'s values of the fields ``names``."""
    other = {"n_images": "--size or --images", "randomize": "--without", "backgrounds_dir": "--backgrounds"}
    settable = [f"{k}={json.dumps(recorded[k], separators=(',', ':'))}" for k in names if k not in other]
    options = [f"--set {' '.join(settable)} (with --synthetic DIR, the folder of its renders)"] if settable else []
    off = [name for name, on in recorded.get("randomize", {}).items() if not on]
    values = {"n_images": f"{recorded.get('n_images')} renders", "backgrounds_dir": recorded.get("backgrounds_dir"),
              "randomize": f"off: {' '.join(off) or 'none'}"}
    options += [f"{other[k]} ({values[k]})" for k in names if k in other]
    return " and ".join(options)


def trainings(trained) -> tuple[str, ...]:
    """``trained`` checked: ``synthetic`` alone trains renders only (the renders-alone studies); beside
    ``both``, which yields that model anyway, it would train the same stage twice."""
    trained = modes.check(trained)
    for other in ("both", "adapted"):
        if "synthetic" in trained and other in trained:
            raise ValueError(f"{other} already gives the synthetic model (it starts from it): train synthetic alone, "
                             f"or drop it")
    return trained


def exists(study: str, root: Path | None = None) -> bool:
    """Whether ``study`` has at least one finished seed."""
    return any(((root or paths.studies_dir()) / study).glob("seed*.json"))


def load(study: str, root: Path | None = None) -> list[dict]:
    """The seed records of ``study``, by seed."""
    folder = (root or paths.studies_dir()) / study
    records = [read_json(p, _FIX.format(path=p)) for p in sorted(folder.glob("seed*.json"))]
    if not records:
        raise FileNotFoundError(f"no seed results in {folder}; run `python -m hotdog study {study}` first")
    return sorted(records, key=lambda r: r["seed"])


def _right(record: dict, regime: str) -> list[bool]:
    labels = record["test_labels"]
    probabilities = record["results"][regime]["probabilities"]
    return [round(p) == y for p, y in zip(probabilities, labels)]


def _paired(a: list[tuple[dict, str]], b: list[tuple[dict, str]]) -> dict:
    """Paired comparison of (seed record, regime) answers, seed by seed on the same photos: the
    difference of accuracy over the seeds and McNemar's test pooled over all their test photos."""
    differences = [ra["results"][ma]["accuracy"] - rb["results"][mb]["accuracy"] for (ra, ma), (rb, mb) in zip(a, b)]
    right_a = [x for record, regime in a for x in _right(record, regime)]
    right_b = [x for record, regime in b for x in _right(record, regime)]
    return {"difference": metrics.over_seeds(differences), "mcnemar": metrics.mcnemar(right_a, right_b)}


def _auc(record: dict, regime: str) -> float:
    """The threshold-free AUC of one seed's regime, from its test photos' probabilities (older records lack it)."""
    import torch

    return metrics.auc(torch.tensor(record["results"][regime]["probabilities"]), torch.tensor(record["test_labels"]))


def labelled(records: list[dict]) -> int:
    """How many training photos kept their labels in a study's seeds: ``--labels K`` where it was given; else
    none for a study of ``adapted`` alone (with its renders-only model), every one for the others."""
    record = records[0]
    if record.get("labels") is not None:
        return record["labels"]
    return record["n_authentic_train"] if {"authentic", "both"} & set(record["results"]) else 0


def summarize(records: list[dict]) -> dict:
    """Per regime: accuracy over seeds (and under ``auc`` the AUC over seeds); per pair: paired
    difference and pooled McNemar test."""
    regimes = {r: {**metrics.over_seeds([rec["results"][r]["accuracy"] for rec in records]),
                   "auc": metrics.over_seeds([_auc(rec, r) for rec in records])}
               for r in modes.REGIMES if all(r in rec["results"] for rec in records)}
    pairs = {}
    for a, b in PAIRS:
        if a in regimes and b in regimes:
            pairs[f"{a} - {b}"] = _paired([(rec, a) for rec in records], [(rec, b) for rec in records])
    majority = [max(sum(r["test_labels"]), len(r["test_labels"]) - sum(r["test_labels"])) / len(r["test_labels"])
                for r in records]
    return {"seeds": [r["seed"] for r in records], "regimes": regimes, "pairs": pairs,
            "majority_baseline": sum(majority) / len(majority),
            "computed_in": {r["seed"]: readable(r.get("autocast")) for r in records}}


def versus(records: list[dict], reference: list[dict]) -> dict:
    """Study against ``reference`` (e.g. an ablation against everything on), per regime both trained:
    the paired difference of accuracy over the seeds both have, and McNemar's test pooled over their test
    photos. A regime only the study trained (``adapted`` against ``photo-split0``) is paired, under
    ``"adapted - authentic"`` and the like, with the reference's regimes it is compared with in ``PAIRS``.
    A seed's split is the same in every study, so the two answer the same photos; a seed whose
    photos differ (another split, another share) is refused rather than compared."""
    by_seed = {r["seed"]: r for r in reference}
    pairs = [(r, by_seed[r["seed"]]) for r in records if r["seed"] in by_seed]
    if not pairs:
        raise ValueError("the two studies share no seed, so they were not tested on the same photos")
    for a, b in pairs:
        if a["test_photos"] != b["test_photos"]:
            raise ValueError(f"seed {a['seed']} was tested on other photos in the two studies; compare them unpaired")
    out = {}
    for mine, theirs in [(r, r) for r in modes.REGIMES] + list(PAIRS):
        if mine != theirs and all(mine in b["results"] for _, b in pairs):
            continue  # a regime both studies trained is compared with its own kind only
        if all(mine in a["results"] and theirs in b["results"] for a, b in pairs):
            out[mine if mine == theirs else f"{mine} - {theirs}"] = {
                "seeds": [a["seed"] for a, _ in pairs],
                **_paired([(a, mine) for a, _ in pairs], [(b, theirs) for _, b in pairs])}
    return out


