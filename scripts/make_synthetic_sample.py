"""Make data/synthetic_sample: the renders kept in the repository for runtimes without Blender.

    python scripts/make_synthetic_sample.py            # 320 renders (160 per class), seed 0

Renders with the default RenderConfig into a temporary folder, then keeps each image as a JPEG
(quality 90, about 5 kB instead of 25 kB as PNG) in data/synthetic_sample/{hotdog,not_hotdog}, and the
manifest with each record's "file" renamed to match, so every kept image can be re-rendered.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PIL import Image  # noqa: E402

from hotdog import files  # noqa: E402
from hotdog.render import RenderConfig, render_dataset  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=320)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--dest", type=Path, default=ROOT / "data" / "synthetic_sample")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hotdog-sample-") as tmp:
        render_dataset(tmp, RenderConfig(n_images=args.n, seed=args.seed))
        if args.dest.exists():
            shutil.rmtree(args.dest)
        lines = []
        for line in (Path(tmp) / "manifest.jsonl").read_text().splitlines():
            record = json.loads(line)
            jpeg = str(Path(record["file"]).with_suffix(".jpg"))
            (args.dest / jpeg).parent.mkdir(parents=True, exist_ok=True)
            Image.open(Path(tmp) / record["file"]).convert("RGB").save(args.dest / jpeg, quality=90)
            record["file"] = jpeg
            lines.append(json.dumps(record))
        files.write_text(args.dest / "manifest.jsonl", "\n".join(lines) + "\n")
    size = sum(f.stat().st_size for f in args.dest.rglob("*") if f.is_file())
    print(f"{len(lines)} renders in {args.dest} ({size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
