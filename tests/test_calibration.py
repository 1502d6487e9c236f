"""Platt scaling (hotdog/calibration.py) and where it is applied: SeeFood and evaluate."""

import json

import numpy as np
import pytest
import torch

from hotdog import calibration


def leaning(n=400, seed=0):
    """Probabilities of a model that ranks well but says "hotdog" far too often."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    logits = 2.0 * (labels - 0.5) + rng.normal(0, 1, n) + 1.5  # shifted by +1.5: leans hotdog
    return 1 / (1 + np.exp(-logits)), labels


def test_platt_scaling_moves_the_turning_point_and_keeps_the_ranking():
    p, y = leaning()
    fitted = calibration.fit(p, y)
    q = calibration.apply(p, fitted)
    assert np.array_equal(np.argsort(p, kind="stable"), np.argsort(q, kind="stable"))  # same order: same AUC
    assert ((q > 0.5) == y).mean() > ((p > 0.5) == y).mean() + 0.05  # more often right at 0.5
    assert 0.7 < calibration.threshold(fitted) < 0.9  # the raw probability where the answer turns
    assert abs(q.mean() - y.mean()) < 0.03  # calibrated: as many hotdogs expected as there are


def test_apply_keeps_the_type_and_without_a_calibration_changes_nothing():
    fitted = {"a": 1.2, "b": -0.8}
    t = torch.tensor([0.2, 0.9])
    assert isinstance(calibration.apply(t, fitted), torch.Tensor)
    assert isinstance(calibration.apply(0.7, fitted), float)
    assert calibration.apply(t, None) is t and calibration.threshold(None) == 0.5


def test_a_fit_needs_both_classes():
    with pytest.raises(ValueError, match="both classes"):
        calibration.fit([0.2] * 20, [1] * 20)


def test_seefood_and_evaluate_read_the_calibration_from_the_sidecar(tmp_path, image_folder, capsys):
    from hotdog import model as article_model, seefood
    from hotdog.__main__ import main

    checkpoint = tmp_path / "m.pt"
    torch.save(article_model.BinaryClassifier().state_dict(), checkpoint)
    assert calibration.for_checkpoint(checkpoint) is None
    (tmp_path / "m.json").write_text(json.dumps({"calibration": {"method": "platt", "a": 1e-6, "b": 3.0, "n": 160}}))
    fitted = calibration.for_checkpoint(checkpoint)
    net = article_model.BinaryClassifier()
    net.calibration = fitted
    answers = seefood.predict_files([image_folder], net)
    assert all(abs(a.probability - 1 / (1 + np.exp(-3.0))) < 1e-4 for a in answers)  # a near 0: about sigmoid(b)
    assert main(["evaluate", str(checkpoint), str(image_folder)]) == 0
    out = capsys.readouterr().out
    assert "calibrated as its sidecar says" in out and "accuracy 50.00% (6/12)" in out  # every photo: hotdog
    assert main(["predict", "--checkpoint", str(checkpoint), str(image_folder / "not_hotdog")]) == 0
    verdicts = [line for line in capsys.readouterr().out.splitlines() if ": " in line]
    assert verdicts and all("Hotdog!" in line for line in verdicts)  # predict answers as SeeFood and evaluate do
    (tmp_path / "m.json").write_text("{not json")
    with pytest.raises(ValueError, match="m.json is damaged"):
        calibration.for_checkpoint(checkpoint)
