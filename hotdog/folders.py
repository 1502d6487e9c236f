"""Reading image folders as the article does, made safe: ``<root>/hotdog/*`` and ``<root>/not_hotdog/*``
as an ImageFolder with hotdog = 1, the square crop, the [-1, 1] normalisation, and bad files named
before training instead of deep in a DataLoader. :mod:`hotdog.data` gathers what one run needs.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import torch
from PIL import Image, UnidentifiedImageError
from torch.utils.data import Dataset, Subset
from torchvision import datasets, transforms

from hotdog.classes import CLASSES, HOTDOG, NOT_HOTDOG  # noqa: F401 (hotdog.data re-exports them)

IMAGE_SIZE = 128
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


def folder_and_indices(dataset: Dataset) -> tuple[HotdogImageFolder, list[int]]:
    if isinstance(dataset, Subset):
        folder, inner = folder_and_indices(dataset.dataset)
        return folder, [inner[i] for i in dataset.indices]
    if isinstance(dataset, HotdogImageFolder):
        return dataset, list(range(len(dataset)))
    raise TypeError(f"cache() takes a HotdogImageFolder or a Subset of one, not {type(dataset).__name__}")
