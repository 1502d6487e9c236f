"""Which photo goes where: the seeded 799/199 split of the real photos, stable under added and removed
photos; validation photos carved from the training photos (recipes choose on these, never on the test
photos); and the share of training photos that keep their labels (``--labels K``).
"""

from __future__ import annotations

import os
from pathlib import Path

import torch
from torch.utils.data import Dataset, Subset

from hotdog.folders import HotdogImageFolder, folder_and_indices

def split(dataset: HotdogImageFolder, seed: int = 0, test_fraction: float = 0.2) -> tuple[Subset, Subset]:
    """Seeded train/test split, stable under added and removed photos; 998 photos give the article's 799/199.

    The article's 998 photos (``hotdog/assets/authentic.sha256``, recognised by name and content, or a renamed copy by content) are
    split exactly as ``random_split`` splits all 998 of them with this seed, whatever else the folder
    holds, so every study on record stays valid and pairable and a missing photo drops out alone. Any
    other photo goes to the test photos when a hash of (seed, its SHA-256) falls below
    ``test_fraction``, so it, too, stays on its side when photos come and go."""
    if not isinstance(dataset, HotdogImageFolder):
        raise TypeError(f"split() takes a HotdogImageFolder (data.authentic(...)), not {type(dataset).__name__}")
    digests = [_sha256(path) for path, _ in dataset.samples]
    names = [Path(os.path.relpath(path, dataset.root)).as_posix() for path, _ in dataset.samples]
    known = _article_photos()
    n_test = int(len(known) * test_fraction)
    order = torch.randperm(len(known), generator=torch.Generator().manual_seed(seed)).tolist()
    present = _places(names, digests, known)  # place among the 998 -> index in this folder
    placed = set(present.values())
    others = [i for i in range(len(digests)) if i not in placed]
    train = [present[c] for c in order[:len(known) - n_test] if c in present]
    test = [present[c] for c in order[len(known) - n_test:] if c in present]
    for index in sorted(others, key=lambda i: (digests[i], i)):
        (test if _share(seed, digests[index]) < test_fraction else train).append(index)
    return Subset(dataset, train), Subset(dataset, test)


def _sha256(path: str) -> str:
    import hashlib

    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _article_photos() -> dict[str, tuple[int, str]]:
    """Name -> (its place among the article's 998 in the order ImageFolder lists them, its SHA-256)."""
    from hotdog.download import read_checksums

    return {name: (place, digest) for place, (name, digest) in enumerate(sorted(read_checksums().items()))}


def _places(names: list[str], digests: list[str], known: dict[str, tuple[int, str]]) -> dict[int, int]:
    """Which of this folder's photos are which of the article's: by name and content, else (a renamed
    copy) by content alone. Returns place -> index; a photo matching none is not in it."""
    present = {}
    for index, (name, digest) in enumerate(zip(names, digests)):
        if name in known and known[name][1] == digest:
            present[known[name][0]] = index
    free = {}
    for place, digest in sorted(known.values()):
        if place not in present:
            free.setdefault(digest, []).append(place)
    taken = set(present.values())
    for index, digest in enumerate(digests):
        if index not in taken and free.get(digest):
            present[free[digest].pop(0)] = index
    return present


def _share(seed: int, digest: str) -> float:
    """A number in [0, 1) fixed by the seed and a photo's content."""
    from hotdog.seeds import derive

    return derive(seed, int(digest[:15], 16)) / 2**32


def carve(dataset: Dataset, n: int, seed: int = 0, stratified: bool = False) -> tuple[Dataset, Dataset]:
    """Split ``n`` photos off ``dataset`` (the 799 training photos) for validation, seeded.

    Recipes choose on these, never on the test photos. ``stratified`` takes each class in
    proportion to its share of ``dataset`` (so 160 of 799 photos hold 80 hotdogs, give or take one);
    otherwise the draw ignores the classes (the improved recipe's, kept for its records)."""
    if not 0 < n < len(dataset):
        raise ValueError(f"cannot carve {n} validation photos out of {len(dataset)}")
    if stratified:
        return _carve_stratified(dataset, n, seed)
    from hotdog.seeds import carve_seed

    order = torch.randperm(len(dataset), generator=torch.Generator().manual_seed(carve_seed(seed))).tolist()
    return Subset(dataset, sorted(order[n:])), Subset(dataset, sorted(order[:n]))


def labelled_share(dataset: Dataset, labels: int, seed: int) -> tuple[Dataset, Dataset]:
    """``dataset`` (the training photos) as (``labels`` photos that keep their labels, the rest): the
    labelled ones drawn by class in proportion, by ``seed``, so each seed of a study labels other photos."""
    if not 0 <= labels <= len(dataset):
        raise ValueError(f"--labels must be from 0 to the {len(dataset)} training photos, not {labels}")
    if labels in (0, len(dataset)):
        everything, none = Subset(dataset, list(range(len(dataset)))), Subset(dataset, [])
        return (everything, none) if labels else (none, everything)
    rest, chosen = _carve_stratified(dataset, labels, seed, stream="labels")
    return chosen, rest


def _carve_stratified(dataset: Dataset, n: int, seed: int, stream: str = "validation") -> tuple[Dataset, Dataset]:
    from hotdog.seeds import generator

    if hasattr(dataset, "labels"):  # decoded photos (hotdog.data.TensorImages)
        labels = dataset.labels.tolist()
    else:
        folder, indices = folder_and_indices(dataset)
        labels = [folder.targets[i] for i in indices]
    rng, chosen = generator(seed, stream), []
    for label in sorted(set(labels)):
        members = [i for i, y in enumerate(labels) if y == label]
        take = round(n * len(members) / len(labels)) if label != max(labels) else n - len(chosen)
        chosen += rng.choice(members, size=take, replace=False).tolist()
    rest = sorted(set(range(len(labels))) - set(chosen))
    return Subset(dataset, rest), Subset(dataset, sorted(chosen))
