"""Loading a trained BinaryClassifier from a checkpoint file, with a clear message for every way it can fail."""

from __future__ import annotations

from pathlib import Path

import torch

from hotdog.device import default_device
from hotdog.model import BinaryClassifier


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
