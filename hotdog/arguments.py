"""What the command line accepts, beside argparse's own types: whole numbers in a range, the size presets.
argparse names the option when one of these refuses a value."""

from __future__ import annotations

import argparse

SIZES = ["tiny", "small", "article"]
MAX_SEED = 2**32 - 1


def whole(minimum: int, maximum: int | None = None, what: str = "a whole number"):
    """An argparse type: a whole number in [minimum, maximum]; argparse names the option when it refuses."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what}, not {text!r}") from None
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"from {minimum} to {maximum}" if maximum is not None else f"{minimum} or more"
            raise argparse.ArgumentTypeError(f"{what} {bound}, not {value}")
        return value
    return parse


COUNT = whole(1)  # images, photos, epochs, samples, jobs: at least one
SEED = whole(0, MAX_SEED, "a seed, a whole number")
