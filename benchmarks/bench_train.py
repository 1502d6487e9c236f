"""Training speed of the article's network: the article's loop against ours, side by side, one run.

    python benchmarks/bench_train.py             # 8 timed batches of 64 per variant, after 2 warm-up
    python benchmarks/bench_train.py --batches 20 --compile

Variants (each trains a fresh BinaryClassifier with Adam + BCE on real photos, batch 64):

* ``article``       - ImageFolder + the transform per batch (JPEG decoded every time), default layout;
* ``cached``        - decoded-once uint8 tensors (hotdog.data.cache), default layout;
* ``cached+cl``     - the same, channels-last;
* ``+malloc``       - plus glibc told to keep freed memory for the next batch (hotdog.malloc), as
  hotdog.train does on the CPU: what hotdog.train runs in float32;
* ``+malloc+bf16``  - plus bfloat16 autocast (only where the CPU has native bf16: ``--precision auto``);
* ``compiled``      - plus torch.compile (with --compile; its compile time is printed apart).

The variants run in this order in one process: the allocator setting holds for the rest of the
process once made, so the three variants before it run with glibc's defaults, as the article's code
does. Prints images per second for each and the ratio to ``article``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hotdog import data, malloc  # noqa: E402
from hotdog.train import native_bf16, new_model  # noqa: E402


def timed_batches(batches, model, channels_last=False, bf16=False, warmup=2):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.99))
    criterion = torch.nn.BCELoss()
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
    model.train()
    seen, start = 0, None
    for i, (images, labels) in enumerate(batches()):
        if i == warmup:
            start = time.perf_counter()
        if channels_last:
            images = images.contiguous(memory_format=torch.channels_last)
        optimizer.zero_grad()
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            output = model(images)
        loss = criterion(output.float(), labels.float())
        loss.backward()
        optimizer.step()
        if start is not None:
            seen += len(labels)
    return seen / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=8)
    parser.add_argument("--compile", action="store_true")
    args = parser.parse_args()
    n = args.batches + 2
    folder = data.authentic()
    subset = torch.utils.data.Subset(folder, range(64 * n))
    article_set = data.HotdogImageFolder(folder.root, transform=data.transform(), check=False)
    article_loader = torch.utils.data.DataLoader(torch.utils.data.Subset(article_set, range(64 * n)), batch_size=64)
    cached = data.cache(subset, progress=False)
    cached_loader = lambda: torch.utils.data.DataLoader(cached, batch_size=64)  # noqa: E731

    results = {}
    results["article"] = timed_batches(lambda: article_loader, new_model(0))
    results["cached"] = timed_batches(cached_loader, new_model(0))
    results["cached+cl"] = timed_batches(cached_loader, new_model(0), channels_last=True)
    if malloc.keep_freed_memory():  # from here on, for the rest of this process
        results["+malloc"] = timed_batches(cached_loader, new_model(0), channels_last=True)
    if native_bf16(torch.device("cpu")):
        results["+malloc+bf16"] = timed_batches(cached_loader, new_model(0), channels_last=True, bf16=True)
    if args.compile:
        t = time.perf_counter()
        model = torch.compile(new_model(0))
        timed_batches(lambda: [next(iter(cached_loader()))], model, channels_last=True, warmup=0)
        print(f"torch.compile: first batch (compilation) took {time.perf_counter() - t:.0f} s")
        results["compiled"] = timed_batches(cached_loader, model, channels_last=True)

    print(f"{args.batches} batches of 64 per variant, {torch.get_num_threads()} threads, torch {torch.__version__}")
    for name, speed in results.items():
        print(f"  {name:<16} {speed:6.1f} images/s   {speed / results['article']:.2f}x the article's loop")


if __name__ == "__main__":
    main()
