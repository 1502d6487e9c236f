"""Fetch the article's real photos (998 JPEGs, 499 per class) and check every byte of them.

The article used the Kaggle data set ``dansbecker/hot-dog-not-hot-dog`` (photos from Food-101),
merged from its train and test folders. Kaggle needs an account, so we fetch a public copy of the
same photos: a GitHub repository's archive (``AUTHENTIC_URL``). Whatever arrives is checked against
``hotdog/assets/authentic.sha256``, the SHA-256 of each of the 998 photos: a file is kept only if
its content matches, and is named and filed by that list, so the archive's own layout does not
matter. Files are written atomically; running the download again keeps what is already correct.
"""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from importlib import resources
from pathlib import Path

from hotdog import files

AUTHENTIC_URL = "https://github.com/george-studenko/Hotdog-not-Hotdog/archive/HEAD.zip"


class DownloadError(RuntimeError):
    """The download failed or did not deliver what the checksum list expects."""


def read_checksums(path: str | Path | None = None, packaged: str = "authentic.sha256") -> dict[str, str]:
    """``{relative path: sha256}`` from a ``sha256sum``-style list (default: ``hotdog/assets/<packaged>``)."""
    text = (Path(path).read_text() if path else
            resources.files("hotdog").joinpath(f"assets/{packaged}").read_text())
    checksums = {}
    for line in text.splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            checksums[name.strip()] = digest.lower()
    return checksums


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def missing_files(dest: Path, checksums: dict[str, str]) -> list[str]:
    """The names in ``checksums`` that are absent from ``dest`` or whose content differs."""
    return [name for name, digest in checksums.items()
            if not (dest / name).is_file() or sha256((dest / name).read_bytes()) != digest]


def fetch(url: str, folder: str | Path, name: str, known_hash: str | None = None, progress: bool = True,
          hint: str = "") -> Path:
    """``url`` downloaded to ``folder/name`` with pooch: a progress bar, the file written whole or not at
    all, and with ``known_hash`` (e.g. ``"sha256:..."``) checked before it is kept; a file already there
    with that hash is not fetched again. A failure is a :class:`DownloadError` naming the URL and ``hint``."""
    import pooch

    pooch.get_logger().setLevel("WARNING")
    try:
        return Path(pooch.retrieve(url, known_hash=known_hash, fname=name, path=folder, progressbar=progress))
    except ValueError as error:  # pooch: the hash does not match (the file was not kept)
        raise DownloadError(f"{name} from {url} does not match its checksum ({error}); it was not saved") from error
    except OSError as error:  # requests' errors are OSErrors: no connection, HTTP 404, ...
        raise DownloadError(f"could not download {url} ({error}). {hint}".strip()) from error


def download_authentic(dest: str | Path | None = None, url: str = AUTHENTIC_URL,
                       checksums: str | Path | None = None, progress: bool = True) -> Path:
    """Put the real photos in ``dest/{hotdog,not_hotdog}/`` (default: the HOTDOG_AUTHENTIC setting).

    Does nothing when every file is already there and correct. Raises ``DownloadError`` naming
    what is missing if the archive lacks some photos; the ones that did verify are kept.
    """
    from hotdog.paths import authentic_dir

    dest = Path(dest) if dest else authentic_dir()
    expected = read_checksums(checksums)
    wanted = missing_files(dest, expected)
    if not wanted:
        return dest
    by_digest: dict[str, list[str]] = {}
    for name in wanted:
        by_digest.setdefault(expected[name], []).append(name)

    dest.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".hotdog-download-") as tmp:
        archive = fetch(url, tmp, "archive.zip", progress=progress, hint=(
            "Check the internet connection, or download the photos by hand into <folder>/hotdog and "
            "<folder>/not_hotdog and set HOTDOG_AUTHENTIC=<folder>."))
        try:
            with zipfile.ZipFile(archive) as zipped:
                for member in zipped.infolist():
                    if member.is_dir() or member.file_size > 50 << 20:
                        continue
                    data = zipped.read(member)
                    for name in by_digest.pop(sha256(data), []):
                        files.write_bytes(dest / name, data)
        except zipfile.BadZipFile as error:
            raise DownloadError(f"{url} did not deliver a zip archive ({error}); try again later.") from error
    still_missing = sorted(name for names in by_digest.values() for name in names)
    if still_missing:
        raise DownloadError(
            f"{url} lacked {len(still_missing)} of the {len(expected)} expected photos "
            f"(first: {', '.join(still_missing[:3])}); the {len(expected) - len(still_missing)} that "
            f"matched their checksum are in {dest}. Copy the rest there by hand, or set HOTDOG_AUTHENTIC.")
    return dest


def ensure_authentic(progress: bool = True) -> Path:
    """The real-photo folder, downloading the photos first if it does not exist yet."""
    from hotdog.paths import authentic_dir

    dest = authentic_dir()
    if not dest.exists() or not any(dest.iterdir()):
        print(f"{dest} is missing: downloading the article's 998 real photos")
        download_authentic(dest, progress=progress)
    return dest
