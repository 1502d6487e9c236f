"""Probabilities that mean what they say: Platt scaling fitted on validation photos.

A model's raw probability of hotdog can lean one way: a model that answers "hotdog" for 70 % of
photos where 46 % are hotdogs is right less often at 0.5 than it could be, though it ranks them as
well (the same AUC). Platt scaling (Platt 1999) fits two numbers on photos the model never trained on,
``calibrated = sigmoid(a * logit(p) + b)``, by maximum likelihood (``scipy.optimize.minimize`` on the
log loss): it keeps the ranking and moves the point where the answer turns to where the photos say.
The fit is recorded beside the shipped model (its sidecar's ``calibration``), and SeeFood and
``python -m hotdog evaluate`` apply it. It is fitted on validation photos carved from the training
photos, never on the test photos that report the accuracy.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from scipy.optimize import minimize
from scipy.special import expit, logit

EPSILON = 1e-6


def _logits(probabilities) -> np.ndarray:
    return logit(np.clip(np.asarray(probabilities, dtype=float), EPSILON, 1 - EPSILON))


def fit(probabilities, labels) -> dict:
    """``{"a", "b", "n"}`` of the Platt scaling that best explains ``labels`` (1 = hotdog) from ``probabilities``."""
    x, y = _logits(probabilities), np.asarray(labels, dtype=float)
    if len(x) < 10 or y.min() == y.max():
        raise ValueError(f"Platt scaling needs photos of both classes, 10 or more; got {len(x)} with labels "
                         f"{sorted(set(y.tolist()))}")

    def loss(ab):
        z = ab[0] * x + ab[1]
        return float(np.mean(np.logaddexp(0, z) - y * z))  # the log loss of sigmoid(z), stably

    best = minimize(loss, x0=np.array([1.0, 0.0]), method="Nelder-Mead", options={"xatol": 1e-6, "fatol": 1e-9})
    return {"method": "platt", "a": float(best.x[0]), "b": float(best.x[1]), "n": int(len(x))}


def apply(probabilities, calibration: dict | None):
    """``probabilities`` (a tensor, an array or a float) calibrated; unchanged without a calibration."""
    if not calibration:
        return probabilities
    out = expit(calibration["a"] * _logits(probabilities) + calibration["b"])
    if isinstance(probabilities, torch.Tensor):
        return torch.as_tensor(out, dtype=probabilities.dtype)
    return float(out) if np.ndim(out) == 0 else out


def threshold(calibration: dict | None) -> float:
    """The raw probability at which the calibrated answer turns to hotdog (0.5 without a calibration)."""
    if not calibration:
        return 0.5
    if calibration["a"] <= 0:  # the calibrated answer does not rise with the raw probability
        raise ValueError(f"a Platt scaling with slope a = {calibration['a']} has no turning point; refit it")
    return float(expit(-calibration["b"] / calibration["a"]))


def for_checkpoint(path: str | Path) -> dict | None:
    """The calibration recorded in a checkpoint's sidecar (``model.pt`` -> ``model.json``), if any; a sidecar
    that cannot be read, or whose calibration is not two finite numbers ``a`` > 0 and ``b``, is named."""
    from hotdog.provenance import DamagedRecord, read_json

    sidecar = Path(path).with_suffix(".json")
    if not sidecar.is_file():
        return None
    fix = f"delete it to answer uncalibrated, or restore it (git checkout -- {sidecar})"
    found = read_json(sidecar, fix).get("calibration")
    if found is None:
        return None
    numbers = isinstance(found, dict) and all(isinstance(found.get(k), (int, float)) and not isinstance(found.get(k), bool)
                                              and np.isfinite(found[k]) for k in ("a", "b"))
    if not numbers or found["a"] <= 0:
        raise DamagedRecord(f"{sidecar} is damaged (its calibration needs finite numbers a > 0 and b, it holds "
                            f"{json.dumps(found)[:80]}): {fix}")
    return found
