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
from dataclasses import dataclass, field
from pathlib import Path

import torch
from torch.utils.data import Dataset, Subset

# what the notebooks and the rest of the package read as data.X: the folders, the splits, the cache
from hotdog.folders import (CLASS_TO_IDX, CLASSES, FETCH_HINT, HOTDOG, IMAGE_EXTENSIONS, IMAGE_SIZE,  # noqa: F401
                            MIN_SIDE, NOT_HOTDOG, DataLayoutError, HotdogImageFolder, authentic, check_image,
                            check_layout, crop_transform, denormalize, folder_and_indices, load_rgb, normalize,
                            synthetic, transform, walk_images)
from hotdog.splits import carve, labelled_share, split  # noqa: F401

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


def unlabelled(photos: "TensorImages") -> "TensorImages":
    """``photos`` with every label replaced by -1: what a run may know of photos it is told are unlabelled."""
    return TensorImages(photos.images, torch.full_like(photos.labels, -1), photos.paths)


def cache(dataset: Dataset, image_size: int = IMAGE_SIZE, progress: bool = True) -> TensorImages:
    """Decode and crop every image of ``dataset`` (a HotdogImageFolder or a Subset of one) once."""
    from tqdm.auto import tqdm

    folder, indices = folder_and_indices(dataset)
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
