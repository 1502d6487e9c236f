"""In which number format the network computes: chosen by the hardware it runs on.

* ``fp32``: the article's, everywhere, bit for bit the same on one machine.
* ``bf16``: the forward pass autocast to bfloat16 (the loss, weights and optimizer stay float32).
  Native on CUDA GPUs of compute capability 8.0 or more (A100, H100, L4, RTX 30xx and later) and on
  CPUs with AVX-512 BF16 or AMX; elsewhere emulated, and then slower than fp32 (eight times on a
  2-core AMD EPYC with AVX2 only), so asking for it there warns and names ``auto``.
* ``fp16``: autocast to float16 with a ``torch.amp.GradScaler`` that scales the loss so small
  gradients survive: the usual choice on GPUs with fast float16 but no bfloat16 (T4, V100, P100:
  Colab's free GPU is a T4). CUDA only.
* ``auto`` (the default): bf16 where it is native, else fp16 on a CUDA GPU, else fp32.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import torch

PRECISIONS = ("auto", "fp32", "bf16", "fp16")


@dataclass(frozen=True)
class Precision:
    """What a precision setting means on one device: the autocast dtype (None: float32) and whether a
    gradient scaler guards float16."""

    dtype: torch.dtype | None
    scaled: bool = False

    @property
    def name(self) -> str:
        """``float32``, ``bfloat16`` or ``float16``: what a record says was used."""
        return str(self.dtype or torch.float32).removeprefix("torch.")

    @property
    def recorded(self) -> str:
        """As records have always written it: ``torch.bfloat16``, ``torch.float16`` or ``None`` (float32)."""
        return str(self.dtype)

    def scaler(self, device: torch.device):
        """A ``GradScaler`` for float16 (None otherwise)."""
        return torch.amp.GradScaler(device.type) if self.scaled else None


def native_bf16(device: torch.device) -> bool:
    """Whether ``device`` runs bfloat16 natively: a CUDA GPU of compute capability 8.0 or more (PyTorch's
    ``is_bf16_supported()`` also answers True where it is only emulated), or a CPU with AVX-512 BF16 or AMX."""
    if device.type == "cuda":
        return torch.cuda.get_device_capability(device)[0] >= 8
    return device.type == "cpu" and torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported()


def choose(precision: str, device: torch.device) -> Precision:
    """What ``precision`` (one of :data:`PRECISIONS`) computes in on ``device``."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, not {precision!r}")
    if precision == "auto":
        if native_bf16(device):
            return Precision(torch.bfloat16)
        return Precision(torch.float16, scaled=True) if device.type == "cuda" else Precision(None)
    if precision == "bf16" and not native_bf16(device):
        warnings.warn(f"this {_named(device)} has no native bfloat16, so bf16 is emulated and slower than fp32 "
                      f"(eight times on a 2-core AMD EPYC with AVX2 only); use --precision auto, which picks "
                      f"{choose('auto', device).name} here", stacklevel=2)
    if precision == "fp16" and device.type != "cuda":
        raise ValueError(f"precision fp16 (with a gradient scaler) is for CUDA GPUs, not the {device.type.upper()}; "
                         f"use --precision auto, which picks {choose('auto', device).name} here")
    return {"fp32": Precision(None), "bf16": Precision(torch.bfloat16),
            "fp16": Precision(torch.float16, scaled=True)}[precision]


def _named(device: torch.device) -> str:
    if device.type == "cuda":
        return f"GPU ({torch.cuda.get_device_name(device)}, compute capability {'.'.join(map(str, torch.cuda.get_device_capability(device)))})"
    return device.type.upper()


def step_on(loss, optimizer, scaler=None) -> None:
    """Backpropagate ``loss`` and step ``optimizer``; with a float16 ``GradScaler``, scaled so that small
    gradients do not vanish."""
    if scaler is not None:
        scaler.scale(loss).backward()
        scaler.step(optimizer)
        scaler.update()
    else:
        loss.backward()
        optimizer.step()


def as_recorded(computed_in: list[str], here: Precision) -> str:
    """A record's ``autocast`` for a run whose epochs computed in ``computed_in`` (each epoch row's name,
    e.g. ``bfloat16``; rows written before rows said so are left out): that one arithmetic, in the form
    records have always used (``None`` for float32), or ``mixed: float32, bfloat16`` for a run cut off on one
    machine and finished on another where ``auto`` means something else. No rows: ``here``'s."""
    seen = list(dict.fromkeys(name for name in computed_in if name))
    if not seen:
        return here.recorded
    if len(seen) > 1:
        return "mixed: " + ", ".join(seen)
    return Precision(None if seen[0] == "float32" else getattr(torch, seen[0])).recorded


def readable(recorded: str | None) -> str:
    """A record's ``autocast`` as a reader says it: ``float32``, ``bfloat16``, ``mixed: float32, bfloat16``."""
    return "float32" if recorded in (None, "None") else str(recorded).removeprefix("torch.")
