"""The training images' augmentation, done to whole batches on the training device.

The improved and tuned recipes see every image through a random crop of 35 to 100 % of its area
(stretched back to 128x128), a coin-flip mirror image, and brightness, contrast, saturation and hue
jitter: torchvision's ``RandomResizedCrop(128, scale=(0.35, 1))``, ``RandomHorizontalFlip()`` and
``ColorJitter(0.3, 0.3, 0.3, 0.03)``. torchvision applies them to one image at a time in Python,
which on a GPU costs more than the network's own step. Here the same policy works on a batch:

* :meth:`CropFlipJitter.draw` draws every image's parameters at once, by torchvision's rules (a crop
  box tried up to ten times, else the whole image; factors uniform in their ranges), from a seeded
  ``torch.Generator`` on the CPU, so a seed draws the same on every device;
* :func:`crop_and_flip` cuts and mirrors the batch in one ``grid_sample`` (bilinear, half-pixel
  centres, as ``Resize`` upsamples);
* :func:`jitter` changes the colours with per-image factors, by torchvision's formulas.

One change from torchvision: the four colour changes run in one fixed order, where ColorJitter
shuffles them per image. Brightness, contrast and saturation are blends with black, the mean grey
and the pixel's grey, and a hue shift keeps every blend with a grey on its hue, so in exact
arithmetic the order changes nothing; only the clipping to [0, 1] between steps can differ.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F

GREY = (0.2989, 0.587, 0.114)  # ITU-R 601 luma weights, as torchvision's rgb_to_grayscale


@dataclass(frozen=True)
class Params:
    """Per-image parameters of one batch or epoch: crop boxes in pixels (``top, left, height, width``),
    ``flip`` (bool) and the four colour factors (hue in turns)."""

    top: torch.Tensor
    left: torch.Tensor
    height: torch.Tensor
    width: torch.Tensor
    flip: torch.Tensor
    brightness: torch.Tensor
    contrast: torch.Tensor
    saturation: torch.Tensor
    hue: torch.Tensor

    def __getitem__(self, rows) -> "Params":
        return Params(*(getattr(self, name)[rows] for name in self.__dataclass_fields__))

    def to(self, device, non_blocking: bool = False) -> "Params":
        return Params(*(getattr(self, name).to(device, non_blocking=non_blocking) for name in self.__dataclass_fields__))


@dataclass(frozen=True)
class CropFlipJitter:
    """The recipes' ``crop`` policy: torchvision's RandomResizedCrop, RandomHorizontalFlip and
    ColorJitter with these ranges, drawn per image and applied per batch."""

    size: int = 128
    scale: tuple[float, float] = (0.35, 1.0)
    ratio: tuple[float, float] = (3 / 4, 4 / 3)
    flip: float = 0.5
    brightness: float = 0.3
    contrast: float = 0.3
    saturation: float = 0.3
    hue: float = 0.03

    def draw(self, n: int, generator: torch.Generator, height: int | None = None, width: int | None = None) -> Params:
        """``n`` images' parameters for source images of ``height`` x ``width`` (default: ``size``)."""
        top, left, h, w = crop_boxes(n, height or self.size, width or self.size, self.scale, self.ratio, generator)

        def uniform(low, high):
            return torch.empty(n).uniform_(low, high, generator=generator)

        return Params(top, left, h, w, torch.rand(n, generator=generator) < self.flip,
                      uniform(1 - self.brightness, 1 + self.brightness), uniform(1 - self.contrast, 1 + self.contrast),
                      uniform(1 - self.saturation, 1 + self.saturation), uniform(-self.hue, self.hue))

    def __call__(self, images: torch.Tensor, params: Params) -> torch.Tensor:
        """uint8 images N x 3 x H x W (on any device) -> augmented floats in [0, 1], N x 3 x size x size."""
        return jitter(crop_and_flip(images.float().div_(255), params, self.size), params)


class CropFlipTrivial(CropFlipJitter):
    """The ``trivial`` policy: the batch's crops and flips, then torchvision's ``TrivialAugmentWide``
    image by image (its 14 operations are not batched here; no recipe uses it, the search tried it)."""

    def __call__(self, images: torch.Tensor, params: Params) -> torch.Tensor:
        from torchvision.transforms import v2

        cropped = crop_and_flip(images.float().div_(255), params, self.size)
        wide = v2.TrivialAugmentWide()
        return torch.stack([wide(image) for image in cropped]).clamp_(0, 1)


def crop_boxes(n: int, height: int, width: int, scale, ratio, generator: torch.Generator, tries: int = 10):
    """``n`` boxes ``(top, left, height, width)`` drawn as ``RandomResizedCrop.get_params`` draws one: an
    area share from ``scale`` and a log-uniform aspect ratio, tried ``tries`` times, the first that
    fits taken; where none fits, the largest centred box of an allowed aspect ratio."""
    area = torch.empty(n, tries).uniform_(*scale, generator=generator) * height * width
    aspect = torch.exp(torch.empty(n, tries).uniform_(math.log(ratio[0]), math.log(ratio[1]), generator=generator))
    w, h = torch.round(torch.sqrt(area * aspect)).long(), torch.round(torch.sqrt(area / aspect)).long()
    fits = (w > 0) & (w <= width) & (h > 0) & (h <= height)
    first = fits.long().argmax(dim=1, keepdim=True)  # the first try that fits (0 where none does)
    w, h, found = w.gather(1, first)[:, 0], h.gather(1, first)[:, 0], fits.any(dim=1)
    fallback_w, fallback_h = _fallback(height, width, ratio)
    w, h = torch.where(found, w, fallback_w), torch.where(found, h, fallback_h)
    top = (torch.rand(n, generator=generator) * (height - h + 1)).long().clamp(max=height - h)
    left = (torch.rand(n, generator=generator) * (width - w + 1)).long().clamp(max=width - w)
    top, left = torch.where(found, top, (height - h) // 2), torch.where(found, left, (width - w) // 2)
    return top, left, h, w


def _fallback(height: int, width: int, ratio) -> tuple[int, int]:
    """RandomResizedCrop's box when no try fits: the whole image, narrowed to the nearest allowed ratio."""
    if width / height < min(ratio):
        return width, int(round(width / min(ratio)))
    if width / height > max(ratio):
        return int(round(height * max(ratio))), height
    return width, height


def crop_and_flip(images: torch.Tensor, params: Params, size: int) -> torch.Tensor:
    """Each image's box stretched to ``size`` x ``size`` (bilinear, as ``Resize`` upsamples), mirrored
    where ``params.flip``: one affine ``grid_sample`` for the whole batch."""
    n, _, height, width = images.shape
    p = params.to(images.device)
    theta = torch.zeros(n, 2, 3, device=images.device, dtype=images.dtype)
    theta[:, 0, 0] = p.width / width * torch.where(p.flip, -1.0, 1.0)
    theta[:, 0, 2] = (2 * p.left + p.width) / width - 1
    theta[:, 1, 1] = p.height / height
    theta[:, 1, 2] = (2 * p.top + p.height) / height - 1
    grid = F.affine_grid(theta, (n, images.shape[1], size, size), align_corners=False)
    return F.grid_sample(images, grid, mode="bilinear", padding_mode="border", align_corners=False)


def grey(images: torch.Tensor) -> torch.Tensor:
    """Luma of N x 3 x H x W images, N x 1 x H x W."""
    weights = torch.tensor(GREY, device=images.device, dtype=images.dtype).view(1, 3, 1, 1)
    return (images * weights).sum(dim=1, keepdim=True)


def jitter(images: torch.Tensor, params: Params) -> torch.Tensor:
    """Brightness, contrast, saturation, then hue, each with its per-image factor, each clipped to [0, 1]
    as torchvision clips (``adjust_brightness`` ... ``adjust_hue`` on float images)."""
    p = params.to(images.device)

    def per_image(factor):
        return factor.to(images.dtype).view(-1, 1, 1, 1)

    images = (images * per_image(p.brightness)).clamp_(0, 1)
    mean = grey(images).mean(dim=(1, 2, 3), keepdim=True)
    images = _blend(images, mean, per_image(p.contrast))
    images = _blend(images, grey(images), per_image(p.saturation))
    return shift_hue(images, p.hue)


def _blend(images: torch.Tensor, other: torch.Tensor, factor: torch.Tensor) -> torch.Tensor:
    return (factor * images + (1 - factor) * other).clamp_(0, 1)


def shift_hue(images: torch.Tensor, shift: torch.Tensor) -> torch.Tensor:
    """Rotate each image's hue by ``shift`` turns (as ``adjust_hue``: to HSV, add, back to RGB), in
    masks and in-place arithmetic, which a CPU runs several times faster than ``max`` with indices and
    ``where``."""
    value, spread = images.amax(dim=1), images.amax(dim=1) - images.amin(dim=1)
    red, green, blue = images.unbind(dim=1)
    is_red = (red == value).to(images.dtype)
    is_green = (green == value).to(images.dtype) * (1 - is_red)
    is_blue = 1 - is_red - is_green
    # the hue in sixths of a turn: which channel is largest picks the sector, the other two the place in it
    sixths = is_red * (green - blue) + is_green * (blue - red) + is_blue * (red - green)
    sixths = sixths.div_(spread.clamp(min=1e-12)).add_(is_green * 2 + is_blue * 4)
    sixths = sixths.add_(6 * shift.to(images.dtype).view(-1, 1, 1))
    # back to RGB: channel n (5, 3, 1 for R, G, B) is v - (v - min) clamp(2 - |k - 2|, 0, 1), k = (n + sixths) mod 6
    k = torch.tensor([5.0, 3.0, 1.0], device=images.device, dtype=images.dtype).view(1, 3, 1, 1) + sixths.unsqueeze(1)
    k = k.remainder_(6).sub_(2).abs_().neg_().add_(2).clamp_(0, 1)
    return value.unsqueeze(1) - k.mul_(spread.unsqueeze(1))
