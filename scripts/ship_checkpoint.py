"""Copy the most accurate model of a run into the package, as the model SeeFood uses by default.

    python scripts/ship_checkpoint.py                 # from results/small (the last `bash run.sh`)
    python scripts/ship_checkpoint.py --size article

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

import torch  # noqa: E402

from hotdog import paths  # noqa: E402
from hotdog.seefood import SHIPPED  # noqa: E402
from hotdog.train import CHECKPOINT_NAMES, load_model  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="small")
    args = parser.parse_args()
    run = paths.results_dir(args.size)
    summary = json.loads((run / "summary.json").read_text())
    mode, result = max(summary["results"].items(), key=lambda item: item[1]["accuracy"])
    model = load_model(run / "checkpoints" / f"{CHECKPOINT_NAMES[mode]}.pt", "cpu")
    torch.save({k: v.contiguous() for k, v in model.state_dict().items()}, SHIPPED)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    info = {"network": "the article's BinaryClassifier (hotdog/model.py)", "mode": mode, "size": args.size,
            "trained_by": f"bash run.sh --size {args.size} (seed {summary['seed']}), commit {commit}",
            "test_photos": f"the {result['total']} held-out real photos of split seed {summary['seed']}",
            "accuracy": result["accuracy"], "correct": result["correct"], "total": result["total"],
            "interval95": result["interval95"]}
    SHIPPED.with_suffix(".json").write_text(json.dumps(info, indent=1) + "\n")
    print(f"{SHIPPED} ({SHIPPED.stat().st_size / 1e6:.1f} MB): {mode}, accuracy {result['accuracy']:.2%}")


if __name__ == "__main__":
    main()
