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
progress bars, a history of loss and accuracy per epoch, and a checkpoint after every epoch from
which an interrupted run resumes. The loop itself reads like torchvision's classification
reference: ``train_one_epoch`` and ``evaluate`` are small separate functions.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

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
    # "fp32" (the article's), "bf16" (autocast to bfloat16 for the network's forward pass; the loss,
    # weights and optimizer stay float32), or "auto": bf16 where the hardware runs it natively (CPUs
    # with AVX-512 BF16 or AMX, CUDA GPUs with bf16), else fp32. See autocast_dtype().
    precision: str = "fp32"

    @classmethod
    def for_sizes(cls, sizes, **overrides) -> "TrainConfig":
        """The epochs and batch size of a :class:`hotdog.settings.Sizes` preset, the rest as given."""
        return cls(synthetic_epochs=sizes.synthetic_epochs, finetune_epochs=sizes.finetune_epochs,
                   authentic_epochs=sizes.authentic_epochs, batch_size=sizes.batch_size, **overrides)

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

    def to_json(self) -> dict:
        return asdict(self)


def autocast_dtype(precision: str, device: torch.device) -> torch.dtype | None:
    """The dtype to autocast the forward pass to, or None for plain float32."""
    if precision not in ("fp32", "bf16", "auto"):
        raise ValueError(f"precision must be 'fp32', 'bf16' or 'auto', not {precision!r}")
    if precision == "fp32":
        return None
    if precision == "bf16":
        return torch.bfloat16
    if device.type == "cuda":
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else None
    if device.type == "cpu" and torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported():
        return torch.bfloat16
    return None


def default_device(device: str | None = None) -> torch.device:
    """CUDA when there is one, else the CPU (or whatever ``device`` names)."""
    if device:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def new_model(seed: int = 0) -> BinaryClassifier:
    """A freshly initialised BinaryClassifier; the same seed gives the same weights."""
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


def train(mode: str, data: dict[str, Dataset], config: TrainConfig | None = None, *,
          test: Dataset | None = None, checkpoint_dir: str | Path | None = None,
          model: nn.Module | None = None, progress: bool = True) -> tuple[nn.Module, History]:
    """Train the article's BinaryClassifier in ``mode`` ('authentic', 'synthetic' or 'both').

    ``data`` maps ``"synthetic"`` and/or ``"authentic"`` (the real *training* photos) to datasets
    that yield ``(image in [-1, 1], label with hotdog = 1)``. With ``test`` given, the accuracy
    on it is recorded after every epoch, for the curves only: nothing is chosen by it.

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
    device = default_device(config.device)
    model = model if model is not None else new_model(config.seed)
    model.to(device)
    if config.channels_last:
        model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate, betas=config.betas)
    criterion = nn.BCELoss()
    history = History(mode=mode, config={**asdict(config), "device": str(device)})

    checkpoint_dir = Path(checkpoint_dir) if checkpoint_dir else None
    resume_path = checkpoint_dir / f"{mode}.resume.pt" if checkpoint_dir else None
    done = 0  # epochs finished, over all stages
    if resume_path is not None and resume_path.exists():
        state = torch.load(resume_path, map_location=device, weights_only=False)
        if state["config"] == history.config:
            model.load_state_dict(state["model"])
            optimizer.load_state_dict(state["optimizer"])
            history.epochs = state["history"]
            done = len(history.epochs)
            print(f"resuming {mode} from {resume_path} after {done} epoch(s)")
        else:
            print(f"{resume_path} was written with other settings; starting {mode} afresh")

    epoch_index = 0
    for stage_number, (name, epochs) in enumerate(stages):
        loader_batches = len(data[name]) // config.batch_size
        for epoch in range(epochs):
            epoch_index += 1
            if epoch_index <= done:
                continue
            loader = epoch_loader(data[name], config.batch_size, config.seed, epoch, stage_number)
            with tqdm(total=loader_batches, desc=f"{mode}: {name} epoch {epoch + 1}/{epochs}",
                      disable=not progress, unit="batch", leave=False) as bar:
                row = train_one_epoch(model, loader, optimizer, criterion, device, config.channels_last, bar,
                                      autocast_dtype(config.precision, device))
            row = {"stage": name, "epoch": epoch + 1, **row}
            if test is not None:
                row["test_accuracy"] = evaluate(model, test, device)
            history.epochs.append(row)
            if progress:
                test_text = f", test accuracy {row['test_accuracy']:.3f}" if test is not None else ""
                print(f"{mode}: {name} epoch {epoch + 1}/{epochs}: loss {row['train_loss']:.3f}, "
                      f"train accuracy {row['train_accuracy']:.3f}{test_text} "
                      f"({row['images_per_second']:.1f} images/s)")
            if resume_path is not None:
                _save_atomic({"config": history.config, "model": model.state_dict(),
                              "optimizer": optimizer.state_dict(), "history": history.epochs}, resume_path)
        if checkpoint_dir is not None and name == "synthetic" and epoch_index > done:
            _save_atomic(_plain_state(model), checkpoint_dir / f"{CHECKPOINT_NAMES['synthetic']}.pt")
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
