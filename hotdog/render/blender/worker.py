"""The Blender worker: renders a shard of records into PNG files, in a process that has ``bpy``.

:func:`render_shard` sets up one scene (:class:`hotdog.render.blender.scene.Drawer`) and draws each
record whose image is missing, writing the final RGB PNG atomically (:func:`hotdog.files.atomic_path`).
Records whose image already exists are skipped, so a crashed run is finished by running it again. A
mesh file that cannot be read fails that record only (reported as ``"failed"``); any other error
stops the shard with a :class:`RenderError` that names the record.

Importing this module is cheap and safe anywhere (``bpy`` is imported inside functions). The same
file is a script for another interpreter that has ``bpy``, or for a Blender executable::

    python worker.py shard.json out_dir [--report report.json]
    blender -b --factory-startup --python-exit-code 1 --python worker.py -- shard.json out_dir --report r.json

``shard.json`` holds ``{"records": [...], "image_size": 128, "samples": 2, "threads": null}`` (or just
the list of records); ``--image-size``, ``--samples`` and ``--threads`` override it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

# Run as a file (`python worker.py`, `blender -b --python worker.py`) rather than imported as part of
# the package: make the project importable from the file's own location.
_AS_SCRIPT = __name__ != "hotdog.render.blender.worker"
if _AS_SCRIPT:
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

from hotdog import files  # noqa: E402
from hotdog.render import effects  # noqa: E402
from hotdog.render.assets import MeshError  # noqa: E402
from hotdog.render.blender.scene import DEFAULT_IMAGE_SIZE, DEFAULT_SAMPLES, Drawer  # noqa: E402
from hotdog.render.blender.session import RenderError, without_gpu_probe_warnings  # noqa: E402

__all__ = ["RenderError", "main", "parse_args", "render_shard"]


def _result(record: dict, status: str, seconds: float = 0.0, **extra) -> dict:
    return {"index": record["index"], "file": record["file"], "seconds": seconds, "status": status, **extra}


def render_shard(records: list[dict], out_dir: str | os.PathLike, image_size: int | None = None,
                 samples: int | None = None, threads: int | None = None) -> list[dict]:
    """Render the records whose image is missing under ``out_dir``; one dict per record:
    ``{"index", "file", "seconds", "status"}`` with status ``"rendered"``, ``"skipped"`` (the image
    was there) or ``"failed"`` (a mesh file that cannot be read; with its ``"error"``).

    ``image_size`` and ``samples`` default to the records' own (the config's), else 128 and 2.
    ``threads`` fixes Cycles' thread count (one per core is best when several workers share the CPU).
    """
    out_dir = Path(out_dir)
    results, todo = [], []
    for record in records:
        target = out_dir / record["file"]
        if effects.png_is_whole(target, record.get("image_size") or image_size or DEFAULT_IMAGE_SIZE):
            results.append(_result(record, "skipped"))
        else:
            todo.append(record)
            files.temporary_name(target).unlink(missing_ok=True)  # left by a worker that was killed
    if not todo:
        return results
    size = image_size or todo[0].get("image_size") or DEFAULT_IMAGE_SIZE
    n_samples = samples or todo[0].get("samples") or DEFAULT_SAMPLES
    with without_gpu_probe_warnings():
        drawer = Drawer(size, n_samples, threads)
        try:
            for record in todo:
                results.append(_render_one(drawer, record, out_dir / record["file"]))
        finally:
            drawer.close()
    return sorted(results, key=lambda r: r["index"])


def _render_one(drawer: Drawer, record: dict, target: Path) -> dict:
    start = time.perf_counter()
    try:
        image = drawer.draw(record)
        with files.atomic_path(target) as tmp:
            effects.save_png(tmp, image)
    except MeshError as error:  # a mesh file that cannot be read: reported by name, the shard goes on
        print(f"hotdog worker: skipped record {record['index']}: {error}", file=sys.stderr)
        return _result(record, "failed", error=str(error))
    except Exception as error:
        raise RenderError(
            f"record {record['index']} ({record['file']}, {record['food']['kind']}) failed: "
            f"{type(error).__name__}: {error}. Images already written are kept; run the same command "
            f"again to finish the missing images.") from error
    return _result(record, "rendered", round(time.perf_counter() - start, 4))


def parse_args(argv: list[str]) -> argparse.Namespace:
    """The worker's options from a whole command line: Blender's (``blender ... --python worker.py --
    ARGS``: what follows ``--``) or a Python's (``worker.py ARGS``: what follows the script)."""
    args = argv[argv.index("--") + 1:] if "--" in argv else argv[1:]
    parser = argparse.ArgumentParser(prog="worker.py", description="Render a shard of records into PNG files.")
    parser.add_argument("shard", help="shard.json: {'records': [...], 'image_size', 'samples', 'threads'}")
    parser.add_argument("out_dir", help="the folder the records' files are relative to")
    parser.add_argument("--report", help="write the per-record results here (JSON)")
    parser.add_argument("--image-size", type=int, help="override the shard's image size")
    parser.add_argument("--samples", type=int, help="override the shard's Cycles samples")
    parser.add_argument("--threads", type=int, help="Cycles threads (default: the shard's, else Blender's)")
    return parser.parse_args(args)


def main(argv: list[str] | None = None) -> int:
    options = parse_args(sys.argv if argv is None else argv)
    shard = json.loads(Path(options.shard).read_text())
    if isinstance(shard, list):
        shard = {"records": shard}

    def pick(option, key):
        value = option if option is not None else shard.get(key)
        return int(value) if value is not None else None

    results = render_shard(shard["records"], options.out_dir, pick(options.image_size, "image_size"),
                           pick(options.samples, "samples"), pick(options.threads, "threads"))
    if options.report:
        files.write_json(options.report, results)
    return 0


if _AS_SCRIPT:
    try:
        code = main()
    except Exception as error:  # noqa: BLE001  (the parent reads stderr and the exit code)
        import traceback

        traceback.print_exc()
        print(f"hotdog worker failed: {error}", file=sys.stderr)
        code = 1
    sys.exit(code)
