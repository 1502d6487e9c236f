"""The project's GPU check: one seed of the tuned recipe at the article's schedule, timed and scored.

    python benchmarks/gpu_check.py pack .gpu             # here, beside ../shared: split 0's photos, decoded, in one file
    python benchmarks/gpu_check.py run .gpu OUT           # on the GPU machine (benchmarks/gpu_check.sh does this)
    python benchmarks/gpu_check.py run .gpu OUT --quick   # the same on a CPU in a minute: 1 epoch a stage

The GPU machine has no ``../shared`` and no Blender. ``pack`` decodes split 0's 799 training and 199
test photos exactly as training does (``data.prepare``) and stores each 128x128 crop as a lossless
WebP (35 MB for the 998, where the JPEGs take 49: the device takes 64 MiB with the repository). ``run`` trains seed 0 of
the tuned recipe with ``--precision auto`` (the models of ``results/studies/tuned/seed0.json``):

* ``authentic``: 100 epochs on the 799 photos, scored on the 199 test photos, beside that CPU record;
* ``both``: 10 epochs of renders, then 100 epochs of photos half mixed with renders; on the committed
  sample of 320 renders, since the article's 5,000 cannot be rendered there. Its accuracy is therefore
  not the study's; its images a second give the time the article's 5,000 renders would take.

It writes ``OUT/gpu_check.json``: the device, precision, seconds and images a second per stage, accuracy
and AUC, and those of the CPU record.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hotdog import data, metrics, paths, precision, settings  # noqa: E402
from hotdog.device import default_device  # noqa: E402
from hotdog.experiment import evaluate_checkpoints, machine  # noqa: E402
from hotdog.train import TrainConfig, train  # noqa: E402

PACK = "photos-split0.pt"
RECORD = Path(__file__).resolve().parents[1] / "results" / "studies" / "tuned" / "seed0.json"


def _lossless(image: torch.Tensor) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image.permute(1, 2, 0).numpy()).save(buffer, format="WEBP", lossless=True, quality=50, method=4)
    return buffer.getvalue()


def _decode(blobs: list[bytes]) -> torch.Tensor:
    return torch.from_numpy(np.stack([np.asarray(Image.open(io.BytesIO(b)).convert("RGB")) for b in blobs])).permute(0, 3, 1, 2).contiguous()


def pack(folder: Path) -> Path:
    """Split 0's decoded photos, as lossless WebP bytes, labels and relative paths, in ``folder``."""
    prepared = data.prepare(0, progress=True)
    parts = {name: {"webp": [_lossless(im) for im in images.images], "labels": images.labels,
                    "paths": [str(Path(p).relative_to(prepared.authentic_root)) for p in images.paths]}
             for name, images in (("train", prepared.authentic_train), ("test", prepared.test))}
    folder.mkdir(parents=True, exist_ok=True)
    torch.save(parts, folder / PACK)
    print(f"{folder / PACK}: {(folder / PACK).stat().st_size / 1e6:.1f} MB")
    return folder / PACK


def unpack(folder: Path) -> dict[str, data.TensorImages]:
    parts = torch.load(folder / PACK, weights_only=False)
    return {name: data.TensorImages(_decode(p["webp"]), p["labels"], p["paths"]) for name, p in parts.items()}


def _stages(history) -> list[dict]:
    """Seconds and images a second of each stage, from the history's epochs."""
    out = {}
    for row in history.epochs:
        stage = out.setdefault(row["stage"], {"stage": row["stage"], "epochs": 0, "seconds": 0.0, "images": 0.0})
        stage["epochs"] += 1
        stage["seconds"] += row["seconds"]
        stage["images"] += row["seconds"] * row["images_per_second"]
    for stage in out.values():
        stage["images_per_second"] = stage["images"] / stage["seconds"]
    return list(out.values())


def run(folder: Path, quick: bool) -> dict:
    device = default_device()
    photos = unpack(folder)
    renders = data.cache(data.synthetic(paths.sample_synthetic_dir()), progress=False)
    config = TrainConfig.for_sizes(settings.sizes("article"), settings.recipe("tuned"), seed=0, precision="auto")
    if quick:
        config = replace(config, synthetic_epochs=1, finetune_epochs=1, authentic_epochs=1)
    report = {"device": str(device), "gpu": torch.cuda.get_device_name() if device.type == "cuda" else None,
              "machine": machine(), "precision": precision.choose("auto", device).name, "quick": quick, "runs": {}}
    training, checkpoints = {"authentic": photos["train"], "synthetic": renders}, Path(tempfile.mkdtemp())
    for mode in ("authentic", "both"):
        start = time.perf_counter()
        _, history = train(mode, training, config, checkpoint_dir=checkpoints, progress=False)
        seconds = time.perf_counter() - start
        scored = evaluate_checkpoints(checkpoints, photos["test"], (mode,))[mode]
        report["runs"][mode] = {"seconds": seconds, "stages": _stages(history), "accuracy": scored["accuracy"],
                                "auc": scored["auc"], "n_synthetic": len(renders) if mode == "both" else 0}
        print(f"{mode}: {seconds:.1f} s, accuracy {scored['accuracy']:.4f}, AUC {scored['auc']:.3f}", flush=True)
    report["projected_both_seconds_with_5000_renders"] = _projected(report["runs"]["both"], config, len(photos["train"]))
    report["cpu_record"] = _cpu_record()
    return report


def _projected(run: dict, config: TrainConfig, n_photos: int) -> float:
    """``both``'s seconds with the article's 5,000 renders at the measured images a second of each stage."""
    synthetic, finetune = run["stages"][0], run["stages"][-1]
    images = {"synthetic": 5000 // config.batch_size * config.batch_size * config.synthetic_epochs,
              "finetune": 2 * n_photos // config.batch_size * config.batch_size * config.finetune_epochs}
    return images["synthetic"] / synthetic["images_per_second"] + images["finetune"] / finetune["images_per_second"]


def _cpu_record() -> dict | None:
    if not RECORD.exists():
        return None
    record = json.loads(RECORD.read_text())
    return {"machine": record["machine"], "precision": record["autocast"],
            "authentic": {"accuracy": record["results"]["authentic"]["accuracy"], "auc": record["results"]["authentic"]["auc"],
                          "seconds": record["timings_seconds"]["train_authentic"]},
            "both": {"accuracy": record["results"]["both"]["accuracy"], "seconds": record["timings_seconds"]["train_both"],
                     "n_synthetic": record["n_synthetic"]}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("pack", help="decode split 0's photos into FOLDER").add_argument("folder", type=Path)
    go = sub.add_parser("run", help="train and score seed 0 of the tuned recipe; write OUT/gpu_check.json")
    go.add_argument("folder", type=Path)
    go.add_argument("out", type=Path)
    go.add_argument("--quick", action="store_true", help="one epoch a stage (to try the script on a CPU)")
    args = parser.parse_args()
    if args.command == "pack":
        pack(args.folder)
        return
    if not (args.folder / PACK).exists():
        sys.exit(f"{args.folder / PACK} is missing: run 'python benchmarks/gpu_check.py pack {args.folder}' first, "
                 f"where the real photos are")
    args.out.mkdir(parents=True, exist_ok=True)
    report = run(args.folder, args.quick)
    (args.out / "gpu_check.json").write_text(json.dumps(report, indent=1))
    print(json.dumps({k: v for k, v in report.items() if k != "machine"}, indent=1))


if __name__ == "__main__":
    main()
