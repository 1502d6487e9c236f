"""The download helper against a local HTTP server on 127.0.0.1 (there is no internet in CI)."""

import hashlib
import zipfile

import pytest

from hotdog import download
from conftest import write_image


def make_mirror(tmp_path, root, layout):
    """A zip like a GitHub archive: photos under the mirror's own folder names (1 = hotdog, 0 = not)."""
    files, lines = {}, []
    for i, (mirror_path, our_name) in enumerate(layout):
        path = write_image(tmp_path / "src" / f"{i}.jpg", seed=i)
        files[mirror_path] = path.read_bytes()
        lines.append(f"{hashlib.sha256(files[mirror_path]).hexdigest()}  {our_name}")
    with zipfile.ZipFile(root / "archive.zip", "w") as z:
        z.writestr("Hotdog-not-Hotdog-main/README.md", "a mirror")
        for name, content in files.items():
            z.writestr(name, content)
    (tmp_path / "sums.txt").write_text("\n".join(lines) + "\n")
    return files


LAYOUT = [("Hotdog-not-Hotdog-main/dataset/train/1/1000288.jpg", "hotdog/1000288.jpg"),
          ("Hotdog-not-Hotdog-main/dataset/test/1/1011661.jpg", "hotdog/1011661.jpg"),
          ("Hotdog-not-Hotdog-main/dataset/train/0/76271.jpg", "not_hotdog/76271.jpg")]


def test_download_verifies_files_and_files_them_by_class(tmp_path, server):
    root, url = server
    files = make_mirror(tmp_path, root, LAYOUT)
    dest = download.download_authentic(tmp_path / "authentic", url=f"{url}/archive.zip",
                                       checksums=tmp_path / "sums.txt", progress=False)
    assert (dest / "hotdog" / "1000288.jpg").read_bytes() == files[LAYOUT[0][0]]
    assert sorted(p.name for p in (dest / "not_hotdog").iterdir()) == ["76271.jpg"]
    assert not any(p.name.startswith(".") for p in dest.parent.iterdir())  # no temp files left
    # a second call finds everything in place and downloads nothing
    (root / "archive.zip").unlink()
    download.download_authentic(dest, url=f"{url}/archive.zip", checksums=tmp_path / "sums.txt", progress=False)


def test_a_tampered_file_is_not_kept_and_is_named(tmp_path, server):
    root, url = server
    make_mirror(tmp_path, root, LAYOUT)
    sums = tmp_path / "sums.txt"
    sums.write_text(sums.read_text().replace(sums.read_text()[:8], "00000000", 1))
    with pytest.raises(download.DownloadError, match=r"lacked 1 of the 3 .*hotdog/1000288.jpg"):
        download.download_authentic(tmp_path / "authentic", url=f"{url}/archive.zip", checksums=sums, progress=False)
    assert not (tmp_path / "authentic" / "hotdog" / "1000288.jpg").exists()
    assert (tmp_path / "authentic" / "hotdog" / "1011661.jpg").exists()  # what verified is kept


def test_unreachable_server_says_what_to_do(tmp_path, server):
    root, url = server
    with pytest.raises(download.DownloadError, match="HOTDOG_AUTHENTIC"):
        download.download_authentic(tmp_path / "a", url=f"{url}/missing.zip", progress=False)


def test_not_a_zip_is_reported(tmp_path, server):
    root, url = server
    (root / "page.zip").write_text("<html>rate limited</html>")
    with pytest.raises(download.DownloadError, match="did not deliver a zip"):
        download.download_authentic(tmp_path / "a", url=f"{url}/page.zip", progress=False)


def test_packaged_checksums_cover_the_articles_998_photos(authentic_root):
    sums = download.read_checksums()
    assert len(sums) == 998
    assert sum(name.startswith("hotdog/") for name in sums) == 499
    assert download.missing_files(authentic_root, sums) == []
