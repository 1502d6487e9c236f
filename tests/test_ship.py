"""scripts/ship_checkpoint.py on a machine without the study's checkpoints: the sidecar refreshes, nothing else."""

import importlib.util
import json
from pathlib import Path

import pytest
import torch

from hotdog.model import BinaryClassifier

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "ship_checkpoint.py"


@pytest.fixture
def ship(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("ship_checkpoint", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.setenv("HOTDOG_RESULTS", str(tmp_path / "results"))
    monkeypatch.setattr(module, "SHIPPED", tmp_path / "hotdog_classifier.pt")
    torch.manual_seed(0)
    torch.save(BinaryClassifier().state_dict(), module.SHIPPED)
    return module


def _sidecar(ship, **info) -> None:
    ship.SHIPPED.with_suffix(".json").write_text(json.dumps(info))


def test_without_checkpoints_the_model_already_shipped_is_kept_as_it_is(ship):
    _sidecar(ship, mode="both", trained_by="python -m hotdog study tuned (seed 0), shipped at commit abc")
    before = ship.SHIPPED.read_bytes()
    model, trained_by = ship._study_model("tuned", 0, "both")
    assert trained_by == "python -m hotdog study tuned (seed 0), shipped at commit abc"  # not re-shipped now
    assert ship.SHIPPED.read_bytes() == before
    assert torch.equal(model.state_dict()["l1.weight"], torch.load(ship.SHIPPED)["l1.weight"])


@pytest.mark.parametrize("shipped", [
    {"mode": "both", "trained_by": "python -m hotdog study tuned (seed 1), shipped at commit abc"},
    {"mode": "authentic", "trained_by": "python -m hotdog study tuned (seed 0), shipped at commit abc"},
    {"mode": "both", "trained_by": "python -m hotdog study tuned-real-0.1 (seed 0), shipped at commit abc"},
])
def test_without_checkpoints_another_shipped_model_is_refused(ship, shipped):
    _sidecar(ship, **shipped)
    with pytest.raises(SystemExit, match="seed0.checkpoints.*is missing"):
        ship._study_model("tuned", 0, "both")


def test_a_calibration_is_kept_only_from_the_same_trial(ship):
    recorded = {"method": "platt", "a": 0.5, "b": 0.1, "fitted_on": "the 160 validation photos of recipe-search "
                                                                  "trial 'both-mixed' (split seed 0), its both model"}
    _sidecar(ship, calibration=recorded)
    assert ship._calibration("both-mixed", "both") == recorded
    with pytest.raises(FileNotFoundError):
        ship._calibration("onecycle", "both")
