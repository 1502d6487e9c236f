"""SeeFood: point the classifier at photos and hear "Hotdog!" or "Not hotdog!".

``predict_files`` takes image files or folders of them, prepares each photo exactly as the test
photos were prepared (:func:`hotdog.data.transform`), and returns the probability of hotdog per file.
A missing file, a file that is not an image, or an image too large to open safely is reported by
name, without stopping the others. :func:`upload_widget` does the same in a notebook for uploaded
photos, showing each one with its answer.

The model defaults to the checkpoint shipped in the package (:data:`SHIPPED`, about 2 MB), whose
measured accuracy :func:`shipped_info` reports.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import torch
from PIL import Image

from hotdog import data

MAX_PIXELS = 100_000_000  # larger than any photo; refuses decompression bombs
MIN_SIDE = data.MIN_SIDE  # smaller than this, a photo is a few blocks of colour: named, not answered
SHIPPED = Path(__file__).parent / "assets" / "hotdog_classifier.pt"


def shipped_info() -> dict:
    """Where the shipped model comes from and its accuracy on the held-out real photos."""
    return json.loads(SHIPPED.with_suffix(".json").read_text())


def shipped_model(device: str | None = None) -> torch.nn.Module:
    """The shipped model, with the calibration of its sidecar (if it has one) as ``model.calibration``."""
    return calibrated_model(SHIPPED, device)


def calibrated_model(checkpoint, device: str | None = None) -> torch.nn.Module:
    """The model at ``checkpoint``, with the calibration of its sidecar (if it has one) as ``model.calibration``,
    which :func:`probability` applies."""
    from hotdog import calibration
    from hotdog.train import load_model

    model = load_model(checkpoint, device)
    model.calibration = calibration.for_checkpoint(checkpoint)
    return model


@dataclass
class Answer:
    path: str
    probability: float | None = None  # of hotdog
    error: str | None = None

    @property
    def is_hotdog(self) -> bool:
        """Decided as the accuracy is (``torch.round``: exactly 0.5 is "not hotdog")."""
        return self.probability > 0.5

    @property
    def label(self) -> str:
        return "Hotdog!" if self.is_hotdog else "Not hotdog!"

    @property
    def verdict(self) -> str:
        if self.error:
            return f"cannot tell: {self.error}"
        return f"{self.label} (probability of hotdog {self.probability:.2f})"


def expand(paths) -> list[Path]:
    """Files as given, folders replaced by the image files inside them (sorted, recursively)."""
    files = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in data.IMAGE_EXTENSIONS)
        else:
            files.append(path)
    return files


def skipped_files(paths) -> list[Path]:
    """The files inside the folders of ``paths`` that :func:`expand` passes over (not an image type;
    hidden files aside), so a caller can say so."""
    return [p for path in map(Path, paths) if path.is_dir() for p in sorted(path.rglob("*"))
            if p.is_file() and p.suffix.lower() not in data.IMAGE_EXTENSIONS and not p.name.startswith(".")]


def open_photo(source) -> Image.Image:
    """A path or a file object as an RGB photo, refusing images above :data:`MAX_PIXELS`."""
    if isinstance(source, (str, Path)) and not Path(source).exists():
        looped = Path(source).is_symlink()
        raise FileNotFoundError("a symbolic link that leads nowhere, or round to itself" if looped else "no such file")
    try:
        probe = Image.open(source)
    except Image.DecompressionBombError as error:  # PIL refuses to open it at all
        raise ValueError(f"too large ({error}); shrink it below {MAX_PIXELS // 1_000_000} megapixels") from error
    with probe:
        if probe.size[0] * probe.size[1] > MAX_PIXELS:
            raise ValueError(f"{probe.size[0]}x{probe.size[1]} pixels is too large; shrink it below "
                             f"{MAX_PIXELS // 1_000_000} megapixels")
        if min(probe.size) < MIN_SIDE:
            raise ValueError(f"{probe.size[0]}x{probe.size[1]} pixels is too small to show anything (the model "
                             f"looks at 128x128); give a photo at least {MIN_SIDE} pixels a side")
    if hasattr(source, "seek"):
        source.seek(0)
    return data.load_rgb(source)


def probability(model: torch.nn.Module, photo: Image.Image) -> float:
    """The model's probability of hotdog for one photo (calibrated, when the model carries a calibration)."""
    from hotdog import calibration

    model.eval()
    with torch.no_grad():
        raw = float(model(data.transform()(photo).unsqueeze(0).to(next(model.parameters()).device))[0])
    return calibration.apply(raw, getattr(model, "calibration", None))


def judge(source, model: torch.nn.Module, name: str | None = None) -> tuple[Answer, Image.Image | None]:
    """The answer for one photo (a path or a file object) and the photo itself (None if unreadable)."""
    name = name or str(source)
    try:
        photo = open_photo(source)
    except Exception as error:  # noqa: BLE001  (each file's problem is reported, the rest go on)
        reason = str(error) if isinstance(error, (FileNotFoundError, ValueError)) else "not a readable image"
        return Answer(name, error=reason), None
    return Answer(name, probability(model, photo)), photo


def predict_files(paths, model: torch.nn.Module | None = None) -> list[Answer]:
    """One :class:`Answer` per image file in ``paths`` (files or folders); the shipped model by default."""
    model = model or shipped_model()
    return [judge(path, model)[0] for path in expand(paths)]


def predict_bytes(name: str, content: bytes, model: torch.nn.Module | None = None) -> tuple[Answer, Image.Image | None]:
    """An uploaded file's answer, and the photo (None if it is not one)."""
    return judge(io.BytesIO(content), model or shipped_model(), name)


def show_answer(answer: Answer, photo: Image.Image | None):
    """The photo with its answer as the title (a matplotlib figure), or the error as text."""
    if photo is None:
        print(f"{answer.path}: {answer.verdict}")
        return None
    return show_answers([(answer, photo)], columns=1)


def show_answers(pairs, columns: int = 4):
    """Several ``(Answer, photo)`` pairs as one grid of photos titled with their answers."""
    import matplotlib.pyplot as plt

    pairs = [(a, p) for a, p in pairs if p is not None]
    if not pairs:
        return None
    columns = min(columns, len(pairs))
    rows = -(-len(pairs) // columns)
    figure, axes = plt.subplots(rows, columns, figsize=(2.6 * columns + 0.6, 2.8 * rows), squeeze=False)
    for ax in axes.flat:
        ax.set_axis_off()
    for ax, (answer, photo) in zip(axes.flat, pairs):
        ax.imshow(photo)
        ax.set_title(f"{answer.label} ({answer.probability:.0%})", color="tab:green" if answer.is_hotdog else "tab:red",
                     fontsize=11, fontweight="bold")
    figure.tight_layout()
    return figure


def uploaded_files(value) -> list[tuple[str, bytes]]:
    """``(name, content)`` of each uploaded file, whichever upload gave them: ipywidgets 8's
    ``FileUpload.value`` (a tuple of dicts with ``name`` and ``content``), ipywidgets 7's (a dict of
    name to ``{"metadata": ..., "content": ...}``; Colab has long preinstalled 7.x) or
    ``google.colab.files.upload()`` (a dict of name to bytes)."""
    if isinstance(value, dict):
        return [(name, bytes(item["content"] if isinstance(item, dict) else item)) for name, item in value.items()]
    return [(item["name"], bytes(item["content"])) for item in value]


def _show_uploads(value, model: torch.nn.Module) -> None:
    import matplotlib.pyplot as plt
    from IPython.display import display

    for name, content in uploaded_files(value):
        answer, photo = predict_bytes(name, content, model)
        if photo is not None:  # the answer in words too (show_answer prints it when there is no photo)
            print(f"{name}: {answer.verdict}")
        figure = show_answer(answer, photo)
        if figure is not None:
            display(figure)
            plt.close(figure)


def upload_widget(model: torch.nn.Module | None = None):
    """An upload button that answers for every photo uploaded, with the photo shown: on Colab its own
    ``files.upload()`` (run the cell, pick the photos), elsewhere an ipywidgets ``FileUpload`` (7 or 8)."""
    import sys

    model = model or shipped_model()
    if "google.colab" in sys.modules:
        from google.colab import files  # Colab's own button, whatever ipywidgets it has

        return _show_uploads(files.upload(), model)
    import ipywidgets as widgets

    upload = widgets.FileUpload(accept="image/*", multiple=True, description="Upload a photo")
    output = widgets.Output()

    def on_upload(change) -> None:
        output.clear_output()
        with output:
            _show_uploads(change["new"], model)

    upload.observe(on_upload, names="value")
    return widgets.VBox([widgets.HTML("<b>SeeFood</b>: is it a hotdog? Upload one or more photos."), upload, output])
