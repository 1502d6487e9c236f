"""What a tuned recipe adds to the article's loop, each one a library call, each off by default.

* **A learning-rate schedule** per stage, stepped every batch (``torch.optim.lr_scheduler``):
  ``onecycle`` (``OneCycleLR``: warm up to the peak, then anneal to nearly zero) or ``cosine``
  (a linear warm-up, then ``CosineAnnealingLR``). The article keeps one rate throughout.
* **An augmentation policy**, applied to whole batches on the training device (:mod:`hotdog.augment`):
  ``crop`` (a random crop, a flip and colour jitter, the improved recipe's) or ``trivial`` (the same
  crop and flip, then torchvision's ``TrivialAugmentWide`` image by image: in no recipe, kept for the
  search's trial).
* **MixUp or CutMix** on each batch (``v2.MixUp`` / ``v2.CutMix``): the targets become soft.
* **Label smoothing** of the targets, for the article's ``BCELoss``: 1 becomes ``1 - s/2``, 0 ``s/2``.
* **An exponential moving average of the weights** (``torch.optim.swa_utils.AveragedModel``), which is
  what is validated, tested and kept at the end of a stage.
* **Test-time flip**: the probability averaged over the photo and its mirror image
  (:func:`hotdog.metrics.predict` with ``flip=True``).
"""

from __future__ import annotations

import torch
from torch import nn

SCHEDULES = ("constant", "onecycle", "cosine")
AUGMENTATIONS = ("crop", "trivial")


def augmentation_name(augment: bool | str) -> str | None:
    """``TrainConfig.augment`` as a policy name: False -> None, True (older records) -> ``crop``."""
    if augment is True:
        return "crop"
    return augment or None


def batch_augmentation(policy: str, image_size: int = 128):
    """The batch augmentation of ``policy`` (:mod:`hotdog.augment`): call it as ``policy(images, params)``
    with ``params = policy.draw(n, generator)``."""
    from hotdog import augment

    if policy == "crop":
        return augment.CropFlipJitter(image_size)
    if policy == "trivial":
        return augment.CropFlipTrivial(image_size)
    raise ValueError(f"augment must be one of {AUGMENTATIONS} (or True/False), not {policy!r}")


def batch_mixing(alpha: float):
    """A function ``(images, labels) -> (mixed images, soft probability of hotdog)`` that mixes a batch by
    MixUp or CutMix (one of the two, at random) with Beta(``alpha``, ``alpha``) weights, on any device."""
    from torchvision.transforms import v2

    mix = v2.RandomChoice([v2.MixUp(alpha=alpha, num_classes=2), v2.CutMix(alpha=alpha, num_classes=2)])

    def mixed(images, labels):
        images, soft = mix(images, labels)
        return images, soft[:, 1]
    return mixed


def smooth(labels: torch.Tensor, amount: float) -> torch.Tensor:
    """Targets for BCE with label smoothing ``amount`` (0: the labels as they are)."""
    labels = labels.float()
    return labels * (1 - amount) + amount / 2 if amount else labels


def scheduler(optimizer: torch.optim.Optimizer, schedule: str, total_steps: int, warmup: float):
    """The stage's learning-rate schedule over ``total_steps`` batches, or None for a constant rate.
    The optimizer's learning rate is the peak."""
    from torch.optim import lr_scheduler

    if schedule == "constant" or total_steps < 3:
        return None
    if schedule == "onecycle":  # (a warm-up of at least two steps and an annealing of at least one)
        peak = [group["lr"] for group in optimizer.param_groups]
        share = min(max(warmup, 2 / total_steps), 1 - 1 / total_steps)
        return lr_scheduler.OneCycleLR(optimizer, max_lr=peak, total_steps=total_steps, pct_start=share,
                                       cycle_momentum=False)
    if schedule == "cosine":
        ramp = max(1, round(total_steps * warmup))
        return lr_scheduler.SequentialLR(optimizer, [
            lr_scheduler.LinearLR(optimizer, start_factor=0.01, total_iters=ramp),
            lr_scheduler.CosineAnnealingLR(optimizer, T_max=max(1, total_steps - ramp))], milestones=[ramp])
    raise ValueError(f"schedule must be one of {SCHEDULES}, not {schedule!r}")


def averaged(model: nn.Module, decay: float):
    """An exponential moving average of ``model``'s weights and BatchNorm statistics, or None when
    ``decay`` is 0."""
    from torch.optim.swa_utils import AveragedModel, get_ema_multi_avg_fn

    if not decay:
        return None
    return AveragedModel(model, multi_avg_fn=get_ema_multi_avg_fn(decay), use_buffers=True)


def domain_forward(model: nn.Module, images: torch.Tensor, renders: torch.Tensor) -> torch.Tensor:
    """``model(images)`` with the renders (rows where ``renders`` is True) and the photos passed through
    BatchNorm apart: each normalised by its own batch's statistics, the running statistics (what testing
    uses) from the photos alone. Separate statistics per domain, as self-ensembling (French, Mackiewicz and
    Fisher 2018) and domain-specific BatchNorm (Chang et al. 2019) keep them; the weights are shared."""
    output = images.new_empty(len(images), dtype=torch.float32)
    norms = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    for rows, keeps_statistics in ((~renders, True), (renders, False)):
        if not rows.any():
            continue
        momenta = [m.momentum for m in norms]
        if not keeps_statistics:
            for m in norms:
                m.momentum = 0.0  # running = (1 - 0) * running: the renders leave them as they are
        try:
            output[rows] = model(images[rows]).float()
        finally:
            for m, momentum in zip(norms, momenta):
                m.momentum = momentum
    return output
