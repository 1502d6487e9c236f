import io

import numpy as np
import pytest
import torch
from PIL import Image
from torch.utils.data import DataLoader

from hotdog import data
from conftest import write_image


def test_every_real_photo_becomes_a_normalised_128_square(authentic_root):
    folder = data.authentic(authentic_root)
    assert len(folder) == 998 and folder.skipped == []
    cached = data.cache(folder, progress=False)
    assert cached.images.shape == (998, 3, 128, 128) and cached.images.dtype == torch.uint8
    image, label = cached[0]
    assert image.dtype == torch.float32 and -1.0 <= image.min() and image.max() <= 1.0
    # the cache gives exactly what the article's transform (plus the square crop) gives
    direct = data.HotdogImageFolder(authentic_root, transform=data.transform(), check=False)[0][0]
    assert torch.allclose(image, direct, atol=1e-6)


def test_hotdog_is_the_positive_class(authentic_root):
    folder = data.authentic(authentic_root)
    assert folder.class_to_idx == {"not_hotdog": 0, "hotdog": 1}
    for path, label in folder.samples[::50]:
        assert label == (1 if "/hotdog/" in path.replace("\\", "/") else 0)
    assert int(folder.labels.sum()) == 499


def test_split_is_799_199_reproducible_and_disjoint(authentic_root):
    folder = data.authentic(authentic_root)
    train, test = data.split(folder, seed=0)
    assert (len(train), len(test)) == (799, 199)
    assert set(train.indices).isdisjoint(test.indices)
    assert data.split(folder, seed=0)[1].indices == test.indices
    assert data.split(folder, seed=1)[1].indices != test.indices


def test_non_square_images_are_cropped_square(image_folder):
    cached = data.cache(data.HotdogImageFolder(image_folder), progress=False)
    assert cached.images.shape == (12, 3, 128, 128)
    assert cached.labels.tolist().count(1) == 6


@pytest.mark.parametrize("mode", ["L", "P", "RGBA", "LA", "CMYK", "I;16", "I", "F"])
def test_any_image_mode_is_read_as_8bit_rgb(tmp_path, mode):
    array = (np.arange(64 * 48).reshape(48, 64) % 256).astype(np.uint8)
    if mode == "I;16":
        image = Image.fromarray((array.astype(np.uint16) * 257))
        assert image.mode in ("I;16", "I")
    elif mode in ("I", "F"):
        image = Image.fromarray(array.astype(np.int32 if mode == "I" else np.float32))
    else:
        image = Image.fromarray(array).convert(mode)
    path = tmp_path / ("x.tiff" if mode in ("CMYK", "I", "F", "I;16") else "x.png")
    image.save(path)
    rgb = data.load_rgb(path)
    assert rgb.mode == "RGB" and rgb.size == (64, 48)
    values = np.asarray(rgb)
    assert values.max() > 100  # the content survived the conversion (not all black)


def test_sixteen_bit_keeps_its_range(tmp_path):
    array = np.full((20, 20), 65535, dtype=np.uint16)
    Image.fromarray(array).save(tmp_path / "white16.png")
    assert np.asarray(data.load_rgb(tmp_path / "white16.png")).min() == 255


def test_corrupt_truncated_and_non_image_files_are_skipped_and_counted(image_folder):
    (image_folder / "hotdog" / "corrupt.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not a jpeg")
    good = io.BytesIO()
    Image.fromarray(np.full((200, 200, 3), 120, np.uint8)).save(good, "JPEG")
    (image_folder / "not_hotdog" / "truncated.jpg").write_bytes(good.getvalue()[: len(good.getvalue()) // 2])
    (image_folder / "hotdog" / "notes.txt").write_text("not a photo")
    with pytest.warns(UserWarning, match="skipped 3 file"):
        folder = data.HotdogImageFolder(image_folder)
    assert len(folder) == 12
    assert {p.split("/")[-1] for p, _ in folder.skipped} == {"corrupt.jpg", "truncated.jpg", "notes.txt"}
    # nothing left to crash inside DataLoader workers
    loader = DataLoader(data.HotdogImageFolder(image_folder, transform=data.transform(), check=True),
                        batch_size=4, num_workers=2)
    assert sum(len(y) for _, y in loader) == 12


def test_missing_class_folder_names_the_fix(image_folder):
    for f in (image_folder / "not_hotdog").iterdir():
        f.unlink()
    (image_folder / "not_hotdog").rmdir()
    with pytest.raises(data.DataLayoutError, match="missing: not_hotdog"):
        data.HotdogImageFolder(image_folder)


def test_empty_class_folder_names_the_folder(image_folder):
    for f in (image_folder / "hotdog").iterdir():
        f.unlink()
    with pytest.raises(data.DataLayoutError, match="hotdog has no readable image"):
        data.HotdogImageFolder(image_folder)


def test_missing_root_says_how_to_get_the_photos(tmp_path):
    with pytest.raises(data.DataLayoutError, match="python -m hotdog download"):
        data.HotdogImageFolder(tmp_path / "nowhere")


def test_flat_folder_of_photos_is_refused(tmp_path):
    write_image(tmp_path / "flat" / "a.jpg")
    with pytest.raises(data.DataLayoutError, match="one folder per class"):
        data.HotdogImageFolder(tmp_path / "flat")


def test_extra_folders_are_ignored_with_a_warning(image_folder):
    write_image(image_folder / "tacos" / "t.jpg")
    with pytest.warns(UserWarning, match="ignoring folder"):
        folder = data.HotdogImageFolder(image_folder)
    assert len(folder) == 12


def test_authentic_setting_is_read_from_the_environment(monkeypatch, image_folder):
    from hotdog import paths

    monkeypatch.setenv("HOTDOG_AUTHENTIC", str(image_folder))
    assert paths.authentic_dir() == image_folder.resolve()
    assert len(data.authentic()) == 12


def test_prepare_gives_one_runs_data_carved_and_decoded_once(authentic_root):
    from hotdog import paths

    prepared = data.prepare(seed=1, synthetic_root=paths.sample_synthetic_dir(), photo_limit=96,
                            validation_photos=16, progress=False)
    assert (len(prepared.authentic_train), len(prepared.validation), len(prepared.test)) == (80, 16, 199)
    assert len(prepared.synthetic) == 320 and set(prepared.training()) == {"authentic", "synthetic"}
    assert not set(prepared.validation.paths) & set(prepared.authentic_train.paths)  # carved off, never shared
    assert not set(prepared.test.paths) & set(prepared.authentic_train.paths + prepared.validation.paths)
    assert prepared.test_photos()[0].split("/")[0] in ("hotdog", "not_hotdog")
    assert "80 real training photos, 16 validation photos, 199 real test photos" in prepared.describe()
    photos_only = data.prepare(seed=1, photo_limit=96, progress=False)
    assert photos_only.synthetic is None and set(photos_only.training()) == {"authentic"}
    assert photos_only.test_photos() == prepared.test_photos()  # the split depends on the seed alone


def test_a_stratified_carve_takes_each_class_in_proportion_by_seed():
    from test_train import fake_images

    photos = fake_images(100, 0)
    photos.labels[:30] = 1  # 30 + 35 hotdogs of 100 (fake_images alternates the rest)
    kept, validation = data.carve(photos, 20, seed=1, stratified=True)
    hotdogs = sum(int(photos.labels[i]) for i in validation.indices)
    assert len(validation) == 20 and len(kept) == 80 and hotdogs == 13  # 65 % of 20
    assert not set(kept.indices) & set(validation.indices)
    assert data.carve(photos, 20, seed=1, stratified=True)[1].indices == validation.indices
    assert data.carve(photos, 20, seed=2, stratified=True)[1].indices != validation.indices
