"""Fetch the article author's own rendering assets: four COLLADA hotdog meshes and 19 background photos.

They live in the public GitHub repository ``johnsutor/synthblend`` (the article's "Synthblend" script);
every file is fetched by its raw URL at one pinned commit (:data:`COMMIT`) and checked against
``hotdog/assets/article.sha256`` (SHA-256 and path of each file, relative to the destination folder).
A file is written atomically and only when its content matches; files already there and correct are
not fetched again. ``hotdog4``'s two texture files are not in the list (too large to carry), so that
mesh renders with a plain material.

Use the meshes with ``RenderConfig(meshes_dir=...)`` (a folder with ``hotdog/`` holding them, e.g. a
symbolic link ``hotdog -> <dest>/models``) and the photos with ``RenderConfig(backgrounds_dir=<dest>/backgrounds)``.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

from hotdog.download import DownloadError, fetch, read_checksums, sha256

REPOSITORY = "johnsutor/synthblend"
COMMIT = "dd39733b9ae11b8cc068f28b7882068242521369"
BASE_URL = f"https://raw.githubusercontent.com/{REPOSITORY}/{COMMIT}"


def article_checksums(path: str | Path | None = None) -> dict[str, str]:
    """``{relative path: sha256}`` of the article's assets (default: the packaged list)."""
    return read_checksums(path, packaged="article.sha256")


def default_dest() -> Path:
    from hotdog.paths import data_dir

    return data_dir() / "article"


def _is_correct(file: Path, digest: str) -> bool:
    return file.is_file() and sha256(file.read_bytes()) == digest


def download_article_assets(dest: str | Path | None = None, base_url: str = BASE_URL, progress: bool = True,
                            checksums: str | Path | None = None) -> Path:
    """Put the article's meshes and backgrounds in ``dest`` (default ``data/article``); returns ``dest``.

    Each file comes from ``<base_url>/<relative path>`` and is kept only if its SHA-256 matches the
    list (:func:`hotdog.download.fetch`). Every file is tried; then ``DownloadError`` names each one
    that failed to download or did not match (the good ones stay, so a second call finishes the rest).
    Files already correct are skipped.
    """
    from tqdm.auto import tqdm

    dest = Path(dest) if dest else default_dest()
    expected = article_checksums(checksums)
    todo = [name for name, digest in sorted(expected.items()) if not _is_correct(dest / name, digest)]
    failures = []
    for name in tqdm(todo, unit="file", desc="article assets", disable=not progress or not todo):
        url = f"{base_url.rstrip('/')}/{urllib.parse.quote(name)}"
        target = dest / name
        try:
            fetch(url, target.parent, target.name, known_hash=f"sha256:{expected[name]}", progress=False)
        except DownloadError as error:
            failures.append(str(error))
    if failures:
        more = f"; and {len(failures) - 3} more" if len(failures) > 3 else ""
        raise DownloadError(f"{len(failures)} of the {len(expected)} article files did not arrive intact: "
                            + "; ".join(failures[:3]) + more + f". The others are in {dest}. Check the internet "
                            f"connection and run again to retry, or copy the files there by hand.")
    return dest
