"""The notebooks' figures: image grids, training curves, the accuracy table as bars, confusion matrices.

Every function draws on a new matplotlib figure and returns it, so a notebook shows it and a
script can ``fig.savefig(...)`` it.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
import torch

from hotdog.data import CLASSES, denormalize
from hotdog.metrics import ARTICLE
from hotdog.modes import MODE_LABELS, MODES, REGIMES

MODE_COLORS = {"synthetic": "#8e6bbf", "authentic": "#3d85c6", "both": "#e69138", "adapted": "#6aa84f"}


def _as_image(image: torch.Tensor | np.ndarray) -> np.ndarray:
    if isinstance(image, torch.Tensor):
        if image.dtype == torch.uint8:
            image = image.float() / 255
        elif image.min() < 0:
            image = denormalize(image)
        image = image.permute(1, 2, 0).cpu().numpy()
    return np.asarray(image)


def image_grid(images: Sequence, titles: Sequence[str] | None = None, columns: int = 8,
               mistakes: Sequence[bool] | None = None, size: float = 1.6, suptitle: str | None = None):
    """A grid of images (tensors in [-1, 1] or uint8, or arrays); ``mistakes`` draws a red frame."""
    rows = max(1, int(np.ceil(len(images) / columns)))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * size, rows * (size + 0.25)), squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_xticks([]), ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_visible(False)
        if i >= len(images):
            ax.set_visible(False)
            continue
        ax.imshow(_as_image(images[i]))
        if titles is not None:
            ax.set_title(titles[i], fontsize=8)
        if mistakes is not None and mistakes[i]:
            for spine in ax.spines.values():
                spine.set_visible(True), spine.set_color("#cc0000"), spine.set_linewidth(3)
    if suptitle:
        fig.suptitle(suptitle)
    fig.tight_layout()
    return fig


def class_grid(dataset, n: int = 16, seed: int = 0, columns: int = 8, suptitle: str | None = None):
    """``n`` random images of a dataset yielding (image, label), titled with their class."""
    generator = torch.Generator().manual_seed(seed)
    indices = torch.randperm(len(dataset), generator=generator)[:n].tolist()
    items = [dataset[i] for i in indices]
    return image_grid([image for image, _ in items], [CLASSES[int(label)] for _, label in items],
                      columns=columns, suptitle=suptitle)


def prediction_grid(images, labels, probabilities, n: int = 24, columns: int = 8, seed: int = 0):
    """Test photos with the model's answer and probability of hotdog; mistakes framed in red."""
    generator = torch.Generator().manual_seed(seed)
    indices = torch.randperm(len(labels), generator=generator)[:n].tolist()
    titles, mistakes = [], []
    for i in indices:
        guess = int(torch.round(probabilities[i]))
        titles.append(f"{'hotdog' if guess else 'not hotdog'} {float(probabilities[i]):.2f}")
        mistakes.append(guess != int(labels[i]))
    return image_grid([images[i] for i in indices], titles, columns=columns, mistakes=mistakes,
                      suptitle="Predictions on held-out real photos (probability of hotdog; red = wrong)")


def training_curves(histories: dict[str, dict], baseline: float | None = None):
    """Loss and accuracy per epoch for each mode; the stage switch of ``both`` is marked.

    The ``synthetic`` model is the first stage of ``both``, so it is not drawn twice. ``baseline``: the
    test photos' majority-class share, drawn as what a model that learned nothing scores.
    """
    from matplotlib.ticker import MaxNLocator

    fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 3.8))
    for mode, history in histories.items():
        if mode == "synthetic" and "both" in histories:
            continue
        rows = history["epochs"]
        x = np.arange(1, len(rows) + 1)
        color = MODE_COLORS.get(mode)
        ax_loss.plot(x, [r["train_loss"] for r in rows], "-o", ms=3, color=color, label=MODE_LABELS.get(mode, mode))
        ax_acc.plot(x, [r["train_accuracy"] for r in rows], "--", color=color, alpha=0.6)
        if rows and "test_accuracy" in rows[0]:
            ax_acc.plot(x, [r["test_accuracy"] for r in rows], "-o", ms=3, color=color,
                        label=f"{MODE_LABELS.get(mode, mode)} (real test photos)")
        switches = [i + 0.5 for i in range(1, len(rows)) if rows[i]["stage"] != rows[i - 1]["stage"]]
        for s in switches:
            for ax in (ax_loss, ax_acc):
                ax.axvline(s, color=color, lw=0.8, ls=":")
    ax_loss.set(xlabel="epoch", ylabel="BCE loss (training)", title="Training loss")
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title="Accuracy: training (dashed) and test (solid)", ylim=(0, 1.02))
    ax_acc.axhline(0.5, color="grey", lw=0.8, label="a coin (50%)")
    if baseline is not None:
        majority_line(ax_acc, [baseline])
    for ax in (ax_loss, ax_acc):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax_loss.legend(fontsize=8)
    ax_acc.legend(fontsize=7, loc="lower right")
    fig.tight_layout()
    return fig


def majority_line(ax, baselines: list[float]) -> None:
    """The dashed line of a model that always answers the majority class, at the highest of the test sets'
    shares; where the studies drawn were tested on different photos, its label gives the range."""
    low, high = min(baselines), max(baselines)
    shares = f"{high:.1%}" if f"{low:.1%}" == f"{high:.1%}" else f"{low:.1%} to {high:.1%}, by test set"
    ax.axhline(high, color="black", lw=0.8, ls="--", label=f"always the majority class ({shares})")


def accuracy_bars(results: dict[str, dict], title: str = "Accuracy on held-out real photos"):
    """Our accuracy per mode (with its 95 % interval) beside the article's table."""
    modes = [m for m in MODES if m in results]
    x = np.arange(len(modes))
    fig, ax = plt.subplots(figsize=(7.5, 4))
    ours = [results[m]["accuracy"] for m in modes]
    low = [results[m]["accuracy"] - results[m]["interval95"][0] for m in modes]
    high = [results[m]["interval95"][1] - results[m]["accuracy"] for m in modes]
    ax.bar(x - 0.2, [ARTICLE[m] for m in modes], 0.38, color="#cccccc", label="article")
    ax.bar(x + 0.2, ours, 0.38, yerr=[low, high], capsize=4, color=[MODE_COLORS[m] for m in modes], label="this run")
    for i, m in enumerate(modes):
        ax.text(i - 0.2, ARTICLE[m] + 0.01, f"{ARTICLE[m]:.1%}", ha="center", fontsize=9)
        ax.text(i + 0.2, results[m]["interval95"][1] + 0.01, f"{ours[i]:.1%}", ha="center", fontsize=9, weight="bold")
    majority_line(ax, [r["majority_baseline"] for r in results.values()])
    ax.set_xticks(x, [MODE_LABELS[m] for m in modes])
    ax.set(ylim=(0, 1.12), ylabel="accuracy", title=title)
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig


def confusion_matrices(results: dict[str, dict]):
    """One 2 x 2 confusion matrix per mode, counts and shares."""
    modes = [m for m in MODES if m in results]
    fig, axes = plt.subplots(1, len(modes), figsize=(3.6 * len(modes), 3.4), squeeze=False)
    names = ["not hotdog", "hotdog"]
    for ax, mode in zip(axes.flat, modes):
        matrix = np.array(results[mode]["confusion"])
        ax.imshow(matrix, cmap="Blues", vmin=0, vmax=max(1, matrix.sum(axis=1).max()))
        for i in range(2):
            for j in range(2):
                share = matrix[i, j] / max(1, matrix[i].sum())
                ax.text(j, i, f"{matrix[i, j]}\n{share:.0%}", ha="center", va="center",
                        color="white" if share > 0.6 else "black")
        ax.set_xticks([0, 1], names), ax.set_yticks([0, 1], names)
        ax.set(xlabel="predicted", ylabel="true", title=MODE_LABELS[mode])
    fig.tight_layout()
    return fig


ZOOMED = ("material", "noise", "blur", "jpeg")  # small effects: the gallery shows the centre of the image enlarged


def randomization_gallery(groups: dict[str, list], size: float = 2.0, zoomed: Sequence[str] = ZOOMED,
                          centre: float = 0.4):
    """One row per randomization (switched on alone, everything else neutral), its renders side by side; the
    rows in ``zoomed`` show the middle ``centre`` of each image enlarged, where their effect is too small to see whole."""
    from PIL import Image

    rows, columns = len(groups), max(len(paths) for paths in groups.values())
    fig, axes = plt.subplots(rows, columns, figsize=(columns * size + 1.2, rows * size), squeeze=False)
    for row, (name, image_paths) in enumerate(groups.items()):
        for column, ax in enumerate(axes[row]):
            ax.set_xticks([]), ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
            if column < len(image_paths):
                with Image.open(image_paths[column]) as image:
                    shown = image.convert("RGB")
                if name in zoomed:
                    w, h = shown.size
                    box = (round(w * (1 - centre) / 2), round(h * (1 - centre) / 2))
                    shown = shown.crop((*box, w - box[0], h - box[1]))
                ax.imshow(shown, interpolation="nearest")
        label = f"{name}\n(centre, {1 / centre:.1f}x)" if name in zoomed else name
        axes[row][0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=10)
    fig.suptitle("Each randomization on its own (all others fixed)")
    fig.tight_layout(rect=(0, 0, 1, 0.985))  # (room for the title above the first row)
    return fig


def renders_vs_photos(renders, photos, n: int = 32, seed: int = 0, columns: int = 8, size: float = 1.1):
    """``n`` rendered images above ``n`` real photos (datasets yielding (image, label)), as the network sees them."""
    generator = torch.Generator().manual_seed(seed)
    picks = [torch.randperm(len(ds), generator=generator)[:n].tolist() for ds in (renders, photos)]
    rows = int(np.ceil(n / columns))
    fig, axes = plt.subplots(2 * rows, columns, figsize=(columns * size, 2 * rows * size + 0.6), squeeze=False)
    for block, (dataset, indices) in enumerate(zip((renders, photos), picks)):
        for k, ax in enumerate(axes[block * rows:(block + 1) * rows].flat):
            ax.axis("off")
            if k < len(indices):
                ax.imshow(_as_image(dataset[indices[k]][0]))
        axes[block * rows][0].set_title(["rendered", "real photos"][block], loc="left", fontsize=10)
    fig.suptitle(f"{n} renders (top) and {n} real photos (bottom), 128 x 128")
    fig.tight_layout()
    return fig


def study_bars(summaries: dict[str, dict], title: str = "Accuracy on 199 held-out real photos, several seeds"):
    """The article's single numbers beside each study's mean over seeds (bar), its 95 % t-interval
    (error bar) and every seed's accuracy (dots). ``summaries``: study label -> :func:`hotdog.study.summarize`.
    Each regime's bars sit centred on it, only the studies that trained it (the article has no fourth regime)."""
    regimes = [m for m in REGIMES if any(m in s["regimes"] for s in summaries.values())]
    slots = {m: ([None] if m in ARTICLE else []) + [k for k, s in summaries.items() if m in s["regimes"]]
             for m in regimes}
    width = 0.8 / max(len(v) for v in slots.values())
    fig, ax = plt.subplots(figsize=(max(7.5, 2.6 * len(regimes) + 1.2 * len(summaries)), 4.3))
    hatches = ["", "//", "..", "xx", "\\\\", "oo", "++", "--"]  # one per study, for up to eight
    labelled = set()
    for i, m in enumerate(regimes):
        for j, label in enumerate(slots[m]):
            x = i + width * (j + 0.5 - len(slots[m]) / 2)
            legend = None if label in labelled else (label or "article (one run)")  # None: the article's run
            labelled.add(label)
            if label is None:
                ax.bar(x, ARTICLE[m], width, color="#cccccc", label=legend)
                ax.text(x, ARTICLE[m] + 0.01, f"{ARTICLE[m]:.1%}", ha="center", fontsize=8)
                continue
            s = summaries[label]["regimes"][m]
            low, high = s["interval95"] if len(s["values"]) > 1 else (s["mean"], s["mean"])  # one seed: no interval
            ax.bar(x, s["mean"], width, color=MODE_COLORS[m], hatch=hatches[list(summaries).index(label) % len(hatches)],
                   edgecolor="white", yerr=[[s["mean"] - low], [high - s["mean"]]] if high > low else None,
                   capsize=3, label=legend)
            ax.plot([x] * len(s["values"]), s["values"], "o", ms=3, color="black", alpha=0.6)
            ax.text(x, min(high, 1.0) + 0.01, f"{s['mean']:.1%}", ha="center", fontsize=8, weight="bold")
    majority_line(ax, [s["majority_baseline"] for s in summaries.values()])
    ax.set_xticks(np.arange(len(regimes)), [MODE_LABELS[m] for m in regimes])
    ax.set(ylim=(0, 1.12), ylabel="accuracy", title=title)
    ax.legend(loc="upper left", fontsize=7, ncol=2)
    fig.tight_layout()
    return fig


def study_curves(records: list[dict], title: str = "Test accuracy per epoch, mean over seeds (band: min to max)"):
    """Accuracy on the real test photos after every epoch, averaged over a study's seeds, per
    training run; the dotted line marks where ``both`` switches from renders to real photos."""
    fig, ax = plt.subplots(figsize=(9, 3.8))
    for mode in ("both", "authentic"):
        runs = [r["histories"][mode]["epochs"] for r in records if mode in r.get("histories", {})]
        runs = [[e["test_accuracy"] for e in run] for run in runs if run and "test_accuracy" in run[0]]
        if not runs:
            continue
        length = min(len(run) for run in runs)
        values = np.array([run[:length] for run in runs])
        x = np.arange(1, length + 1)
        ax.plot(x, values.mean(0), "-", color=MODE_COLORS[mode], label=f"{MODE_LABELS[mode]} ({len(runs)} seeds)")
        ax.fill_between(x, values.min(0), values.max(0), color=MODE_COLORS[mode], alpha=0.2)
        if mode == "both":
            stages = [e["stage"] for e in records[0]["histories"]["both"]["epochs"]]
            switch = next((i for i in range(1, len(stages)) if stages[i] != stages[i - 1]), None)
            if switch is not None:
                ax.axvline(switch + 0.5, color=MODE_COLORS[mode], ls=":", lw=1)
                ax.text(switch + 0.7, 0.03, "renders | real photos", color=MODE_COLORS[mode], fontsize=8)
    ax.axhline(0.5, color="grey", lw=0.8)
    ax.set(xlabel="epoch", ylabel="accuracy on the real test photos", ylim=(0, 1.02), title=title)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def ablation(points: dict[str, dict], regimes: Sequence[str] = ("synthetic", "both"), title: str = "Ablation",
             reference: str | None = None):
    """One row per variant (label -> :func:`hotdog.study.summarize`): each regime's mean over seeds
    with its 95 % t-interval. ``reference`` (a label) draws a vertical line at that variant's means."""
    labels = list(points)
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(labels) + 1.4))
    y = np.arange(len(labels))[::-1]
    shift = np.linspace(-0.15, 0.15, len(regimes)) if len(regimes) > 1 else [0.0]
    for k, m in enumerate(regimes):
        for row, label in zip(y, labels):
            s = points[label]["regimes"].get(m)
            if s is None:
                continue
            low, high = s["interval95"]
            ax.errorbar(s["mean"], row + shift[k], xerr=[[s["mean"] - low], [high - s["mean"]]], fmt="o",
                        color=MODE_COLORS[m], capsize=3, label=MODE_LABELS[m] if row == y[0] else None)
        if reference in points and m in points[reference]["regimes"]:
            ax.axvline(points[reference]["regimes"][m]["mean"], color=MODE_COLORS[m], lw=0.8, ls=":")
    ax.set_yticks(y, labels)
    ax.set(xlabel="accuracy on the real test photos (mean over seeds, 95 % interval)", title=title, xlim=(0.3, 1.0))
    ax.axvline(0.5, color="grey", lw=0.8)
    ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    return fig


def real_share(points: dict[float, dict], title: str = "Fewer real photos: does synthetic pre-training make up for them?"):
    """Accuracy against the share of the 799 real training photos, with (``both``) and without
    (``authentic``) synthetic pre-training: means over seeds with 95 % t-intervals.
    ``points``: share (e.g. 0.1) -> :func:`hotdog.study.summarize`."""
    shares = sorted(points)
    fig, ax = plt.subplots(figsize=(7.5, 4))
    for k, mode in enumerate(("authentic", "both")):
        xs = [s for s in shares if mode in points[s]["regimes"]]
        means = [points[s]["regimes"][mode]["mean"] for s in xs]
        lows = [m - points[s]["regimes"][mode]["interval95"][0] for s, m in zip(xs, means)]
        highs = [points[s]["regimes"][mode]["interval95"][1] - m for s, m in zip(xs, means)]
        ax.errorbar([100 * s * (1 + 0.02 * (2 * k - 1)) for s in xs], means, yerr=[lows, highs], fmt="-o",
                    color=MODE_COLORS[mode], capsize=3, label=MODE_LABELS[mode])
    majority_line(ax, [p["majority_baseline"] for p in points.values()])
    ax.set_xscale("log")
    ax.set_xticks([100 * s for s in shares], [f"{100 * s:g} %\n({round(799 * s)})" for s in shares])
    ax.minorticks_off()
    ax.set(xlabel="share of the 799 real training photos (photos)", ylabel="accuracy on the real test photos",
           ylim=(0.3, 1.0), title=title)
    ax.legend(fontsize=8, loc="upper left")
    fig.tight_layout()
    return fig


LABEL_LINES = (("authentic", ("authentic",)), ("both", ("both", "synthetic")), ("adapted", ("adapted",)))


def _spread(s: dict) -> tuple[float, float]:
    """A mean's distance to its 95 % t-interval's ends (none for one seed)."""
    low, high = s["interval95"] if len(s["values"]) > 1 else (s["mean"], s["mean"])
    return s["mean"] - low, high - s["mean"]


def labels_curve(points: dict[int, dict], title: str = "How many labels do renders save?"):
    """Accuracy and AUC on the real test photos against the number of training photos that keep their labels:
    photos alone, renders then those photos, and renders plus every training photo with only those labels
    (``adapted``); means over seeds with 95 % t-intervals. ``points``: labels -> :func:`hotdog.study.summarize`
    of the study with that many; with none, ``both`` is renders alone (its ``synthetic`` model)."""
    ks = sorted(points)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, metric in zip(axes, ("accuracy", "auc")):
        for j, (line, regimes) in enumerate(LABEL_LINES):
            drawn = [(i, next(points[k]["regimes"][r] for r in regimes if r in points[k]["regimes"]))
                     for i, k in enumerate(ks) if any(r in points[k]["regimes"] for r in regimes)]
            if not drawn:
                continue
            stats = [s if metric == "accuracy" else s["auc"] for _, s in drawn]
            ax.errorbar([i + 0.06 * (j - 1) for i, _ in drawn], [s["mean"] for s in stats],
                        yerr=np.array([_spread(s) for s in stats]).T.reshape(2, -1), fmt="-o", capsize=3,
                        color=MODE_COLORS[line], label=MODE_LABELS[line])
        if metric == "accuracy":
            majority_line(ax, [p["majority_baseline"] for p in points.values()])
        else:
            ax.axhline(0.5, color="black", lw=0.8, ls="--", label="a coin (0.5)")
        ax.set_xticks(range(len(ks)), [str(k) for k in ks])
        ax.set(xlabel="training photos with their labels", ylabel=f"{'accuracy' if metric == 'accuracy' else 'AUC'}"
               " on the real test photos", ylim=(0.3, 1.0))
        ax.legend(fontsize=7, loc="lower right")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def search_curves(records: list[dict],
                  title: str = "The recipe search: 160 validation photos after every epoch (lines: mean of 5 epochs)"):
    """Validation accuracy and AUC per epoch of each trial of :mod:`hotdog.search` (the stages on
    real photos; a ``both`` trial's epochs on renders are left out, so every line starts at photos)."""
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8), sharex=True)
    colors = plt.get_cmap("tab10")
    for k, record in enumerate(records):
        rows = [e for e in record["history"]["epochs"] if e["stage"] == "authentic" and "val_accuracy" in e]
        x = np.arange(1, len(rows) + 1)
        for ax, key in zip(axes, ("val_accuracy", "val_auc")):
            if rows and key in rows[0]:  # each epoch faint, a running mean over 5 epochs drawn over it
                values = np.array([e[key] for e in rows], dtype=float)
                ax.plot(x, values, lw=0.6, alpha=0.25, color=colors(k))
                ax.plot(x, _running_mean(values, 5), lw=1.6, color=colors(k), label=record["trial"],
                        ls="--" if record["mode"] == "both" else "-")
    for ax, name in zip(axes, ("accuracy", "AUC")):
        ax.axhline(0.5, color="grey", lw=0.8)
        ax.set(xlabel="epoch on real photos", ylabel=f"validation {name}", ylim=(0.45, 1.0))
    axes[1].legend(fontsize=7, loc="lower right")
    fig.suptitle(title)
    fig.tight_layout()
    return fig


def _running_mean(values: np.ndarray, window: int) -> np.ndarray:
    """Each value's mean with up to ``window - 1`` before it (the first ones over what there is)."""
    sums = np.cumsum(np.insert(values, 0, 0.0))
    starts = np.maximum(np.arange(1, len(values) + 1) - window, 0)
    return (sums[1:] - sums[starts]) / (np.arange(1, len(values) + 1) - starts)
