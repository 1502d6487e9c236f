"""The faults and bad inputs a user meets, each with a clear answer that loses nothing (issue: "Nothing
lost, nothing silently wrong"). Each test asserts the message the user reads or the file that is kept."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import torch
from PIL import Image

from hotdog import data, modes
from hotdog.__main__ import main
from hotdog.model import BinaryClassifier
from conftest import write_image

ROOT = Path(__file__).resolve().parents[1]


# 1. a finished model is never replaced by an untrained one --------------------------------------

@pytest.mark.parametrize("epochs", ["0", "-2"])
def test_train_refuses_zero_or_negative_epochs_naming_the_option(epochs, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["train", "authentic", "--epochs", epochs, "--out", str(tmp_path)])
    assert exit_.value.code == 2
    assert f"argument --epochs: a whole number 1 or more, not {epochs}" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_train_keeps_a_finished_model_unless_asked_to_replace_it(tmp_path, capsys):
    finished = modes.checkpoint(tmp_path, "authentic")
    torch.save(BinaryClassifier().state_dict(), finished)
    before = finished.read_bytes()
    assert main(["train", "authentic", "--size", "tiny", "--out", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert str(finished) in error and "--force" in error and "--out NEW_FOLDER" in error
    assert finished.read_bytes() == before
    assert main(["train", "authentic", "--size", "tiny", "--photos", "32", "--out", str(tmp_path), "--force"]) == 0
    assert finished.read_bytes() != before


# 2. a photo too large to open safely is named, not a traceback ----------------------------------

def test_a_decompression_bomb_is_skipped_and_named_in_training_and_refused_by_predict(image_folder, monkeypatch, capsys):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 15_000)  # PIL refuses above twice this: 400x300 is a "bomb" here
    big = write_image(image_folder / "hotdog" / "huge.jpg", size=(400, 300))
    with pytest.warns(UserWarning, match="huge.jpg: too large to open safely"):
        folder = data.HotdogImageFolder(image_folder)
    assert [Path(p).name for p, _ in folder.skipped] == ["huge.jpg"] and len(folder) == 12
    assert main(["predict", str(big)]) == 1
    assert "huge.jpg: cannot tell: too large" in capsys.readouterr().out


# 3. one added or removed photo moves no other photo ---------------------------------------------

def _linked_copy(source: Path, dest: Path, leave_out=()) -> Path:
    for label in ("hotdog", "not_hotdog"):
        (dest / label).mkdir(parents=True)
        for photo in sorted((source / label).iterdir()):
            if f"{label}/{photo.name}" not in leave_out:
                (dest / label / photo.name).symlink_to(photo)
    return dest


def test_the_split_is_stable_when_a_photo_goes_missing_or_one_is_added(authentic_root, tmp_path):
    full = data.authentic(authentic_root)
    names = lambda subset: {os.path.relpath(subset.dataset.samples[i][0], subset.dataset.root) for i in subset.indices}  # noqa: E731
    train, test = data.split(full, seed=0)
    gone = sorted(names(test))[0]
    fewer = data.authentic(_linked_copy(authentic_root, tmp_path / "fewer", leave_out={gone}))
    train_997, test_997 = data.split(fewer, seed=0)
    assert names(test_997) == names(test) - {gone} and names(train_997) == names(train)
    more = _linked_copy(authentic_root, tmp_path / "more")
    write_image(more / "hotdog" / "mine.jpg", seed=7)
    train_999, test_999 = data.split(data.authentic(more), seed=0)
    assert names(test_999) - {"hotdog/mine.jpg"} == names(test) and names(train_999) - {"hotdog/mine.jpg"} == names(train)


def test_a_users_own_photos_are_split_by_a_hash_of_their_content(image_folder):
    train, test = data.split(data.HotdogImageFolder(image_folder), seed=0, test_fraction=0.5)
    assert sorted(train.indices + test.indices) == list(range(12))
    (image_folder / "hotdog" / "h0.jpg").unlink()  # one fewer: every other photo stays on its side
    names = lambda s: {Path(s.dataset.samples[i][0]).name for i in s.indices}  # noqa: E731
    train_11, test_11 = data.split(data.HotdogImageFolder(image_folder), seed=0, test_fraction=0.5)
    assert names(train_11) == names(train) - {"h0.jpg"} and names(test_11) == names(test) - {"h0.jpg"}


# 4. a damaged resume file is named with the fix ---------------------------------------------------

@pytest.mark.parametrize("damage", ["random bytes", "truncated"])
def test_a_damaged_resume_file_names_itself_and_the_fix(damage, tmp_path):
    from hotdog.train import ResumeError, TrainConfig, train
    from test_train import fake_images

    photos = {"authentic": fake_images(16, 0)}
    config = TrainConfig(batch_size=8, authentic_epochs=2)
    train("authentic", photos, TrainConfig(batch_size=8, authentic_epochs=1), checkpoint_dir=tmp_path, progress=False)
    resume = tmp_path / "authentic.resume.pt"
    torch.save({"config": {}, "model": BinaryClassifier().state_dict()}, resume)
    resume.write_bytes(os.urandom(300) if damage == "random bytes" else resume.read_bytes()[:200])
    with pytest.raises(ResumeError, match=f"{resume} is damaged .* delete it and run the same command again"):
        train("authentic", photos, config, checkpoint_dir=tmp_path, progress=False)
    assert modes.checkpoint(tmp_path, "authentic").exists()  # the finished model beside it is untouched


# 5. a zero-byte or truncated render is not counted as done ----------------------------------------

def test_a_zero_byte_or_truncated_render_is_rendered_again(tmp_path):
    from hotdog.render import RenderConfig, render_dataset
    from hotdog.render.effects import png_is_whole

    config = RenderConfig(n_images=3, seed=0)
    render_dataset(tmp_path, config, n_jobs=1, progress=False)
    first, second = tmp_path / "hotdog" / "00000.png", tmp_path / "not_hotdog" / "00001.png"
    whole = first.read_bytes()
    assert png_is_whole(first, 128) and not png_is_whole(first, 64)
    first.write_bytes(b"")
    second.write_bytes(second.read_bytes()[: len(second.read_bytes()) // 2])
    assert not png_is_whole(first, 128) and not png_is_whole(second, 128)
    again = render_dataset(tmp_path, config, n_jobs=1, progress=False)
    assert (again["n_rendered"], again["n_damaged"]) == (2, 2)
    assert sorted(again["damaged"]) == ["hotdog/00000.png", "not_hotdog/00001.png"]
    assert first.read_bytes() == whole and png_is_whole(second, 128)


# 6. arguments are checked before any work, naming the option --------------------------------------

@pytest.mark.parametrize("argv, option", [
    (["train", "authentic", "--photos", "-3"], "--photos"), (["train", "authentic", "--photos", "0"], "--photos"),
    (["render", "--images", "-5"], "--images"), (["render", "--images", "0"], "--images"),
    (["render", "--samples", "0"], "--samples"), (["render", "--samples", "-3"], "--samples"),
    (["render", "--jobs", "0"], "--jobs"), (["render", "--seed", "-1"], "--seed"),
    (["train", "both", "--seed", "12345678901234567890"], "--seed"), (["study", "x", "--seeds", "0", "-1"], "--seeds"),
])
def test_bad_numbers_are_refused_naming_the_option(argv, option, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    assert f"argument {option}:" in capsys.readouterr().err


def test_a_render_config_refuses_what_it_would_not_render():
    from hotdog.render import RenderConfig

    for field, value in (("samples", 0), ("samples", -3), ("n_images", -5), ("seed", -1)):
        with pytest.raises(ValueError, match=f"RenderConfig.{field} must be"):
            RenderConfig(**{field: value})


def test_more_photos_than_there_are_is_refused(authentic_root):
    with pytest.raises(ValueError, match="--photos.* from 1 to the 799 training photos, not 5000"):
        data.prepare(photo_limit=5000, progress=False)


# 7. messages that say what is wrong, briefly ----------------------------------------------------

def test_a_checkpoint_of_another_network_is_summarised_not_dumped(tmp_path, capsys):
    torch.save({f"layer{i}.weight": torch.zeros(1) for i in range(150)}, tmp_path / "other.pt")
    assert main(["evaluate", str(tmp_path / "other.pt")]) == 1
    error = capsys.readouterr().err
    assert "holds the weights of another network" in error and "150 unknown" in error and len(error) < 600


def test_a_garbage_checkpoint_does_not_advise_loading_it_unsafely(tmp_path, capsys):
    (tmp_path / "garbage.pt").write_bytes(os.urandom(2000))
    assert main(["evaluate", str(tmp_path / "garbage.pt")]) == 1
    error = capsys.readouterr().err
    assert "is not a BinaryClassifier checkpoint" in error and "weights_only" not in error


def test_evaluate_on_one_photo_points_at_predict(tmp_path, image_folder, capsys):
    torch.save(BinaryClassifier().state_dict(), tmp_path / "model.pt")
    photo = image_folder / "hotdog" / "h0.jpg"
    assert main(["evaluate", str(tmp_path / "model.pt"), str(photo)]) == 1
    error = capsys.readouterr().err
    assert f"{photo} is a file" in error and f"python -m hotdog predict --checkpoint {tmp_path / 'model.pt'} {photo}" in error


def test_a_missing_checkpoint_is_named_before_any_photo_is_decoded(tmp_path, image_folder, monkeypatch, capsys):
    monkeypatch.setattr(data, "cache", lambda *a, **k: pytest.fail("decoded the photos first"))
    assert main(["evaluate", str(tmp_path / "nope.pt"), str(image_folder)]) == 1
    assert "nope.pt does not exist" in capsys.readouterr().err


def test_an_offline_article_download_says_so_once(tmp_path, server):
    from hotdog import article_assets
    from hotdog.download import DownloadError

    _, url = server
    with pytest.raises(DownloadError) as info:
        article_assets.download_article_assets(tmp_path / "article", base_url=f"{url}/nowhere", progress=False)
    message = str(info.value)
    assert message.startswith("29 of the 29 article files did not arrive intact") and "and 26 more" in message
    assert message.count("internet connection") == 1 and len(message) < 1500


def test_training_on_an_empty_photo_folder_mentions_download(tmp_path, monkeypatch):
    for label in ("hotdog", "not_hotdog"):
        (tmp_path / "photos" / label).mkdir(parents=True)
    with pytest.raises(data.DataLayoutError, match="python -m hotdog download"):
        data.authentic(tmp_path / "photos")
    (tmp_path / "flat").mkdir()
    with pytest.raises(data.DataLayoutError, match="python -m hotdog download"):
        data.authentic(tmp_path / "flat")


def test_predict_names_the_files_it_passes_over(image_folder, capsys):
    (image_folder / "hotdog" / "party.gif").write_bytes(b"GIF89a")
    (image_folder / "hotdog" / "phone.heic").write_bytes(b"heic")
    assert main(["predict", str(image_folder)]) == 0
    err = capsys.readouterr().err
    assert "passed over 2 file(s)" in err and "party.gif" in err and "phone.heic" in err


# 8. Ctrl-C: one line saying what was kept and how to go on -----------------------------------------

def test_ctrl_c_in_training_says_the_same_command_resumes(tmp_path, monkeypatch, capsys):
    from hotdog import train as training

    monkeypatch.setattr(training, "train_one_epoch", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt))
    assert main(["train", "authentic", "--size", "tiny", "--photos", "32", "--out", str(tmp_path)]) == 130
    error = capsys.readouterr().err
    assert "interrupted" in error and "the same command resumes" in error and "Traceback" not in error


def test_ctrl_c_on_a_render_stops_the_workers_and_says_what_was_kept(tmp_path):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    render = subprocess.Popen([sys.executable, "-m", "hotdog", "render", "--images", "400", "--jobs", "2",
                               "--dest", str(tmp_path)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, start_new_session=True,
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as in a terminal
    deadline = time.time() + 120
    while time.time() < deadline and len(list(tmp_path.rglob("*.png"))) < 4:
        time.sleep(0.5)
    os.killpg(render.pid, signal.SIGINT)  # as a terminal's Ctrl-C: to the whole process group
    out, err = render.communicate(timeout=60)
    assert render.returncode == 130, err
    lines = [line for line in err.splitlines() if line.strip() and "rendering:" not in line and "CUEW" not in line]
    assert lines == ["hotdog render: interrupted; every image written so far is whole and kept; the same command "
                     "renders only the missing ones"], err[-2000:]
    from hotdog.render.effects import png_is_whole

    assert all(png_is_whole(p, 128) for p in tmp_path.rglob("*.png"))


def test_train_both_cut_off_in_fine_tuning_resumes_rather_than_refusing(tmp_path, monkeypatch, capsys):
    from hotdog import paths
    from hotdog import train as training

    real, calls = training.train_one_epoch, []

    def dies_on_fine_tuning(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:  # tiny sizes: one synthetic epoch, then the first epoch on photos
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    argv = ["train", "both", "--size", "tiny", "--photos", "32", "--synthetic", str(paths.sample_synthetic_dir()),
            "--out", str(tmp_path)]
    monkeypatch.setattr(training, "train_one_epoch", dies_on_fine_tuning)
    assert main(argv) == 130
    assert modes.checkpoint(tmp_path, "synthetic").exists() and (tmp_path / "both.resume.pt").exists()
    monkeypatch.setattr(training, "train_one_epoch", real)
    capsys.readouterr()
    assert main(argv) == 0
    assert "resuming both" in capsys.readouterr().out and modes.checkpoint(tmp_path, "both").exists()
