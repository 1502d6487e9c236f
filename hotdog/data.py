"""Loading the real ("authentic") and rendered ("synthetic") photos as the article does, made safe.

The article's recipe is ``ImageFolder`` + ``Resize(128)`` + ``ToTensor`` + ``Normalize(0.5, 0.5)``
and ``random_split(authentic, [799, 199])``. Changes, each for a reason:

* **Square crop.** ``Resize(128)`` alone keeps a 512x384 photo non-square (170x128), which the
  network's ``Linear(512, 1)`` cannot take; we resize the short side to 128 and center-crop 128x128.
* **"hotdog" is the positive class (label 1).** ImageFolder sorts folders alphabetically, which
  makes ``hotdog`` 0 and the article's sigmoid the probability of *not* hotdog. We fix
  ``not_hotdog = 0, hotdog = 1`` so that "probability" means "probability of hotdog".
* **A seeded split, stable under added and removed photos.** ``split(dataset, seed)`` gives the same
  799/199 photos on every machine, and a photo added or missing moves no other photo (see :func:`split`).
* **Bad files are found before training**, not deep in a DataLoader worker: unreadable or truncated
  files are skipped and counted (``dataset.skipped``); grayscale, palette, RGBA, CMYK and 16-bit
  images are converted to 8-bit RGB; a wrong folder layout stops with an error naming the fix.
* **Decoded once.** ``cache(dataset)`` decodes and crops every image once into a uint8 tensor, so
  an epoch costs no JPEG decoding (what starves a GPU fed by two CPU cores).
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError
from torch.utils.data import Dataset, Subset
from torchvision import datasets, transforms

IMAGE_SIZE = 128
NOT_HOTDOG, HOTDOG = 0, 1
CLASSES = ("not_hotdog", "hotdog")  # index = label
CLASS_TO_IDX = {name: i for i, name in enumerate(CLASSES)}
IMAGE_EXTENSIONS = datasets.folder.IMG_EXTENSIONS


FETCH_HINT = ("for the article's real photos run `python -m hotdog download`, for rendered images "
              "`python -m hotdog render`")


class DataLayoutError(ValueError):
    """The folder does not look like ``<root>/hotdog/*`` and ``<root>/not_hotdog/*``."""


# --------------------------------------------------------------------------------------------
# transform
# --------------------------------------------------------------------------------------------

def crop_transform(image_size: int = IMAGE_SIZE) -> transforms.Compose:
    """PIL image -> uint8 tensor 3 x size x size: resize the short side, then center-crop."""
    return transforms.Compose([
        transforms.Resize(image_size),
        transforms.CenterCrop(image_size),
        transforms.PILToTensor(),
    ])


def normalize(images: torch.Tensor) -> torch.Tensor:
    """uint8 images -> floats in [-1, 1]: exactly ``ToTensor`` then ``Normalize([0.5]*3, [0.5]*3)``."""
    return images.float().div_(255).sub_(0.5).div_(0.5)


def transform(image_size: int = IMAGE_SIZE) -> transforms.Compose:
    """The article's transform with a square crop: Resize, CenterCrop, ToTensor, Normalize to [-1, 1]."""
    return transforms.Compose([
        transforms.Resize(image_size),
        transforms.CenterCrop(image_size),
        transforms.ToTensor(),
        transforms.Normalize([0.5, 0.5, 0.5], [0.5, 0.5, 0.5]),
    ])


def denormalize(images: torch.Tensor) -> torch.Tensor:
    """[-1, 1] floats back to [0, 1] for showing."""
    return (images * 0.5 + 0.5).clamp(0, 1)


# --------------------------------------------------------------------------------------------
# reading one image, whatever its mode
# --------------------------------------------------------------------------------------------

def load_rgb(path: str | Path) -> Image.Image:
    """Open any image PIL reads as 8-bit RGB: grayscale, palette, RGBA/LA (on white), CMYK and 16-bit.

    Raises ``UnidentifiedImageError`` or ``OSError`` (truncated data) for a file that is not a
    readable image.
    """
    with Image.open(path) as image:
        image.load()
        if image.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
            array = np.asarray(image, dtype=np.float64)
            peak = 65535.0 if image.mode.startswith("I;16") or array.max() > 255 else 255.0
            image = Image.fromarray(np.clip(array / peak * 255.0 + 0.5, 0, 255).astype(np.uint8), "L")
        elif image.mode == "F":
            array = np.asarray(image, dtype=np.float64)
            image = Image.fromarray(np.clip(array * (255.0 if array.max() <= 1.0 else 1.0), 0, 255)
                                    .astype(np.uint8), "L")
        if image.mode == "P":
            image = image.convert("RGBA")
        if image.mode in ("RGBA", "LA", "PA"):
            rgba = image.convert("RGBA")
            background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            image = Image.alpha_composite(background, rgba)
        return image.convert("RGB")


def check_image(path: str | Path) -> str | None:
    """None if ``path`` decodes fully as an image of at least :data:`MIN_SIDE` pixels a side, else the reason."""
    try:
        image = load_rgb(path)
    except Image.DecompressionBombError as error:
        return f"too large to open safely ({error}); shrink it (e.g. to 1024 pixels a side) or delete it"
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        return f"{type(error).__name__}: {error}"
    if min(image.size) < MIN_SIDE:
        return f"{image.size[0]}x{image.size[1]} pixels: too small to show anything (at least {MIN_SIDE} a side)"
    return None


MIN_SIDE = 16  # smaller than this, an image is a few blocks of colour: named and left out, never answered


# --------------------------------------------------------------------------------------------
# the dataset
# --------------------------------------------------------------------------------------------

class HotdogImageFolder(datasets.ImageFolder):
    """``torchvision.datasets.ImageFolder`` for ``root/{hotdog,not_hotdog}/``, with hotdog = 1.

    Every file is decoded once when the dataset is made; files that do not decode are left out
    and listed in ``self.skipped`` as ``(path, reason)``, and a warning gives their count.
    """

    def __init__(self, root: str | Path, transform=None, check: bool = True):
        root = Path(root)
        check_layout(root)
        self.skipped: list[tuple[str, str]] = []

        def is_valid(path: str) -> bool:
            if not path.lower().endswith(IMAGE_EXTENSIONS):
                if not Path(path).name.startswith("."):
                    self.skipped.append((path, "not an image file name (" + ", ".join(IMAGE_EXTENSIONS) + ")"))
                return False
            reason = check_image(path) if check else None
            if reason:
                self.skipped.append((path, reason))
            return reason is None

        super().__init__(str(root), transform=transform, loader=load_rgb, is_valid_file=is_valid,
                         allow_empty=True)
        self.labels = torch.tensor(self.targets, dtype=torch.long)
        for name in CLASSES:
            if self.targets.count(CLASS_TO_IDX[name]) == 0:
                raise DataLayoutError(
                    f"{root / name} has no readable image ({len(self.skipped)} file(s) skipped). "
                    f"Put the {name} photos there, or point the setting to the right folder; {FETCH_HINT}")
        if self.skipped:
            listing = "\n".join(f"  {path}: {reason}" for path, reason in self.skipped[:10])
            more = f"\n  ... and {len(self.skipped) - 10} more" if len(self.skipped) > 10 else ""
            warnings.warn(f"{root}: skipped {len(self.skipped)} file(s) that are not readable images "
                          f"(delete or replace them to silence this):\n{listing}{more}", stacklevel=2)

    def find_classes(self, directory):  # noqa: D102 - ImageFolder hook: fixed labels, hotdog = 1
        return list(CLASSES), dict(CLASS_TO_IDX)

    def make_dataset(self, directory, class_to_idx, extensions=None, is_valid_file=None, allow_empty=False):
        """ImageFolder's listing, in its order, but each folder read once: a symbolic link back up the tree
        (a cycle) is not followed round and round, so no photo is counted twice."""
        return [(path, class_to_idx[name]) for name in sorted(class_to_idx)
                for path in walk_images(Path(directory) / name) if is_valid_file(path)]


def walk_images(folder: Path) -> list[str]:
    """Every file under ``folder`` in torchvision's order (folders sorted, then names), following links to
    folders but entering each real folder once."""
    seen, found = set(), []
    for root, dirs, names in os.walk(folder, followlinks=True):
        real = os.path.realpath(root)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        found.append((root, names))
    return [os.path.join(root, name) for root, names in sorted(found) for name in sorted(names)]


def check_layout(root: Path) -> None:
    """Stop early, with the fix, when ``root`` is not ``root/hotdog/`` + ``root/not_hotdog/``."""
    if root.exists() and not root.is_dir():
        raise DataLayoutError(f"{root} is a file, not a folder: give the folder that holds hotdog/ and not_hotdog/")
    if not root.is_dir():
        raise DataLayoutError(
            f"{root} does not exist. For the real photos run `python -m hotdog download` "
            f"(or set HOTDOG_AUTHENTIC to a folder that has them); for rendered images run "
            f"`python -m hotdog render` (or set HOTDOG_SYNTHETIC).")
    folders = sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    missing = [name for name in CLASSES if name not in folders]
    if missing:
        raise DataLayoutError(
            f"{root} must hold one folder per class, {CLASSES[1]}/ and {CLASSES[0]}/; "
            f"missing: {', '.join(missing)} (found: {', '.join(folders) or 'no folders'}). "
            f"Move the photos into {root}/hotdog/ and {root}/not_hotdog/; {FETCH_HINT}")
    extra = [name for name in folders if name not in CLASSES]
    if extra:
        warnings.warn(f"{root}: ignoring folder(s) {', '.join(extra)}; only hotdog/ and not_hotdog/ are read.",
                      stacklevel=3)


def authentic(root: str | Path | None = None, transform=None) -> HotdogImageFolder:
    """The real photos (default: the ``HOTDOG_AUTHENTIC`` setting, see :mod:`hotdog.paths`)."""
    from hotdog.paths import authentic_dir

    return HotdogImageFolder(root or authentic_dir(), transform=transform)


def synthetic(root: str | Path | None = None, transform=None) -> HotdogImageFolder:
    """The rendered images (default: the ``HOTDOG_SYNTHETIC`` setting, see :mod:`hotdog.paths`)."""
    from hotdog.paths import synthetic_dir

    return HotdogImageFolder(root or synthetic_dir(), transform=transform)


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


# --------------------------------------------------------------------------------------------
# decoded once: a tensor cache
# --------------------------------------------------------------------------------------------

@dataclass
class TensorImages(Dataset):
    """Images decoded and cropped once: ``images`` uint8 N x 3 x H x W, ``labels`` long N.

    Indexing returns ``(normalised float image, label)`` like the article's ImageFolder does.
    """

    images: torch.Tensor
    labels: torch.Tensor
    paths: list[str]

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, index):
        return normalize(self.images[index]), self.labels[index]


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


def unlabelled(photos: "TensorImages") -> "TensorImages":
    """``photos`` with every label replaced by -1: what a run may know of photos it is told are unlabelled."""
    return TensorImages(photos.images, torch.full_like(photos.labels, -1), photos.paths)


def _carve_stratified(dataset: Dataset, n: int, seed: int, stream: str = "validation") -> tuple[Dataset, Dataset]:
    from hotdog.seeds import generator

    if isinstance(dataset, TensorImages):
        labels = dataset.labels.tolist()
    else:
        folder, indices = _folder_and_indices(dataset)
        labels = [folder.targets[i] for i in indices]
    rng, chosen = generator(seed, stream), []
    for label in sorted(set(labels)):
        members = [i for i, y in enumerate(labels) if y == label]
        take = round(n * len(members) / len(labels)) if label != max(labels) else n - len(chosen)
        chosen += rng.choice(members, size=take, replace=False).tolist()
    rest = sorted(set(range(len(labels))) - set(chosen))
    return Subset(dataset, rest), Subset(dataset, sorted(chosen))


def _folder_and_indices(dataset: Dataset) -> tuple[HotdogImageFolder, list[int]]:
    if isinstance(dataset, Subset):
        folder, inner = _folder_and_indices(dataset.dataset)
        return folder, [inner[i] for i in dataset.indices]
    if isinstance(dataset, HotdogImageFolder):
        return dataset, list(range(len(dataset)))
    raise TypeError(f"cache() takes a HotdogImageFolder or a Subset of one, not {type(dataset).__name__}")


def cache(dataset: Dataset, image_size: int = IMAGE_SIZE, progress: bool = True) -> TensorImages:
    """Decode and crop every image of ``dataset`` (a HotdogImageFolder or a Subset of one) once."""
    from tqdm.auto import tqdm

    folder, indices = _folder_and_indices(dataset)
    crop = crop_transform(image_size)
    images = torch.empty(len(indices), 3, image_size, image_size, dtype=torch.uint8)
    labels = torch.empty(len(indices), dtype=torch.long)
    paths = []
    for row, index in enumerate(tqdm(indices, desc=f"decoding {Path(folder.root).name}", disable=not progress,
                                     unit="img", leave=False)):
        path, label = folder.samples[index]
        images[row] = crop(load_rgb(path))
        labels[row] = label
        paths.append(path)
    return TensorImages(images, labels, paths)


# --------------------------------------------------------------------------------------------
# everything one run trains and tests on
# --------------------------------------------------------------------------------------------

@dataclass
class Prepared:
    """The decoded data of one run: the real training photos, the held-out test photos, optionally
    validation photos carved from the training photos and the rendered images."""

    authentic_train: TensorImages
    test: TensorImages
    authentic_root: Path
    validation: TensorImages | None = None
    synthetic: TensorImages | None = None
    unlabelled: TensorImages | None = None  # training photos without their labels (--labels K: all but K)
    skipped: list = field(default_factory=list)  # real photos left out as unreadable: (path, reason)

    def training(self) -> dict[str, TensorImages]:
        """What :func:`hotdog.train.train` takes: ``authentic`` and, if there are renders, ``synthetic``."""
        return {"authentic": self.authentic_train, **({"synthetic": self.synthetic} if self.synthetic is not None else {})}

    def unlabelled_photos(self) -> TensorImages:
        """What adaptation learns from without labels: the photos ``--labels`` left unlabelled, else every
        training photo, its label hidden."""
        return self.unlabelled if self.unlabelled is not None else unlabelled(self.authentic_train)

    def test_photos(self) -> list[str]:
        """The test photos' paths relative to the real-photo folder (the same on every machine)."""
        return [os.path.relpath(p, self.authentic_root) for p in self.test.paths]

    def describe(self) -> str:
        hidden = f" (and {len(self.unlabelled)} without their labels)" if self.unlabelled is not None else ""
        return (f"{len(self.synthetic or [])} synthetic images, {len(self.authentic_train)} real training photos{hidden}, "
                f"{len(self.validation or [])} validation photos, {len(self.test)} real test photos")


def prepare(seed: int = 0, synthetic_root: str | Path | None = None, *, photo_limit: int | None = None,
            validation_photos: int = 0, stratified: bool = False, labels: int | None = None,
            labels_seed: int | None = None, progress: bool = True) -> Prepared:
    """Split the real photos 799/199 by ``seed``, keep the first ``photo_limit`` training photos (all if
    None), carve ``validation_photos`` off them, keep the labels of ``labels`` of the rest (by class, drawn
    by ``labels_seed``, default ``seed``; None: all) and hide the others', and decode everything once,
    with the renders in ``synthetic_root`` if one is given."""
    photos = authentic()
    train_set, test_set = split(photos, seed=seed)
    if photo_limit is not None:  # the first N training photos, decoded alone
        if not 0 < photo_limit <= len(train_set):
            raise ValueError(f"the photo limit (--photos, or a study's --real-share) must be from 1 to the "
                             f"{len(train_set)} training photos, not {photo_limit}")
        train_set = Subset(train_set.dataset, train_set.indices[:photo_limit])
    prepared = Prepared(authentic_train=None, test=cache(test_set, progress=progress), authentic_root=Path(photos.root),
                        skipped=photos.skipped)
    if validation_photos:
        train_set, validation_set = carve(train_set, validation_photos, seed=seed, stratified=stratified)
        prepared.validation = cache(validation_set, progress=progress)
    if labels is not None:
        train_set, rest = labelled_share(train_set, labels, seed if labels_seed is None else labels_seed)
        prepared.unlabelled = unlabelled(cache(rest, progress=progress))
    prepared.authentic_train = cache(train_set, progress=progress)
    if synthetic_root is not None:
        prepared.synthetic = cache(synthetic(synthetic_root), progress=progress)
    return prepared
