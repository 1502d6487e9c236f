"""Where a training step's time goes: today's per-image augmentation against batches augmented on the device.

    python benchmarks/bench_train.py                   # on whatever device there is (CUDA, else the CPU)
    python benchmarks/bench_train.py --batches 20 --rounds 3 --compile --json out.json

Two pipelines feed the tuned recipe's training step (AdamW, one-cycle, crops, flips and colour jitter,
batch 64, ``--precision auto``) with the real photos, decoded once:

* ``per-image``: what training did until now: a ``DataLoader`` over the decoded photos that runs
  torchvision's ``RandomResizedCrop``, ``RandomHorizontalFlip`` and ``ColorJitter`` on one image at a
  time in the training process, batches copied to the device, and three ``.item()`` reads a step;
* ``batched``: :mod:`hotdog.batches`: the photos on the device, every batch augmented there at once
  (:mod:`hotdog.augment`), loss and accuracy read once an epoch (``hotdog.train.train_one_epoch``).

It prints, for each, the augmentation alone (images/s), the whole step (images/s) and their ratios,
plus the network's own step fed with ready batches, so "augmentation is N times faster than the
network" is read off one run. The pipelines alternate (A B A B ...) for ``--rounds`` rounds and each
figure is the median, so a noisy machine moves both alike. ``--compile`` adds the batched step with
``torch.compile`` and its compile time.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hotdog import batches, data, malloc, precision, tricks  # noqa: E402
from hotdog.device import default_device  # noqa: E402
from hotdog.experiment import machine  # noqa: E402
from hotdog.train import new_model, train_one_epoch  # noqa: E402

TUNED = {"learning_rate": 2e-3, "weight_decay": 0.05}


class PerImage(torch.utils.data.Dataset):
    """Today's pipeline: torchvision's policy on one decoded image at a time, then normalised."""

    def __init__(self, images: data.TensorImages):
        from torchvision.transforms import v2

        self.images = images
        self.policy = v2.Compose([v2.RandomResizedCrop(128, scale=(0.35, 1.0), antialias=True), v2.RandomHorizontalFlip(),
                                  v2.ColorJitter(brightness=0.3, contrast=0.3, saturation=0.3, hue=0.03)])

    def __len__(self):
        return len(self.images)

    def __getitem__(self, index):
        return data.normalize(self.policy(self.images.images[index])), self.images.labels[index]


def per_image_batches(photos, device):
    loader = torch.utils.data.DataLoader(PerImage(photos), batch_size=64, shuffle=True, drop_last=True,
                                         pin_memory=device.type == "cuda")
    for images, labels in loader:
        yield images.to(device, non_blocking=True), labels.to(device, non_blocking=True)


def batched(pool, epoch=0):
    return batches.EpochBatches(pool, 64, seed=0, stage=0, epoch=epoch, policy="crop")


def sync(device):
    if device.type == "cuda":
        torch.cuda.synchronize()


def time_augmentation(make, device) -> float:
    """Images per second of producing the batches alone."""
    sync(device)
    start, seen = time.perf_counter(), 0
    for images, _ in make():
        seen += len(images)
    sync(device)
    return seen / (time.perf_counter() - start)


def today_step(model, loader, optimizer, scheduler, criterion, device, dtype):
    """The training loop as it was: three reads of the device a step."""
    model.train()
    seen, start = 0, time.perf_counter()
    for images, labels in loader:
        images = images.contiguous(memory_format=torch.channels_last)
        optimizer.zero_grad()
        with torch.autocast(device.type, dtype=dtype or torch.float32, enabled=dtype is not None):
            output = model(images)
        loss = criterion(output.float(), labels.float())
        loss.backward()
        optimizer.step()
        scheduler.step()
        _ = loss.item() * len(labels), (torch.round(output.detach().float()) == labels).sum().item(), loss.item()
        seen += len(labels)
    return seen / (time.perf_counter() - start)


def fresh(device, steps, compiled=False):
    model = new_model(0).to(device).to(memory_format=torch.channels_last)
    optimizer = torch.optim.AdamW(model.parameters(), lr=TUNED["learning_rate"], weight_decay=TUNED["weight_decay"])
    scheduler = tricks.scheduler(optimizer, "onecycle", steps * 1000, 0.25)
    return (torch.compile(model) if compiled else model), optimizer, scheduler


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=8, help="timed batches of 64 per pipeline and round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of A B (the median is printed)")
    parser.add_argument("--compile", action="store_true", help="also time the batched step under torch.compile")
    parser.add_argument("--json", default=None, help="write the figures to this file too")
    args = parser.parse_args()
    device = default_device()
    if device.type == "cpu":
        malloc.keep_freed_memory()  # as hotdog.train does on the CPU, for both pipelines
    else:
        torch.backends.cudnn.benchmark = True
    dtype = precision.choose("auto", device).dtype
    train_set, _ = data.split(data.authentic(), seed=0)
    photos = data.cache(torch.utils.data.Subset(train_set, range(64 * args.batches)), progress=False)
    pool = batches.stage_pool("authentic", "authentic", {"authentic": batches.on_device(photos, device)}, 0.0)
    criterion = torch.nn.BCELoss()
    figures = {k: [] for k in ("augment_per_image", "augment_batched", "step_per_image", "step_batched", "network")}
    for round_ in range(args.rounds + 1):  # round 0 warms up (allocator, kernels, cuDNN's choice)
        row = {"augment_per_image": time_augmentation(lambda: per_image_batches(photos, device), device),
               "augment_batched": time_augmentation(lambda: batched(pool, round_), device)}
        model, optimizer, scheduler = fresh(device, args.batches)
        row["step_per_image"] = today_step(model, per_image_batches(photos, device), optimizer, scheduler, criterion,
                                           device, dtype)
        model, optimizer, scheduler = fresh(device, args.batches)
        row["step_batched"] = train_one_epoch(model, batched(pool, round_), optimizer, criterion, device,
                                              autocast=dtype, scheduler=scheduler)["images_per_second"]
        ready = [(images.clone(), labels.clone()) for images, labels in batched(pool, round_)]
        row["network"] = train_one_epoch(model, ready, optimizer, criterion, device, autocast=dtype,
                                         scheduler=scheduler)["images_per_second"]
        if round_:
            for key, value in row.items():
                figures[key].append(value)
    median = {key: statistics.median(values) for key, values in figures.items()}
    if args.compile:
        median.update(compiled(pool, criterion, device, dtype, args.batches))
    report(median, device, dtype, args)


def compiled(pool, criterion, device, dtype, n) -> dict:
    model, optimizer, scheduler = fresh(device, n, compiled=True)
    start = time.perf_counter()
    train_one_epoch(model, batched(pool, 0), optimizer, criterion, device, autocast=dtype, scheduler=scheduler)
    first = time.perf_counter() - start
    speed = train_one_epoch(model, batched(pool, 1), optimizer, criterion, device, autocast=dtype,
                            scheduler=scheduler)["images_per_second"]
    return {"compile_first_epoch_seconds": first, "step_batched_compiled": speed}


def report(m: dict, device, dtype, args) -> None:
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor() or "CPU"
    lines = [f"{args.batches} batches of 64, median of {args.rounds} rounds, on {device} ({name}), "
             f"computing in {precision.choose('auto', device).name}; {machine()}",
             f"  augmentation alone: per-image {m['augment_per_image']:8.0f} images/s, batched "
             f"{m['augment_batched']:8.0f} images/s  ({m['augment_batched'] / m['augment_per_image']:.1f}x)",
             f"  the network's own step (ready batches): {m['network']:8.0f} images/s; batched augmentation is "
             f"{m['augment_batched'] / m['network']:.1f}x that (per-image: {m['augment_per_image'] / m['network']:.1f}x)",
             f"  whole tuned-recipe step: per-image {m['step_per_image']:8.0f} images/s, batched "
             f"{m['step_batched']:8.0f} images/s  ({m['step_batched'] / m['step_per_image']:.2f}x)"]
    if "step_batched_compiled" in m:
        lines.append(f"  torch.compile: {m['step_batched_compiled']:8.0f} images/s "
                     f"({m['step_batched_compiled'] / m['step_batched']:.2f}x the batched step), its first epoch "
                     f"of {args.batches} batches took {m['compile_first_epoch_seconds']:.0f} s")
    print("\n".join(lines))
    if args.json:
        Path(args.json).write_text(json.dumps({**m, "device": str(device), "device_name": name,
                                               "computed_in": precision.choose("auto", device).name,
                                               "machine": machine(), "batches": args.batches,
                                               "rounds": args.rounds}, indent=1))


if __name__ == "__main__":
    main()
