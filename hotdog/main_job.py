"""The main job: the whole article in one call, from real photos and fresh renders to the table.

:func:`run` (or ``python -m hotdog run``, or ``bash run.sh``) makes sure the real photos are there
(downloading them if not), renders the synthetic set, trains the article's network the three ways
in one run (:func:`hotdog.experiment.run_once`), tests each on the held-out real photos and writes
``results/<size>/``:

* ``summary.json``  - the run's record: sizes, recipe, seeds, timings, per-mode accuracy with its
  95 % interval and confusion matrix, the article's numbers, and every epoch's history;
* ``comparison.png``, ``curves.png``, ``confusion.png``, ``renders_vs_photos.png`` - the figures;
* ``checkpoints/`` - the three models under the article's file names.

The ``synthetic`` model is the ``both`` run's state after its synthetic stage, exactly as the
article's own ``train('both')`` saves ``binary_classifier`` midway; training it a second time would
give the same weights (same seed, same batches) and cost minutes.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from hotdog import data, modes, paths, plots, report, settings
from hotdog.experiment import RunRecord, evaluate_checkpoints, run_once


def run(size: str | None = None, seed: int = 0, render: bool = True, progress: bool = True,
        n_jobs: int | None = None, recipe: str | None = None, precision: str = "auto") -> RunRecord:
    """Render, load, train three ways, compare; returns the record written to ``summary.json``. Without
    ``size`` and ``recipe``, the device chooses (:func:`hotdog.settings.choice`): the article's schedule with
    the tuned recipe on a CUDA GPU, the ``small`` preset (with the tuned recipe too) on a CPU."""
    from hotdog.download import ensure_authentic
    from hotdog.device import default_device
    from hotdog.precision import choose

    start = time.perf_counter()
    sizes, chosen = settings.sizes(size), settings.recipe(recipe or settings.default_recipe(size))
    out = paths.results_dir(sizes.name)
    device = default_device()
    print(f"hotdog: {settings.choice(size, recipe)}\n"
          f"on {device}, computing in {choose(precision, device).name} (--precision {precision}); {sizes.as_dict()}\n"
          f"results go to {out}")
    ensure_authentic(progress=progress)
    synthetic_root = paths.synthetic_dir()
    render_config, render_report = _render(synthetic_root, sizes, seed, n_jobs, progress) if render else (None, None)
    record = run_once(sizes, seed, checkpoints=out / "checkpoints", record_path=out / "summary.json",
                      synthetic_root=synthetic_root, recipe=chosen, precision=precision,
                      render_config=render_config, render_report=render_report, progress=progress)
    save_figures(record.to_json(), out)
    save_contact_sheet(synthetic_root, out)
    print("\nAccuracy on the held-out real photos\n" + report.format_table(record.results))
    print(closing_words(record.results, sizes.name, chosen.name))
    print(f"\nwall time {(time.perf_counter() - start) / 60:.1f} min; summary and figures in {out}")
    return record


def closing_words(results: dict, size: str, recipe: str) -> str:
    """What this one run says about renders, and where the five-seed studies kept in ``results/studies``
    show them helping (a single run of 199 photos moves by several points with the seed)."""
    from hotdog import study

    both, alone = results["both"]["accuracy"], results["authentic"]["accuracy"]
    verdict = "helped" if both > alone else "did not help"
    line = f"\nIn this run, renders {verdict}: renders then photos {both:.1%}, photos alone {alone:.1%}."
    if not study.exists("tuned", paths.recorded_studies_dir()):
        return line
    regimes = study.summarize(study.load("tuned", paths.recorded_studies_dir()))["regimes"]
    seeds = regimes["both"]["n"]
    answer = (f"The article's schedule with the tuned recipe is where renders help: over {seeds} seeds, renders then "
              f"photos {regimes['both']['mean']:.1%} against photos alone {regimes['authentic']['mean']:.1%} "
              f"(results/studies/tuned, RESULTS.md)")
    if size == "article" and recipe == "tuned":
        return line + "\n" + answer + "; one seed of it is this run."
    return line + f"\nOne run of size {size!r} ({recipe} recipe) on 199 photos moves by several points with the " \
        "seed, so it is no answer. " + answer + ": python -m hotdog run --size article --recipe tuned (minutes on a " \
        "GPU, hours on a CPU)."


def _render(root: Path, sizes: settings.Sizes, seed: int, n_jobs: int | None, progress: bool) -> tuple[dict, dict]:
    """The main job's renders: ``sizes.n_synthetic`` of them from ``seed`` (only what is missing)."""
    from hotdog.render import RenderConfig, render_dataset

    config = RenderConfig(n_images=sizes.n_synthetic, seed=seed)
    rendered = render_dataset(root, config, n_jobs=n_jobs or sizes.render_jobs, progress=progress)
    return config.as_dict(), rendered


def save_figures(summary: dict, out: Path) -> None:
    import matplotlib.pyplot as plt

    for name, figure in (("comparison.png", plots.accuracy_bars(summary["results"])),
                         ("curves.png", plots.training_curves(summary["histories"], _baseline(summary["results"]))),
                         ("confusion.png", plots.confusion_matrices(summary["results"]))):
        figure.savefig(out / name, dpi=110)
        plt.close(figure)


def _baseline(results: dict) -> float | None:
    return next((r["majority_baseline"] for r in results.values()), None)


def save_contact_sheet(synthetic_root: Path, out: Path) -> Path:
    """``renders_vs_photos.png``: 32 renders above 32 real photos, as the network sees them."""
    import matplotlib.pyplot as plt

    figure = plots.renders_vs_photos(data.synthetic(synthetic_root, transform=data.transform()),
                                     data.authentic(transform=data.transform()))
    figure.savefig(out / "renders_vs_photos.png", dpi=110)
    plt.close(figure)
    return out / "renders_vs_photos.png"


@dataclass
class ShownRun:
    """A main-job run for a notebook to show: the reader's own, or the one kept in the repository."""

    source: str  # what the cells show, in a sentence
    results: dict  # mode -> metrics.summarize(...) with the test photos' probabilities (split seed 0)
    histories: dict  # trained mode -> its history
    checkpoints: dict  # mode -> a model file to load


def run_to_show(results: Path, test) -> ShownRun:
    """The models in ``results/checkpoints`` (04_train or ``bash run.sh``), tested on ``test`` (split
    seed 0's photos); without them, the main job's ``small`` run kept in ``results/example/small/summary.json``
    and the model shipped in the package, so a notebook runs on a fresh machine too."""
    from hotdog.seefood import SHIPPED, shipped_info

    folder, root = results / "checkpoints", paths.project_root()
    shown = folder.relative_to(root) if folder.is_relative_to(root) else folder
    if all(modes.checkpoint(folder, m).exists() for m in modes.MODES):
        histories = {m: json.loads(modes.history(folder, m).read_text()) for m in modes.TRAINED}
        return ShownRun(f"your run's models in {shown}", evaluate_checkpoints(folder, test), histories,
                        {m: modes.checkpoint(folder, m) for m in modes.MODES})
    kept = paths.example_run_dir() / "summary.json"
    summary = json.loads(kept.read_text())
    return ShownRun(f"no models of your own in {shown} yet (04_train or `bash run.sh` make them): the main job's "
                    f"small run kept in the repository ({kept.relative_to(paths.project_root())}), and the model "
                    f"shipped in the package ({_shipped_origin(shipped_info())})",
                    summary["results"], summary["histories"], {"both": SHIPPED})


def _shipped_origin(info: dict) -> str:
    """Where the shipped model comes from, in a few words: "study 'tuned' (tuned recipe), seed 0's both model"."""
    study = info.get("study", {}).get("name", info.get("size", "?"))
    return f"study {study!r} ({info.get('recipe', 'article')} recipe), seed {info['split_seed']}'s {info['mode']} model"
