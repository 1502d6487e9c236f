"""What one epoch trains on, batch by batch, with the images already on the training device.

The decoded uint8 images (:class:`hotdog.data.TensorImages`) move to the device once per stage
(:func:`stage_pool`); an epoch is then a shuffled list of indices into them (:func:`epoch_order`), and
each batch is one gather, the recipe's augmentation of the whole batch (:mod:`hotdog.augment`), the
article's normalisation to [-1, 1] and, in the tuned recipes that ask for it, MixUp or CutMix. No
Python runs per image, so a GPU is not left waiting for two CPU cores.

The batches are the ones the article's ``DataLoader(shuffle=True, drop_last=True)`` would make with
the same seeded generator (and the same fresh draw of renders mixed into ``both``'s fine-tuning), so
a seed sees the same images in the same batches as before; the augmentation draws its parameters
per image from its own seeded stream, the same on every device.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from hotdog import augment, tricks
from hotdog.data import TensorImages, normalize
from hotdog.seeds import MIX_STREAM, derive, epoch_seed


@dataclass
class Pool:
    """A stage's images on the device: ``images`` uint8 N x 3 x H x W, ``labels`` long N; the first
    ``n_real`` are the stage's own data set, any after them renders that its epochs mix in."""

    images: torch.Tensor
    labels: torch.Tensor
    n_real: int
    n_mixed: int = 0  # renders mixed into each epoch (both's fine-tuning in the improved and tuned recipes)

    def __len__(self) -> int:
        return self.n_real + self.n_mixed


def on_device(images: TensorImages, device: torch.device) -> TensorImages:
    """``images`` with its pixels and labels on ``device`` (moved once; pinned first on the way to a GPU)."""
    if images.images.device == device:
        return images
    pixels = images.images.pin_memory() if device.type == "cuda" else images.images
    return TensorImages(pixels.to(device, non_blocking=True), images.labels.to(device), images.paths)


def stage_pool(name: str, mode: str, data: dict[str, TensorImages], mix_synthetic: float) -> Pool:
    """Stage ``name``'s images; for ``both``'s fine-tuning with ``mix_synthetic`` > 0, the renders beside them
    (that share of every epoch is a fresh draw of renders, the rest the real photos)."""
    own = data[name]
    if not (name == "authentic" and mode == "both" and mix_synthetic > 0):
        return Pool(own.images, own.labels, len(own))
    rendered = data["synthetic"]
    k = min(len(rendered), round(len(own) * mix_synthetic / (1 - mix_synthetic)))
    return Pool(torch.cat([own.images, rendered.images]), torch.cat([own.labels, rendered.labels]), len(own), k)


def epoch_order(pool: Pool, seed: int, stage: int, epoch: int) -> torch.Tensor:
    """The epoch's images in order (indices into ``pool``, on the CPU): the renders mixed in drawn from
    (seed, stage, epoch), then all shuffled as the article's shuffled ``DataLoader`` does."""
    members = torch.arange(pool.n_real)
    if pool.n_mixed:
        mix = torch.Generator().manual_seed(epoch_seed(seed, stage, epoch, MIX_STREAM))
        chosen = torch.randperm(len(pool.images) - pool.n_real, generator=mix)[:pool.n_mixed]
        members = torch.cat([members, pool.n_real + chosen])
    shuffle = torch.Generator().manual_seed(epoch_seed(seed, stage, epoch))
    torch.empty((), dtype=torch.int64).random_(generator=shuffle)  # the DataLoader's draw of its workers' seed
    return members[torch.randperm(len(members), generator=shuffle)]


def steps_per_epoch(pool: Pool, batch_size: int) -> int:
    """Full batches in an epoch (the last partial batch is dropped, as the article does)."""
    return len(pool) // batch_size


class EpochBatches:
    """One epoch of ``pool`` in batches of ``batch_size``: ``(images in [-1, 1], targets)`` on the pool's
    device, augmented by ``policy`` (a name of :data:`hotdog.tricks.AUGMENTATIONS`, or None) and mixed by
    MixUp or CutMix when ``mixup`` > 0. All draws come from (seed, stage, epoch)."""

    def __init__(self, pool: Pool, batch_size: int, seed: int, stage: int, epoch: int,
                 policy: str | None = None, mixup: float = 0.0, domains: bool = False):
        self.pool, self.batch_size = pool, batch_size
        self.domains = domains and pool.n_mixed > 0  # also yield which rows are renders (tricks.domain_forward)
        order = epoch_order(pool, seed, stage, epoch)
        self.order = order[:steps_per_epoch(pool, batch_size) * batch_size].to(pool.images.device, non_blocking=True)
        self.augmentation = tricks.batch_augmentation(policy, pool.images.shape[-1]) if policy else None
        if self.augmentation is not None:
            draws = torch.Generator().manual_seed(derive(seed, stage, epoch, "augment"))
            self.params = self.augmentation.draw(len(self.order), draws, *pool.images.shape[-2:]).to(
                pool.images.device, non_blocking=True)
        self.mix = tricks.batch_mixing(mixup) if mixup else None

    def __len__(self) -> int:
        return len(self.order) // self.batch_size

    def __iter__(self):
        for start in range(0, len(self.order), self.batch_size):
            rows = self.order[start:start + self.batch_size]
            images, labels = self.pool.images[rows], self.pool.labels[rows]
            if self.augmentation is not None:  # floats in [0, 1] -> [-1, 1], as normalize() does
                images = self.augmentation(images, self.params[start:start + self.batch_size]).mul_(2).sub_(1)
            else:
                images = normalize(images)
            if self.domains:
                yield images, labels, rows >= self.pool.n_real
            else:
                yield self.mix(images, labels) if self.mix is not None else (images, labels)


def stage_data(mode: str, stages, data: dict, mix_synthetic: float, device: torch.device) -> dict[str, TensorImages]:
    """The data sets the stages train on (and the renders ``both`` mixes in), checked, moved to ``device`` once."""
    needed = {name for name, _ in stages} | ({"synthetic"} if mode == "both" and mix_synthetic > 0 else set())
    for name in sorted(needed):
        if name not in data:
            raise ValueError(f"mode {mode!r} needs data[{name!r}]")
        if not isinstance(data[name], TensorImages):
            raise TypeError(f"train() takes decoded images (data.cache(...) or data.prepare(...)), not "
                            f"{type(data[name]).__name__}, for data[{name!r}]")
    return {name: on_device(data[name], device) for name in needed}
