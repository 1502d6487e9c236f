from hotdog import paths, settings


def test_project_root_is_found_from_the_notebooks_folder(monkeypatch):
    root = paths.project_root()
    monkeypatch.chdir(root / "notebooks")
    assert paths.project_root() == root
    assert paths.data_dir() == root / "data"


def test_settings_come_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("HOTDOG_SYNTHETIC", str(tmp_path / "s"))
    monkeypatch.delenv("HOTDOG_RESULTS", raising=False)
    monkeypatch.setenv("HOTDOG_SIZE", "article")
    assert paths.synthetic_dir() == (tmp_path / "s").resolve()
    assert paths.results_dir().name == "article"
    assert settings.sizes().n_synthetic == 5000


def test_unknown_size_is_refused_with_the_choices(monkeypatch):
    import pytest

    monkeypatch.setenv("HOTDOG_SIZE", "huge")
    with pytest.raises(ValueError, match="tiny"):
        settings.sizes()


def test_article_preset_is_the_articles_schedule():
    article = settings.sizes("article")
    assert (article.n_synthetic, article.synthetic_epochs, article.finetune_epochs, article.authentic_epochs,
            article.batch_size) == (5000, 10, 20, 30, 64)


def test_outside_the_checkout_the_root_is_where_the_package_was_installed_from(tmp_path, monkeypatch):
    # as on Colab after `pip install -e hotdog-project`, with the kernel's directory elsewhere
    from pathlib import Path

    monkeypatch.chdir(tmp_path)
    assert paths.project_root() == Path(paths.__file__).resolve().parents[1]


def test_every_result_folder_follows_the_results_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("HOTDOG_RESULTS", str(tmp_path / "r"))
    assert paths.results_dir("small") == (tmp_path / "r" / "small").resolve()
    assert paths.studies_dir() == (tmp_path / "r" / "studies").resolve()
    assert paths.recorded_studies_dir() == paths.project_root() / "results" / "studies"  # the repository's, always
    monkeypatch.delenv("HOTDOG_RESULTS")
    assert paths.studies_dir() == paths.project_root() / "results" / "studies"


def test_each_render_variant_has_its_own_folder():
    assert paths.renders_dir(800).name == "synthetic_800"
    assert paths.renders_dir(800, ("noise", "blur"), True).name == "synthetic_800_without-blur_without-noise_photo-backgrounds"


def test_unset_the_size_and_recipe_follow_the_device(monkeypatch):
    monkeypatch.delenv("HOTDOG_SIZE", raising=False)
    monkeypatch.setattr(settings, "on_gpu", lambda: True)
    assert settings.sizes().name == "article" and settings.default_recipe() == "tuned"
    assert settings.default_recipe("article") == "article"  # the article's size asked for: the article's recipe
    assert settings.default_recipe("small") == "tuned" and settings.default_recipe("tiny") == "article"
    assert "CUDA GPU" in settings.choice() and "'tuned' (the default here)" in settings.choice()
    monkeypatch.setattr(settings, "on_gpu", lambda: False)
    assert settings.sizes().name == "small" and settings.default_recipe() == "tuned"
    assert "--size article --recipe tuned" in settings.choice() and "'tuned' (the default here)" in settings.choice()
    assert "--recipe tuned for the project's answer" in settings.choice("article")
    monkeypatch.setenv("HOTDOG_SIZE", "tiny")
    monkeypatch.setattr(settings, "on_gpu", lambda: True)
    assert settings.sizes().name == "tiny" and settings.default_recipe() == "article"
    assert "HOTDOG_SIZE" in settings.choice()


def test_the_main_jobs_closing_words_say_where_renders_help():
    from hotdog.main_job import closing_words
    from hotdog import study

    tuned = study.summarize(study.load("tuned", paths.recorded_studies_dir()))["regimes"]
    words = closing_words({"both": {"accuracy": 0.6}, "authentic": {"accuracy": 0.65}}, "small", "tuned")
    assert "did not help" in words and "no answer" in words and "--size article --recipe tuned" in words
    assert f"{tuned['both']['mean']:.1%}" in words and f"{tuned['authentic']['mean']:.1%}" in words
    words = closing_words({"both": {"accuracy": 0.8}, "authentic": {"accuracy": 0.7}}, "article", "tuned")
    assert "renders helped" in words and "one seed of it is this run" in words


def test_a_run_folders_files_and_each_seeds_renders_are_named_in_one_place(tmp_path):
    from hotdog import modes

    assert modes.history(tmp_path, "both") == tmp_path / "both.history.json"
    assert modes.resume(tmp_path, "adapted") == tmp_path / "adapted.resume.pt"
    renders = tmp_path / "synthetic_5000"
    assert paths.seed_renders(renders, 0) == renders  # seed 0 uses the usual folder
    assert paths.seed_renders(renders, 3) == tmp_path / "synthetic_5000_render3"


def test_a_seed_record_and_its_checkpoints_are_named_in_one_place(tmp_path):
    record = paths.seed_record(tmp_path / "adapted-split0", 3)
    assert record == tmp_path / "adapted-split0" / "seed3.json"
    assert paths.checkpoints_of(record) == tmp_path / "adapted-split0" / "seed3.checkpoints"
    assert paths.checkpoints_of(tmp_path / "both-mixed.json").name == "both-mixed.checkpoints"  # a trial's too
