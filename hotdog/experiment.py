"""The main job: the whole article in one call, from real photos and fresh renders to the table.

``run()`` (or ``python -m hotdog run``) makes sure the real photos are there (downloading them if
not), renders the synthetic set, trains the article's network the three ways, evaluates each on
the held-out real photos and writes ``results/<size>/``:

* ``summary.json``  - sizes, seeds, timings, per-mode accuracy with its 95 % interval and
  confusion matrix, the article's numbers, and every epoch's history;
* ``comparison.png``, ``curves.png``, ``confusion.png`` - the figures;
* ``checkpoints/`` - the three models under the article's file names.

The ``synthetic`` model is the ``both`` run's state after its synthetic stage, exactly as the
article's own ``train('both')`` saves ``binary_classifier`` midway; training it a second time would
give the same weights (same seed, same batches) and cost minutes.
"""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

import torch
from torch.utils.data import Subset

from hotdog import data, metrics, paths, plots, settings
from hotdog.train import CHECKPOINT_NAMES, TrainConfig, default_device, load_model, train


def prepare_data(sizes: settings.Sizes, seed: int = 0, synthetic_root: Path | None = None,
                 progress: bool = True, validation_photos: int = 0) -> dict:
    """Decoded, cached datasets: ``authentic_train``, ``test``, (if a folder is given) ``synthetic``,
    and with ``validation_photos`` a ``validation`` set carved from the training photos."""
    authentic = data.authentic()
    train_set, test_set = data.split(authentic, seed=seed)
    if sizes.authentic_train_limit is not None:  # the first N training photos, decoded alone
        train_set = Subset(train_set.dataset, train_set.indices[:sizes.authentic_train_limit])
    prepared = {"test": data.cache(test_set, progress=progress),
                "authentic_root": str(authentic.root), "skipped": authentic.skipped}
    if validation_photos:
        train_set, validation_set = data.carve(train_set, validation_photos, seed=seed)
        prepared["validation"] = data.cache(validation_set, progress=progress)
    prepared["authentic_train"] = data.cache(train_set, progress=progress)
    if synthetic_root is not None:
        prepared["synthetic"] = data.cache(data.synthetic(synthetic_root), progress=progress)
    return prepared


def evaluate_checkpoints(checkpoint_dir: Path, test, device=None) -> dict[str, dict]:
    """Per mode: the summary of :func:`hotdog.metrics.summarize` plus the raw probabilities."""
    results = {}
    for mode in ("synthetic", "authentic", "both"):
        path = checkpoint_dir / f"{CHECKPOINT_NAMES[mode]}.pt"
        if path.exists():
            probabilities, labels = metrics.predict(load_model(path, device), test)
            results[mode] = {**metrics.summarize(probabilities, labels), "probabilities": probabilities.tolist()}
    return results


def format_table(results: dict[str, dict]) -> str:
    """The article's table with ours beside it, as text."""
    lines = [f"{'trained on':<28}{'article':>9}{'this run':>10}   95% interval      correct",
             "-" * 72]
    for mode in ("synthetic", "authentic", "both"):
        if mode in results:
            r = results[mode]
            lines.append(f"{plots.MODE_LABELS[mode]:<28}{metrics.ARTICLE[mode]:>9.2%}{r['accuracy']:>10.2%}"
                         f"   {r['interval95'][0]:.1%} - {r['interval95'][1]:.1%}   {r['correct']}/{r['total']}")
    return "\n".join(lines)


def run(size: str | None = None, seed: int = 0, render: bool = True, progress: bool = True,
        n_jobs: int | None = None) -> dict:
    """Render, load, train three ways, compare; returns the summary written to ``summary.json``."""
    from hotdog.download import ensure_authentic

    sizes = settings.sizes(size)
    out = paths.results_dir(sizes.name)
    out.mkdir(parents=True, exist_ok=True)
    checkpoints = out / "checkpoints"
    timings: dict[str, float] = {}
    start = time.perf_counter()
    print(f"hotdog: size {sizes.name!r} {sizes.as_dict()}\nresults go to {out}")

    ensure_authentic(progress=progress)
    synthetic_root = paths.synthetic_dir()
    render_report = None
    if render:
        from hotdog.render import RenderConfig, render_dataset

        t = time.perf_counter()
        render_report = render_dataset(synthetic_root, RenderConfig(n_images=sizes.n_synthetic, seed=seed),
                                       n_jobs=n_jobs or sizes.render_jobs, progress=progress)
        timings["render"] = time.perf_counter() - t

    t = time.perf_counter()
    prepared = prepare_data(sizes, seed=seed, synthetic_root=synthetic_root, progress=progress)
    timings["load"] = time.perf_counter() - t
    print(f"{len(prepared['synthetic'])} synthetic images, {len(prepared['authentic_train'])} real training "
          f"photos, {len(prepared['test'])} real test photos")

    config = TrainConfig.for_sizes(sizes, seed=seed)
    training = {"synthetic": prepared["synthetic"], "authentic": prepared["authentic_train"]}
    histories = {}
    for mode in ("both", "authentic"):
        t = time.perf_counter()
        _, history = train(mode, training, config, test=prepared["test"], checkpoint_dir=checkpoints, progress=progress)
        timings[f"train_{mode}"] = time.perf_counter() - t
        histories[mode] = history.to_json()
    histories = {"synthetic": {**histories["both"], "mode": "synthetic",
                               "epochs": [e for e in histories["both"]["epochs"] if e["stage"] == "synthetic"]},
                 **histories}

    t = time.perf_counter()
    results = evaluate_checkpoints(checkpoints, prepared["test"])
    timings["evaluate"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - start

    summary = {
        "sizes": sizes.as_dict(), "seed": seed, "device": str(default_device()),
        "torch_threads": torch.get_num_threads(), "python": platform.python_version(), "torch": torch.__version__,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
        "n_synthetic": len(prepared["synthetic"]), "n_authentic_train": len(prepared["authentic_train"]),
        "n_test": len(prepared["test"]),
        "test_photos": [os.path.relpath(p, prepared["authentic_root"]) for p in prepared["test"].paths],
        "article": metrics.ARTICLE, "results": results, "histories": histories,
        "render": render_report, "timings_seconds": timings,
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=1, default=str))
    save_figures(summary, out)
    save_contact_sheet(synthetic_root, out)
    print("\nAccuracy on the held-out real photos\n" + format_table(results))
    print(f"\nwall time {timings['total'] / 60:.1f} min; summary and figures in {out}")
    return summary


def save_figures(summary: dict, out: Path) -> None:
    import matplotlib.pyplot as plt

    for name, figure in (("comparison.png", plots.accuracy_bars(summary["results"])),
                         ("curves.png", plots.training_curves(summary["histories"])),
                         ("confusion.png", plots.confusion_matrices(summary["results"]))):
        figure.savefig(out / name, dpi=110)
        plt.close(figure)


def save_contact_sheet(synthetic_root: Path, out: Path) -> Path:
    """``renders_vs_photos.png``: 32 renders above 32 real photos, as the network sees them."""
    import matplotlib.pyplot as plt

    figure = plots.renders_vs_photos(data.synthetic(synthetic_root, transform=data.transform()),
                                     data.authentic(transform=data.transform()))
    figure.savefig(out / "renders_vs_photos.png", dpi=110)
    plt.close(figure)
    return out / "renders_vs_photos.png"


def load_summary(size: str | None = None) -> dict:
    """The ``summary.json`` of the last run of this size."""
    path = paths.results_dir(size) / "summary.json"
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist; run `python -m hotdog run` (or notebook 04) first.")
    return json.loads(path.read_text())
