import subprocess
import sys

import pytest
import torch

from hotdog.__main__ import main
from hotdog.model import BinaryClassifier


@pytest.mark.parametrize("command", ["run", "download", "render", "evaluate", "predict"])
def test_every_subcommand_explains_itself(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert "usage: hotdog " + command in capsys.readouterr().out


def test_module_entry_point_runs():
    out = subprocess.run([sys.executable, "-m", "hotdog", "--help"], capture_output=True, text=True, check=True)
    assert "render" in out.stdout and "evaluate" in out.stdout


def test_evaluate_prints_accuracy_and_interval(tmp_path, image_folder, capsys):
    torch.manual_seed(0)
    torch.save(BinaryClassifier().state_dict(), tmp_path / "model.pt")
    assert main(["evaluate", str(tmp_path / "model.pt"), str(image_folder)]) == 0
    out = capsys.readouterr().out
    assert "accuracy" in out and "95% interval" in out and "/12)" in out


def test_evaluate_with_a_missing_checkpoint_fails_cleanly(tmp_path, image_folder, capsys):
    assert main(["evaluate", str(tmp_path / "nope.pt"), str(image_folder)]) == 1
    assert "train a model first" in capsys.readouterr().err


def test_predict_answers_per_photo_and_names_bad_files(tmp_path, image_folder, capsys):
    torch.manual_seed(0)
    torch.save(BinaryClassifier().state_dict(), tmp_path / "model.pt")
    (tmp_path / "note.jpg").write_text("not a photo")
    code = main(["predict", "--checkpoint", str(tmp_path / "model.pt"), str(image_folder / "hotdog"),
                 str(tmp_path / "note.jpg"), str(tmp_path / "missing.jpg")])
    out = capsys.readouterr().out
    assert code == 1  # some files could not be judged
    assert out.count("otdog!") == 6  # "Hotdog!" or "Not hotdog!" for each of the 6 photos
    assert "note.jpg: cannot tell: not a readable image" in out
    assert "missing.jpg: cannot tell: no such file" in out


def test_predict_refuses_a_huge_image(tmp_path, monkeypatch):
    from PIL import Image

    from hotdog import seefood

    monkeypatch.setattr(seefood, "MAX_PIXELS", 100)
    Image.new("RGB", (20, 20)).save(tmp_path / "big.png")
    model = BinaryClassifier()
    [answer] = seefood.predict_files([tmp_path / "big.png"], model)
    assert answer.probability is None and "too large" in answer.error
