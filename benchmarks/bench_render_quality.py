"""How clean are few-sample renders? Each Cycles sample count against a 64-sample reference.

    python benchmarks/bench_render_quality.py                  # 24 records, 8, 4 and 2 samples
    python benchmarks/bench_render_quality.py --samples 8 4 2 1 --no-denoise

Renders the same records (food alone, composited on grey, before any 2D effect) in one process with
one Cycles thread, and prints per sample count the seconds per image and the RMSE to the reference on
the 0-255 scale: the noise the sample count leaves. For scale, the 2D Gaussian noise the renderer
adds on purpose has a sigma of up to 8 on that scale (``RenderConfig.noise_sigma``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hotdog.render import RenderConfig, effects  # noqa: E402
from hotdog.render.blender import scene  # noqa: E402
from hotdog.render.spec import sample_records  # noqa: E402


def render_all(records: list[dict], samples: int, denoise: bool) -> tuple[np.ndarray, float]:
    drawer = scene.Drawer(128, samples, threads=1)
    drawer.scene.cycles.use_denoising = denoise
    grey = np.full((128, 128, 3), 128, np.uint8)
    images, seconds = [], 0.0
    try:
        for i, record in enumerate(records):
            start = time.perf_counter()
            rgba = drawer.render_rgba(record)
            if i >= 2:  # the first renders warm Cycles up
                seconds += time.perf_counter() - start
            images.append(effects.composite(rgba, grey).astype(np.float32))
    finally:
        drawer.close()
    return np.stack(images), seconds / max(1, len(records) - 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=24, help="records to render")
    parser.add_argument("--samples", type=int, nargs="+", default=[8, 4, 2])
    parser.add_argument("--reference", type=int, default=64, help="sample count of the reference")
    parser.add_argument("--no-denoise", action="store_true", help="also show each count without the denoiser")
    args = parser.parse_args()
    records = sample_records(RenderConfig(n_images=args.n, seed=5))
    reference, _ = render_all(records, args.reference, True)
    print(f"{args.n} records, 128x128, 1 Cycles thread; RMSE (0-255) to {args.reference} samples + denoiser")
    for samples in args.samples:
        for denoise in (True, False) if args.no_denoise else (True,):
            images, seconds = render_all(records, samples, denoise)
            rmse = float(np.sqrt(((images - reference) ** 2).mean()))
            print(f"  {samples:3d} samples {'+ denoiser' if denoise else 'raw      '}: {seconds * 1000:6.1f} ms per image, "
                  f"RMSE {rmse:5.2f}")


if __name__ == "__main__":
    main()
