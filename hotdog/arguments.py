"""What the command line accepts, beside argparse's own types: whole numbers in a range, the size presets,
names of studies and renderer variants.
argparse names the option when one of these refuses a value."""

from __future__ import annotations

import argparse
import re

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
LABELS = whole(0, 799, "how many of the 799 training photos keep their labels: a whole number")


def name(text: str) -> str:
    """An argparse type: a study's or renderer variant's name, which becomes a file or folder name under
    results/: letters, digits, '-', '_' and '.', not starting with '.' (so no '..', no path, never empty)."""
    if not re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]*", text):
        raise argparse.ArgumentTypeError(f"a name of letters, digits, '-', '_' and '.' (not first), not {text!r}: it "
                                         f"names a file under results/, so it cannot hold '/' or start with '.'")
    return text
