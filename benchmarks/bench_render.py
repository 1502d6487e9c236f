"""How fast does the renderer make images? 1 worker, then 2, against the article's 120 per minute.

    python benchmarks/bench_render.py              # 800 images at 128x128, Cycles 2 samples (the default)
    python benchmarks/bench_render.py --n 50 --jobs 1 2 4 --samples 8 4 2
    HOTDOG_BLENDER=/path/to/blender python benchmarks/bench_render.py
    python benchmarks/bench_render.py --jobs 2 --set dof_p=0.5 vignette_p=0.5   # a scene change, side by side
    python benchmarks/bench_render.py --parts --n 300   # what each scene part costs, one at a time

Each run renders the same records into a fresh temporary folder (nothing is skipped) and counts the
whole call: worker start-up, Blender import, rendering, effects and PNG writing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hotdog.render import PLAIN_SCENE, RenderConfig, render_dataset  # noqa: E402

ARTICLE_IMAGES_PER_MINUTE = 120

# The renderer's parts (RESULTS.md, "The renderer's compass"), each measured on top of the plain scene (the
# defaults before the photo scene became one of them: PLAIN_SCENE).
PARTS = {
    "photo scene": ["surface_p=0.8", "hdri_p=0.5", "offcentre=0.3", "distance_factor=[0.7,1.3]"],
    "food texture": ["food_texture=[0.15,0.4]"],
    "16 dishes": ["dishes=true"],
    "meals": ["meals=true"],
    "depth of field": ["dof_p=0.5"],
    "vignette": ["vignette_p=0.5"],
    "motion blur": ["motion_blur_p=0.2"],
    "clutter": ["clutter=true", "n_distractors=[1,3]"],
    "hand": ["hand_p=0.2"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=800, help="images per run (worker start-up is amortised over them)")
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--samples", type=int, nargs="+", default=[2], help="Cycles sample counts to compare")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="worker counts to compare")
    parser.add_argument("--blender", default=os.environ.get("HOTDOG_BLENDER"), help="Python with bpy or Blender executable")
    parser.add_argument("--set", nargs="+", default=[], metavar="FIELD=VALUE",
                        help="also render with these RenderConfig fields and print its speed against the default's")
    parser.add_argument("--parts", action="store_true",
                        help="the plain scene, then each scene part alone on top of it (PARTS; the photo scene is the "
                             "default), on args.jobs[-1] workers")
    args = parser.parse_args()
    if args.parts:
        return _compare_parts(args)
    if args.set:
        return _compare_settings(args)

    print(f"{args.n} images, {args.size}x{args.size}, full randomization, {os.cpu_count()} CPU cores, "
          f"renderer: {args.blender or 'bpy in worker processes'}")
    for samples in args.samples:
        print(f"Cycles {samples} samples + denoiser:")
        _compare_workers(RenderConfig(n_images=args.n, image_size=args.size, samples=samples), args)


def _compare_workers(config: RenderConfig, args) -> None:
    rows = []
    for n_jobs in args.jobs:
        _fresh_pool()
        with tempfile.TemporaryDirectory(prefix="hotdog-bench-") as out:
            report = render_dataset(out, config, n_jobs=n_jobs, blender=args.blender, progress=False)
        rows.append((n_jobs, report))
        print(f"  {n_jobs} worker(s): {report['images_per_minute']:7.1f} images/minute "
              f"({report['seconds']:.1f} s; {report['seconds_per_image_per_worker']:.3f} s per image in a worker; "
              f"{report['threads_per_worker']} Cycles thread(s) each) = "
              f"{report['images_per_minute'] / ARTICLE_IMAGES_PER_MINUTE:.2f}x the article's {ARTICLE_IMAGES_PER_MINUTE}/minute")
    if len(rows) > 1:
        base = rows[0][1]["images_per_minute"]
        for n_jobs, report in rows[1:]:
            if n_jobs != rows[0][0]:
                print(f"  speed-up of {n_jobs} workers over {rows[0][0]}: {report['images_per_minute'] / base:.2f}x")


def _compare_settings(args) -> None:
    """The default config, then the same records with ``--set``, on ``args.jobs[-1]`` workers."""
    rates = _rates(args, {"default": [], " ".join(args.set): args.set})
    print(f"  with the settings: {rates[1] / rates[0]:.2f}x the default's speed")


def _compare_parts(args) -> None:
    """The plain scene, then each of PARTS alone on top of it: its speed and its cost per image."""
    rates = _rates(args, {"plain scene": [], **PARTS}, plain=True)
    base = rates[0]
    print(f"  {'part':<16} {'x plain speed':>16} {f'ms per image added ({args.jobs[-1]} workers)':>32}")
    for name, rate in zip(PARTS, rates[1:]):
        print(f"  {name:<16} {rate / base:16.2f} {60_000 / rate - 60_000 / base:32.1f}")


def _rates(args, settings: dict[str, list[str]], plain: bool = False) -> list[float]:
    """Images a minute for each named list of FIELD=VALUE settings on the default config (or the plain
    scene), the same records each time."""
    n_jobs = args.jobs[-1]
    base = RenderConfig(n_images=args.n, image_size=args.size, samples=args.samples[0], **(PLAIN_SCENE if plain else {}))
    rates = []
    for label, fields in settings.items():
        _fresh_pool()
        with tempfile.TemporaryDirectory(prefix="hotdog-bench-") as out:
            report = render_dataset(out, base.with_settings(fields), n_jobs=n_jobs, blender=args.blender,
                                    progress=False)
        rates.append(report["images_per_minute"])
        print(f"  {label}: {report['images_per_minute']:7.1f} images/minute on {n_jobs} worker(s)")
    return rates


def _fresh_pool() -> None:
    """Start every run with new worker processes, so none of them inherits a warm Blender."""
    from joblib.externals.loky import get_reusable_executor

    get_reusable_executor().shutdown(wait=True)


if __name__ == "__main__":
    main()
