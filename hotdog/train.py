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

import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import ConcatDataset, DataLoader, Dataset, Subset

from hotdog import files, malloc, modes
from hotdog.model import BinaryClassifier
from hotdog.modes import MODES
from hotdog.seeds import MIX_STREAM, epoch_seed

PRECISIONS = ("fp32", "bf16", "auto")


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

    def __post_init__(self):
        """Every setting checked once, here, naming the field and what it takes."""
        problems = [f"{name} must be a whole number of epochs, 0 or more, not {getattr(self, name)!r}"
                    for name in ("synthetic_epochs", "finetune_epochs", "authentic_epochs")
                    if not isinstance(getattr(self, name), int) or getattr(self, name) < 0]
        if not isinstance(self.batch_size, int) or self.batch_size < 1:
            problems.append(f"batch_size must be 1 or more, not {self.batch_size!r}")
        if self.precision not in PRECISIONS:
            problems.append(f"precision must be 'fp32', 'bf16' or 'auto', not {self.precision!r}")
        if not 0 <= self.mix_synthetic < 1:
            problems.append(f"mix_synthetic is a share of each batch, between 0 and 1, not {self.mix_synthetic}")
        if self.patience is not None and self.patience < 1:
            problems.append(f"patience is a number of epochs, 1 or more, or None, not {self.patience!r}")
        if problems:
            raise ValueError("TrainConfig: " + "; ".join(problems))
        self.betas = tuple(self.betas)

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
    if precision not in PRECISIONS:
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
    generator = torch.Generator().manual_seed(epoch_seed(seed, stage, epoch))
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


def save_atomic(obj, path: Path) -> None:
    """``torch.save(obj, path)``, complete or not at all (:mod:`hotdog.files`)."""
    with files.atomic_path(path) as tmp:
        torch.save(obj, tmp)


def make_optimizer(model: nn.Module, config: TrainConfig) -> torch.optim.Optimizer:
    """The article's Adam, or with ``weight_decay`` AdamW (decoupled weight decay)."""
    if config.weight_decay > 0:
        return torch.optim.AdamW(model.parameters(), lr=config.learning_rate, betas=config.betas,
                                 weight_decay=config.weight_decay)
    return torch.optim.Adam(model.parameters(), lr=config.learning_rate, betas=config.betas)


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
        generator = torch.Generator().manual_seed(epoch_seed(config.seed, stage, epoch, MIX_STREAM))
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


RESUME_KEYS = {"config", "model", "optimizer", "history"}  # what _State.save writes and resume needs


class ResumeError(RuntimeError):
    """A ``<mode>.resume.pt`` file that cannot be read."""


@dataclass
class _Setup:
    """What stays fixed while one ``train`` call runs."""

    mode: str
    data: dict[str, Dataset]
    config: TrainConfig
    device: torch.device
    test: Dataset | None = None
    validation: Dataset | None = None
    checkpoint_dir: Path | None = None
    progress: bool = True

    def __post_init__(self):
        self.autocast = autocast_dtype(self.config.precision, self.device)
        self.criterion = nn.BCELoss()
        self.resume_path = self.checkpoint_dir / f"{self.mode}.resume.pt" if self.checkpoint_dir else None


@dataclass
class _State:
    """Where a run is: what a ``<mode>.resume.pt`` file holds, so a killed run goes on from here."""

    model: nn.Module
    optimizer: torch.optim.Optimizer
    history: History
    stage: int = 0  # the stage being trained
    done: int = 0  # epochs done in it
    best: dict | None = None  # the best epoch so far of a stage chosen on validation photos

    def save(self, path: Path | None) -> None:
        if path is not None:
            save_atomic({"config": self.history.config, "model": self.model.state_dict(),
                         "optimizer": self.optimizer.state_dict(), "history": self.history.epochs,
                         "selected": self.history.selected, "position": (self.stage, self.done), "best": self.best}, path)

    def resume(self, path: Path | None, stages: list[tuple[str, int]]) -> None:
        """Go on from ``path`` if it exists and was written with these settings."""
        if path is None or not path.exists():
            return
        try:  # our own file, written by _State.save: it holds the optimizer and history as well as weights
            saved = torch.load(path, map_location=next(self.model.parameters()).device, weights_only=False)
            if not RESUME_KEYS <= set(saved):
                raise KeyError(f"not a resume file: it lacks {sorted(RESUME_KEYS - set(saved))}")
        except Exception as error:  # noqa: BLE001  (random bytes, a truncated or foreign file: torch says it many ways)
            raise ResumeError(f"{path} is damaged ({type(error).__name__}), so {self.history.mode} cannot resume "
                              f"from it: delete it and run the same command again to train {self.history.mode} "
                              f"afresh (finished checkpoints beside it are not touched)") from None
        if not _same_config(saved["config"], self.history.config):
            print(f"{path} was written with other settings; starting {self.history.mode} afresh")
            return
        self.model.load_state_dict(saved["model"])
        self.optimizer.load_state_dict(saved["optimizer"])
        self.history.epochs, self.history.selected = saved["history"], saved.get("selected", {})
        self.stage, self.done = tuple(saved.get("position") or _position(stages, len(self.history.epochs)))
        self.best = saved.get("best")
        print(f"resuming {self.history.mode} from {path} after {len(self.history.epochs)} epoch(s)")


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


def _run_epoch(state: _State, setup: _Setup, number: int, name: str, epoch: int, epochs: int) -> dict:
    """Train one epoch of stage ``number`` (data ``name``), score it, record it in the history."""
    from tqdm.auto import tqdm

    config = setup.config
    loader = epoch_loader(epoch_data(name, setup.mode, setup.data, config, epoch, number), config.batch_size,
                          config.seed, epoch, number)
    # torchvision's random transforms draw from torch's global generator: fork it for the epoch and seed
    # the fork (seed, stage, epoch), so a resumed run draws the same and the caller's state is untouched
    with torch.random.fork_rng(devices=[], enabled=config.augment), \
            tqdm(total=len(loader), desc=f"{setup.mode}: {name} epoch {epoch + 1}/{epochs}",
                 disable=not setup.progress, unit="batch", leave=False) as bar:
        if config.augment:
            torch.manual_seed(epoch_seed(config.seed, number, epoch))
        row = train_one_epoch(state.model, loader, state.optimizer, setup.criterion, setup.device,
                              config.channels_last, bar, setup.autocast)
    row = {"stage": name, "epoch": epoch + 1, **row}
    if setup.test is not None:
        row["test_accuracy"] = evaluate(state.model, setup.test, setup.device)
    if setup.validation is not None:
        row.update(validation_score(state.model, setup.validation, setup.device))
    state.history.epochs.append(row)
    if setup.progress:
        extra = "".join(f", {k.replace('_', ' ')} {row[k]:.3f}" for k in ("val_accuracy", "test_accuracy") if k in row)
        print(f"{setup.mode}: {name} epoch {epoch + 1}/{epochs}: loss {row['train_loss']:.3f}, "
              f"train accuracy {row['train_accuracy']:.3f}{extra} ({row['images_per_second']:.1f} images/s)")
    return row


def _keep_if_best(state: _State, row: dict, patience: int | None) -> bool:
    """Remember this epoch's weights if its validation accuracy is the best so far (ties: the lower
    validation loss); True once ``patience`` epochs have brought no better one."""
    score = (row["val_accuracy"], -row["val_loss"])
    if state.best is None or score > tuple(state.best["score"]):
        state.best = {"score": score, "epoch": row["epoch"], "state": _plain_state(state.model)}
    return patience is not None and row["epoch"] - state.best["epoch"] >= patience


def _train_stage(state: _State, setup: _Setup, number: int, name: str, epochs: int) -> None:
    """The epochs of one stage; a stage on real photos with validation photos ends on its best epoch."""
    select = setup.validation is not None and name == "authentic"
    for epoch in range(state.done if number == state.stage else 0, epochs):
        row = _run_epoch(state, setup, number, name, epoch, epochs)
        stop = select and _keep_if_best(state, row, setup.config.patience)
        state.stage, state.done = number, epoch + 1
        state.save(setup.resume_path)
        if stop:
            if setup.progress:
                print(f"{setup.mode}: no better validation accuracy for {setup.config.patience} epochs; stopping {name}")
            break
    if select and state.best is not None:  # keep the chosen epoch's weights
        state.model.load_state_dict(state.best["state"])
        state.history.selected[name] = state.best["epoch"]
    if setup.checkpoint_dir is not None and name == "synthetic":
        save_atomic(_plain_state(state.model), modes.checkpoint(setup.checkpoint_dir, "synthetic"))
    state.stage, state.done, state.best = number + 1, 0, None
    state.save(setup.resume_path)


def _finish(state: _State, setup: _Setup) -> None:
    """The finished model under the article's file name, its history beside it; the resume file goes."""
    save_atomic(_plain_state(state.model), modes.checkpoint(setup.checkpoint_dir, setup.mode))
    files.write_json(setup.checkpoint_dir / f"{setup.mode}.history.json", state.history.to_json(), indent=1)
    setup.resume_path.unlink(missing_ok=True)


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
    config = config or TrainConfig()
    stages = config.stages(mode)
    for name, _ in stages:
        if name not in data:
            raise ValueError(f"mode {mode!r} needs data[{name!r}]")
    setup = _Setup(mode, data, config, default_device(config.device), test, validation,
                   Path(checkpoint_dir) if checkpoint_dir else None, progress)
    if setup.device.type == "cpu" and config.keep_freed_memory:
        malloc.keep_freed_memory(announce=progress)  # faster CPU training for more memory; see hotdog.malloc
    model = _placed(model if model is not None else new_model(config.seed), setup.device, config.channels_last)
    state = _State(model, make_optimizer(model, config),
                   History(mode=mode, config={**asdict(config), "device": str(setup.device)}))
    state.resume(setup.resume_path, stages)
    for number, (name, epochs) in enumerate(stages):
        if number >= state.stage:
            _train_stage(state, setup, number, name, epochs)
    if setup.checkpoint_dir is not None:
        _finish(state, setup)
    return state.model, state.history


def _placed(model: nn.Module, device: torch.device, channels_last: bool) -> nn.Module:
    model.to(device)
    return model.to(memory_format=torch.channels_last) if channels_last else model


def _plain_state(model: nn.Module) -> dict:
    """A state dict in the default memory layout on the CPU, loadable by the article's own code."""
    return {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}


def load_model(path: str | Path, device: str | None = None) -> BinaryClassifier:
    """A BinaryClassifier with the weights in ``path``, ready for evaluation."""
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist; train a model first (`python -m hotdog run`).")
    model = BinaryClassifier()
    try:  # weights only: a checkpoint from a stranger cannot run code
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception:  # noqa: BLE001  (not a torch file, truncated, or holding more than tensors)
        raise ValueError(f"{path} is not a BinaryClassifier checkpoint (not a file of weights that torch.save "
                         f"wrote, or a damaged one); retrain or re-download it.") from None
    if not isinstance(state, dict):
        raise ValueError(f"{path} holds a {type(state).__name__}, not a BinaryClassifier's weights; retrain or re-download it.")
    expected = set(model.state_dict())
    missing, unexpected = sorted(expected - set(state)), sorted(set(state) - expected)
    if missing or unexpected:
        raise ValueError(f"{path} holds the weights of another network: {len(missing)} of the BinaryClassifier's "
                         f"{len(expected)} layers missing (e.g. {', '.join(missing[:3]) or '-'}), {len(unexpected)} "
                         f"unknown (e.g. {', '.join(unexpected[:3]) or '-'}); retrain or re-download it.")
    try:
        model.load_state_dict(state)
    except RuntimeError as error:  # the right names with the wrong shapes
        first = str(error).splitlines()[1].strip() if len(str(error).splitlines()) > 1 else str(error)[:200]
        raise ValueError(f"{path} does not fit the BinaryClassifier ({first}); retrain or re-download it.") from None
    return model.to(default_device(device)).eval()
