import os
import subprocess
import sys

import pytest
import torch

from hotdog.__main__ import main
from hotdog.model import BinaryClassifier


@pytest.mark.parametrize("command", ["run", "download", "render", "train", "evaluate", "predict"])
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


def test_download_command_fetches_and_verifies(tmp_path, server, capsys, monkeypatch):
    import functools

    from hotdog import download
    from test_download import LAYOUT, make_mirror

    root, url = server
    make_mirror(tmp_path, root, LAYOUT)
    monkeypatch.setattr(download, "download_authentic", functools.partial(
        download.download_authentic, url=f"{url}/archive.zip", checksums=tmp_path / "sums.txt", progress=False))
    assert main(["download", "--dest", str(tmp_path / "photos")]) == 0
    assert "photos in" in capsys.readouterr().out
    assert sorted(p.name for p in (tmp_path / "photos").iterdir()) == ["hotdog", "not_hotdog"]


def test_render_command_renders_a_tiny_set(tmp_path, capsys):
    assert main(["render", "--images", "4", "--jobs", "1", "--without", "background", "noise",
                 "--dest", str(tmp_path / "renders")]) == 0
    assert len(list((tmp_path / "renders").rglob("*.png"))) == 4
    assert (tmp_path / "renders" / "manifest.jsonl").exists()
    assert "images_per_minute" in capsys.readouterr().out


def test_train_command_trains_tests_and_saves(tmp_path, capsys):
    out = tmp_path / "checkpoints"
    assert main(["train", "authentic", "--size", "tiny", "--epochs", "1", "--photos", "64", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "authentic only" in printed and "/199" in printed and "64 real training photos" in printed
    assert (out / "binary_classifier_authentic.pt").exists()
    assert main(["evaluate", str(out / "binary_classifier_authentic.pt")]) == 0
    assert "accuracy" in capsys.readouterr().out


def test_train_and_study_take_the_recipe_the_main_job_takes_when_none_is_named(monkeypatch):
    import argparse

    from hotdog import settings
    from hotdog.study_commands import recipe_from

    monkeypatch.delenv("HOTDOG_SIZE", raising=False)
    monkeypatch.setattr(settings, "on_gpu", lambda: False)
    for size, name in ((None, "tuned"), ("small", "tuned"), ("tiny", "article"), ("article", "article")):
        assert recipe_from(argparse.Namespace(recipe=None, epochs=None, size=size)).name == name
        assert settings.default_recipe(size) == name  # what `run` takes
    assert recipe_from(argparse.Namespace(recipe="improved", epochs=None, size="small")).name == "improved"


def test_epochs_asked_for_are_the_epochs_trained_whatever_the_recipe(tmp_path):
    import argparse
    import json

    from hotdog.study_commands import recipe_from

    assert recipe_from(argparse.Namespace(recipe="tuned", epochs=None)).real_epochs_factor == 100 / 30
    exact = recipe_from(argparse.Namespace(recipe="tuned", epochs=5))
    assert (exact.real_epochs_factor, exact.synthetic_epochs_factor, exact.finetune_epochs_factor) == (1.0, 1.0, None)
    assert exact.train == recipe_from(argparse.Namespace(recipe="tuned", epochs=None)).train  # the rest of it stays
    out = tmp_path / "checkpoints"
    assert main(["train", "authentic", "--size", "tiny", "--epochs", "2", "--photos", "64", "--recipe", "tuned",
                 "--out", str(out)]) == 0
    record = json.loads((out / "train-authentic.json").read_text())
    assert len(record["histories"]["authentic"]["epochs"]) == 2  # not 2 * 100/30


def test_predict_uses_the_shipped_model_by_default(image_folder, capsys):
    assert main(["predict", str(image_folder / "hotdog" / "h0.jpg")]) == 0
    assert "h0.jpg: " in capsys.readouterr().out


def test_the_shipped_model_states_its_measured_accuracy():
    from hotdog import seefood

    info = seefood.shipped_info()
    assert 0.5 < info["accuracy"] <= 1 and info["correct"] == round(info["accuracy"] * info["total"])
    model = seefood.shipped_model()
    assert sum(p.numel() for p in model.parameters()) == 478_273


def test_lab_command_starts_jupyterlab_in_the_project_environment():
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run(["bash", str(root / "lab.sh"), "--version"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()[0].isdigit()  # JupyterLab's version: the environment has it


def test_run_command_does_the_whole_main_job_on_tiny_sizes(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HOTDOG_SYNTHETIC", str(tmp_path / "synthetic"))
    monkeypatch.setenv("HOTDOG_RESULTS", str(tmp_path / "results"))
    assert main(["run", "--size", "tiny", "--jobs", "1"]) == 0
    out = capsys.readouterr().out
    assert "Accuracy on the held-out real photos" in out and "synthetic, then authentic" in out
    written = sorted(p.name for p in (tmp_path / "results" / "tiny").iterdir())
    assert written == ["checkpoints", "comparison.png", "confusion.png", "curves.png", "renders_vs_photos.png",
                       "summary.json"]
    import json

    summary = json.loads((tmp_path / "results" / "tiny" / "summary.json").read_text())
    assert summary["render"]["n_records"] == 32 and summary["render_config"]["n_images"] == 32
    assert set(summary["results"]) == {"synthetic", "authentic", "both"} and summary["recipe"]["name"] == "article"


def test_the_main_job_takes_a_recipe_and_a_precision(tmp_path, monkeypatch, capsys):
    """The main job is one run like a study's seed: a recipe with validation photos and a precision reach it."""
    import json

    from hotdog import paths, settings

    improved = settings.RECIPES["improved"]  # tiny sizes train on 96 photos: carve 16 of them, not 100
    monkeypatch.setitem(settings.RECIPES, "improved", settings.Recipe("improved", 16, 1.0, improved.train))
    monkeypatch.setenv("HOTDOG_SYNTHETIC", str(paths.sample_synthetic_dir()))
    monkeypatch.setenv("HOTDOG_RESULTS", str(tmp_path / "results"))
    assert main(["run", "--size", "tiny", "--no-render", "--recipe", "improved", "--precision", "auto"]) == 0
    out = capsys.readouterr().out
    assert "size 'tiny' (--size), recipe 'improved'" in out and "(--precision auto)" in out
    summary = json.loads((tmp_path / "results" / "tiny" / "summary.json").read_text())
    assert summary["recipe"]["name"] == "improved" and summary["n_validation"] == 16
    assert summary["n_authentic_train"] == 96 - 16 and summary["config"]["augment"] is True
    assert summary["config"]["precision"] == "auto" and summary["autocast"] in ("None", "torch.bfloat16")
    assert "selected" in summary["histories"]["both"] and summary["render"] is None


def test_render_without_bpy_ends_in_a_clear_message(tmp_path, monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "bpy" else real(name, *a))
    monkeypatch.delenv("HOTDOG_BLENDER", raising=False)
    assert main(["render", "--images", "2", "--jobs", "1", "--dest", str(tmp_path / "renders")]) == 1
    error = capsys.readouterr().err
    assert error.startswith("hotdog render: ") and "bpy" in error and "Traceback" not in error


def test_seefood_decides_like_the_accuracy_and_titles_each_photo(image_folder):
    from PIL import Image

    from hotdog import seefood

    assert not seefood.Answer("x", 0.5).is_hotdog and seefood.Answer("x", 0.51).label == "Hotdog!"
    photo = Image.new("RGB", (40, 30))
    figure = seefood.show_answers([(seefood.Answer("a", 0.9), photo), (seefood.Answer("b", 0.1), photo),
                                   (seefood.Answer("c", error="no such file"), None)])
    assert [ax.get_title() for ax in figure.axes if ax.get_title()] == ["Hotdog! (90%)", "Not hotdog! (10%)"]
    assert seefood.show_answers([]) is None
    answer, shown = seefood.predict_bytes("up.png", (image_folder / "not_hotdog" / "n0.png").read_bytes())
    assert answer.path == "up.png" and shown.size == (100, 140) and 0 <= answer.probability <= 1


def test_the_shipped_models_accuracy_is_what_its_test_photos_give():
    """Re-measure the shipped model's claim on the photos its sidecar names."""
    from hotdog import calibration, data, metrics, seefood

    info = seefood.shipped_info()
    test = data.cache(data.split(data.authentic(), seed=info["split_seed"])[1], progress=False)
    model = seefood.shipped_model("cpu")
    probabilities, labels = metrics.predict(model, test)
    assert metrics.summarize(probabilities, labels)["correct"] == info["correct"]
    if "calibrated" in info:  # the answer SeeFood gives: Platt-scaled, so its turning point moved
        calibrated = calibration.apply(probabilities, model.calibration)
        assert metrics.summarize(calibrated, labels)["correct"] == info["calibrated"]["correct"]


def test_the_ablation_script_runs_one_study_per_variant(tmp_path):
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "scripts" / "ablations.sh"
    env = {**os.environ, "PYTHON": "echo", "SEEDS": "0 1", "HOTDOG_RESULTS": str(tmp_path)}
    for lender in ("tuned/seed0", "tuned-real-0.1/seed1"):  # the synthetic stages this machine holds
        (tmp_path / "studies" / f"{lender}.checkpoints").mkdir(parents=True)
        (tmp_path / "studies" / f"{lender}.checkpoints" / "binary_classifier.pt").touch()
    done = subprocess.run(["bash", str(script), "real", "randomization", "tuned-real"], capture_output=True, text=True,
                          env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) == 3 + 12 + 2 * 3
    plain = " --set surface_p=0 hdri_p=0 offcentre=0 distance_factor=[1.05,1.4]"  # as the recorded studies began
    assert lines[0] == ("-m hotdog study ablate-real-0.1 --size small --recipe article --precision auto --seeds 0 1 --real-share 0.1 "
                        "--synthetic data/synthetic_800" + plain)
    assert lines[3].endswith("--without food --modes both --synthetic data/synthetic_800_without-food" + plain)
    assert lines[-4] == ("-m hotdog study tuned-real-0.5 --size article --recipe tuned --precision auto --seeds 0 "
                         "--real-share 0.5 --synthetic-stage-from tuned --synthetic data/synthetic_5000" + plain)
    # seed 1's stage is not in `tuned` here: the first share trains it and lends it to the others
    assert [line.split(" --real-share ")[1].split(" --synthetic ")[0] for line in lines[-3:]] == [
        "0.1", "0.25 --synthetic-stage-from tuned-real-0.1", "0.5 --synthetic-stage-from tuned-real-0.1"]
    photo = subprocess.run(["bash", str(script), "randomization"], capture_output=True, text=True,
                           env={**env, "SCENE": "photo"}).stdout.splitlines()
    assert photo[0].startswith("-m hotdog study photo-small ") and len(photo) == 1 + 12
    assert photo[1] == ("-m hotdog study photo-ablate-without-food --size small --recipe article --precision auto --seeds 0 1 "
                        "--without food --modes both")
    lines += photo
    transfer = subprocess.run(["bash", str(script), "transfer"], capture_output=True, text=True, env=env)
    transfer = transfer.stdout.splitlines()  # the switches judged by the transfer score, beside all on
    assert transfer[0] == "-m hotdog transfer photo-all-on --precision auto --seeds 0 1" and len(transfer) == 1 + 12
    assert transfer[-1] == "-m hotdog transfer photo-without-jpeg --without jpeg --precision auto --seeds 0 1"
    for line in lines + transfer:  # every printed command parses (argparse checks the choices)
        args = line.split()[2:]
        assert args[0] in ("study", "transfer")
        with pytest.raises(SystemExit) as parsed:
            main([*args, "--help"])
        assert parsed.value.code == 0
    bad = subprocess.run(["bash", str(script), "colour"], capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and "choose from" in bad.stderr


def test_render_command_puts_photos_from_backgrounds_behind_the_food(tmp_path):
    import json

    from PIL import Image

    photos = tmp_path / "photos"
    photos.mkdir()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(photos / "red.jpg")
    assert main(["render", "--images", "6", "--jobs", "1", "--backgrounds", str(photos),
                 "--dest", str(tmp_path / "renders")]) == 0
    records = [json.loads(line) for line in (tmp_path / "renders" / "manifest.jsonl").read_text().splitlines()]
    assert len(records) == 6
    kinds = [r["background"]["kind"] for r in records]
    assert "photo" in kinds, kinds
    assert all(r["background"]["path"] == str(photos / "red.jpg") for r in records if r["background"]["kind"] == "photo")


def test_render_command_names_a_missing_or_empty_backgrounds_folder(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    for folder in ("nowhere", "empty"):
        assert main(["render", "--images", "2", "--jobs", "1", "--backgrounds", str(tmp_path / folder),
                     "--dest", str(tmp_path / "renders")]) == 1
        error = capsys.readouterr().err
        assert str(tmp_path / folder) in error and "download --article" in error
    assert not (tmp_path / "renders").exists() or not list((tmp_path / "renders").rglob("*.png"))


def test_render_command_sets_other_fields_and_names_the_fields_it_does_not_know(tmp_path, capsys):
    import json

    assert main(["render", "--images", "4", "--jobs", "1", "--dest", str(tmp_path / "renders"),
                 "--set", "surface_p=1", "hdri_p=1", "offcentre=0.2"]) == 0
    records = [json.loads(line) for line in (tmp_path / "renders" / "manifest.jsonl").read_text().splitlines()]
    assert all(r["surface"] and r["world"]["hdri"] and "offset" in r["camera"] for r in records)
    assert main(["render", "--images", "2", "--dest", str(tmp_path / "other"), "--set", "tables=1"]) == 1
    assert "--set 'tables=1'" in capsys.readouterr().err and not (tmp_path / "other").exists()
    assert main(["study", "s", "--size", "tiny", "--set", "surface_p=1"]) == 1
    assert "--synthetic DIR" in capsys.readouterr().err


def test_uploads_are_read_in_every_format_an_upload_comes_in(image_folder, monkeypatch):
    """ipywidgets 8 (a tuple of dicts), ipywidgets 7 (Colab's preinstalled: a dict of dicts) and
    google.colab.files.upload() (a dict of bytes) give the same photos and the same answers."""
    import sys
    import types

    from hotdog import seefood

    photo = (image_folder / "hotdog" / "h0.jpg").read_bytes()
    v8 = ({"name": "lunch.jpg", "type": "image/jpeg", "size": len(photo), "content": memoryview(photo)},)
    v7 = {"lunch.jpg": {"metadata": {"name": "lunch.jpg", "type": "image/jpeg", "size": len(photo)}, "content": photo}}
    colab = {"lunch.jpg": photo}
    assert seefood.uploaded_files(v8) == seefood.uploaded_files(v7) == seefood.uploaded_files(colab) == [("lunch.jpg", photo)]
    shown = []
    monkeypatch.setattr(seefood, "show_answer", lambda answer, photo: shown.append(answer.verdict))
    monkeypatch.setitem(sys.modules, "google.colab", types.SimpleNamespace(files=types.SimpleNamespace(upload=lambda: colab)))
    monkeypatch.setitem(sys.modules, "google", types.SimpleNamespace(colab=sys.modules["google.colab"]))
    assert seefood.upload_widget() is None  # on Colab: its own upload button, answered in the cell
    assert len(shown) == 1 and "probability of hotdog" in shown[0]


@pytest.mark.parametrize("bad", ["../../esc", "a/b", "", ".hidden", ".."])
@pytest.mark.parametrize("command", ["study", "transfer"])
def test_study_and_transfer_names_cannot_escape_their_folder(command, bad, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, bad])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "argument name" in err and repr(bad) in err and "cannot hold '/'" in err


def test_an_option_shared_by_subcommands_has_one_default_and_one_help():
    """--jobs, --precision, --size, --recipe and the renderer's options read alike wherever they appear."""
    import argparse

    from hotdog.__main__ import parser

    subcommands = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)).choices
    seen: dict[str, set] = {}
    for command in subcommands.values():
        for action in command._actions:
            for flag in action.option_strings:
                default_said = (action.help or "").partition("(default")[2]  # what a command gives may differ
                seen.setdefault(flag, set()).add((repr(action.default), default_said))
    for flag in ("--jobs", "--precision", "--size", "--recipe", "--without", "--set", "--backgrounds"):
        assert flag in seen, flag
        assert len(seen[flag]) == 1, f"{flag} differs between subcommands: {seen[flag]}"


def test_render_without_jobs_renders_with_the_size_presets_workers(tmp_path, monkeypatch):
    import hotdog.render
    from hotdog import settings

    asked = {}
    monkeypatch.setattr(hotdog.render, "render_dataset", lambda out, config, n_jobs, blender: asked.update(
        n_jobs=n_jobs) or {"failed": []})
    assert main(["render", "--images", "2", "--size", "tiny", "--dest", str(tmp_path / "renders")]) == 0
    assert asked["n_jobs"] == settings.sizes("tiny").render_jobs == settings.RENDER_JOBS


def test_the_trial_commands_say_they_ignore_the_size_setting():
    """search and adapt train at the article's sizes whatever --size or HOTDOG_SIZE say, and their help says so."""
    import argparse

    from hotdog.__main__ import parser

    action = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction))
    helps = {choice.dest: choice.help for choice in action._choices_actions}
    for command in ("search", "adapt"):
        assert "always at the article's sizes, whatever --size or HOTDOG_SIZE say" in helps[command], command
    assert "article's sizes" not in helps["study"]
