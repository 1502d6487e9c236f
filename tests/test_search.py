"""The recipe search (hotdog/search.py): trials scored on validation photos only, resumable, tabled."""

import dataclasses
import json
import shutil

import pytest

from hotdog import paths, search, settings
from hotdog.__main__ import main


@pytest.fixture
def tiny():
    return dataclasses.replace(settings.sizes("tiny"), authentic_train_limit=64)


def test_every_trial_chooses_on_validation_photos_carved_by_class():
    for name, trial in search.TRIALS.items():
        assert trial.recipe.validation_photos == 160 and trial.recipe.stratified, name
        assert trial.recipe.train.get("choose_epoch") is False, name  # fixed epochs: the curve is watched, not used


def test_a_trial_is_scored_on_validation_photos_and_never_on_the_test_photos(tiny, tmp_path, monkeypatch, authentic_root):
    from hotdog import experiment

    monkeypatch.setattr(experiment, "evaluate_checkpoints", lambda *a, **k: pytest.fail("the test photos were scored"))
    record = search.run_trial("onecycle-mixup", sizes=tiny, root=tmp_path, progress=False)
    assert record["n_validation"] == 16 and record["n_train"] == 48  # 64 photos, a quarter carved
    scores = record["scores"]["authentic"]
    assert set(scores) == {"plain", "flip"} and scores["plain"]["n"] == 16
    assert all("val_auc" in e and "test_accuracy" not in e for e in record["history"]["epochs"])
    assert json.loads((tmp_path / "recipe-search" / "onecycle-mixup.json").read_text())["trial"] == "onecycle-mixup"

    monkeypatch.setattr(search, "train", lambda *a, **k: pytest.fail("a finished trial was trained again"))
    assert search.run_trial("onecycle-mixup", sizes=tiny, root=tmp_path) == record
    table = search.table(search.load(tmp_path))
    assert "| onecycle-mixup | authentic only | 3 |" in table
    fitted = search.calibration_for("onecycle-mixup", "authentic", root=tmp_path)  # on the same 16 photos
    assert fitted["n"] == 16 and fitted["a"] == fitted["a"] and "onecycle-mixup" in fitted["fitted_on"]  # not NaN


def test_both_trials_score_the_renders_only_model_too_and_record_the_renders_settings(tiny, tmp_path, authentic_root):
    renders = tmp_path / "renders"
    shutil.copytree(paths.sample_synthetic_dir(), renders)
    (renders / "render_config.json").write_text(json.dumps({"n_images": 320, "seed": 7}))
    record = search.run_trial("both-finetune", sizes=tiny, synthetic_root=renders, root=tmp_path, progress=False)
    assert set(record["scores"]) == {"synthetic", "both"} and record["n_synthetic"] == 320
    assert record["render_config"] == {"n_images": 320, "seed": 7}  # which renders: a pair of trials can be checked


def test_the_search_command_names_an_unknown_trial(capsys):
    assert main(["search", "grid-of-everything"]) == 1
    assert "no trial named grid-of-everything" in capsys.readouterr().err


def test_the_separate_batchnorm_trial_begins_from_its_baselines_synthetic_stage(tiny, tmp_path, authentic_root,
                                                                                  capsys):
    renders = tmp_path / "renders"
    shutil.copytree(paths.sample_synthetic_dir(), renders)
    (renders / "render_config.json").write_text(json.dumps({"n_images": 320, "seed": 7}))
    lender = search.run_trial("both-mixed-photo", sizes=tiny, synthetic_root=renders, root=tmp_path, progress=False)
    record = search.run_trial("both-mixed-dsbn", sizes=tiny, synthetic_root=renders, root=tmp_path, progress=False)
    assert record["synthetic_stage_from"] == "both-mixed-photo.json" and lender["synthetic_stage_from"] is None
    assert record["scores"]["synthetic"] == lender["scores"]["synthetic"]  # the very same renders-only model
    stage = [row for row in record["history"]["epochs"] if row["stage"] == "synthetic"]
    assert stage == [row for row in lender["history"]["epochs"] if row["stage"] == "synthetic"]
    assert record["history"]["config"]["separate_bn"] and not lender["history"]["config"]["separate_bn"]
    rows = [line for line in search.table(search.load(tmp_path)).splitlines() if "both-mixed-dsbn" in line]
    assert "(both-mixed-photo's) |" in rows[0] and rows[0].endswith("| - |") and rows[1].endswith("(fine-tuning) |")


def test_a_trial_trains_its_synthetic_stage_itself_when_the_lender_differs(tiny, tmp_path, authentic_root, capsys):
    renders = tmp_path / "renders"
    shutil.copytree(paths.sample_synthetic_dir(), renders)
    search.run_trial("both-mixed-photo", sizes=tiny, synthetic_root=renders, root=tmp_path, progress=False)
    (renders / "render_config.json").write_text(json.dumps({"n_images": 320, "seed": 8}))  # other renders now
    record = search.run_trial("both-mixed-dsbn", sizes=tiny, synthetic_root=renders, root=tmp_path, progress=False)
    assert record["synthetic_stage_from"] is None
    assert "training the synthetic stage here" in capsys.readouterr().out
