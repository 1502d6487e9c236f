"""Choose the ``small`` preset: candidates for the main job's minutes on a CPU, three seeds each, scored on
split 0's 160 validation photos (carved by class from its 799 training photos), never on its test photos.

    python scripts/choose_small.py           # render and train what is missing, then print the table
    python scripts/choose_small.py --table   # only the table

Each candidate is a size preset (renders, epochs) and a recipe, trained as the main job trains them
(``both``, which also gives the renders-alone model, and ``authentic``) with 160 photos held out to watch:
nothing is chosen by them inside a run (``choose_epoch`` off), and every seed is split 0 (the seeds vary
the initialisation, the batches and the augmentation), so the three seeds answer the same validation
photos. Each seed is a study record in ``results/small-choice/<candidate>/seed<k>.json`` (resumable,
refused if made otherwise); the records hold test scores too, since every run tests, but this script reads
only each model's validation accuracy and AUC after its last epoch.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hotdog import metrics, paths, settings, study  # noqa: E402
from hotdog.modes import MODES  # noqa: E402
from hotdog.settings import Sizes  # noqa: E402

SEEDS = (0, 1, 2)
SPLIT_SEED = 0
VALIDATION_PHOTOS = 160
# name -> (sizes, recipe). The tuned recipe multiplies the real-photo epochs (fine-tuning x5, photos alone
# x10/3): its 6 + 3 and 6 become 6 renders epochs, then 15 of photos and renders mixed; 20 of photos alone.
CANDIDATES = {
    "article-800-2-4-6": (Sizes("small", 800, 2, 4, 6), "article"),  # the small preset until now
    "article-800-5-10-15": (Sizes("small", 800, 5, 10, 15), "article"),  # the same, filling the minutes
    "tuned-1000-6-3-6": (Sizes("small", 1000, 6, 3, 6), "tuned"),  # the project's answer, scaled down
}


def folder() -> Path:
    return paths.results_root() / "small-choice"


def recipe(name: str) -> settings.Recipe:
    """``name``'s recipe, with the validation photos carved off and only watched."""
    base = settings.recipe(name)
    return dataclasses.replace(base, validation_photos=VALIDATION_PHOTOS, stratified=True,
                               train={**base.train, "choose_epoch": False})


def run(name: str) -> None:
    from hotdog.render import RenderConfig, render_dataset

    sizes, recipe_name = CANDIDATES[name]
    config = RenderConfig(n_images=sizes.n_synthetic)
    renders = paths.renders_dir(sizes.n_synthetic)
    report = render_dataset(renders, config, n_jobs=sizes.render_jobs)
    for seed in SEEDS:
        print(f"== {name}: seed {seed}")
        study.run_seed(name, seed, sizes, renders, recipe=recipe(recipe_name), trained=("both", "authentic"),
                       render_config=config.as_dict(), render_report=report, root=folder(), split_seed=SPLIT_SEED)


def last_validation(record: dict, model: str) -> tuple[float, float]:
    """Validation accuracy and AUC of ``model`` after its last epoch (the renders-alone model: the last
    epoch of ``both``'s synthetic stage)."""
    history = record["histories"]["authentic" if model == "authentic" else "both"]["epochs"]
    rows = [r for r in history if model != "synthetic" or r["stage"] == "synthetic"]
    return rows[-1]["val_accuracy"], rows[-1]["val_auc"]


def table() -> str:
    lines = ["| candidate | seeds | minutes a seed | renders alone | photos alone | renders, then photos | "
             "renders - photos alone |", "|---|---|---|---|---|---|---|"]
    for name in CANDIDATES:
        if not study.exists(name, folder()):
            continue
        records = study.load(name, folder())
        cells = []
        for model in MODES:
            scores = [last_validation(r, model) for r in records]
            acc, auc = (metrics.over_seeds([s[i] for s in scores]) for i in (0, 1))
            cells.append(f"{acc['mean']:.1%} (AUC {auc['mean']:.3f})")
        gain = metrics.over_seeds([last_validation(r, "both")[0] - last_validation(r, "authentic")[0] for r in records])
        spread = (f" ({gain['interval95'][0]:+.1%} to {gain['interval95'][1]:+.1%})" if len(records) > 1 else "")
        minutes = sum(r["timings_seconds"]["total"] for r in records) / len(records) / 60
        lines.append(f"| {name} | {len(records)} | {minutes:.1f} | {' | '.join(cells)} | {gain['mean']:+.1%}{spread} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("candidates", nargs="*", metavar="CANDIDATE", help=f"default: all ({', '.join(CANDIDATES)})")
    parser.add_argument("--table", action="store_true", help="only print the table")
    args = parser.parse_args(argv)
    unknown = [n for n in args.candidates if n not in CANDIDATES]
    if unknown:
        parser.error(f"no candidate named {', '.join(unknown)}; the candidates are {', '.join(CANDIDATES)}")
    if not args.table:
        for name in args.candidates or CANDIDATES:
            run(name)
    print(table())


if __name__ == "__main__":
    main()
