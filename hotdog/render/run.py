"""Render a synthetic data set: manifest first, then shards of missing images in worker processes.

:func:`render_dataset` is the one call a notebook makes::

    from hotdog.render import RenderConfig, render_dataset
    report = render_dataset("data/synthetic", RenderConfig(n_images=600), n_jobs=2)

It samples the records (:mod:`hotdog.render.spec`), writes ``manifest.jsonl`` (one record per line)
before anything is drawn, splits the records whose PNG is missing into shards and renders them in
parallel, showing progress per shard. Blender never runs in the calling process:

* by default each shard goes to a worker process of joblib's loky pool that imports ``bpy``
  (``joblib.Parallel`` would run ``n_jobs=1`` in the calling process, importing bpy into the
  notebook kernel; the pool it uses underneath does not, and gives one future per shard, so a
  crash is reported with the shard it hit);
* with ``blender=`` (or ``$HOTDOG_BLENDER``) naming another Python that has ``bpy`` or a Blender
  executable, each shard runs ``worker.py`` there as a subprocess (Colab: Python 3.12, no bpy wheel).

Every image is written atomically and existing images are skipped, so after a crash, running the same
command again finishes the missing images.
"""

from __future__ import annotations

import importlib.util
import json
import math
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from hotdog import files
from hotdog.settings import RENDER_JOBS
from hotdog.render.blender.session import BPY_HELP, RenderError
from hotdog.render.effects import png_is_whole
from hotdog.render.spec import LABELS, RECORD_SCHEMA, RenderConfig, sample_records

MANIFEST = "manifest.jsonl"
CONFIG_FILE = "render_config.json"  # the RenderConfig that made the folder's images (as_dict)
LOCK_FILE = ".render.lock"  # held by the one render writing into the folder
RESUME_HINT = "Images already written are kept: run the same command again to finish the missing images."
WORKER_SCRIPT = Path(__file__).resolve().parent / "blender" / "worker.py"

__all__ = ["RenderError", "folder_config", "read_manifest", "render_dataset", "write_manifest"]


# --------------------------------------------------------------------------- manifest


def read_manifest(out_dir: str | os.PathLike) -> list[dict]:
    """The records in ``out_dir/manifest.jsonl`` (``[]`` if there is none)."""
    path = Path(out_dir) / MANIFEST
    if not path.exists():
        return []
    with path.open() as f:
        return [json.loads(line) for line in f if line.strip()]


def _check_schema(path: Path, out_dir: Path, existing: list[dict]) -> None:
    """An error unless every record of an existing manifest has this renderer's record schema
    (records from before the schema field are schema 1)."""
    schemas = {r.get("schema", 1) for r in existing} - {RECORD_SCHEMA}
    if schemas:
        found = min(schemas)
        age = "an older" if found < RECORD_SCHEMA else "a newer"
        raise RenderError(
            f"{path} was rendered by {age} renderer (record schema {found}, this one is {RECORD_SCHEMA}): "
            f"delete {out_dir} or render into another folder.")


def write_manifest(out_dir: str | os.PathLike, records: list[dict]) -> Path:
    """Write the manifest atomically. An existing manifest must hold the same records, or the first
    records of these (a bigger run of the same config extends it); anything else is an error, so
    images of two different configs, or of two versions of the renderer, never end up mixed in one folder."""
    out_dir = Path(out_dir)
    path = out_dir / MANIFEST
    existing = read_manifest(out_dir)
    if existing == records:
        return path
    _check_schema(path, out_dir, existing)
    if existing and existing != records[:len(existing)]:
        if records == existing[:len(records)]:
            raise RenderError(f"{path} holds {len(existing)} records, the first {len(records)} of which are the ones "
                              f"asked for: the same config, rendered further. Ask for {len(existing)} images, or "
                              f"render into another folder.")
        raise RenderError(
            f"{path} holds {len(existing)} records that differ from the ones this config samples. Its images belong "
            f"to another RenderConfig (seed, sizes or distributions). Render into another folder, or delete "
            f"{out_dir} to start again.")
    return files.write_text(path, "".join(json.dumps(record, separators=(",", ":")) + "\n" for record in records))


def folder_config(out_dir: str | os.PathLike, *candidates: RenderConfig) -> dict | None:
    """The RenderConfig that made the renders in ``out_dir``, as saved (``as_dict``): its
    ``render_config.json``; for a folder rendered before that file was written, the first of
    ``candidates`` whose records begin its manifest (and hold as many images); else ``None``: not
    renders of this project, or of a config not among the candidates."""
    out_dir = Path(out_dir)
    path = out_dir / CONFIG_FILE
    if path.is_file():
        from hotdog.provenance import read_json

        return read_json(path, f"delete it; the next render into {out_dir} writes it again")
    existing = read_manifest(out_dir) if (out_dir / MANIFEST).is_file() else []
    for candidate in candidates if existing else ():
        config = replace(candidate, n_images=len(existing))
        first = sample_records(replace(config, n_images=min(len(existing), 50)))  # records do not depend on the count
        if existing[:len(first)] == first:
            return config.as_dict()
    return None


def writable_folder(out_dir: Path) -> Path:
    """``out_dir``, made if missing; a :class:`RenderError` naming it if it is a file or cannot be written."""
    if out_dir.exists() and not out_dir.is_dir():
        raise RenderError(f"{out_dir} is a file, not a folder: render into a folder (a new one is made)")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise RenderError(f"cannot make the folder {out_dir} ({error.strerror}): render into a folder you can write") from None
    if not os.access(out_dir, os.W_OK | os.X_OK):
        raise RenderError(f"cannot write into {out_dir} (permission denied): render into a folder you can write")
    return out_dir


@contextmanager
def one_writer(out_dir: Path, timeout: float | None = None):
    """Hold ``out_dir``'s render lock while rendering into it: a second render into the same folder waits
    (saying so) until the first is done, then goes on from what it finds, so two renders never mix their
    images in one folder. With ``timeout`` (seconds), waiting longer is a :class:`RenderError`."""
    from filelock import FileLock, Timeout

    lock = FileLock(out_dir / LOCK_FILE)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        print(f"another render is writing into {out_dir}: waiting for it to finish ...", file=sys.stderr, flush=True)
        try:
            lock.acquire(timeout=-1 if timeout is None else timeout)
        except Timeout:
            raise RenderError(f"another render is still writing into {out_dir} (it holds {out_dir / LOCK_FILE}): "
                              f"wait for it to finish, or render into another folder") from None
    try:
        yield
    finally:
        lock.release()


# --------------------------------------------------------------------------- tasks (run in workers)


def _render_shard_in_process(records: list[dict], out_dir: str, image_size: int, samples: int,
                             threads: int) -> list[dict]:
    """Runs in a loky worker process: import the worker (and so bpy) there, render the shard. On Ctrl-C
    the worker leaves at once and quietly (the image it was drawing is a temporary file, never a
    finished one); the parent says what was kept."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():  # a Dask worker runs tasks in a thread of its own
        signal.signal(signal.SIGINT, lambda *_: os._exit(130))
    from hotdog.render.blender import worker

    return worker.render_shard(records, out_dir, image_size, samples, threads)


def is_blender_executable(program: str | os.PathLike) -> bool:
    """``blender``, ``Blender``, ``blender.exe``, ``blender-5.0``: run as ``blender -b --python``."""
    return Path(program).name.lower().startswith("blender")


def worker_command(program: str, shard_file: str, out_dir: str, report_file: str) -> list[str]:
    """The command line that runs ``worker.py`` on one shard file in ``program``."""
    args = [str(shard_file), str(out_dir), "--report", str(report_file)]
    if is_blender_executable(program):
        return [program, "-b", "--factory-startup", "--python-exit-code", "1", "--python", str(WORKER_SCRIPT), "--", *args]
    return [program, str(WORKER_SCRIPT), *args]


def _render_shard_subprocess(records: list[dict], out_dir: str, image_size: int, samples: int, threads: int,
                             program: str) -> list[dict]:
    """Render one shard with ``worker.py`` in another interpreter or a Blender executable."""
    with tempfile.TemporaryDirectory(prefix="hotdog-shard-") as tmp:
        shard_file, report_file = Path(tmp) / "shard.json", Path(tmp) / "report.json"
        shard_file.write_text(json.dumps({"records": records, "image_size": image_size, "samples": samples,
                                          "threads": threads}))
        command = worker_command(program, str(shard_file), out_dir, str(report_file))
        done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, **WORKER_ENV})
        if done.returncode != 0 or not report_file.exists():
            tail = "\n".join((done.stderr or done.stdout or "").strip().splitlines()[-15:])
            raise RenderError(f"`{' '.join(command[:2])} ...` exited with code {done.returncode}:\n{tail}")
        return json.loads(report_file.read_text())


# --------------------------------------------------------------------------- the run


def check_bpy_importable() -> None:
    """Fail early, in the parent and without importing it, when this Python has no ``bpy``."""
    if "bpy" not in sys.modules and importlib.util.find_spec("bpy") is None:
        raise ImportError(BPY_HELP.format(version=sys.version.split()[0]))


def default_threads(n_jobs: int) -> int:
    """Cycles threads per worker: the cores shared among the workers, twice over (each worker spends
    about a quarter of its time in Python between renders, so a little oversubscription fills the
    gaps; measured on 2 cores: 2 workers x 2 threads beat 2 x 1 and 1 x 2)."""
    cores = os.cpu_count() or 1
    return max(1, min(cores, math.ceil(2 * cores / n_jobs)))


# Worker processes keep numpy's BLAS single-threaded: its spinning threads fight Cycles for the cores.
# Two malloc arenas keep a worker's memory flat over thousands of renders (glibc otherwise keeps
# the memory of Cycles' short-lived threads: +22 MB per 1,000 images; see hotdog/malloc.py).
WORKER_ENV = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2"}


def split_shards(records: list[dict], n_jobs: int, shard_size: int | None = None) -> list[list[dict]]:
    """Consecutive shards: about four per worker (so progress moves and workers finish together),
    at most 50 records each (a crash loses little), at least 1."""
    if shard_size is None:
        shard_size = min(50, max(1, math.ceil(len(records) / (4 * n_jobs))))
    return [records[i:i + shard_size] for i in range(0, len(records), shard_size)]


def is_done(out_dir: Path, record: dict) -> bool:
    """Whether the record's image is there and whole (a zero-byte or truncated file is not: it is rendered again)."""
    return png_is_whole(out_dir / record["file"], record["image_size"])


def _describe(shard: list[dict], out_dir: Path) -> str:
    missing = [r["file"] for r in shard if not is_done(out_dir, r)]
    first = f"; first missing image {missing[0]}" if missing else ""
    return f"records {shard[0]['index']}-{shard[-1]['index']} ({len(missing)} of {len(shard)} missing{first})"


def render_dataset(out_dir: str | os.PathLike, config: RenderConfig | None = None, *, n_jobs: int | None = None,
                   blender: str | None = None, progress: bool = True, shard_size: int | None = None,
                   threads: int | None = None, dask_scheduler: str | None = None,
                   lock_timeout: float | None = None) -> dict:
    """Render ``config.n_images`` images into ``out_dir/{hotdog,not_hotdog}/NNNNN.png``.

    ``n_jobs`` worker processes (default :data:`hotdog.settings.RENDER_JOBS`) render shards in parallel
    (each Cycles uses ``threads`` threads, default: :func:`default_threads`). ``blender`` (default
    ``$HOTDOG_BLENDER``) is another Python with ``bpy`` or a Blender executable to run the workers in.
    Images that already exist are skipped. One render writes into a folder at a time (:func:`one_writer`;
    ``lock_timeout`` bounds the wait for another), and the folder keeps its config in ``render_config.json``.

    ``dask_scheduler`` (default ``$HOTDOG_DASK_SCHEDULER``), the address of a Dask scheduler such as
    ``tcp://10.0.0.5:8786``, sends the same shards to that cluster through joblib's ``dask``
    backend instead of local processes: every Dask worker needs this project installed (with
    ``bpy``) and ``out_dir`` on a file system that all of them share.

    Returns a report: ``n_records``, ``n_rendered``, ``n_skipped``, ``n_failed`` and ``failed`` (the
    files of the records whose mesh file could not be read: they stay missing), ``n_damaged`` and
    ``damaged`` (images that were there but not whole, zero-byte or truncated, and were rendered again), ``seconds``,
    ``images_per_minute`` (of this call's wall time), ``n_jobs`` and where things are. A shard that
    stops (a record that fails otherwise, a worker that dies) raises :class:`RenderError` naming the
    shards, their missing images and the failed records.
    """
    start = time.perf_counter()
    config = config or RenderConfig()
    out_dir = Path(out_dir)
    n_jobs = RENDER_JOBS if n_jobs is None else n_jobs
    if n_jobs < 1:  # joblib's convention: -1 is all cores
        n_jobs = max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    blender = blender or os.environ.get("HOTDOG_BLENDER") or None
    dask_scheduler = dask_scheduler or os.environ.get("HOTDOG_DASK_SCHEDULER") or None
    records = sample_records(config)
    with one_writer(writable_folder(out_dir), lock_timeout):
        return _render_locked(out_dir, config, records, start, n_jobs, blender, progress, shard_size, threads,
                              dask_scheduler)


def _render_locked(out_dir: Path, config: RenderConfig, records: list[dict], start: float, n_jobs: int, blender,
                   progress: bool, shard_size, threads, dask_scheduler) -> dict:
    """:func:`render_dataset` once it holds the folder's lock: the manifest and config, then what is missing."""
    manifest = write_manifest(out_dir, records)
    files.write_json(out_dir / CONFIG_FILE, config.as_dict(), indent=1)
    for label in LABELS:
        (out_dir / label).mkdir(parents=True, exist_ok=True)
    missing = [r for r in records if not is_done(out_dir, r)]
    damaged = [r["file"] for r in missing if (out_dir / r["file"]).exists()]  # rendered again, over the broken file
    threads = threads or default_threads(n_jobs)
    worker_seconds, failed = [], []
    if missing:
        if blender is None and dask_scheduler is None:
            check_bpy_importable()
        shards = split_shards(missing, n_jobs, shard_size)
        worker_seconds, failed = _run_shards(shards, out_dir, config, n_jobs, blender, progress, threads,
                                             dask_scheduler)
    n_rendered = sum(is_done(out_dir, r) for r in missing)
    seconds = time.perf_counter() - start
    return {
        "out_dir": str(out_dir), "manifest": str(manifest),
        "n_records": len(records), "n_rendered": n_rendered, "n_skipped": len(records) - len(missing),
        "n_failed": len(failed), "failed": failed, "n_damaged": len(damaged), "damaged": damaged,
        "seconds": round(seconds, 2),
        "images_per_minute": round(60 * n_rendered / seconds, 1) if n_rendered else 0.0,
        "seconds_per_image_per_worker": round(sum(worker_seconds) / len(worker_seconds), 4) if worker_seconds else None,
        "n_jobs": n_jobs, "threads_per_worker": threads,
        "renderer": (f"dask cluster at {dask_scheduler} (joblib dask backend)" if dask_scheduler else
                     f"subprocess: {blender}" if blender else "bpy in loky worker processes"),
    }


def _shard_outcome(task, *args):
    """Run one shard task and hand back its result or its exception, so that one failed shard does
    not cancel the others (joblib's Parallel would stop at the first exception)."""
    try:
        return task(*args)
    except Exception as error:  # noqa: BLE001  (re-raised in the parent, with the shard)
        return error


class _JoblibFutures:
    """joblib.Parallel over the shards (here: the ``dask`` backend), as ``(index, future)`` pairs
    whose ``result()`` re-raises a shard's exception, so :func:`_run_shards` treats every executor alike."""

    def __init__(self, shards, task, args, scheduler: str):
        self.shards, self.task, self.args, self.scheduler = shards, task, args, scheduler

    def __iter__(self):
        import joblib
        from distributed import Client

        with Client(self.scheduler), joblib.parallel_config(backend="dask"):
            outcomes = joblib.Parallel(return_as="generator_unordered", n_jobs=-1)(
                joblib.delayed(_indexed)(i, _shard_outcome, self.task, shard, *self.args)
                for i, shard in enumerate(self.shards))
            for i, outcome in outcomes:
                yield i, _Done(outcome)


def _indexed(i, function, *args):
    return i, function(*args)


class _Done:
    def __init__(self, outcome):
        self.outcome = outcome

    def result(self):
        if isinstance(self.outcome, BaseException):
            raise self.outcome
        return self.outcome


def _run_shards(shards: list[list[dict]], out_dir: Path, config: RenderConfig, n_jobs: int, blender: str | None,
                progress: bool, threads: int, dask_scheduler: str | None = None) -> tuple[list[float], list[str]]:
    """Submit every shard, update the progress bar as shards finish, and turn stopped shards into one
    :class:`RenderError` that names the shards and the missing images. Returns the seconds of each
    rendered image and the files of the records that failed (sorted)."""
    args = (str(out_dir), config.image_size, config.samples, threads)
    executor = None
    if dask_scheduler:
        done = _JoblibFutures(shards, _render_shard_in_process, args, dask_scheduler)
    elif blender:
        executor = ThreadPoolExecutor(max_workers=n_jobs)  # each thread waits on one subprocess
        submit = lambda shard: executor.submit(_render_shard_subprocess, shard, *args, blender)  # noqa: E731
    else:
        from joblib.externals.loky import get_reusable_executor

        executor = get_reusable_executor(max_workers=n_jobs, timeout=120, env=WORKER_ENV)
        submit = lambda shard: executor.submit(_render_shard_in_process, shard, *args)  # noqa: E731
    if executor is not None:
        futures = {submit(shard): i for i, shard in enumerate(shards)}
        done = ((futures[future], future) for future in as_completed(futures))
    try:
        seconds, failed, failures = _collect(done, shards, progress)
    except KeyboardInterrupt:  # stop the workers now; every image written so far is whole and kept
        _stop(executor)
        raise
    if blender and executor is not None:
        executor.shutdown()
    if failures:
        failures.sort(key=lambda f: f[0])
        raise _stopped_shards(failures, shards, out_dir, sorted(failed)) from failures[0][1]
    return seconds, sorted(failed)


def _stop(executor) -> None:
    """Ctrl-C: pass it on to the worker processes (a terminal's Ctrl-C reaches them already; a signal to
    this process alone does not) and let the pool go without waiting for the shards in flight."""
    import signal

    if executor is None:
        return
    for process in list(getattr(executor, "_processes", {}).values()):  # loky's workers
        try:
            os.kill(process.pid, signal.SIGINT)
        except (OSError, AttributeError):
            pass
    if isinstance(executor, ThreadPoolExecutor):  # --blender: shards not yet started never start
        executor.shutdown(wait=False, cancel_futures=True)
    else:
        executor.shutdown(wait=False)


def _collect(done, shards: list[list[dict]], progress: bool) -> tuple[list[float], list[str], list]:
    """Each shard's outcome as it finishes, with a progress bar: the seconds of each rendered image, the
    files of the records that failed, and the (shard, error) of the shards that stopped."""
    from tqdm.auto import tqdm

    failures, seconds, failed = [], [], []
    with tqdm(total=sum(map(len, shards)), unit="img", desc="rendering", disable=not progress) as bar:
        for i, future in done:
            try:
                results = future.result()
            except Exception as error:  # noqa: BLE001  (reported by the caller, with the shard)
                failures.append((i, error))
                continue
            seconds += [r["seconds"] for r in results if r["status"] == "rendered"]
            failed += [r["file"] for r in results if r["status"] == "failed"]
            bar.update(len(shards[i]))
    return seconds, failed, failures


def _stopped_shards(failures: list[tuple[int, BaseException]], shards: list[list[dict]], out_dir: Path,
                    failed: list[str]) -> RenderError:
    """The error of a run whose shards ``failures`` stopped: the first one's error, the others' images,
    and the records that failed in the shards that finished."""
    i, error = failures[0]
    kind = ("a worker process died (killed, out of memory or crashed in Blender) while rendering one of the "
            "shards in flight, and the shards not yet finished stopped with it"
            if type(error).__name__ in ("TerminatedWorkerError", "BrokenProcessPool") else "it failed")
    lines = [f"{len(failures)} of {len(shards)} shards did not finish. Shard {i}, {_describe(shards[i], out_dir)}: "
             f"{kind}: {type(error).__name__}: {error}"]
    lines += [f"  also shard {j}, {_describe(shards[j], out_dir)}" for j, _ in failures[1:6]]
    if failed:
        lines.append(f"  and {len(failed)} records failed in the shards that finished (their mesh files cannot be "
                     f"read): {', '.join(failed[:10])}{' ...' if len(failed) > 10 else ''}")
    lines.append(RESUME_HINT)
    return RenderError("\n".join(lines))
