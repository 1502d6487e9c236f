"""How good is a model on real photos: the article's ``calculate_accuracy`` and what it leaves out.

``calculate_accuracy`` is the article's number. Beside it: the predictions themselves, a
confusion matrix (which mistakes), and a 95 % Wilson interval, because 199 test photos leave
about +-3 to 7 points of chance in any single accuracy.
"""

from __future__ import annotations

import math

import torch
from torch.utils.data import DataLoader, Dataset

ARTICLE = {"synthetic": 0.5377, "authentic": 0.7537, "both": 0.8392}  # the article's table


@torch.no_grad()
def predict(model: torch.nn.Module, data: Dataset, device=None, batch_size: int = 128,
            flip: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """(probability of hotdog, true label) for every image of ``data``, in order, on the CPU. With
    ``flip`` (test-time augmentation), the mean of the probabilities for each image and its mirror image."""
    device = device or next(model.parameters()).device
    was_training = model.training
    model.eval()
    probabilities, labels = [], []
    for images, label in _batches(data, batch_size, device):
        answer = model(images).float()
        if flip:
            answer = (answer + model(images.flip(-1)).float()) / 2
        probabilities.append(answer.cpu())
        labels.append(torch.as_tensor(label))
    model.train(was_training)
    return torch.cat(probabilities), torch.cat(labels).long()


def _batches(data: Dataset, batch_size: int, device):
    """``data`` in order, in batches on ``device``: decoded images (TensorImages) are sliced and
    normalised a batch at a time, anything else goes through a DataLoader."""
    from hotdog.data import TensorImages, normalize

    if isinstance(data, TensorImages):
        for start in range(0, len(data), batch_size):
            images = data.images[start:start + batch_size].to(device, non_blocking=True)
            yield normalize(images), data.labels[start:start + batch_size]
        return
    for images, label in DataLoader(data, batch_size=batch_size, shuffle=False):
        yield images.to(device), label


def decide(probabilities: torch.Tensor) -> torch.Tensor:
    """Label 1 (hotdog) or 0 from a probability, as the article does: ``torch.round``."""
    return torch.round(probabilities).long()


def accuracy(probabilities: torch.Tensor, labels: torch.Tensor) -> float:
    """The share of answers (:func:`decide`) equal to their label."""
    return (decide(probabilities) == labels).float().mean().item()


def calculate_accuracy(model: torch.nn.Module, data: Dataset, device=None) -> float:
    """The article's metric: the share of ``data`` whose rounded prediction equals its label."""
    probabilities, labels = predict(model, data, device)
    accuracy_ = accuracy(probabilities, labels)
    print(f"Model accuracy: {accuracy_}")
    return accuracy_


def auc(probabilities: torch.Tensor, labels: torch.Tensor) -> float:
    """Area under the ROC curve: the chance that a random hotdog gets a higher probability than a random
    other photo (ties count half). It does not depend on a threshold: 0.5 is a coin, 1.0 a perfect ranking.
    Computed as the Mann-Whitney U statistic (scipy) over the product of the class sizes."""
    from scipy import stats

    scores, labels = torch.as_tensor(probabilities).float(), torch.as_tensor(labels)
    positive, negative = scores[labels == 1].tolist(), scores[labels == 0].tolist()
    if not positive or not negative:
        return float("nan")
    return float(stats.mannwhitneyu(positive, negative).statistic) / (len(positive) * len(negative))


def confusion_matrix(labels: torch.Tensor, predictions: torch.Tensor) -> list[list[int]]:
    """2 x 2 counts, rows = true class, columns = predicted class, in label order (not hotdog, hotdog)."""
    matrix = [[0, 0], [0, 0]]
    for truth, guess in zip(labels.tolist(), predictions.tolist()):
        matrix[int(truth)][int(guess)] += 1
    return matrix


def wilson_interval(correct: int, total: int, z: float = 1.959964) -> tuple[float, float]:
    """95 % Wilson score interval for a proportion ``correct / total``."""
    if total <= 0:
        raise ValueError("an interval needs at least one trial")
    p = correct / total
    centre = (p + z * z / (2 * total)) / (1 + z * z / total)
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / (1 + z * z / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def summarize(probabilities: torch.Tensor, labels: torch.Tensor) -> dict:
    """Accuracy, its interval, the confusion matrix, and what always guessing the majority would score."""
    predictions = decide(probabilities)
    correct = int((predictions == labels).sum())
    total = len(labels)
    low, high = wilson_interval(correct, total)
    positives = int(labels.sum())
    return {
        "accuracy": correct / total,
        "auc": auc(probabilities, labels),
        "interval95": [low, high],
        "correct": correct,
        "total": total,
        "confusion": confusion_matrix(labels, predictions),
        "majority_baseline": max(positives, total - positives) / total,
    }


def t_quantile_975(df: int) -> float:
    """Student's t 97.5 % quantile (so mean +- t * se is a 95 % interval over a few seeds)."""
    from scipy import stats

    if df < 1:
        raise ValueError("an interval over seeds needs at least two seeds")
    return float(stats.t.ppf(0.975, df))


def over_seeds(values: list[float]) -> dict:
    """Mean, standard deviation and 95 % t-interval of the mean of per-seed values (e.g. accuracies)."""
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else float("nan")
    half = t_quantile_975(n - 1) * sd / math.sqrt(n) if n > 1 else float("nan")
    return {"n": n, "mean": mean, "sd": sd, "interval95": [mean - half, mean + half], "values": list(values)}


def mcnemar(right_a: list[bool], right_b: list[bool]) -> dict:
    """Exact McNemar test of two models on the same photos: do they differ in which photos they get
    right more than chance would? Returns the discordant counts and the two-sided p-value."""
    if len(right_a) != len(right_b):
        raise ValueError("McNemar needs the two models' answers on the same photos")
    from scipy import stats

    only_a = sum(1 for a, b in zip(right_a, right_b) if a and not b)
    only_b = sum(1 for a, b in zip(right_a, right_b) if b and not a)
    n = only_a + only_b
    p_value = stats.binomtest(only_a, n, 0.5).pvalue if n else 1.0
    return {"only_a": only_a, "only_b": only_b, "p_value": min(1.0, float(p_value))}
