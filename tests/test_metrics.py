import math

import pytest
import torch

from hotdog import metrics
from hotdog.data import TensorImages


def test_wilson_interval_matches_known_values():
    low, high = metrics.wilson_interval(150, 199)
    # reference: scipy.stats.binomtest(150, 199).proportion_ci(method="wilson")
    assert low == pytest.approx(0.689481, abs=1e-6) and high == pytest.approx(0.808444, abs=1e-6)
    assert metrics.wilson_interval(0, 10)[0] == 0.0 and metrics.wilson_interval(10, 10)[1] == pytest.approx(1.0)
    with pytest.raises(ValueError):
        metrics.wilson_interval(0, 0)


def test_confusion_and_summary():
    labels = torch.tensor([0, 0, 1, 1, 1])
    probabilities = torch.tensor([0.1, 0.7, 0.9, 0.2, 0.6])
    summary = metrics.summarize(probabilities, labels)
    assert summary["confusion"] == [[1, 1], [1, 2]]
    assert summary["accuracy"] == pytest.approx(0.6) and summary["correct"] == 3
    assert summary["majority_baseline"] == pytest.approx(0.6)


class Constant(torch.nn.Module):
    def __init__(self, p):
        super().__init__()
        self.p = p
        self.dummy = torch.nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return torch.full((x.shape[0],), self.p)


def test_calculate_accuracy_counts_rounded_predictions(capsys):
    data = TensorImages(torch.zeros(4, 3, 8, 8, dtype=torch.uint8), torch.tensor([1, 1, 1, 0]), list("abcd"))
    assert metrics.calculate_accuracy(Constant(0.9), data) == pytest.approx(0.75)
    assert "Model accuracy: 0.75" in capsys.readouterr().out
    assert metrics.calculate_accuracy(Constant(0.2), data) == pytest.approx(0.25)


def test_auc_is_the_chance_a_hotdog_ranks_above_another_photo():
    labels = torch.tensor([0, 0, 1, 1])
    assert metrics.auc(torch.tensor([0.1, 0.2, 0.8, 0.9]), labels) == 1.0
    assert metrics.auc(torch.tensor([0.9, 0.8, 0.2, 0.1]), labels) == 0.0
    assert metrics.auc(torch.tensor([0.5, 0.5, 0.5, 0.5]), labels) == 0.5  # ties count half
    assert metrics.auc(torch.tensor([0.1, 0.6, 0.4, 0.9]), labels) == 0.75
    assert math.isnan(metrics.auc(torch.tensor([0.1, 0.2]), torch.tensor([1, 1])))


def test_test_time_flip_averages_a_photo_and_its_mirror_image():
    class LeftBright(torch.nn.Module):  # "hotdog" when the left half is brighter
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.zeros(1))

        def forward(self, x):
            return torch.sigmoid(x[..., :64].mean((1, 2, 3)) - x[..., 64:].mean((1, 2, 3)) + self.w)

    images = torch.zeros(2, 3, 128, 128)
    images[0, ..., :64] = 1
    data = torch.utils.data.TensorDataset(images, torch.tensor([1, 0]))
    plain, _ = metrics.predict(LeftBright(), data)
    flipped, _ = metrics.predict(LeftBright(), data, flip=True)
    assert plain[0] > 0.5 and flipped.tolist() == pytest.approx([0.5, 0.5])
    assert "auc" in metrics.summarize(plain, torch.tensor([1, 0]))
