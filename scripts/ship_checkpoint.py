"""Copy the most accurate model of a run into the package, as the model SeeFood uses by default.

    python scripts/ship_checkpoint.py                 # from results/small (the last `bash run.sh`)
    python scripts/ship_checkpoint.py --size article
    python scripts/ship_checkpoint.py --study article # from a multi-seed study (results/studies/article)

From a study, it takes the regime with the best *mean* accuracy over seeds and ships that regime's
model of split seed 0 (``--seed``), not the seed that happened to score best on its own test photos:
picking the best of several models on the photos that measure it would overstate its accuracy.

Reads the run's summary.json, takes the mode with the highest accuracy on the held-out real photos,
and writes hotdog/assets/hotdog_classifier.pt (weights only, float32, about 2 MB) and
hotdog/assets/hotdog_classifier.json (which run, which mode, its accuracy, interval and split seed).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hotdog import files, modes, paths  # noqa: E402
from hotdog.seefood import SHIPPED  # noqa: E402
from hotdog.train import load_model, save_atomic  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="small")
    parser.add_argument("--study", default=None, help="a study under results/studies (instead of a run)")
    parser.add_argument("--seed", type=int, default=0, help="with --study: which seed's model to ship")
    parser.add_argument("--calibrate", default=None, metavar="TRIAL",
                        help="with --study: record the Platt scaling of this recipe-search trial (the same recipe, "
                             "fitted on its validation photos) in the sidecar")
    args = parser.parse_args()
    if args.calibrate and not args.study:
        parser.error("--calibrate needs --study: the calibration belongs to a recipe, which a study records")
    if args.study:
        return ship_from_study(args.study, args.seed, args.calibrate)
    run = paths.results_dir(args.size)
    summary = json.loads((run / "summary.json").read_text())
    mode, result = max(summary["results"].items(), key=lambda item: item[1]["accuracy"])
    model = load_model(modes.checkpoint(run / "checkpoints", mode), "cpu")
    save_atomic({k: v.contiguous() for k, v in model.state_dict().items()}, SHIPPED)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    info = {"network": "the article's BinaryClassifier (hotdog/model.py)", "mode": mode, "size": args.size,
            "trained_by": f"bash run.sh --size {args.size} (seed {summary['seed']}), commit {commit}",
            "test_photos": f"the {result['total']} held-out real photos of split seed {summary['seed']}",
            "accuracy": result["accuracy"], "correct": result["correct"], "total": result["total"],
            "interval95": result["interval95"], "split_seed": summary["seed"]}
    files.write_text(SHIPPED.with_suffix(".json"), json.dumps(info, indent=1) + "\n")
    print(f"{SHIPPED} ({SHIPPED.stat().st_size / 1e6:.1f} MB): {mode}, accuracy {result['accuracy']:.2%}")


def ship_from_study(name: str, seed: int, calibrate: str | None = None) -> None:
    from hotdog import study

    records = study.load(name)
    summary = study.summarize(records)
    regime = max(summary["regimes"], key=lambda r: summary["regimes"][r]["mean"])
    record = next((r for r in records if r["seed"] == seed), None)
    if record is None:
        raise SystemExit(f"study {name!r} has no seed {seed}; it has {summary['seeds']}")
    split = record["split_seed"] if record.get("split_seed") is not None else seed  # the photos it was tested on
    model, trained_by = _study_model(name, seed, regime)
    result = record["results"][regime]  # metrics.summarize's count and interval, stored with the seed
    correct, total = result["correct"], result["total"]
    over = summary["regimes"][regime]
    info = {"network": "the article's BinaryClassifier (hotdog/model.py)", "mode": regime,
            "size": record["sizes"]["name"], "recipe": record.get("recipe", {}).get("name", "article"),
            "trained_by": trained_by,
            "test_photos": f"the {total} held-out real photos of split seed {split}",
            "accuracy": correct / total, "correct": correct, "total": total,
            "interval95": result["interval95"], "split_seed": split,
            "study": {"name": name, "seeds": summary["seeds"], "mean": over["mean"],
                      "interval95": over["interval95"] if len(records) > 1 else None,  # one seed has no spread
                      "why_this_seed": "the regime with the best mean over seeds; seed 0's model, not the best seed, "
                                       "so its accuracy is not picked on the photos that measure it"}}
    if calibrate:
        from hotdog import calibration, data, metrics

        info["calibration"] = _calibration(calibrate, regime)
        test = data.cache(data.split(data.authentic(), seed=split)[1], progress=False)
        probabilities, labels = metrics.predict(model, test)
        calibrated = metrics.summarize(calibration.apply(probabilities, info["calibration"]), labels)
        info["calibrated"] = {k: calibrated[k] for k in ("accuracy", "correct", "total", "interval95")}
    files.write_text(SHIPPED.with_suffix(".json"), json.dumps(info, indent=1) + "\n")
    print(f"{SHIPPED} ({SHIPPED.stat().st_size / 1e6:.1f} MB): {regime} of study {name!r} seed {seed}, "
          f"accuracy {correct / total:.2%} (mean over {len(records)} seeds {over['mean']:.2%})")


def _study_model(name: str, seed: int, regime: str):
    """The model to ship and its ``trained_by``: the seed's checkpoint, copied into the package; or, where
    checkpoints are not on this machine (they are not committed) but the package already holds this very
    model, the shipped weights as they are, so a finished study's new seeds refresh the sidecar's mean."""
    checkpoint = modes.checkpoint(paths.checkpoints_of(paths.seed_record(paths.studies_dir() / name, seed)), regime)
    if checkpoint.exists():
        model = load_model(checkpoint, "cpu")
        save_atomic({k: v.contiguous() for k, v in model.state_dict().items()}, SHIPPED)
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=ROOT).stdout.strip()
        return model, f"python -m hotdog study {name} (seed {seed}), shipped at commit {commit}"
    shipped = _sidecar()
    if shipped.get("mode") != regime or not shipped.get("trained_by", "").startswith(f"python -m hotdog study {name} "
                                                                                      f"(seed {seed})"):
        raise SystemExit(f"{checkpoint} is missing, and the shipped model is another one: run the study's seed {seed} "
                         f"here first (python -m hotdog study {name} ... --seeds {seed})")
    print(f"{checkpoint} is not here; the package already holds that model, so only its sidecar is refreshed")
    return load_model(SHIPPED, "cpu"), shipped["trained_by"]


def _sidecar() -> dict:
    """What the shipped model's sidecar says now (empty where there is none)."""
    sidecar = SHIPPED.with_suffix(".json")
    return json.loads(sidecar.read_text()) if sidecar.exists() else {}


def _calibration(trial: str, regime: str) -> dict:
    """The Platt scaling of ``trial``'s model, fitted again; or, where its checkpoint is not on this machine,
    the one the sidecar already records from that same trial (the fit depends on nothing else)."""
    from hotdog import search

    try:
        return search.calibration_for(trial, regime)
    except FileNotFoundError:
        recorded = _sidecar().get("calibration", {})
        if f"trial '{trial}'" not in recorded.get("fitted_on", ""):
            raise
        print(f"recipe-search trial {trial!r} has no checkpoint here: its calibration is kept from the sidecar")
        return recorded


if __name__ == "__main__":
    main()
