"""SeeFood: point the classifier at photos and hear "Hotdog!" or "Not hotdog!".

``predict_files`` takes image files or folders of them, prepares each photo exactly as the test
photos were prepared (:func:`hotdog.data.transform`), and returns the probability of hotdog per file.
A missing file, a file that is not an image, or an image too large to open safely is reported by
name, without stopping the others.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import torch
from PIL import Image

from hotdog import data

MAX_PIXELS = 100_000_000  # larger than any photo; refuses decompression bombs


@dataclass
class Answer:
    path: str
    probability: float | None = None  # of hotdog
    error: str | None = None

    @property
    def verdict(self) -> str:
        if self.error:
            return f"cannot tell: {self.error}"
        return f"{'Hotdog!' if self.probability >= 0.5 else 'Not hotdog!'} (probability of hotdog {self.probability:.2f})"


def expand(paths) -> list[Path]:
    """Files as given, folders replaced by the image files inside them (sorted, recursively)."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in data.IMAGE_EXTENSIONS)
        else:
            files.append(path)
    return files


def load_for_model(path: Path) -> torch.Tensor:
    if not path.exists():
        raise FileNotFoundError("no such file")
    with Image.open(path) as probe:
        if probe.size[0] * probe.size[1] > MAX_PIXELS:
            raise ValueError(f"{probe.size[0]}x{probe.size[1]} pixels is too large; shrink it below "
                             f"{MAX_PIXELS // 1_000_000} megapixels")
    return data.transform()(data.load_rgb(path))


def predict_files(paths, model: torch.nn.Module) -> list[Answer]:
    """One :class:`Answer` per image file in ``paths`` (files or folders)."""
    answers, device = [], next(model.parameters()).device
    model.eval()
    for path in expand(paths):
        try:
            image = load_for_model(path)
        except Exception as error:  # noqa: BLE001  (each file's problem is reported, the rest go on)
            reason = str(error) if isinstance(error, (FileNotFoundError, ValueError)) else "not a readable image"
            answers.append(Answer(str(path), error=reason))
            continue
        with torch.no_grad():
            answers.append(Answer(str(path), float(model(image.unsqueeze(0).to(device))[0])))
    return answers
