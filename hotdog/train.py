"""The article's training loop, ``train(mode)``, in three modes: ``authentic``, ``synthetic``, ``both``.

Kept from the article: Adam (lr 1e-4, betas 0.9/0.99), ``BCELoss`` on the sigmoid output, batch 64
with the last partial batch dropped, and the schedule: ``synthetic`` trains EPOCHS (10) on rendered
images; ``both`` does that and then fine-tunes 2 x EPOCHS (20) on the real training photos with
the same optimizer; ``authentic`` trains 3 x EPOCHS (30) on real photos alone. Like the article's
code, ``both`` saves the model after its synthetic stage too, so one ``both`` run also yields the
``synthetic`` model.

Added, without changing the maths: a seed for initialisation and batch order (each epoch's order
is drawn from ``seed`` and the epoch number, so a resumed run sees the same batches), the device
chosen automatically (CUDA, else CPU) with the images moved there once and batched there
(:mod:`hotdog.batches`), the number format chosen by the hardware (:mod:`hotdog.precision`),
channels-last memory layout (faster convolutions), on the CPU a C allocator that keeps freed memory
for the next batch (:mod:`hotdog.malloc`), progress bars, a history of loss and accuracy per epoch,
and a checkpoint after every epoch from which an interrupted run resumes, on this device or another.
The loop itself reads like torchvision's classification reference: ``train_one_epoch`` and
``evaluate`` are small separate functions.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import Dataset

from hotdog import batches, files, malloc, modes, precision, tricks
from hotdog.checkpoints import load_model  # noqa: F401  (where the notebooks and scripts have always found it)
from hotdog.data import TensorImages
from hotdog.device import default_device
from hotdog.fields import is_number
from hotdog.model import BinaryClassifier
from hotdog.modes import MODES
from hotdog.seeds import epoch_seed


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
    # "auto": bf16 where the hardware runs it natively (CPUs with AVX-512 BF16 or AMX, CUDA GPUs of compute
    # capability 8.0+), fp16 with a gradient scaler on older CUDA GPUs, else fp32 (the article's, bit for
    # bit); or one of those by name. See hotdog/precision.py.
    precision: str = "auto"
    # The improved recipe (hotdog/settings.py RECIPES); the defaults switch it off and leave the article's loop.
    augment: bool | str = False  # True or "crop": random crops, flips, colour jitter; "trivial": TrivialAugmentWide (tricks)
    weight_decay: float = 0.0  # > 0: decoupled weight decay (AdamW) instead of Adam
    mix_synthetic: float = 0.0  # "both": this share of each fine-tuning epoch is rendered images, the rest real
    separate_bn: bool = False  # with mix_synthetic: renders and photos pass BatchNorm apart (tricks.domain_forward)
    patience: int | None = None  # with validation photos: end a real-photo stage after this many epochs without a better one
    choose_epoch: bool = True  # with validation photos: keep a real-photo stage's best epoch (False: only watch them)
    # The tuned recipe (hotdog/tricks.py); the defaults leave the article's loop as it is.
    schedule: str = "constant"  # or "onecycle" / "cosine": learning_rate is the peak, per stage, stepped every batch
    warmup: float = 0.25  # share of a stage's steps spent warming up to the peak
    finetune_learning_rate: float | None = None  # "both": fine-tune with a fresh optimizer and schedule at this peak
    label_smoothing: float = 0.0  # BCE targets 1 - s/2 and s/2
    mixup: float = 0.0  # > 0: each batch mixed by MixUp or CutMix with Beta(mixup, mixup) weights
    ema_decay: float = 0.0  # > 0: an exponential moving average of the weights is validated, tested and kept

    def __post_init__(self):
        """Every setting checked once, here, naming the field and what it takes."""
        problems = [f"{name} must be a whole number of epochs, 0 or more, not {getattr(self, name)!r}"
                    for name in ("synthetic_epochs", "finetune_epochs", "authentic_epochs")
                    if not isinstance(getattr(self, name), int) or getattr(self, name) < 0]
        if not is_number(self.learning_rate) or not 0 < self.learning_rate < 10:
            problems.append(f"learning_rate must be above 0 (and below 10), not {self.learning_rate!r}")
        if len(self.betas) != 2 or not all(is_number(b) and 0 <= b < 1 for b in self.betas):
            problems.append(f"betas are two numbers from 0 to 1 (below 1), not {self.betas!r}")
        problems += [f"{name} must be {low} or more, not {getattr(self, name)!r}" for name, low, kind in
                     (("weight_decay", 0, is_number), ("batch_size", 1, lambda x: isinstance(x, int)))
                     if not kind(getattr(self, name)) or getattr(self, name) < low]
        if self.precision not in precision.PRECISIONS:
            problems.append(f"precision must be one of {', '.join(precision.PRECISIONS)}, not {self.precision!r}")
        if not 0 <= self.mix_synthetic < 1:
            problems.append(f"mix_synthetic is a share of each batch, between 0 and 1, not {self.mix_synthetic}")
        if self.separate_bn and (self.mix_synthetic == 0 or self.mixup > 0):
            problems.append("separate_bn keeps renders and photos apart in both's mixed fine-tuning: it needs mix_synthetic > 0 and no mixup")
        if self.patience is not None and self.patience < 1:
            problems.append(f"patience is a number of epochs, 1 or more, or None, not {self.patience!r}")
        if self.schedule not in tricks.SCHEDULES:
            problems.append(f"schedule must be one of {', '.join(tricks.SCHEDULES)}, not {self.schedule!r}")
        if tricks.augmentation_name(self.augment) not in (None, *tricks.AUGMENTATIONS):
            problems.append(f"augment must be True, False or one of {', '.join(tricks.AUGMENTATIONS)}, not {self.augment!r}")
        problems += [f"{name} must be from 0 to 1, not {getattr(self, name)!r}"
                     for name in ("warmup", "label_smoothing", "ema_decay") if not 0 <= getattr(self, name) < 1]
        if self.mixup < 0 or (self.finetune_learning_rate is not None and self.finetune_learning_rate <= 0):
            problems.append("mixup must be 0 or more and finetune_learning_rate above 0 (or None)")
        if problems:
            raise ValueError("TrainConfig: " + "; ".join(problems))
        self.betas = tuple(self.betas)

    @classmethod
    def for_sizes(cls, sizes, recipe=None, **overrides) -> "TrainConfig":
        """The epochs and batch size of a :class:`hotdog.settings.Sizes` preset, trained by ``recipe``
        (a :class:`hotdog.settings.Recipe`; default the article's), the rest as given."""
        factor = recipe.real_epochs_factor if recipe is not None else 1.0
        synthetic = round(sizes.synthetic_epochs * (recipe.synthetic_epochs_factor if recipe is not None else 1.0))
        finetune = recipe.finetune_epochs_factor if recipe is not None and recipe.finetune_epochs_factor else factor
        fields = {"synthetic_epochs": synthetic, "finetune_epochs": round(sizes.finetune_epochs * finetune),
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


def new_model(seed: int = 0) -> BinaryClassifier:
    """A freshly initialised BinaryClassifier; the same seed gives the same weights (drawn from a
    seeded fork of torch's generator, so the caller's random state is left as it was)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return BinaryClassifier()


def train_one_epoch(model: nn.Module, loader, optimizer: torch.optim.Optimizer,
                    criterion: nn.Module, device: torch.device, channels_last: bool = True,
                    progress=None, autocast: torch.dtype | None = None, scheduler=None, ema=None,
                    smoothing: float = 0.0, scaler=None) -> dict:
    """One pass over ``loader`` (batches of images and labels); returns mean loss, training accuracy and
    images per second. With ``autocast`` (e.g. ``torch.bfloat16``) the forward pass runs in that
    precision; the loss is computed in float32 outside it (``BCELoss`` is not autocast-safe), scaled by
    ``scaler`` (a ``GradScaler``, for float16). A ``scheduler`` and an ``ema`` (:mod:`hotdog.tricks`)
    step after every batch; ``smoothing`` softens the targets. Loss and accuracy add up on the device
    and are read once, at the end: the host never waits for the device in between."""
    model.train()
    total_loss = torch.zeros((), device=device)
    correct, seen = torch.zeros((), device=device, dtype=torch.long), 0
    start = time.perf_counter()
    for step, (data, label, *renders) in enumerate(loader):  # (a third item: which rows are renders)
        data, label = data.to(device, non_blocking=True), label.to(device, non_blocking=True)
        if channels_last:
            data = data.contiguous(memory_format=torch.channels_last)
        optimizer.zero_grad(set_to_none=True)
        with torch.autocast(device.type, dtype=autocast or torch.float32, enabled=autocast is not None):
            output = tricks.domain_forward(model, data, renders[0]) if renders else model(data)
        loss = criterion(output.float(), tricks.smooth(label, smoothing))
        rate = optimizer.param_groups[0]["lr"]
        precision.step_on(loss, optimizer, scaler)
        if scheduler is not None:  # a tuned recipe's learning-rate schedule (hotdog.tricks)
            scheduler.step()
        if ema is not None:  # and its moving average of the weights
            ema.update_parameters(model)
        total_loss += loss.detach() * len(label)
        correct += (torch.round(output.detach().float()) == torch.round(label.float())).sum()
        seen += len(label)
        if progress is not None:
            progress.update(1)
            if step % 10 == 0:  # reading the loss waits for the device: now and then only
                progress.set_postfix(loss=f"{loss.item():.3f}")
    if seen == 0:
        raise ValueError(f"no full batch to train on: {len(loader.pool)} images, batch size {loader.batch_size}")
    total_loss, correct = total_loss.item(), correct.item()  # the one wait of the epoch
    seconds = time.perf_counter() - start
    return {"train_loss": total_loss / seen, "train_accuracy": correct / seen, "seconds": seconds,
            "images_per_second": seen / seconds, "learning_rate": rate}


@torch.no_grad()
def evaluate(model: nn.Module, data: Dataset, device: torch.device | None = None, batch_size: int = 128) -> float:
    """Accuracy of ``model`` on ``data``, decided as the article does (``torch.round``)."""
    from hotdog.metrics import accuracy, predict

    return accuracy(*predict(model, data, device=device, batch_size=batch_size))


def save_atomic(obj, path: Path) -> None:
    """``torch.save(obj, path)``, complete or not at all (:mod:`hotdog.files`)."""
    with files.atomic_path(path) as tmp:
        torch.save(obj, tmp)


def make_optimizer(model: nn.Module, config: TrainConfig, learning_rate: float | None = None) -> torch.optim.Optimizer:
    """The article's Adam, or with ``weight_decay`` AdamW (decoupled weight decay), at ``learning_rate``
    (default: the config's)."""
    lr = learning_rate or config.learning_rate
    if config.weight_decay > 0:
        return torch.optim.AdamW(model.parameters(), lr=lr, betas=config.betas, weight_decay=config.weight_decay)
    return torch.optim.Adam(model.parameters(), lr=lr, betas=config.betas)


@torch.no_grad()
def validation_score(model: nn.Module, data: Dataset, device: torch.device) -> dict:
    """Accuracy, BCE loss and AUC on the validation photos."""
    from hotdog.metrics import accuracy, auc, predict

    probabilities, labels = predict(model, data, device=device)
    loss = nn.functional.binary_cross_entropy(probabilities.float().clamp(1e-7, 1 - 1e-7), labels.float()).item()
    return {"val_accuracy": accuracy(probabilities, labels), "val_loss": loss,
            "val_auc": auc(probabilities, labels)}


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
        self.precision = precision.choose(self.config.precision, self.device)
        self.criterion = nn.BCELoss()
        self.resume_path = modes.resume(self.checkpoint_dir, self.mode) if self.checkpoint_dir else None
        self._pools = {}

    def pool(self, name: str) -> batches.Pool:
        """Stage ``name``'s images on the device (made once per stage)."""
        if name not in self._pools:
            self._pools = {name: batches.stage_pool(name, self.mode, self.data, self.config.mix_synthetic)}
        return self._pools[name]


@dataclass
class _State:
    """Where a run is: what a ``<mode>.resume.pt`` file holds, so a killed run goes on from here."""

    model: nn.Module
    optimizer: torch.optim.Optimizer
    history: History
    stage: int = 0  # the stage being trained
    done: int = 0  # epochs done in it
    best: dict | None = None  # the best epoch so far of a stage chosen on validation photos
    scheduler: object = None  # the stage's learning-rate schedule (hotdog.tricks), if any
    ema: nn.Module | None = None  # the stage's moving average of the weights, if any
    scaler: object = None  # float16's gradient scaler (hotdog.precision), if any
    followers: dict = field(default_factory=dict)  # their states read from a resume file, for the stage in progress
    borrowed_from: str | None = None  # the run whose synthetic stage this one began from (hotdog.head_start)

    def save(self, path: Path | None) -> None:
        if path is not None:
            followers = {k: v.state_dict() for k, v in (("scheduler", self.scheduler), ("ema", self.ema),
                                                        ("scaler", self.scaler)) if v is not None}
            save_atomic({"config": self.history.config, "model": self.model.state_dict(),
                         "optimizer": self.optimizer.state_dict(), "history": self.history.epochs,
                         "selected": self.history.selected, "position": (self.stage, self.done), "best": self.best,
                         "followers": followers, "borrowed_from": self.borrowed_from}, path)

    def evaluated(self) -> nn.Module:
        """The network whose answers count: the moving average when there is one."""
        return self.ema.module if self.ema is not None else self.model

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
        self.best, self.followers = saved.get("best"), {**saved.get("followers", {}), "optimizer": saved["optimizer"]}
        self.borrowed_from = saved.get("borrowed_from")
        print(f"resuming {self.history.mode} from {path} after {len(self.history.epochs)} epoch(s)")


def _same_config(saved: dict, current: dict) -> bool:
    """Whether a resume file was written with ``current``'s settings (fields added since count as defaults).
    The device is not a setting, nor what ``auto`` computes in there: a run begun on the CPU goes on on a
    GPU, and back."""
    defaults = asdict(TrainConfig())
    return all(saved.get(key, defaults.get(key)) == value for key, value in current.items()
               if key not in ("device", "computed_in"))


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
    loader = batches.EpochBatches(setup.pool(name), _batch_size(setup, name), config.seed, number, epoch,
                                  tricks.augmentation_name(config.augment), config.mixup, config.separate_bn)
    # MixUp/CutMix and TrivialAugmentWide draw from torch's global generator: fork it for the epoch and seed
    # the fork (seed, stage, epoch), so a resumed run draws the same and the caller's state is untouched
    random = bool(config.augment) or config.mixup > 0
    with torch.random.fork_rng(devices=[], enabled=random), \
            tqdm(total=len(loader), desc=f"{setup.mode}: {name} epoch {epoch + 1}/{epochs}",
                 disable=not setup.progress, unit="batch", leave=False) as bar:
        if random:
            torch.manual_seed(epoch_seed(config.seed, number, epoch))
        row = train_one_epoch(state.model, loader, state.optimizer, setup.criterion, setup.device,
                              config.channels_last, bar, setup.precision.dtype, state.scheduler, state.ema,
                              config.label_smoothing, state.scaler)
    row = {"stage": name, "epoch": epoch + 1, **row, "computed_in": setup.precision.name}
    if setup.test is not None:
        row["test_accuracy"] = evaluate(state.evaluated(), setup.test, setup.device)
    if setup.validation is not None:
        row.update(validation_score(state.evaluated(), setup.validation, setup.device))
    state.history.epochs.append(row)
    if setup.progress:
        extra = "".join(f", {k.replace('_', ' ')} {row[k]:.3f}" for k in ("val_accuracy", "test_accuracy") if k in row)
        print(f"{setup.mode}: {name} epoch {epoch + 1}/{epochs}: loss {row['train_loss']:.3f}, "
              f"train accuracy {row['train_accuracy']:.3f}{extra} ({row['images_per_second']:.1f} images/s)")
    return row


def _batch_size(setup: _Setup, name: str) -> int:
    """The stage's batch: the config's, or every image where there are fewer (a few labelled photos,
    ``--labels 40``: one batch of all of them an epoch, where a full batch would drop them all)."""
    return min(setup.config.batch_size, len(setup.pool(name)))


def _keep_if_best(state: _State, row: dict, patience: int | None) -> bool:
    """Remember this epoch's weights if its validation accuracy is the best so far (ties: the lower
    validation loss); True once ``patience`` epochs have brought no better one."""
    score = (row["val_accuracy"], -row["val_loss"])
    if state.best is None or score > tuple(state.best["score"]):
        state.best = {"score": score, "epoch": row["epoch"], "state": _plain_state(state.evaluated())}
    return patience is not None and row["epoch"] - state.best["epoch"] >= patience


def _begin_stage(state: _State, setup: _Setup, number: int, name: str, epochs: int) -> None:
    """The stage's optimizer, schedule and moving average: fresh, or as a resume file left them."""
    config, resuming = setup.config, number == state.stage and state.done > 0
    if number > 0 and config.finetune_learning_rate and not resuming:  # "both": fine-tuning starts afresh
        state.optimizer = make_optimizer(state.model, config, config.finetune_learning_rate)
    steps = epochs * batches.steps_per_epoch(setup.pool(name), _batch_size(setup, name))
    state.scheduler = tricks.scheduler(state.optimizer, config.schedule, steps, config.warmup)
    state.ema = tricks.averaged(state.model, config.ema_decay)
    if resuming:  # a new schedule resets the optimizer's rate: load the saved states after making it
        for key, follower in (("scheduler", state.scheduler), ("ema", state.ema), ("optimizer", state.optimizer),
                              ("scaler", state.scaler)):
            if follower is not None and key in state.followers:
                follower.load_state_dict(state.followers[key])


def _train_stage(state: _State, setup: _Setup, number: int, name: str, epochs: int) -> None:
    """The epochs of one stage; a stage on real photos with validation photos ends on its best epoch."""
    select = setup.validation is not None and name == "authentic" and setup.config.choose_epoch
    _begin_stage(state, setup, number, name, epochs)
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
    elif state.ema is not None:  # keep the moving average
        state.model.load_state_dict(state.ema.module.state_dict())
    state.scheduler, state.ema = None, None
    if setup.checkpoint_dir is not None and name == "synthetic":
        save_atomic(_plain_state(state.model), modes.checkpoint(setup.checkpoint_dir, "synthetic"))
    state.stage, state.done, state.best = number + 1, 0, None
    state.save(setup.resume_path)


def _finish(state: _State, setup: _Setup) -> None:
    """The finished model under the article's file name, its history beside it; the resume file goes."""
    save_atomic(_plain_state(state.model), modes.checkpoint(setup.checkpoint_dir, setup.mode))
    files.write_json(modes.history(setup.checkpoint_dir, setup.mode), state.history.to_json(), indent=1)
    setup.resume_path.unlink(missing_ok=True)


def train(mode: str, data: dict[str, TensorImages], config: TrainConfig | None = None, *,
          test: Dataset | None = None, validation: Dataset | None = None,
          checkpoint_dir: str | Path | None = None, model: nn.Module | None = None,
          progress: bool = True) -> tuple[nn.Module, History]:
    """Train the article's BinaryClassifier in ``mode`` ('authentic', 'synthetic' or 'both').

    ``data`` maps ``"synthetic"`` and/or ``"authentic"`` (the real *training* photos) to decoded images
    (:class:`hotdog.data.TensorImages`, hotdog = 1), which move to the training device once and are
    batched, augmented and normalised to [-1, 1] there (:mod:`hotdog.batches`). With ``test`` given, the accuracy
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
    device = default_device(config.device)
    setup = _Setup(mode, batches.stage_data(mode, stages, data, config.mix_synthetic, device), config, device, test, validation,
                   Path(checkpoint_dir) if checkpoint_dir else None, progress)
    if config.keep_freed_memory:
        malloc.for_training(setup.device, progress)  # faster CPU training for more memory; see hotdog.malloc
    if setup.device.type == "cuda":
        torch.backends.cudnn.benchmark = True  # one input shape throughout: let cuDNN pick its fastest kernels
    model = _placed(model if model is not None else new_model(config.seed), setup.device, config.channels_last)
    state = _State(model, make_optimizer(model, config),
                   History(mode=mode, config=_recorded(config, setup.device, setup.precision)),
                   scaler=setup.precision.scaler(setup.device))
    state.resume(setup.resume_path, stages)
    for number, (name, epochs) in enumerate(stages):
        if number >= state.stage:
            _train_stage(state, setup, number, name, epochs)
    if setup.checkpoint_dir is not None:
        _finish(state, setup)
    return state.model, state.history


def _recorded(config: TrainConfig, device: torch.device, precision) -> dict:
    """The settings a history and a resume file carry: the config, where it ran and in what it computed."""
    return {**asdict(config), "device": str(device), "computed_in": precision.name}


def write_resume(path: Path, mode: str, model: nn.Module, config: TrainConfig, epochs: list[dict],
                 stage: int, borrowed_from: str | None = None) -> None:
    """A ``<mode>.resume.pt`` from which :func:`train` goes on at the start of ``stage`` (with a fresh
    optimizer), ``epochs`` already in its history: how a run begins from another's finished stage."""
    device = default_device(config.device)
    history = History(mode=mode, config=_recorded(config, device, precision.choose(config.precision, device)),
                      epochs=list(epochs))
    _State(model, make_optimizer(model, config), history, stage=stage, borrowed_from=borrowed_from).save(path)


def _placed(model: nn.Module, device: torch.device, channels_last: bool) -> nn.Module:
    model.to(device)
    return model.to(memory_format=torch.channels_last) if channels_last else model


def _plain_state(model: nn.Module) -> dict:
    """A copy of the state dict in the default memory layout on the CPU, loadable by the article's own code
    (a copy: on the CPU, ``.cpu().contiguous()`` would hand back the very tensors training goes on changing)."""
    return {k: v.detach().to("cpu").clone(memory_format=torch.contiguous_format) for k, v in model.state_dict().items()}
