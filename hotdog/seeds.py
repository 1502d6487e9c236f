"""Every seed the project derives, in one place.

A run has one seed; each random stream (an image of the render, a part of that image's record,
the batches of an epoch, the validation photos) gets its own seed derived from it, so the streams
are independent, a resumed run draws exactly what an unbroken one would, and switching one part
off leaves every other draw as it was.

:func:`derive` and :func:`generator` hash their keys with NumPy's ``SeedSequence``: that is the rule
for every stream. Two training streams predate it and keep their old arithmetic, bit for bit,
because the studies on record (``results/studies``) were trained with them and a new seed of a
study, or a study paired with one on record, must draw the batches and validation photos those did:
:func:`epoch_seed` and :func:`carve_seed`. Add no new stream of that kind.
"""

from __future__ import annotations

import zlib

import numpy as np


def _key(value: int | str) -> int:
    return zlib.crc32(value.encode()) if isinstance(value, str) else int(value)


def derive(*keys: int | str) -> int:
    """A 32-bit seed hashed from ``keys`` (ints, or names hashed with CRC-32), the same on every machine."""
    return int(np.random.SeedSequence([_key(k) for k in keys]).generate_state(1, dtype=np.uint32)[0])


def generator(*keys: int | str) -> np.random.Generator:
    """A NumPy generator seeded with ``keys`` (through ``SeedSequence``, as :func:`derive`)."""
    return np.random.default_rng([_key(k) for k in keys])


MIX_STREAM = 500_009  # offset of the stream that draws the renders mixed into an epoch of fine-tuning


def epoch_seed(seed: int, stage: int, epoch: int, stream: int = 0) -> int:
    """The seed of one epoch's batch order and augmentation (and, with ``stream=MIX_STREAM``, of the
    renders mixed into it): frozen arithmetic, see the module's docstring."""
    return seed * 1_000_003 + stage * 1_009 + epoch + stream


def carve_seed(seed: int) -> int:
    """The seed that picks the validation photos of split ``seed``: frozen, see the module's docstring."""
    return 10_007 + seed
