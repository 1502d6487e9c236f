"""Renders that stand in for labels: the article's network adapted from labelled renders to unlabelled photos.

A model trained on renders alone answers real photos worse than one trained on them: the photos differ
in look (the domain gap). Photos are easy to gather, their labels are the work, so this module trains
with the renders' labels and the photos *without* theirs (and, optionally, a few labelled photos). The
methods, each from its paper:

* ``adabn``: no training. Every BatchNorm layer's running mean and variance are re-estimated on the
  unlabelled photos (Li, Wang, Shi, Liu and Hou 2016, "Revisiting Batch Normalization For Practical
  Domain Adaptation"), so the layers normalise photos as they normalised renders.
* ``fixmatch``: self-training with pseudo-labels (Sohn et al. 2020, "FixMatch"). A photo the model
  answers confidently on a weak view (a flip) becomes the target of a strong view of it (a random crop,
  flip, colour jitter and Cutout); less confident photos are left out. A guard against answering
  one class for everything: the answers are rescaled so that their running mean keeps to the share of
  hotdogs among the labelled images (distribution alignment, Berthelot et al. 2020, "ReMixMatch").
* ``shot-im``: information maximisation (Liang, Hu and Feng 2020, "Do We Really Need to Access the
  Source Data?", SHOT): each answer on a photo confident (low entropy), the answers over a batch diverse
  (high entropy of their mean), with the classifier's last layer held fixed so the features move to it.

The renders (and any labelled photos) keep a supervised loss throughout. Nothing here sees a label of an
unlabelled photo: they arrive with their labels replaced by -1 (:func:`unlabelled`).
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass
from pathlib import Path

import torch
from torch import nn

from hotdog import augment, batches, malloc, precision, tricks
from hotdog.data import TensorImages, normalize, unlabelled
from hotdog.seeds import derive

METHODS = ("adabn", "fixmatch", "shot-im")


@dataclass(frozen=True)
class AdaptConfig:
    method: str = "fixmatch"
    epochs: int = 30  # passes over the unlabelled photos
    batch_size: int = 64  # renders (and labelled photos) per step; as many unlabelled photos beside them
    learning_rate: float = 1e-3  # the one-cycle schedule's peak (AdamW)
    weight_decay: float = 0.05
    threshold: float = 0.95  # fixmatch: how confident an answer must be to become a target
    unlabelled_weight: float = 1.0  # the unlabelled loss against the supervised one
    seed: int = 0
    precision: str = "auto"

    def __post_init__(self):
        problems = []
        if self.method not in METHODS:
            problems.append(f"method is one of {', '.join(METHODS)}, not {self.method!r}")
        if not isinstance(self.epochs, int) or self.epochs < 0 or not isinstance(self.batch_size, int) \
                or self.batch_size < 2:
            problems.append(f"epochs (0 or more) and batch_size (2 or more) are whole numbers, not "
                            f"{self.epochs!r} and {self.batch_size!r}")
        if not 0 < self.learning_rate < 10 or self.weight_decay < 0 or self.unlabelled_weight < 0:
            problems.append("learning_rate is above 0, weight_decay and unlabelled_weight 0 or more")
        if not 0.5 <= self.threshold < 1:
            problems.append(f"threshold is a confidence from 0.5 to 1, not {self.threshold!r}")
        if problems:
            raise ValueError("AdaptConfig: " + "; ".join(problems))


@torch.no_grad()
def recompute_batchnorm(model: nn.Module, photos: TensorImages, device: torch.device, batch_size: int = 128) -> nn.Module:
    """AdaBN: each BatchNorm layer's running statistics replaced by their average over ``photos`` (the
    weights unchanged); returns ``model`` in evaluation mode."""
    layers = [m for m in model.modules() if isinstance(m, nn.modules.batchnorm._BatchNorm)]
    momenta = [m.momentum for m in layers]
    for layer in layers:
        layer.reset_running_stats()
        layer.momentum = None  # a cumulative average over every batch, not an exponential one
    model.to(device).train()
    for start in range(0, len(photos), batch_size):
        model(normalize(photos.images[start:start + batch_size].to(device)))
    for layer, momentum in zip(layers, momenta):
        layer.momentum = momentum
    return model.eval()


CHOSEN = AdaptConfig("fixmatch", epochs=30)  # the adapted regime's method (python -m hotdog adapt chose it)


def entropy(p: torch.Tensor) -> torch.Tensor:
    """The binary entropy of probabilities ``p``, elementwise, in nats."""
    p = p.clamp(1e-6, 1 - 1e-6)
    return -(p * p.log() + (1 - p) * (1 - p).log())


def aligned(p: torch.Tensor, running_mean: float, prior: float) -> torch.Tensor:
    """Distribution alignment for two classes: ``p``'s odds scaled so that answers averaging
    ``running_mean`` would average ``prior``."""
    scale = (prior / running_mean) / ((1 - prior) / (1 - running_mean))
    odds = p / (1 - p).clamp_min(1e-6) * scale
    return odds / (1 + odds)


def _head(model: nn.Module) -> nn.Linear:
    return [m for m in model.modules() if isinstance(m, nn.Linear)][-1]


class _Views:
    """The images of one step, each batched: augmented renders (the recipe's crop, flip and colour jitter), a
    weak view of the unlabelled photos (a flip of half of them) and a strong one (crop, flip, jitter, then
    a grey square over part of each: Cutout, DeVries and Taylor 2017, as FixMatch's strong view has)."""

    def __init__(self, size: int):
        self.crop = augment.CropFlipJitter(size)

    def labelled(self, images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        params = self.crop.draw(len(images), generator, *images.shape[-2:]).to(images.device)
        return self.crop(images, params).mul_(2).sub_(1)

    @staticmethod
    def weak(images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        flip = (torch.rand(len(images), generator=generator) < 0.5).to(images.device)
        return torch.where(flip[:, None, None, None], images.flip(-1), images).float().div_(127.5).sub_(1)

    def strong(self, images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
        views = self.labelled(images, generator)
        n, size = len(views), views.shape[-1]
        side = torch.randint(size // 8, size // 2 + 1, (n,), generator=generator)
        top, left = (torch.rand(n, generator=generator) * (size - side)).long(), (torch.rand(n, generator=generator) * (size - side)).long()
        rows, cols = torch.arange(size), torch.arange(size)
        inside = ((rows[None, :] >= top[:, None]) & (rows[None, :] < (top + side)[:, None]))[:, :, None] & \
                 ((cols[None, :] >= left[:, None]) & (cols[None, :] < (left + side)[:, None]))[:, None, :]
        return views.masked_fill_(inside[:, None].to(views.device), 0.0)  # 0 is mid-grey in [-1, 1]


def views(images: torch.Tensor, seed: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    """FixMatch's two views of uint8 photos, in [-1, 1], as training draws them: the weak one (half of them
    flipped) whose confident answers become targets, and the strong one (crop, flip, jitter, Cutout) that learns them."""
    generator = torch.Generator().manual_seed(seed)
    drawn = _Views(images.shape[-1])
    return drawn.weak(images, generator), drawn.strong(images, generator)


def _unlabelled_loss(model, config: AdaptConfig, photos: torch.Tensor, views: _Views, generator, state: dict):
    """The unlabelled photos' loss, and (for the record) the share of them that counted."""
    weak = views.weak(photos, generator)
    if config.method == "shot-im":
        p = model(weak).float()
        return entropy(p).mean() - entropy(p.mean()), 1.0
    with torch.no_grad():
        p = model(weak).float()
        state["mean"] = 0.999 * state["mean"] + 0.001 * p.mean().item() if state["steps"] else p.mean().item()
        p = aligned(p, min(max(state["mean"], 1e-3), 1 - 1e-3), state["prior"])
        confident = torch.maximum(p, 1 - p) >= config.threshold
    answers = model(views.strong(photos, generator)).float()
    losses = nn.functional.binary_cross_entropy(answers, (p >= 0.5).float(), reduction="none")
    return (losses * confident).mean(), confident.float().mean().item()


def adapt(model: nn.Module, renders: TensorImages, photos: TensorImages, config: AdaptConfig | None = None, *,
          labelled: TensorImages | None = None, validation=None, device: torch.device | None = None,
          resume: Path | None = None, progress: bool = True) -> tuple[nn.Module, list[dict]]:
    """``model`` (trained on ``renders``) adapted to the unlabelled ``photos`` by ``config.method``; every
    step a batch of renders (with ``labelled`` photos, if any, in their share of it) keeps its labels and as
    many unlabelled photos go beside it. Returns the model and one row per epoch (losses, the share of
    photos that counted, how often it answered hotdog on them, and ``validation`` scores when given). With
    ``resume``, a file written after every epoch from which a cut-off run goes on."""
    from hotdog.device import default_device

    config = config or AdaptConfig()
    device = device or default_device()
    photos = unlabelled(photos)
    if config.method == "adabn":
        model = recompute_batchnorm(model, photos, device)
        return model, [_scored({"epoch": 0, "method": "adabn"}, model, validation, device)]
    supervised = batches.on_device(_joined(renders, labelled), device)
    pool = batches.on_device(photos, device)
    steps = len(pool) // config.batch_size
    if steps == 0:
        raise ValueError(f"adaptation needs a full batch of unlabelled photos: {len(pool)} photos, batch size "
                         f"{config.batch_size}")
    model.to(device)
    malloc.for_training(device, progress)  # as train() does: glibc keeps freed memory (hotdog.malloc)
    if config.method == "shot-im":
        for parameter in _head(model).parameters():
            parameter.requires_grad_(False)
    chosen = precision.choose(config.precision, device)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=config.learning_rate,
                                  weight_decay=config.weight_decay)
    scheduler = tricks.scheduler(optimizer, "onecycle", config.epochs * steps, 0.25)
    scaler = chosen.scaler(device)
    state = {"mean": 0.5, "prior": supervised.labels.float().mean().item(), "steps": 0, "rows": [], "epoch": 0}
    _resume(resume, model, optimizer, scheduler, state, config)
    views = _Views(pool.images.shape[-1])
    for epoch in range(state["epoch"], config.epochs):
        row = _epoch(model, optimizer, scheduler, scaler, chosen, config, supervised, pool, views, epoch, state, device)
        row["computed_in"] = chosen.name  # a run resumed on another machine may compute in another
        state["rows"].append(_scored(row, model, validation, device))
        state["epoch"] = epoch + 1
        if progress:
            print(f"adapted ({config.method}): epoch {epoch + 1}/{config.epochs}: " +
                  ", ".join(f"{k} {v:.3f}" for k, v in state["rows"][-1].items() if isinstance(v, float)))
        if resume is not None:
            _save(resume, model, optimizer, scheduler, state, config)
    for parameter in model.parameters():
        parameter.requires_grad_(True)
    return model.eval(), state["rows"]


def _epoch(model, optimizer, scheduler, scaler, chosen, config, supervised, pool, views, epoch, state, device) -> dict:
    """One pass over the unlabelled photos; the epoch's mean losses and shares."""
    generator = torch.Generator().manual_seed(derive(config.seed, 1, epoch, "adapt"))
    order = torch.randperm(len(pool), generator=generator)
    steps = len(pool) // config.batch_size
    picks = torch.randint(len(supervised), (steps, config.batch_size), generator=generator)
    bce, totals, start = nn.BCELoss(), {"supervised_loss": 0.0, "unlabelled_loss": 0.0, "counted": 0.0}, time.perf_counter()
    model.train()
    for step in range(steps):
        rows = picks[step].to(device)
        photos = pool.images[order[step * config.batch_size:(step + 1) * config.batch_size].to(device)]
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device.type, dtype=chosen.dtype or torch.float32, enabled=chosen.dtype is not None):
            answers = model(views.labelled(supervised.images[rows], generator))
            supervised_loss = bce(answers.float(), supervised.labels[rows].float())
            unlabelled_loss, counted = _unlabelled_loss(model, config, photos, views, generator, state)
        precision.step_on(supervised_loss + config.unlabelled_weight * unlabelled_loss, optimizer, scaler)
        if scheduler is not None:
            scheduler.step()
        state["steps"] += 1
        for key, value in (("supervised_loss", supervised_loss.item()), ("unlabelled_loss", unlabelled_loss.item()),
                           ("counted", counted)):
            totals[key] += value / steps
    return {"epoch": epoch + 1, "method": config.method, **totals, "seconds": time.perf_counter() - start}


@torch.no_grad()
def _scored(row: dict, model: nn.Module, validation, device) -> dict:
    from hotdog.train import validation_score

    return {**row, **(validation_score(model, validation, device) if validation is not None else {})}


def _joined(renders: TensorImages, labelled: TensorImages | None) -> TensorImages:
    """The labelled images: renders, and the labelled photos beside them (drawn alike, by their number)."""
    if labelled is None or len(labelled) == 0:
        return renders
    return TensorImages(torch.cat([renders.images, labelled.images]), torch.cat([renders.labels, labelled.labels]),
                        list(renders.paths) + list(labelled.paths))


def _save(path: Path, model, optimizer, scheduler, state: dict, config: AdaptConfig) -> None:
    from hotdog.train import save_atomic

    save_atomic({"config": asdict(config), "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                 "scheduler": scheduler.state_dict() if scheduler is not None else None, "state": state}, path)


def _resume(path: Path | None, model, optimizer, scheduler, state: dict, config: AdaptConfig) -> None:
    """Go on from ``path`` if it was written with ``config``; else start afresh (and say so)."""
    if path is None or not Path(path).exists():
        return
    saved = torch.load(path, map_location=next(model.parameters()).device, weights_only=False)
    if saved["config"] != asdict(config):
        print(f"{path} was written with other settings; adapting afresh")
        return
    model.load_state_dict(saved["model"])
    optimizer.load_state_dict(saved["optimizer"])
    if scheduler is not None:
        scheduler.load_state_dict(saved["scheduler"])
    state.update(saved["state"])
    print(f"resuming the adaptation from {path} after {state['epoch']} epoch(s)")
