"""The article's network: ``ResBlock`` and the "Frankenstein ResNet" ``BinaryClassifier``.

Layer for layer as in the article. Two things worth knowing when reading it:

* **One ResBlock, applied twice.** ``self.res32`` appears twice in ``self.net``, so both
  applications share one set of weights (and one pair of BatchNorm running statistics). That is
  what the article's code does, so we keep it; it is not two blocks.
* **Only a 128x128 input fits.** The feature map before ``l1`` is 128 channels x 2 x 2 = 512
  values, which ``Linear(512, 1)`` needs; :mod:`hotdog.data` therefore crops every image square.

Shapes for a batch of N images, 3 x 128 x 128 (checked in ``tests/test_model.py``)::

    Conv2d(3, 32, 7)                  N x 32 x 122 x 122
    res32, res32                      N x 32 x 122 x 122
    Conv2d(32, 64, 5, stride=2)       N x 64 x 59 x 59
    MaxPool2d(2, 2)                   N x 64 x 29 x 29
    res64, res64                      N x 64 x 29 x 29
    Conv2d(64, 128, 5, stride=2)      N x 128 x 13 x 13
    MaxPool2d(2, 2)                   N x 128 x 6 x 6
    res128, res128                    N x 128 x 6 x 6
    AvgPool2d(3, 2)                   N x 128 x 2 x 2  -> flatten -> N x 512
    Linear(512, 1), Sigmoid           N   (probability of "hotdog", see hotdog.data.HOTDOG)
"""

from __future__ import annotations

import torch
from torch import nn


class ResBlock(nn.Module):
    """A 1x1 convolution and a padded 3x3 convolution, each with BatchNorm, around a skip connection."""

    def __init__(self, in_c: int, out_c: int):
        super().__init__()
        self.in_c = in_c
        self.out_c = out_c
        self.relu = nn.ReLU()
        self.layers = nn.Sequential(
            nn.Conv2d(self.in_c, self.out_c, 1),
            nn.BatchNorm2d(self.out_c),
            self.relu,
            nn.Conv2d(self.out_c, self.out_c, 3, padding=1),
            nn.BatchNorm2d(self.out_c),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        res = x
        x = self.layers(x)
        x = res + x
        return self.relu(x)


class BinaryClassifier(nn.Module):
    """The article's classifier: 3 x 128 x 128 image -> probability that it shows a hotdog.

    Changed from the article: ``squeeze(1)`` instead of ``squeeze()``, so a batch of one image
    gives a 1-element tensor rather than a 0-d one, which BCE and ``torch.cat`` need.
    """

    def __init__(self):
        super().__init__()
        self.res32 = ResBlock(32, 32)
        self.res64 = ResBlock(64, 64)
        self.res128 = ResBlock(128, 128)
        self.net = nn.Sequential(
            nn.Conv2d(3, 32, 7),
            nn.BatchNorm2d(32),  # 122
            self.res32,
            self.res32,
            nn.Conv2d(32, 64, 5, stride=2),
            nn.BatchNorm2d(64),
            nn.MaxPool2d(2, 2),
            self.res64,
            self.res64,
            nn.Conv2d(64, 128, 5, stride=2),
            nn.BatchNorm2d(128),
            nn.MaxPool2d(2, 2),
            self.res128,
            self.res128,
            nn.AvgPool2d(3, 2),
        )
        self.l1 = nn.Linear(512, 1)
        self.out = nn.Sigmoid()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.net(x)
        x = x.reshape(x.shape[0], -1)
        x = self.l1(x)
        x = self.out(x).squeeze(1)
        return x


def layer_shapes(model: BinaryClassifier, image_size: int = 128) -> list[tuple[str, tuple[int, ...]]]:
    """Each layer of ``model.net`` with the shape of its output for one image: the notebook's walk-through."""
    x = torch.zeros(1, 3, image_size, image_size)
    shapes = [("input", tuple(x.shape))]
    was_training = model.training
    model.eval()
    with torch.no_grad():
        for layer in model.net:
            x = layer(x)
            shapes.append((type(layer).__name__ if not isinstance(layer, ResBlock) else
                           f"ResBlock({layer.in_c}, {layer.out_c})", tuple(x.shape)))
        x = x.reshape(x.shape[0], -1)
        shapes.append(("flatten", tuple(x.shape)))
        shapes.append(("Linear + Sigmoid", tuple(model.out(model.l1(x)).squeeze(1).shape)))
    model.train(was_training)
    return shapes


def count_parameters(model: nn.Module) -> int:
    """Trainable parameters; a shared ResBlock counts once, as PyTorch stores it once."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
