"""Records that cannot lie: a study, a transfer score or a render folder never mixes what it was not asked
for, every setting is checked before work starts, and damaged or odd files are named. Each section is one
of the cases a new user met (a wrong number with exit code 0, or a traceback) and the answer it now gets."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import torch

from hotdog import data, paths, settings, study, transfer
from hotdog.__main__ import main
from hotdog.model import BinaryClassifier
from hotdog.render import RenderConfig, render_dataset
from hotdog.render.run import CONFIG_FILE, RenderError, folder_config, write_manifest
from hotdog.render.spec import sample_records
from conftest import write_image

TINY = settings.sizes("tiny")


def seed_record(seed=0, recipe="article", modes=("authentic",), split_seed=None, render_config=None) -> dict:
    """A finished seed's record, as far as its settings go."""
    planned = study.planned(TINY, settings.recipe(recipe), "auto", modes, render_config, split_seed)
    return {"seed": seed, "sizes": TINY.as_dict(), "recipe": planned["recipe"], "split_seed": split_seed,
            "config": {**planned["training"], "seed": seed}, "histories": dict.fromkeys(modes, {}),
            "render_config": render_config, "results": {}, "test_labels": [], "test_photos": []}


@pytest.fixture
def results(tmp_path, monkeypatch):
    monkeypatch.setenv("HOTDOG_RESULTS", str(tmp_path / "results"))
    monkeypatch.setattr(study, "run_once", lambda *a, **k: pytest.fail("a refused run started training"))
    return tmp_path / "results"


def write_seed(results: Path, name: str, record: dict) -> Path:
    path = results / "studies" / name / f"seed{record['seed']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record))
    return path


# 1. a study never mixes configurations ------------------------------------------------------------

def test_a_seed_with_another_recipe_is_refused_naming_what_differs_and_the_ways_on(results, capsys):
    write_seed(results, "s1", seed_record())
    assert main(["study", "s1", "--size", "tiny", "--seeds", "0", "1", "--modes", "authentic", "--recipe", "tuned"]) == 1
    err = capsys.readouterr().err
    assert "seed0.json was made with other settings than this run asks" in err
    assert 'recipe.name "article" recorded, "tuned" asked' in err and "--recipe article" in err
    assert "a new study name" in err and "--force" in err
    assert not (results / "studies" / "s1" / "seed1.json").exists()


def test_a_study_made_with_a_preset_that_has_changed_since_names_its_sizes_not_the_preset(results, capsys):
    earlier = seed_record()
    earlier["sizes"] = {**TINY.as_dict(), "n_synthetic": 24, "synthetic_epochs": 2}  # the preset had 2 epochs then
    write_seed(results, "s1", earlier)
    assert main(["study", "s1", "--size", "tiny", "--seeds", "1", "--modes", "authentic", "--recipe", "article"]) == 1
    err = capsys.readouterr().err
    assert "sizes.n_synthetic 24 recorded, 32 asked" in err
    assert "which --size tiny no longer gives and no option asks for again: 24 renders; 2, 1 and 1 epochs" in err
    assert "with its epochs, renders and photos" not in err


def test_a_study_of_fewer_photos_or_other_renders_is_continued_with_the_options_that_made_it(results, capsys):
    fewer = seed_record()
    fewer["sizes"] = {**TINY.as_dict(), "authentic_train_limit": 80, "n_synthetic": 48}  # --real-share 0.1 --images 48
    write_seed(results, "s1", fewer)
    assert main(["study", "s1", "--size", "tiny", "--seeds", "1", "--modes", "authentic", "--recipe", "article"]) == 1
    err = capsys.readouterr().err
    assert "--size tiny --images 48 --real-share 0.1" in err and "no longer gives" not in err


def test_a_seed_of_another_size_is_refused_naming_the_preset_it_was_made_with(results, capsys):
    write_seed(results, "s1", seed_record())
    assert main(["study", "s1", "--size", "small", "--seeds", "1", "--modes", "authentic", "--recipe", "article"]) == 1
    assert "--size tiny (with its epochs, renders and photos)" in capsys.readouterr().err


def test_a_seed_on_a_fixed_split_is_not_averaged_with_seeds_on_their_own(results, capsys):
    write_seed(results, "s1", seed_record())
    assert main(["study", "s1", "--size", "tiny", "--seeds", "1", "--modes", "authentic", "--split-seed", "0"]) == 1
    err = capsys.readouterr().err
    assert "split_seed null recorded, 0 asked" in err and "no --split-seed" in err


def test_renders_of_another_config_behind_no_render_are_refused(results, tmp_path, capsys):
    began = RenderConfig(n_images=TINY.n_synthetic)
    write_seed(results, "s1", seed_record(modes=("both", "authentic"), render_config=began.as_dict()))
    other = tmp_path / "other"
    render_dataset(other, RenderConfig(n_images=0, surface_p=0.2), progress=False)  # a folder that says what made it
    assert json.loads((other / CONFIG_FILE).read_text())["surface_p"] == 0.2
    assert main(["study", "s1", "--size", "tiny", "--seeds", "1", "--no-render", "--synthetic", str(other)]) == 1
    err = capsys.readouterr().err
    assert "renders.surface_p 0.8 recorded, 0.2 asked" in err and "--set surface_p=0.8" in err


def test_a_folder_rendered_before_it_recorded_its_config_is_known_by_its_manifest(tmp_path):
    config = RenderConfig(n_images=12, hdri_p=0.1)
    write_manifest(tmp_path, sample_records(config))
    assert folder_config(tmp_path, RenderConfig(n_images=12)) is None  # not the default config's records
    assert folder_config(tmp_path, RenderConfig(), config)["hdri_p"] == 0.1


def test_force_starts_a_study_again(results, monkeypatch, capsys):
    seed = write_seed(results, "s1", seed_record())
    (seed.parent / "seed0.checkpoints").mkdir()
    ran = []
    monkeypatch.setattr(study, "run_seed", lambda name, s, *a, **k: ran.append((name, s)))
    monkeypatch.setattr(study, "load", lambda name: [])
    monkeypatch.setattr(study, "summarize", lambda records: {})
    monkeypatch.setattr("hotdog.report.format_summary", lambda summary, title: title)
    assert main(["study", "s1", "--size", "tiny", "--seeds", "0", "--modes", "authentic", "--recipe", "tuned",
                 "--force"]) == 0
    assert "study 's1' starts again (1 finished seeds removed)" in capsys.readouterr().out
    assert ran == [("s1", 0)] and not list(seed.parent.iterdir())


def test_every_study_in_the_repository_is_one_configuration():
    for folder in sorted(p for p in paths.recorded_studies_dir().iterdir() if p.is_dir()):
        records = study.load(folder.name, paths.recorded_studies_dir())
        for record in records:  # each seed as the run that would add it asks (renders unknown: as recorded)
            asked = {k: v for k, v in study.settings_of(record).items() if not (k == "renders" and v is None)}
            study.check_settings(folder.name, asked, paths.recorded_studies_dir())


# 2. a transfer score never reuses a stale record ------------------------------------------------------

@pytest.fixture
def variant(tmp_path, monkeypatch):
    """A transfer record of 16 renders with one seed scored; rendering fails the test."""
    monkeypatch.setattr("hotdog.render.render_dataset", lambda *a, **k: pytest.fail("a refused variant rendered"))
    config = RenderConfig(n_images=16)
    asked = transfer.settings(config.as_dict(), tmp_path / "renders", transfer.RECIPE, "auto")
    record = {"name": "x", "seeds": {"0": {"auc": 0.6}}, **asked, "renders": str(tmp_path / "renders"),
              "n_images": 16}
    path = tmp_path / "transfer" / "x.json"
    path.parent.mkdir()
    path.write_text(json.dumps(record))
    return tmp_path, config


def test_more_renders_under_an_old_name_are_refused_not_scored_with_the_old_score(variant):
    root, config = variant
    with pytest.raises(ValueError, match=r"render_config.n_images 16 recorded, 32 asked.*a new name, or pass --force"):
        transfer.run("x", RenderConfig(n_images=32), renders=root / "renders", root=root, progress=False)


def test_a_training_variant_under_an_old_name_is_refused(variant):
    root, config = variant
    with pytest.raises(ValueError, match=r'recipe.augment "crop" recorded, "trivial" asked'):
        transfer.run("x", config, renders=root / "renders", root=root, overrides={"augment": "trivial"},
                     progress=False)


def test_force_starts_a_variant_again_and_keeps_its_renders(variant, monkeypatch):
    root, config = variant
    monkeypatch.setattr("hotdog.render.render_dataset", lambda *a, **k: (_ for _ in ()).throw(KeyboardInterrupt))
    with pytest.raises(KeyboardInterrupt):  # refused no more: it goes on to render
        transfer.run("x", RenderConfig(n_images=32), renders=root / "renders", root=root, progress=False, force=True)
    assert not (root / "transfer" / "x.json").exists()


def test_renders_of_a_variant_that_does_not_exist_are_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HOTDOG_SYNTHETIC", str(tmp_path / "data" / "synthetic"))
    assert main(["transfer", "x", "--renders", "nosuch", "--train", "augment=trivial"]) == 1
    assert "--renders nosuch:" in capsys.readouterr().err and not (tmp_path / "data" / "transfer_nosuch").exists()


def test_fewer_images_than_a_folder_holds_is_called_the_same_config_rendered_further(tmp_path):
    write_manifest(tmp_path, sample_records(RenderConfig(n_images=32)))
    with pytest.raises(RenderError, match="the first 16 of which are the ones asked for: the same config"):
        write_manifest(tmp_path, sample_records(RenderConfig(n_images=16)))


# 4. one writer per render folder -------------------------------------------------------------------

def test_a_second_render_into_a_folder_waits_for_the_first_and_never_mixes(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from filelock import FileLock
        with FileLock({str(tmp_path / '.render.lock')!r}):
            print("held", flush=True)
            time.sleep(30)
        """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(RenderError, match="another render is still writing into"):
            render_dataset(tmp_path, RenderConfig(n_images=0), progress=False, lock_timeout=0.5)
        assert not (tmp_path / "manifest.jsonl").exists()  # nothing written while the other held it
    finally:
        holder.kill()
    render_dataset(tmp_path, RenderConfig(n_images=0), progress=False, lock_timeout=5)  # free again


# 5. every setting checked before work ----------------------------------------------------------------

@pytest.mark.parametrize("setting, says", [
    ("focal_mm=[-5,0]", "--set focal_mm=[-5,0]: focal_mm is a range [low, high] of numbers from 1"),
    ("distance_factor=[1]", "--set distance_factor=[1]: distance_factor is a range"),
    ("serving_p=[1]", "--set serving_p=[1]: serving_p is one probability for each of serving_kinds"),
    ("jpeg_quality=[200,300]", "jpeg_quality is a range [low, high] of whole numbers from 1 to 100"),
    ("photo_background_p=5", "--set photo_background_p=5: photo_background_p is a share between 0 and 1"),
    ("noise_sigma=[-10,-5]", "noise_sigma is a range"),
    ("elevation_deg=[60,20]", "low <= high"),
    ('light_kinds=["laser"]', '--set light_kinds=["laser"]: light_kinds is one or more of sun, point, area'),
    ("focl_mm=[40,50]", "there is no field 'focl_mm'; did you mean focal_mm"),
    ("focal_mm", "give FIELD=VALUE"),
])
def test_a_render_setting_out_of_range_is_refused_in_one_line_naming_the_option(setting, says):
    with pytest.raises(ValueError) as error:
        RenderConfig().with_settings([setting])
    assert says in str(error.value) and "\n" not in str(error.value) and len(str(error.value)) < 200


def test_a_bad_setting_is_refused_before_any_render_starts(tmp_path, capsys):
    assert main(["render", "--images", "4", "--dest", str(tmp_path / "r"), "--set", 'light_kinds=["laser"]']) == 1
    assert "light_kinds is one or more of" in capsys.readouterr().err and not (tmp_path / "r").exists()


def test_a_bad_training_setting_is_refused_before_rendering(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr("hotdog.render.render_dataset", lambda *a, **k: pytest.fail("rendered"))
    assert main(["transfer", "x", "--train", "learning_rate=-1"]) == 1
    assert "--train learning_rate=-1: learning_rate must be above 0" in capsys.readouterr().err


def test_modes_that_train_one_stage_twice_are_refused_before_rendering(results, monkeypatch, capsys):
    monkeypatch.setattr("hotdog.render.render_dataset", lambda *a, **k: pytest.fail("rendered"))
    assert main(["study", "m", "--size", "tiny", "--modes", "both", "synthetic"]) == 1
    assert "both already gives the synthetic model" in capsys.readouterr().err


def test_a_real_share_that_leaves_no_photo_names_itself(results, capsys):
    assert main(["study", "m", "--size", "tiny", "--modes", "authentic", "--real-share", "0.0001"]) == 1
    err = capsys.readouterr().err
    assert "--real-share 0.0001 leaves none of the 799 training photos" in err and "--photos" not in err


# 6. damaged or odd files are named ----------------------------------------------------------------

def test_a_damaged_seed_is_named_and_the_other_studies_still_print(results, monkeypatch, capsys):
    write_seed(results, "good", seed_record())
    damaged = write_seed(results, "bad", seed_record())
    damaged.write_text(damaged.read_text()[:40])
    monkeypatch.setattr(study, "summarize", lambda records: {"seeds": [r["seed"] for r in records]})
    monkeypatch.setattr("hotdog.report.format_summary", lambda summary, title: title)
    assert main(["compare"]) == 1
    out, err = capsys.readouterr()
    assert "study 'good'" in out and "study 'bad'" not in out
    assert f"{damaged} is damaged" in err and "git checkout --" in err and "run that seed again" in err
    assert main(["study", "bad", "--size", "tiny", "--seeds", "1", "--modes", "authentic"]) == 1
    assert f"{damaged} is damaged" in capsys.readouterr().err


@pytest.mark.parametrize("kind, command, header", [("transfer", "transfer", "| renders |"),
                                                    ("search", "search", "| trial | model |"),
                                                    ("adapt", "adapt", "| trial | epochs |")])
def test_a_damaged_trial_record_is_named_and_the_table_still_prints(kind, command, header, tmp_path, monkeypatch,
                                                                     capsys):
    monkeypatch.setenv("HOTDOG_RESULTS", str(tmp_path))
    paths.records_dir(kind).mkdir(parents=True)
    (paths.records_dir(kind) / "bad.json").write_bytes(os.urandom(64))
    assert main([command, "--table"]) == 1
    out, err = capsys.readouterr()
    assert header in out and "bad.json is damaged" in err and "git checkout --" in err


def test_trial_records_come_in_the_order_asked_then_by_name(tmp_path):
    from hotdog.provenance import DamagedRecord, load_records

    for name in ("c", "a", "first", "b"):
        (tmp_path / f"{name}.json").write_text(json.dumps({"name": name}))
    assert list(load_records(tmp_path, ("first", "missing"))) == ["first", "a", "b", "c"]
    (tmp_path / "a.json").write_text("{")
    damaged = []
    assert list(load_records(tmp_path, damaged=damaged)) == ["b", "c", "first"] and "a.json is damaged" in damaged[0]
    with pytest.raises(DamagedRecord, match="delete it and run it again"):
        load_records(tmp_path)


def test_a_symlink_cycle_in_a_photo_folder_is_walked_once_and_a_dot_of_an_image_is_named(image_folder):
    (image_folder / "hotdog" / "loop").symlink_to(image_folder / "hotdog", target_is_directory=True)
    write_image(image_folder / "hotdog" / "dot.png", size=(1, 1))
    with pytest.warns(UserWarning, match="dot.png: 1x1 pixels: too small to show anything"):
        folder = data.HotdogImageFolder(image_folder)
    assert len(folder) == 12


@pytest.mark.parametrize("sidecar, says", [
    (os.urandom(40), "is damaged ("),
    (b'{"calibration": {"b": 0.1}}', "is damaged (its calibration needs finite numbers a > 0 and b"),
    (b'{"calibration": {"a": "x", "b": 0.1}}', "is damaged (its calibration needs finite numbers a > 0 and b"),
    (b'{"calibration": {"a": NaN, "b": 0.1}}', "is damaged (its calibration needs finite numbers a > 0 and b"),
])
def test_a_damaged_sidecar_is_named_with_its_fix(sidecar, says, tmp_path, image_folder, capsys):
    checkpoint = tmp_path / "m.pt"
    torch.save(BinaryClassifier().state_dict(), checkpoint)
    checkpoint.with_suffix(".json").write_bytes(sidecar)
    photo = next((image_folder / "hotdog").iterdir())
    assert main(["predict", "--checkpoint", str(checkpoint), str(photo)]) == 1
    err = capsys.readouterr().err
    assert f"{checkpoint.with_suffix('.json')} {says}" in err and "delete it to answer uncalibrated" in err
    assert main(["evaluate", str(checkpoint), str(image_folder)]) == 1


@pytest.mark.parametrize("argv, says", [
    (["render", "--images", "4", "--dest", "{file}"], "is a file, not a folder"),
    (["render", "--images", "4", "--dest", "{file}/below"], "cannot make the folder"),
    (["study", "o", "--size", "tiny", "--synthetic", "{file}"], "--synthetic {file} is a file"),
    (["study", "o", "--size", "tiny", "--synthetic", "{file}", "--no-render"], "--synthetic {file} is a file"),
    (["compare", "--figure", "{folder}"], "--figure {folder} is a folder"),
    (["compare", "--labels-curve", "{folder}"], "--labels-curve {folder} is a folder"),
])
def test_a_file_where_a_folder_belongs_and_back_is_one_line(argv, says, results, tmp_path, capsys):
    file, folder = tmp_path / "a_file", tmp_path
    file.write_text("x")
    write_seed(results, "o", seed_record())
    argv = [a.format(file=file, folder=folder) for a in argv]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert says.format(file=file, folder=folder) in err and "Traceback" not in err and err.count("\n") == 1


# 7. small misleads -------------------------------------------------------------------------------

def test_predict_names_a_link_loop_and_an_image_too_small_to_mean_anything(tmp_path, capsys):
    loop = tmp_path / "loop.jpg"
    loop.symlink_to(loop)
    tiny = write_image(tmp_path / "dot.png", size=(1, 1))
    assert main(["predict", str(loop), str(tiny)]) == 1  # no answer for either
    out = capsys.readouterr().out
    assert "loop.jpg: cannot tell: a symbolic link that leads nowhere, or round to itself" in out
    assert "dot.png: cannot tell: 1x1 pixels is too small" in out


def test_a_warning_is_one_line_without_python_source(image_folder, tmp_path, capsys):
    checkpoint = tmp_path / "m.pt"
    torch.save(BinaryClassifier().state_dict(), checkpoint)
    (image_folder / "hotdog" / "broken.jpg").write_bytes(b"not a photo")
    script = f"from hotdog.__main__ import main; main(['evaluate', {str(checkpoint)!r}, {str(image_folder)!r}])"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert "hotdog: warning: " in done.stderr and "warnings.warn(" not in done.stderr


# the main job writes where a user's run belongs ------------------------------------------------------

def test_the_main_job_never_writes_over_the_example_run_kept_in_the_repository():
    root = paths.project_root()
    assert paths.example_run_dir() != paths.results_dir("small")
    assert (paths.example_run_dir() / "summary.json").is_file()
    if (root / ".git").exists():
        ignored = subprocess.run(["git", "check-ignore", "-q", "results/small/summary.json"], cwd=root)
        assert ignored.returncode == 0
