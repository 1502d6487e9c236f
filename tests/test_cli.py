import subprocess
import sys

import pytest
import torch

from hotdog.__main__ import main
from hotdog.model import BinaryClassifier


@pytest.mark.parametrize("command", ["run", "download", "render", "evaluate"])
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
