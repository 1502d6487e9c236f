"""The article's training loop, ``train(mode)``, in three modes: ``authentic``, ``synthetic``, ``both``.

Kept from the article: Adam (lr 1e-4, betas 0.9/0.99), ``BCELoss`` on the sigmoid output, batch 64
with the last partial batch dropped, and the schedule: ``synthetic`` trains EPOCHS (10) on rendered
images; ``both`` does that and then fine-tunes 2 x EPOCHS (20) on the real training photos with
the same optimizer; ``authentic`` trains 3 x EPOCHS (30) on real photos alone. Like the article's
code, ``both`` saves the model after its synthetic stage too, so one ``both`` run also yields the
``synthetic`` model.

Added, without changing the maths: a seed for initialisation and batch order (each epoch's order
is drawn from ``seed`` and the epoch number, so a resumed run sees the same batches), the device
chosen automatically (CUDA, else CPU), channels-last memory layout (faster convolutions on CPU),
on the CPU a C allocator that keeps freed memory for the next batch (:mod:`hotdog.malloc`),
progress bars, a history of loss and accuracy per epoch, and a checkpoint after every epoch from
which an interrupted run resumes. The loop itself reads like torchvision's classification
reference: ``train_one_epoch`` and ``evaluate`` are small separate functions.
"""

from __future__ import annotations

import json
import os
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import ConcatDataset, DataLoader, Dataset, Subset

from hotdog import malloc
from hotdog.model import BinaryClassifier

MODES = ("authentic", "synthetic", "both")
CHECKPOINT_NAMES = {  # the article's file names
    "synthetic": "binary_classifier",
    "both": "binary_classifier_finetuned",
    "authentic": "binary_classifier_authentic",
}


@dataclass
class TrainConfig:
    """The article's values as defaults."""

    learning_rate: float = 1e-4
    betas: tuple[float, float] = (0.9, 0.99)
    batch_size: int = 64
    synthetic_epochs: int = 10  # the article's EPOCHS
    finetune_epochs: int = 20  # 2 * EPOCHS, "both"
    authentic_epochs: int = 30  # 3 * EPOCHS, "authentic"
    seed: int = 0
    device: str | None = None  # None: CUDA if available, else CPU
    channels_last: bool = True
    # On the CPU, keep freed memory for the next batch (hotdog.malloc): 1.4x the speed on a 2-core AMD
    # EPYC, for a peak of 4.1 GB instead of 2.5 GB at batch 64; once set, it holds for the whole process.
    keep_freed_memory: bool = True
    # "fp32" (the article's), "bf16" (autocast to bfloat16 for the network's forward pass; the loss,
    # weights and optimizer stay float32), or "auto": bf16 where the hardware runs it natively (CPUs
    # with AVX-512 BF16 or AMX, CUDA GPUs with bf16), else fp32. See autocast_dtype().
    precision: str = "fp32"
    # The improved recipe (hotdog/settings.py RECIPES); the defaults switch it off and leave the article's loop.
    augment: bool = False  # random crops, flips and colour jitter of every training image (data.augmentation)
    weight_decay: float = 0.0  # > 0: decoupled weight decay (AdamW) instead of Adam
    mix_synthetic: float = 0.0  # "both": this share of each fine-tuning epoch is rendered images, the rest real
    patience: int | None = None  # with validation photos: end a real-photo stage after this many epochs without a better one

    @classmethod
    def for_sizes(cls, sizes, recipe=None, **overrides) -> "TrainConfig":
        """The epochs and batch size of a :class:`hotdog.settings.Sizes` preset, trained by ``recipe``
        (a :class:`hotdog.settings.Recipe`; default the article's), the rest as given."""
        factor = recipe.real_epochs_factor if recipe is not None else 1.0
        fields = {"synthetic_epochs": sizes.synthetic_epochs, "finetune_epochs": round(sizes.finetune_epochs * factor),
                  "authentic_epochs": round(sizes.authentic_epochs * factor), "batch_size": sizes.batch_size,
                  **(recipe.train if recipe is not None else {}), **overrides}
        return cls(**fields)

    def stages(self, mode: str) -> list[tuple[str, int]]:
        """(data, epochs) in order: which data set each stage trains on."""
        if mode not in MODES:
            raise ValueError(f"Mode must be one of 'synthetic', 'authentic', or 'both', not {mode!r}")
        return {
            "synthetic": [("synthetic", self.synthetic_epochs)],
            "both": [("synthetic", self.synthetic_epochs), ("authentic", self.finetune_epochs)],
            "authentic": [("authentic", self.authentic_epochs)],
        }[mode]


@dataclass
class History:
    mode: str
    config: dict
    epochs: list[dict] = field(default_factory=list)
    selected: dict = field(default_factory=dict)  # stage -> the epoch whose weights were kept (validation)

    def to_json(self) -> dict:
        return asdict(self)


def autocast_dtype(precision: str, device: torch.device) -> torch.dtype | None:
    """The dtype to autocast the forward pass to, or None for plain float32."""
    if precision not in ("fp32", "bf16", "auto"):
        raise ValueError(f"precision must be 'fp32', 'bf16' or 'auto', not {precision!r}")
    if precision == "fp32":
        return None
    if precision == "bf16":
        if not native_bf16(device):
            warnings.warn(f"this {device.type.upper()} has no native bfloat16, so bf16 is emulated: about eight times "
                          "slower than fp32 on a 2-core AMD EPYC with AVX2 only; use precision 'auto' or 'fp32'",
                          stacklevel=2)
        return torch.bfloat16
    return torch.bfloat16 if native_bf16(device) else None


def native_bf16(device: torch.device) -> bool:
    """Whether ``device`` runs bfloat16 natively (a CUDA GPU with bf16; a CPU with AVX-512 BF16 or AMX)."""
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported()
    return device.type == "cpu" and torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported()


def default_device(device: str | None = None) -> torch.device:
    """CUDA when there is one, else the CPU (or whatever ``device`` names)."""
    if device:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def new_model(seed: int = 0) -> BinaryClassifier:
    """A freshly initialised BinaryClassifier; the same seed gives the same weights (drawn from a
    seeded fork of torch's generator, so the caller's random state is left as it was)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return BinaryClassifier()


def epoch_loader(data: Dataset, batch_size: int, seed: int, epoch: int, stage: int = 0) -> DataLoader:
    """The article's shuffled loader (``drop_last=True``), its order fixed by seed, stage and epoch."""
    generator = torch.Generator().manual_seed(seed * 1_000_003 + stage * 1_009 + epoch)
    return DataLoader(data, batch_size=batch_size, shuffle=True, drop_last=True, generator=generator)


def train_one_epoch(model: nn.Module, loader: DataLoader, optimizer: torch.optim.Optimizer,
                    criterion: nn.Module, device: torch.device, channels_last: bool = True,
                    progress=None, autocast: torch.dtype | None = None) -> dict:
    """One pass over ``loader``; returns mean loss, training accuracy and images per second.
    With ``autocast`` (e.g. ``torch.bfloat16``) the forward pass runs in that precision; the loss is
    computed in float32 outside it (``BCELoss`` is not autocast-safe)."""
    model.train()
    total_loss, correct, seen = 0.0, 0, 0
    start = time.perf_counter()
    for data, label in loader:
        data, label = data.to(device, non_blocking=True), label.to(device, non_blocking=True)
        if channels_last:
            data = data.contiguous(memory_format=torch.channels_last)
        optimizer.zero_grad()
        with torch.autocast(device.type, dtype=autocast or torch.float32, enabled=autocast is not None):
            output = model(data)
        loss = criterion(output.float(), label.float())
        loss.backward()
        optimizer.step()
        total_loss += loss.item() * len(label)
        correct += (torch.round(output.detach().float()) == label).sum().item()
        seen += len(label)
        if progress is not None:
            progress.update(1)
            progress.set_postfix(loss=f"{loss.item():.3f}")
    seconds = time.perf_counter() - start
    if seen == 0:
        raise ValueError(f"no full batch to train on: {len(loader.dataset)} images, batch size {loader.batch_size}")
    return {"train_loss": total_loss / seen, "train_accuracy": correct / seen, "seconds": seconds,
            "images_per_second": seen / seconds}


@torch.no_grad()
def evaluate(model: nn.Module, data: Dataset, device: torch.device | None = None, batch_size: int = 128) -> float:
    """Accuracy of ``model`` on ``data``, decided as the article does (``torch.round``)."""
    from hotdog.metrics import decide, predict

    probabilities, labels = predict(model, data, device=device, batch_size=batch_size)
    return (decide(probabilities) == labels).float().mean().item()


def _save_atomic(obj, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    torch.save(obj, tmp)
    os.replace(tmp, path)


def epoch_data(name: str, mode: str, data: dict[str, Dataset], config: TrainConfig, epoch: int,
               stage: int) -> Dataset:
    """What one epoch of stage ``name`` trains on: the article's data set as it is, or, in the improved
    recipe, augmented, and for ``both``'s fine-tuning mixed with a fresh draw of rendered images."""
    from hotdog.data import Augmented

    def view(dataset):
        return Augmented(dataset) if config.augment else dataset

    if name == "authentic" and mode == "both" and config.mix_synthetic > 0:
        real, rendered = data["authentic"], data["synthetic"]
        k = min(len(rendered), round(len(real) * config.mix_synthetic / (1 - config.mix_synthetic)))
        generator = torch.Generator().manual_seed(config.seed * 1_000_003 + stage * 1_009 + epoch + 500_009)
        chosen = torch.randperm(len(rendered), generator=generator)[:k].tolist()
        return ConcatDataset([view(real), Subset(view(rendered), chosen)])
    return view(data[name])


@torch.no_grad()
def validation_score(model: nn.Module, data: Dataset, device: torch.device) -> dict:
    """Accuracy and BCE loss on the validation photos."""
    from hotdog.metrics import decide, predict

    probabilities, labels = predict(model, data, device=device)
    loss = nn.functional.binary_cross_entropy(probabilities.float().clamp(1e-7, 1 - 1e-7), labels.float()).item()
    return {"val_accuracy": (decide(probabilities) == labels).float().mean().item(), "val_loss": loss}


def _same_config(saved: dict, current: dict) -> bool:
    """Whether a resume file was written with ``current``'s settings (fields added since count as defaults)."""
    defaults = asdict(TrainConfig())
    return all(saved.get(key, defaults.get(key)) == value for key, value in current.items())


def _position(stages: list[tuple[str, int]], epochs_done: int) -> tuple[int, int]:
    """(stage, epochs done in it) after ``epochs_done`` epochs of a run that never stopped early."""
    for number, (_, epochs) in enumerate(stages):
        if epochs_done <= epochs:
            return number, epochs_done
        epochs_done -= epochs
    return len(stages), 0


def train(mode: str, data: dict[str, Dataset], config: TrainConfig | None = None, *,
          test: Dataset | None = None, validation: Dataset | None = None,
          checkpoint_dir: str | Path | None = None, model: nn.Module | None = None,
          progress: bool = True) -> tuple[nn.Module, History]:
    """Train the article's BinaryClassifier in ``mode`` ('authentic', 'synthetic' or 'both').

    ``data`` maps ``"synthetic"`` and/or ``"authentic"`` (the real *training* photos) to datasets
    that yield ``(image in [-1, 1], label with hotdog = 1)``. With ``test`` given, the accuracy
    on it is recorded after every epoch, for the curves only: nothing is chosen by it.

    With ``validation`` (photos carved from the training photos, see :func:`hotdog.data.carve`),
    every stage on real photos keeps the weights of its epoch with the best validation accuracy
    (ties: lower validation loss) and, with ``config.patience``, stops once that many epochs bring
    no better one. The synthetic stage is never chosen on real photos: it runs its epochs.

    With ``checkpoint_dir``, the finished model is saved under the article's file names
    (``binary_classifier.pt`` after the synthetic stage, ``binary_classifier_finetuned.pt`` for
    ``both``, ``binary_classifier_authentic.pt``), and a ``<mode>.resume.pt`` after every epoch;
    calling ``train`` again with the same arguments resumes from it.
    """
    from tqdm.auto import tqdm

    config = config or TrainConfig()
    stages = config.stages(mode)
    for name, _ in stages:
        if name not in data:
            raise ValueError(f"mode {mode!r} needs data[{name!r}]")
    if mode == "both" and config.mix_synthetic > 0 and not 0 < config.mix_synthetic < 1:
        raise ValueError(f"mix_synthetic is a share of each batch, between 0 and 1, not {config.mix_synthetic}")
    device = default_device(config.device)
    if device.type == "cpu" and config.keep_freed_memory:
        malloc.keep_freed_memory()  # benchmarks/bench_train.py measures what it buys
    model = model if model is not None else new_model(config.seed)
    model.to(device)
    if config.channels_last:
        model.to(memory_format=torch.channels_last)
    if config.weight_decay > 0:
        optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, betas=config.betas,
                                      weight_decay=config.weight_decay)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate, betas=config.betas)
    criterion = nn.BCELoss()
    history = History(mode=mode, config={**asdict(config), "device": str(device)})

    checkpoint_dir = Path(checkpoint_dir) if checkpoint_dir else None
    resume_path = checkpoint_dir / f"{mode}.resume.pt" if checkpoint_dir else None
    position, best = (0, 0), None  # (stage, epochs done in it); the best epoch so far of a selected stage
    if resume_path is not None and resume_path.exists():
        state = torch.load(resume_path, map_location=device, weights_only=False)
        if _same_config(state["config"], history.config):
            model.load_state_dict(state["model"])
            optimizer.load_state_dict(state["optimizer"])
            history.epochs = state["history"]
            history.selected = state.get("selected", {})
            position = tuple(state.get("position") or _position(stages, len(history.epochs)))
            best = state.get("best")
            print(f"resuming {mode} from {resume_path} after {len(history.epochs)} epoch(s)")
        else:
            print(f"{resume_path} was written with other settings; starting {mode} afresh")

    def save_resume():
        if resume_path is not None:
            _save_atomic({"config": history.config, "model": model.state_dict(), "optimizer": optimizer.state_dict(),
                          "history": history.epochs, "selected": history.selected, "position": position,
                          "best": best}, resume_path)

    autocast = autocast_dtype(config.precision, device)
    for stage_number, (name, epochs) in enumerate(stages):
        if stage_number < position[0]:
            continue
        select = validation is not None and name == "authentic"
        for epoch in range(position[1] if stage_number == position[0] else 0, epochs):
            loader = epoch_loader(epoch_data(name, mode, data, config, epoch, stage_number), config.batch_size,
                                  config.seed, epoch, stage_number)
            # torchvision's random transforms draw from torch's global generator: fork it for the epoch and
            # seed the fork (seed, stage, epoch), so a resumed run draws the same and the caller's state is untouched
            with torch.random.fork_rng(devices=[], enabled=config.augment), \
                    tqdm(total=len(loader), desc=f"{mode}: {name} epoch {epoch + 1}/{epochs}",
                         disable=not progress, unit="batch", leave=False) as bar:
                if config.augment:
                    torch.manual_seed(config.seed * 1_000_003 + stage_number * 1_009 + epoch)
                row = train_one_epoch(model, loader, optimizer, criterion, device, config.channels_last, bar, autocast)
            row = {"stage": name, "epoch": epoch + 1, **row}
            if test is not None:
                row["test_accuracy"] = evaluate(model, test, device)
            if validation is not None:
                row.update(validation_score(model, validation, device))
            history.epochs.append(row)
            if progress:
                extra = "".join(f", {k.replace('_', ' ')} {row[k]:.3f}" for k in ("val_accuracy", "test_accuracy") if k in row)
                print(f"{mode}: {name} epoch {epoch + 1}/{epochs}: loss {row['train_loss']:.3f}, "
                      f"train accuracy {row['train_accuracy']:.3f}{extra} ({row['images_per_second']:.1f} images/s)")
            stop = False
            if select:
                score = (row["val_accuracy"], -row["val_loss"])
                if best is None or score > tuple(best["score"]):
                    best = {"score": score, "epoch": epoch + 1, "state": _plain_state(model)}
                stop = config.patience is not None and epoch + 1 - best["epoch"] >= config.patience
            position = (stage_number, epoch + 1)
            save_resume()
            if stop:
                if progress:
                    print(f"{mode}: no better validation accuracy for {config.patience} epochs; stopping {name}")
                break
        if select and best is not None:  # keep the chosen epoch's weights
            model.load_state_dict(best["state"])
            history.selected[name] = best["epoch"]
        if checkpoint_dir is not None and name == "synthetic":
            _save_atomic(_plain_state(model), checkpoint_dir / f"{CHECKPOINT_NAMES['synthetic']}.pt")
        position, best = (stage_number + 1, 0), None
        save_resume()
    if checkpoint_dir is not None:
        _save_atomic(_plain_state(model), checkpoint_dir / f"{CHECKPOINT_NAMES[mode]}.pt")
        (checkpoint_dir / f"{mode}.history.json").write_text(json.dumps(history.to_json(), indent=1))
        resume_path.unlink(missing_ok=True)
    return model, history


def _plain_state(model: nn.Module) -> dict:
    """A state dict in the default memory layout on the CPU, loadable by the article's own code."""
    return {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}


def load_model(path: str | Path, device: str | None = None) -> BinaryClassifier:
    """A BinaryClassifier with the weights in ``path``, ready for evaluation."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist; train a model first (`python -m hotdog run`).")
    model = BinaryClassifier()
    try:
        model.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
    except Exception as error:  # a truncated or foreign file
        raise ValueError(f"{path} is not a BinaryClassifier checkpoint ({error}); retrain or re-download it.") from error
    return model.to(default_device(device)).eval()
