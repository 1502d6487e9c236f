"""Where the network runs: CUDA when there is one, else the CPU."""

from __future__ import annotations

import torch


def default_device(device: str | None = None) -> torch.device:
    """CUDA when there is one, else the CPU (or whatever ``device`` names)."""
    if device:
        return torch.device(device)
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")
