"""Several seeds of the experiment, each a JSON file, and the table over them.

One seed of a study is what the main job does once: split the 998 real photos 799/199 with that
seed, initialise and shuffle with it, train ``both`` (which also yields the ``synthetic`` model
after its first stage) and ``authentic``, and test all three on that seed's 199 photos. Each seed
writes ``results/studies/<study>/seed<k>.json`` (sizes, training config, seeds, per-epoch
history, accuracies, and every test photo's probability, so regimes can be compared photo by
photo). A seed whose file exists is skipped, and a seed cut off mid-training resumes from its last
epoch, so an interrupted study is finished by running the same command again.

:func:`summarize` reads the files back: per regime the mean accuracy over seeds, its standard
deviation and 95 % t-interval; per pair of regimes the mean paired difference with its interval
and McNemar's exact test pooled over the seeds' photos. ``python -m hotdog compare`` prints it.
"""

from __future__ import annotations

import json
import os
import platform
import time
from dataclasses import asdict
from pathlib import Path

import torch

from hotdog import metrics, paths, settings
from hotdog.train import TrainConfig, autocast_dtype, default_device, train

REGIMES = ("synthetic", "authentic", "both")
PAIRS = (("both", "authentic"), ("authentic", "synthetic"), ("both", "synthetic"))


def studies_dir() -> Path:
    return paths.project_root() / "results" / "studies"


def run_seed(study: str, seed: int, sizes: settings.Sizes, config: TrainConfig, synthetic_root: Path | None,
             out_root: Path | None = None, progress: bool = True, recipe: settings.Recipe | None = None,
             modes: tuple[str, ...] = ("both", "authentic"), render_config: dict | None = None) -> dict:
    """Train and test one seed of ``study`` (skipped if its JSON exists); returns its record.

    ``config`` is the training configuration (see :meth:`TrainConfig.for_sizes`); ``recipe`` says how
    many validation photos to carve from the training photos (the article's recipe: none).
    ``modes`` are the training runs: ``both`` (which also yields the ``synthetic`` model) and
    ``authentic``; an ablation of the renderer needs only ``both``, since ``authentic`` never sees a
    render. ``render_config`` is recorded as given (how the synthetic images were made)."""
    if not modes or set(modes) - {"both", "authentic"}:
        raise ValueError(f"modes are 'both' and/or 'authentic', not {modes!r}")
    from hotdog.experiment import evaluate_checkpoints, prepare_data

    recipe = recipe or settings.recipe("article")
    out = (out_root or studies_dir()) / study
    target = out / f"seed{seed}.json"
    if target.exists():
        return json.loads(target.read_text())
    config = TrainConfig(**{**asdict(config), "seed": seed})
    device = default_device(config.device)
    start = time.perf_counter()
    prepared = prepare_data(sizes, seed=seed, synthetic_root=synthetic_root, progress=progress,
                            validation_photos=recipe.validation_photos)
    checkpoints = out / f"seed{seed}.checkpoints"
    training = {"synthetic": prepared["synthetic"], "authentic": prepared["authentic_train"]}
    histories, timings = {}, {}
    for mode in modes:
        t = time.perf_counter()
        _, history = train(mode, training, config, test=prepared["test"], validation=prepared.get("validation"),
                           checkpoint_dir=checkpoints, progress=progress)
        histories[mode] = history.to_json()
        timings[f"train_{mode}"] = time.perf_counter() - t
    results = evaluate_checkpoints(checkpoints, prepared["test"])
    timings["total"] = time.perf_counter() - start
    record = {
        "study": study, "seed": seed, "sizes": sizes.as_dict(), "recipe": recipe.as_dict(),
        "config": {**asdict(config), "betas": list(config.betas)},
        "n_synthetic": len(prepared["synthetic"]), "n_authentic_train": len(prepared["authentic_train"]),
        "n_validation": len(prepared.get("validation", [])), "render_config": render_config,
        "test_photos": [os.path.relpath(p, prepared["authentic_root"]) for p in prepared["test"].paths],
        "test_labels": prepared["test"].labels.tolist(),
        "results": results, "histories": histories, "timings_seconds": timings,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, torch {torch.__version__}, "
                   f"{torch.get_num_threads()} threads",
        "device": str(device), "autocast": str(autocast_dtype(config.precision, device)),  # what "auto" chose
    }
    out.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(record, indent=1))
    os.replace(tmp, target)
    return json.loads(target.read_text())  # exactly what a later call reads back


def exists(study: str, root: Path | None = None) -> bool:
    """Whether ``study`` has at least one finished seed."""
    return any(((root or studies_dir()) / study).glob("seed*.json"))


def load(study: str, root: Path | None = None) -> list[dict]:
    """The seed records of ``study``, by seed."""
    folder = (root or studies_dir()) / study
    records = [json.loads(p.read_text()) for p in sorted(folder.glob("seed*.json"))]
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


def summarize(records: list[dict]) -> dict:
    """Per regime: accuracy over seeds; per pair: paired difference and pooled McNemar test."""
    regimes = {r: metrics.over_seeds([rec["results"][r]["accuracy"] for rec in records])
               for r in REGIMES if all(r in rec["results"] for rec in records)}
    pairs = {}
    for a, b in PAIRS:
        if a in regimes and b in regimes:
            pairs[f"{a} - {b}"] = _paired([(rec, a) for rec in records], [(rec, b) for rec in records])
    majority = [max(sum(r["test_labels"]), len(r["test_labels"]) - sum(r["test_labels"])) / len(r["test_labels"])
                for r in records]
    return {"seeds": [r["seed"] for r in records], "regimes": regimes, "pairs": pairs,
            "majority_baseline": sum(majority) / len(majority)}


def versus(records: list[dict], reference: list[dict]) -> dict:
    """Study against ``reference`` (e.g. an ablation against everything on), per regime both trained:
    the paired difference of accuracy over the seeds both have, and McNemar's test pooled over their test
    photos. A seed's split is the same in every study, so the two answer the same photos; a seed whose
    photos differ (another split, another share) is refused rather than compared."""
    by_seed = {r["seed"]: r for r in reference}
    pairs = [(r, by_seed[r["seed"]]) for r in records if r["seed"] in by_seed]
    if not pairs:
        raise ValueError("the two studies share no seed, so they were not tested on the same photos")
    for a, b in pairs:
        if a["test_photos"] != b["test_photos"]:
            raise ValueError(f"seed {a['seed']} was tested on other photos in the two studies; compare them unpaired")
    out = {}
    for regime in REGIMES:
        if all(regime in a["results"] and regime in b["results"] for a, b in pairs):
            out[regime] = {"seeds": [a["seed"] for a, _ in pairs],
                           **_paired([(a, regime) for a, _ in pairs], [(b, regime) for _, b in pairs])}
    return out


def format_versus(comparison: dict, name: str, reference: str) -> str:
    """One line per regime: the paired difference, its interval and McNemar's test."""
    from hotdog.plots import MODE_LABELS

    lines = [f"{name} - {reference} (paired by seed, same test photos)"]
    for regime, c in comparison.items():
        d, m = c["difference"], c["mcnemar"]
        interval = f" (95% {d['interval95'][0]:+.1%} to {d['interval95'][1]:+.1%})" if d["n"] > 1 else ""
        p = "p < 0.001" if m["p_value"] < 0.001 else f"p = {m['p_value']:.3f}"
        lines.append(f"  {MODE_LABELS[regime]:<26} {d['mean']:+.1%}{interval} over {d['n']} seeds; McNemar: "
                     f"{m['only_a']} vs {m['only_b']} photos right only by one, {p}")
    return "\n".join(lines)


def format_p(p: float) -> str:
    """A p-value for a table: two decimals, three below 0.01 (so 0.004 does not read as 0.00), and
    "p < 0.001" below that."""
    if p < 0.001:
        return "p < 0.001"
    return f"p = {p:.3f}" if p < 0.01 else f"p = {p:.2f}"


def format_versus_markdown(comparisons: dict[str, dict], reference: str) -> str:
    """The README's ablation table: per study (a row) and regime (a column), the paired difference
    against ``reference`` with its 95 % interval and McNemar's p (see :func:`versus`)."""
    from hotdog.plots import MODE_LABELS

    regimes = [r for r in REGIMES if any(r in c for c in comparisons.values())]
    lines = [f"| study minus {reference}, paired by seed | " + " | ".join(MODE_LABELS[r] for r in regimes) + " | seeds |",
             "|---" * (len(regimes) + 2) + "|"]
    for name, comparison in comparisons.items():
        cells = []
        for regime in regimes:
            if regime not in comparison:
                cells.append("-")
                continue
            d, m = comparison[regime]["difference"], comparison[regime]["mcnemar"]
            interval = f" ({d['interval95'][0]:+.1%} to {d['interval95'][1]:+.1%})" if d["n"] > 1 else ""
            p = format_p(m["p_value"])
            cells.append(f"{d['mean']:+.1%}{interval}, {p}")
        seeds = next(iter(comparison.values()))["seeds"] if comparison else []
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {len(seeds)} |")
    return "\n".join(lines)


def format_summary(summary: dict, title: str = "") -> str:
    """The table: the article's number beside our mean, spread and interval, then the paired tests."""
    from hotdog.plots import MODE_LABELS

    n = len(summary["seeds"])
    lines = [title or f"{n} seeds ({', '.join(map(str, summary['seeds']))})",
             f"{'trained on':<28}{'article':>9}{'mean':>9}{'sd':>7}   95% interval (t, {n} seeds)",
             "-" * 78]
    for regime in REGIMES:
        if regime in summary["regimes"]:
            s = summary["regimes"][regime]
            low, high = s["interval95"]
            lines.append(f"{MODE_LABELS[regime]:<28}{metrics.ARTICLE[regime]:>9.2%}{s['mean']:>9.2%}{s['sd']:>7.1%}"
                         f"   {low:.1%} - {high:.1%}")
    lines.append(f"always 'not hotdog' / majority class: {summary['majority_baseline']:.1%} on average")
    for name, pair in summary["pairs"].items():
        d, m = pair["difference"], pair["mcnemar"]
        lines.append(f"{name:<22} difference {d['mean']:+.1%} (95% {d['interval95'][0]:+.1%} to {d['interval95'][1]:+.1%}); "
                     f"McNemar over all test photos: {m['only_a']} vs {m['only_b']} photos right only by one, p = {m['p_value']:.3f}")
    return "\n".join(lines)


def format_markdown(summaries: dict[str, dict]) -> str:
    """The README's table: the article's single run beside each study's mean over seeds and its
    95 % t-interval, and the gain of ``both`` over ``authentic`` with its interval and McNemar p."""
    from hotdog.plots import MODE_LABELS

    names = list(summaries)
    header = "| trained on | article (1 run) | " + " | ".join(
        f"{name} ({len(summaries[name]['seeds'])} seeds)" for name in names) + " |"
    lines = [header, "|---" * (len(names) + 2) + "|"]

    def cell(s):
        low, high = s["interval95"]
        return f"**{s['mean']:.1%}** ({low:.1%} to {high:.1%})" if s["n"] > 1 else f"**{s['mean']:.1%}**"

    for regime in REGIMES:
        row = [cell(summaries[n]["regimes"][regime]) if regime in summaries[n]["regimes"] else "-" for n in names]
        lines.append(f"| {MODE_LABELS[regime]} | {metrics.ARTICLE[regime]:.2%} | " + " | ".join(row) + " |")
    gains = []
    for n in names:
        pair = summaries[n]["pairs"].get("both - authentic")
        if pair is None:
            gains.append("-")
            continue
        d, m = pair["difference"], pair["mcnemar"]
        p = format_p(m["p_value"])
        gains.append(f"{d['mean']:+.1%} ({d['interval95'][0]:+.1%} to {d['interval95'][1]:+.1%}), McNemar {p}")
    gain_article = metrics.ARTICLE["both"] - metrics.ARTICLE["authentic"]
    lines.append(f"| gain of synthetic pre-training (both - authentic) | {gain_article:+.2%} | " + " | ".join(gains) + " |")
    majority = " | ".join(f"{summaries[n]['majority_baseline']:.1%}" for n in names)
    lines.append(f"| always the majority class | - | {majority} |")
    return "\n".join(lines)
