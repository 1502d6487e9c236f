"""One randomization at a time: small sets of renders where only one switch varies.

:func:`gallery` is for a notebook that shows what each domain randomization does on its own::

    from hotdog.render import RenderConfig, gallery
    paths = gallery("/tmp/gallery", RenderConfig(rotation_mode="food_photo"))
    paths["camera"]   # 6 PNGs: the same hotdog, same light, grey background, only the camera moves

For switch ``s`` the records come from ``config.only(s)``: every other randomization takes its neutral
value (spec.NEUTRAL), so the images differ only in ``s``. Except for the ``food`` switch itself, the
images are all of the hotdog (even indices), whose shape is then fixed. Rendering runs
``blender/worker.py`` in a subprocess (this Python, or ``blender=``/``$HOTDOG_BLENDER``), never here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from hotdog import files
from hotdog.render.spec import RANDOMIZATIONS, RenderConfig, list_photos, sample_record

__all__ = ["gallery", "gallery_records"]


def gallery_records(config: RenderConfig, switches=RANDOMIZATIONS, n: int = 6) -> dict[str, list[dict]]:
    """For each switch, ``n`` records that differ only in that switch; files ``<switch>/NN.png``."""
    photos = list_photos(config.backgrounds_dir)
    out = {}
    for switch in switches:
        if switch not in RANDOMIZATIONS:
            raise ValueError(f"unknown randomization {switch!r}; choose from {RANDOMIZATIONS}")
        only = config.only(switch)
        indices = range(n) if switch == "food" else range(0, 2 * n, 2)  # one fixed hotdog unless food varies
        records = []
        for k, index in enumerate(indices):
            record = sample_record(only, index, None, photos)
            record["file"] = f"{switch}/{k:02d}.png"
            records.append(record)
        out[switch] = records
    return out


def gallery(out_dir: str | os.PathLike, config: RenderConfig | None = None, switches=RANDOMIZATIONS, n: int = 6,
            image_size: int = 128, blender: str | None = None, threads: int | None = None) -> dict[str, list[str]]:
    """Render :func:`gallery_records` into ``out_dir/<switch>/NN.png`` (existing images are replaced)
    and return ``{switch: [png paths]}``. About 12 x 6 images at 128x128: well under a minute."""
    from hotdog.render.run import WORKER_ENV, RenderError, worker_command

    config = config or RenderConfig()
    out_dir = Path(out_dir)
    groups = gallery_records(config, switches, n)
    records = [r for group in groups.values() for r in group]
    for r in records:
        r["image_size"] = image_size
        target = out_dir / r["file"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)
    program = blender or os.environ.get("HOTDOG_BLENDER") or sys.executable
    with tempfile.TemporaryDirectory(prefix="hotdog-gallery-") as tmp:
        shard, report = Path(tmp) / "shard.json", Path(tmp) / "report.json"
        shard.write_text(json.dumps({"records": records, "image_size": image_size, "samples": config.samples,
                                     "threads": threads}))
        command = worker_command(program, str(shard), str(out_dir), str(report))
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **WORKER_ENV})
        if done.returncode != 0 or not report.exists():
            tail = "\n".join((done.stderr or done.stdout or "").strip().splitlines()[-15:])
            raise RenderError(f"gallery render failed (`{command[0]} ...`, exit code {done.returncode}):\n{tail}")
    files.write_json(out_dir / "gallery.json", {s: [r for r in g] for s, g in groups.items()})
    return {switch: [str(out_dir / r["file"]) for r in group] for switch, group in groups.items()}
