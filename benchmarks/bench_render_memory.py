"""Does a render worker's memory stay flat? One worker process, N renders (default 2,000) in one
reused Blender scene, its resident memory printed every 200 images.

    python benchmarks/bench_render_memory.py            # 2,000 renders at 128x128
    python benchmarks/bench_render_memory.py --n 400

Runs the worker in a child process (bpy never enters this one) and prints, per block of images,
the worker's current RSS (``VmRSS``) and peak RSS (``VmHWM``), and at the end the growth from the
first block to the last: a leak shows as steady growth per image.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from hotdog.render.run import WORKER_ENV  # noqa: E402

CHILD = r"""
import json, sys, time
sys.path.insert(0, {root!r})
from hotdog.render.spec import RenderConfig, sample_records
from hotdog.render.blender import worker

def rss():
    fields = dict(line.split(":", 1) for line in open("/proc/self/status"))
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024

records = sample_records(RenderConfig(n_images={n}, seed=11))
start = time.perf_counter()
for block in range(0, len(records), {block}):
    worker.render_shard(records[block:block + {block}], {out!r}, threads=2)
    now, peak = rss()
    print(json.dumps({{"images": block + len(records[block:block + {block}]), "rss_mb": round(now, 1),
                      "peak_mb": round(peak, 1), "seconds": round(time.perf_counter() - start, 1)}}), flush=True)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--block", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hotdog-membench-") as out:
        code = CHILD.format(root=str(ROOT), n=args.n, block=args.block, out=out)
        child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True,
                                 env={**os.environ, **WORKER_ENV})  # as render_dataset's workers get
        rows = []
        for line in child.stdout:
            if line.startswith("{"):
                rows.append(json.loads(line))
                r = rows[-1]
                print(f"{r['images']:>6} images  RSS {r['rss_mb']:7.1f} MB  peak {r['peak_mb']:7.1f} MB  ({r['seconds']} s)")
        if child.wait() != 0 or not rows:
            sys.exit(f"the worker failed (exit code {child.returncode})")
    first, last = rows[0], rows[-1]
    per_1000 = (last["rss_mb"] - first["rss_mb"]) / max(1, last["images"] - first["images"]) * 1000
    print(f"RSS after {first['images']} images: {first['rss_mb']} MB; after {last['images']}: {last['rss_mb']} MB; "
          f"growth {last['rss_mb'] - first['rss_mb']:+.1f} MB ({per_1000:+.1f} MB per 1,000 images); "
          f"peak {last['peak_mb']} MB")


if __name__ == "__main__":
    main()
