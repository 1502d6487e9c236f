"""Several seeds as JSON files, and the table over them (hotdog/study.py), on tiny sizes."""

import dataclasses
import json

import pytest

from hotdog import experiment, metrics, modes, paths, precision, report, settings, study
from hotdog.device import default_device
from hotdog.__main__ import main

SIZES = settings.sizes("tiny", authentic_train_limit=64)  # 1 epoch a stage, batches of 16


@pytest.fixture(scope="module")
def two_seeds(tmp_path_factory):
    root = tmp_path_factory.mktemp("studies")
    records = [study.run_seed("t", seed, SIZES, paths.sample_synthetic_dir(), root=root, progress=False)
               for seed in (0, 1)]
    return root, records


def test_each_seed_writes_its_split_training_and_every_photos_probability(two_seeds):
    root, records = two_seeds
    assert sorted(p.name for p in (root / "t").glob("*.json")) == ["seed0.json", "seed1.json"]
    for record in records:
        assert record["config"]["seed"] == record["seed"]
        assert len(record["test_photos"]) == len(record["test_labels"]) == 199
        for regime in modes.MODES:  # what a default seed trains (adapted is trained only when asked)
            assert len(record["results"][regime]["probabilities"]) == 199
    assert records[0]["test_photos"] != records[1]["test_photos"]  # the seed moves the split


def test_a_finished_seed_is_not_trained_again(two_seeds, monkeypatch):
    root, records = two_seeds
    monkeypatch.setattr(experiment, "train", lambda *a, **k: pytest.fail("trained again"))
    assert study.run_seed("t", 0, SIZES, paths.sample_synthetic_dir(), root=root) == records[0]


def test_summary_matches_the_seed_files(two_seeds):
    root, records = two_seeds
    summary = study.summarize(study.load("t", root))
    accuracies = [r["results"]["both"]["accuracy"] for r in records]
    assert summary["regimes"]["both"]["mean"] == pytest.approx(sum(accuracies) / 2)
    assert summary["seeds"] == [0, 1]
    pair = summary["pairs"]["both - authentic"]
    right = [round(p) == y for r in records for p, y in zip(r["results"]["both"]["probabilities"], r["test_labels"])]
    assert pair["mcnemar"]["only_a"] <= sum(right)
    text = report.format_summary(summary)
    assert "83.92%" in text and "McNemar" in text


def test_the_table_says_when_seeds_computed_in_different_arithmetic(two_seeds):
    root, records = two_seeds
    assert "computed in" not in report.format_summary(study.summarize(records))  # one machine, one arithmetic
    other = [{**records[0], "autocast": "None"}, {**records[1], "autocast": "mixed: float32, bfloat16"}]
    text = report.format_summary(study.summarize(other))
    assert "computed in: seed 0 float32; seed 1 mixed: float32, bfloat16" in text


def test_compare_command_prints_the_table_from_the_files(two_seeds, monkeypatch, capsys):
    root, _ = two_seeds
    monkeypatch.setattr(paths, "studies_dir", lambda: root)
    assert main(["compare"]) == 0
    assert "study 't'" in capsys.readouterr().out
    assert main(["compare", "missing"]) == 1


def test_per_seed_table_gives_each_seed_its_row_and_says_where_a_model_leans(two_seeds, monkeypatch, capsys):
    root, records = two_seeds
    other = [records[0], {**records[1], "autocast": "None"}]
    table = report.format_seeds_markdown("t", other).splitlines()
    assert len(table) == 4 and table[0].startswith("| t: seed | synthetic only |")
    result = records[0]["results"]["both"]
    hotdog = (result["confusion"][0][1] + result["confusion"][1][1]) / result["total"]
    assert f"{result['accuracy']:.1%}, AUC {result['auc']:.3f}, hotdog {hotdog:.0%}" in table[2]
    assert table[3].endswith("float32 |") and table[2].endswith(f"{precision.readable(records[0]['autocast'])} |")
    monkeypatch.setattr(paths, "studies_dir", lambda: root)
    assert main(["compare", "--per-seed", "t"]) == 0
    assert "| t: seed |" in capsys.readouterr().out


def test_over_seeds_and_mcnemar_by_hand():
    s = metrics.over_seeds([0.6, 0.7, 0.8])
    assert s["mean"] == pytest.approx(0.7) and s["sd"] == pytest.approx(0.1)
    assert s["interval95"][1] - 0.7 == pytest.approx(4.303 * 0.1 / 3 ** 0.5, rel=1e-4)  # t(0.975, 2 df) = 4.303
    # 10 photos only A gets right, 2 only B: two-sided exact p = 2 * P(X <= 2 | n=12, 1/2) = 0.0386
    test = metrics.mcnemar([True] * 10 + [False] * 2 + [True] * 5, [False] * 10 + [True] * 2 + [True] * 5)
    assert (test["only_a"], test["only_b"]) == (10, 2) and test["p_value"] == pytest.approx(0.03857, abs=1e-4)
    assert metrics.mcnemar([True], [True])["p_value"] == 1.0


def test_markdown_table_of_one_seed_says_so_and_draws_no_interval(two_seeds):
    _, records = two_seeds
    table = report.format_markdown({"first": study.summarize(records[:1])})
    assert table.splitlines()[0].startswith("| trained on | article (1 run) | first (1 seed) |")
    assert "nan" not in table and "McNemar" in table


def test_markdown_table_sets_the_article_beside_each_study(two_seeds, monkeypatch, capsys):
    root, records = two_seeds
    summary = study.summarize(records)
    table = report.format_markdown({"tiny": summary, "again": summary})
    lines = table.splitlines()
    assert lines[0].startswith("| trained on | article (1 run) | tiny (2 seeds) | again (2 seeds) |")
    assert "| synthetic only | 53.77% |" in table and "+8.55%" in table
    assert f"**{summary['regimes']['both']['mean']:.1%}**" in table
    monkeypatch.setattr(paths, "studies_dir", lambda: root)
    assert main(["compare", "--markdown", "t", "--figure", str(root / "bars.png")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("figure: ") and "| trained on |" in out
    assert (root / "bars.png").stat().st_size > 10_000


def test_an_ablation_seed_trains_only_what_it_asks_for_and_records_how(tmp_path):
    improved = settings.recipe("improved")
    record = study.run_seed("ab", 0, SIZES, paths.sample_synthetic_dir(), root=tmp_path, progress=False,
                            recipe=settings.Recipe("improved", validation_photos=16, train=improved.train),
                            trained=("both",), render_config={"n_images": 320},
                            render_report={"images_per_minute": 640.0})
    assert set(record["results"]) == {"synthetic", "both"} and set(record["histories"]) == {"both"}
    assert record["n_validation"] == 16 and record["n_authentic_train"] == 64 - 16
    assert record["recipe"]["name"] == "improved" and record["config"]["augment"] is True
    auto = precision.choose("auto", default_device()).recorded  # the default: bf16 where native, else fp32
    assert record["render_config"] == {"n_images": 320} and record["autocast"] == auto
    assert record["render"] == {"images_per_minute": 640.0}  # how fast its renders were made
    assert "selected" in record["histories"]["both"]
    summary = study.summarize([record])
    assert set(summary["regimes"]) == {"synthetic", "both"} and summary["pairs"] == {"both - synthetic": summary["pairs"]["both - synthetic"]}
    with pytest.raises(ValueError, match="modes are"):
        study.run_seed("ab", 1, SIZES, paths.sample_synthetic_dir(), root=tmp_path, trained=("photos",))
    with pytest.raises(ValueError, match="both already gives the synthetic model"):
        study.run_seed("ab", 1, SIZES, paths.sample_synthetic_dir(), root=tmp_path, trained=("synthetic", "both"))


def test_exists_means_a_finished_seed(two_seeds, tmp_path):
    root, _ = two_seeds
    assert study.exists("t", root)
    (tmp_path / "running").mkdir()  # a study whose first seed is still training
    assert not study.exists("running", tmp_path) and not study.exists("missing", tmp_path)


def test_versus_pairs_two_studies_by_seed_on_the_same_photos(two_seeds, monkeypatch, capsys):
    root, records = two_seeds
    import copy

    flipped = copy.deepcopy(records)  # a "study" that answers every photo of `both` the other way
    for r in flipped:
        r["results"]["both"]["probabilities"] = [1 - p for p in r["results"]["both"]["probabilities"]]
        r["results"]["both"]["accuracy"] = 1 - r["results"]["both"]["accuracy"]
    comparison = study.versus(flipped, records)
    assert study.versus(records, records)["both"]["difference"]["mean"] == 0
    both = comparison["both"]
    assert both["seeds"] == [0, 1]
    assert both["difference"]["values"] == pytest.approx([1 - 2 * r["results"]["both"]["accuracy"] for r in records])
    right = sum(round(p) == y for r in records for p, y in zip(r["results"]["both"]["probabilities"], r["test_labels"]))
    assert (both["mcnemar"]["only_a"], both["mcnemar"]["only_b"]) == (398 - right, right)
    assert comparison["synthetic"]["difference"]["mean"] == 0
    assert "McNemar" in report.format_versus(comparison, "flipped", "t")
    table = report.format_versus_markdown({"flipped": comparison}, "t").splitlines()
    assert table[0] == "| study minus t, paired by seed | synthetic only | authentic only | synthetic, then authentic | seeds |"
    assert table[2].startswith("| flipped | +0.0% (+0.0% to +0.0%), p = 1.00 |") and table[2].endswith(" | 2 |")
    assert f"{both['difference']['mean']:+.1%}" in table[2].split(" | ")[3]
    with pytest.raises(ValueError, match="no seed"):
        study.versus(records[:1], records[1:])
    other = copy.deepcopy(records)
    other[0]["test_photos"] = other[0]["test_photos"][::-1]
    with pytest.raises(ValueError, match="seed 0 was tested on other photos"):
        study.versus(other, records)
    monkeypatch.setattr(paths, "studies_dir", lambda: root)
    assert main(["compare", "t", "--against", "t"]) == 0  # a study is never compared with itself
    assert "paired by seed" not in capsys.readouterr().out
    assert main(["compare", "t", "--against", "t", "--markdown"]) == 0
    assert capsys.readouterr().out.startswith("| study minus t, paired by seed |")


def test_versus_pairs_a_regime_the_reference_lacks_with_its_regimes(two_seeds):
    _, records = two_seeds
    import copy

    adapted = copy.deepcopy(records)  # a study of the fourth regime: its answers are the reference's `both`
    for r in adapted:
        r["results"] = {"synthetic": r["results"]["synthetic"], "adapted": r["results"]["both"]}
    comparison = study.versus(adapted, records)
    assert list(comparison) == ["synthetic", "adapted - synthetic", "adapted - authentic", "adapted - both"]
    assert comparison["adapted - both"]["difference"]["mean"] == 0
    gap = [r["results"]["both"]["accuracy"] - r["results"]["authentic"]["accuracy"] for r in records]
    assert comparison["adapted - authentic"]["difference"]["values"] == pytest.approx(gap)
    line = report.format_versus(comparison, "a", "t").splitlines()[3]
    assert line.strip().startswith("synthetic + unlabelled photos - t's authentic only")
    assert list(study.versus(records, adapted)) == ["synthetic", "authentic - synthetic", "both - synthetic"]


def test_format_p_keeps_small_p_values_readable():
    assert report.format_p(0.5) == "p = 0.50"
    assert report.format_p(0.0042) == "p = 0.004"  # not "0.00", which reads as no evidence needed
    assert report.format_p(0.0004) == "p < 0.001"


def test_a_seed_recorded_before_records_named_their_recipe_is_reused_as_it_is(monkeypatch):
    monkeypatch.setattr(experiment, "train", lambda *a, **k: pytest.fail("trained again"))
    recorded = paths.recorded_studies_dir()
    sizes = settings.Sizes(**json.loads((recorded / "small-fp32" / "seed0.json").read_text())["sizes"])
    record = study.run_seed("small-fp32", 0, sizes, None, root=recorded, precision="fp32",
                            progress=False)
    assert record["recipe"]["name"] == "article" and record["results"] == study.load("small-fp32", recorded)[0]["results"]


def test_every_regime_carries_its_auc_over_seeds_beside_the_accuracy():
    from hotdog import paths, report, study

    summary = study.summarize(study.load("article", paths.recorded_studies_dir()))
    auc = summary["regimes"]["synthetic"]["auc"]
    assert auc["n"] == 5 and 0.5 < auc["mean"] < 0.65  # renders alone: barely better than a coin
    assert summary["regimes"]["both"]["auc"]["mean"] > auc["mean"]
    assert f"AUC {auc['mean']:.2f}" in report.format_markdown({"article": summary})


def test_a_fixed_split_tests_every_seed_on_the_same_photos_and_the_seed_varies_the_rest(tmp_path):
    records = [study.run_seed("fixed", seed, SIZES, None, root=tmp_path, trained=("authentic",), split_seed=0,
                              progress=False) for seed in (0, 1)]
    assert records[0]["test_photos"] == records[1]["test_photos"] and records[1]["split_seed"] == 0
    assert records[0]["results"]["authentic"]["probabilities"] != records[1]["results"]["authentic"]["probabilities"]
    own_split = study.run_seed("own", 1, SIZES, None, root=tmp_path, trained=("authentic",), progress=False)
    assert own_split["test_photos"] != records[1]["test_photos"] and own_split["split_seed"] is None
    assert study.versus(records, records)["authentic"]["seeds"] == [0, 1]  # paired: the same photos
    with pytest.raises(ValueError, match="split_seed 0 recorded, null asked"):  # a seed of another split is not reused
        study.run_seed("fixed", 1, SIZES, None, root=tmp_path, trained=("authentic",), progress=False)


def test_a_fixed_split_study_renders_each_seed_its_own_set_whatever_the_order(monkeypatch, capsys):
    import hotdog.study_commands as cli
    from hotdog import report

    renders, trained, reports = [], [], []
    monkeypatch.setattr(cli, "_study_renders", lambda args, sizes, seed=0: renders.append(seed) or (f"r{seed}", {}, seed))
    monkeypatch.setattr(cli, "_render_now", lambda config, root, sizes: {"seconds": config})
    monkeypatch.setattr(study, "run_seed", lambda name, seed, sizes, root, **kw:
                        trained.append((seed, root)) or reports.append(kw["render_report"]))
    monkeypatch.setattr(study, "load", lambda name: [])
    monkeypatch.setattr(study, "summarize", lambda records: {})
    monkeypatch.setattr(report, "format_summary", lambda summary, title: title)
    main(["study", "order", "--split-seed", "0", "--seeds", "2", "0", "--modes", "both"])
    assert renders == [2, 0] and trained == [(2, "r2"), (0, "r0")]
    assert reports == [{"seconds": 2}, {"seconds": 0}]  # each seed records the render call that made its set
    renders.clear(), trained.clear()
    main(["study", "order", "--seeds", "2", "0", "--modes", "both"])  # the usual study: one set for all
    assert renders == [0] and trained == [(2, "r0"), (0, "r0")]
    assert main(["study", "order", "--modes", "authentic", "--real-share", "2"]) == 1  # checked without renders
    assert "--real-share is a fraction" in capsys.readouterr().err
    assert main(["study", "order", "--modes", "synthetic", "--synthetic-stage-from", "tuned"]) == 1
    assert "--synthetic-stage-from starts both" in capsys.readouterr().err


def seed_record(render_config: dict | None, sizes=settings.sizes("tiny"), recipe="article", precision="auto",
                split_seed=None, modes=("both", "authentic")) -> dict:
    """A finished seed's record as far as the settings go (what :func:`hotdog.study.check_settings` reads)."""
    planned = study.planned(sizes, settings.recipe(recipe), precision, modes, render_config, split_seed)
    return {"seed": 0, "sizes": sizes.as_dict(), "recipe": planned["recipe"], "split_seed": split_seed,
            "config": {**planned["training"], "seed": 0}, "histories": dict.fromkeys(modes, {}),
            "render_config": render_config}


def test_a_study_never_mixes_two_renderers_and_says_how_to_continue_it(tmp_path, monkeypatch, capsys):
    from hotdog.render import PLAIN_SCENE, RenderConfig

    monkeypatch.setenv("HOTDOG_RESULTS", str(tmp_path))
    tiny = settings.sizes("tiny")
    began = RenderConfig(n_images=tiny.n_synthetic, **PLAIN_SCENE)  # the renderer's old defaults
    (tmp_path / "studies" / "began").mkdir(parents=True)
    (tmp_path / "studies" / "began" / "seed0.json").write_text(json.dumps(seed_record(began.as_dict())))
    asked = lambda config: study.planned(tiny, settings.recipe("article"), "auto", ("both", "authentic"),  # noqa: E731
                                         config.as_dict(), None)
    study.check_settings("began", asked(dataclasses.replace(began, seed=1)))  # another render seed is fine
    assert main(["study", "began", "--size", "tiny", "--seeds", "1"]) == 1  # today's defaults
    err = capsys.readouterr().err
    assert "seed0.json was made with other settings than this run asks (renders.distance_factor" in err
    assert "--set distance_factor=[1.05,1.4] hdri_p=0.0 offcentre=0.0 surface_p=0.0 (with --synthetic DIR" in err
    with pytest.raises(ValueError, match=r"--size or --images \(32 renders\) and --without \(off: none\)"):
        study.check_settings("began", asked(dataclasses.replace(began, n_images=8).without("noise")))
    assert not list((tmp_path / "studies" / "began").glob("seed1*"))  # refused before anything ran
    moved = dataclasses.replace(began, backgrounds_dir="/on/my/machine/backgrounds")  # the same photos elsewhere
    (tmp_path / "studies" / "began" / "seed0.json").write_text(json.dumps(seed_record(moved.as_dict())))
    study.check_settings("began", asked(dataclasses.replace(moved, backgrounds_dir="data/article/backgrounds")))
    with pytest.raises(ValueError, match="--backgrounds"):
        study.check_settings("began", asked(began))  # no photos behind the renders: another renderer


SAMPLE_RENDERS = {"n_images": 320}  # what a study records of the renders it made (here: the sample's count)


@pytest.fixture(scope="module")
def lender(tmp_path_factory):
    """Seed 0 of a tiny study with the tuned recipe (a fresh optimizer for fine-tuning), both only."""
    root = tmp_path_factory.mktemp("lender")
    record = study.run_seed("full", 0, SIZES, paths.sample_synthetic_dir(), root=root, recipe=settings.recipe("tuned"),
                            trained=("both",), render_config=SAMPLE_RENDERS, progress=False)
    return root, record


def test_a_borrowed_synthetic_stage_gives_the_model_training_it_gives(lender):
    root, full = lender
    again = study.run_seed("again", 0, SIZES, paths.sample_synthetic_dir(), root=root, recipe=settings.recipe("tuned"),
                           trained=("both",), synthetic_stage_from="full", render_config=SAMPLE_RENDERS,
                           progress=False)
    assert again["synthetic_stage_from"] == "full/seed0.json" and full["synthetic_stage_from"] is None
    stage = [r for r in full["histories"]["both"]["epochs"] if r["stage"] == "synthetic"]
    assert again["histories"]["both"]["epochs"][:len(stage)] == stage
    for regime in ("synthetic", "both"):
        assert again["results"][regime]["probabilities"] == pytest.approx(full["results"][regime]["probabilities"],
                                                                         abs=1e-5)


def test_a_real_share_study_takes_the_same_synthetic_model_and_trains_its_own_fine_tuning(lender):
    root, full = lender
    fewer = study.run_seed("fewer", 0, settings.sizes("tiny", authentic_train_limit=32), paths.sample_synthetic_dir(),
                           root=root, recipe=settings.recipe("tuned"), trained=("both",), synthetic_stage_from="full",
                           render_config=SAMPLE_RENDERS, progress=False)
    assert fewer["n_authentic_train"] == 32 and fewer["synthetic_stage_from"] == "full/seed0.json"
    assert fewer["results"]["synthetic"]["probabilities"] == full["results"]["synthetic"]["probabilities"]
    assert fewer["results"]["both"]["probabilities"] != full["results"]["both"]["probabilities"]


def test_a_lender_with_other_settings_is_refused_by_name(lender):
    root, _ = lender
    with pytest.raises(ValueError, match="learning_rate is 0.002 there, 0.0001 here.*finetune_learning_rate"):
        study.run_seed("article-recipe", 0, SIZES, paths.sample_synthetic_dir(), root=root, trained=("both",),
                       synthetic_stage_from="full", render_config=SAMPLE_RENDERS,
                       progress=False)
    with pytest.raises(FileNotFoundError, match="seed1.json does not exist"):
        study.run_seed("other-seed", 1, SIZES, paths.sample_synthetic_dir(), root=root, recipe=settings.recipe("tuned"),
                       trained=("both",), synthetic_stage_from="full", render_config=SAMPLE_RENDERS,
                       progress=False)


def test_a_both_run_begun_without_the_lender_is_not_passed_off_as_borrowed(lender):
    import torch

    root, _ = lender
    checkpoints = root / "begun" / "seed0.checkpoints"
    checkpoints.mkdir(parents=True)
    torch.save({"borrowed_from": None}, checkpoints / "both.resume.pt")  # as a run without the option leaves it
    with pytest.raises(ValueError, match="begun without a borrowed stage.*delete it"):
        study.run_seed("begun", 0, SIZES, paths.sample_synthetic_dir(), root=root, recipe=settings.recipe("tuned"),
                       trained=("both",), synthetic_stage_from="full", render_config=SAMPLE_RENDERS, progress=False)
    assert (checkpoints / "both.resume.pt").exists()  # nothing deleted


def test_a_lender_is_judged_on_its_render_config_as_saved_not_on_tuples_against_lists():
    from hotdog import head_start
    from hotdog.render import RenderConfig
    from hotdog.train import TrainConfig

    config = TrainConfig.for_sizes(SIZES, settings.recipe("tuned"), seed=0, precision="fp32")
    render = RenderConfig(n_images=5000, seed=0).as_dict()
    saved = {"histories": {"both": {}}, "config": json.loads(json.dumps(dataclasses.asdict(config))),
             "n_synthetic": 5000, "render_config": json.loads(json.dumps(render)), "split_seed": None}
    assert head_start.lender_problems(saved, config, 5000, render, None) == []
    other = RenderConfig(n_images=5000, seed=0, surface_p=0.5).as_dict()
    assert head_start.lender_problems(saved, config, 5000, other, None) == ["its renders were made with another "
                                                                           "render config (surface_p)"]
    elsewhere = {**render, "backgrounds_dir": "/elsewhere/backgrounds"}  # the same photos on another machine
    saved["render_config"]["backgrounds_dir"] = "/here/backgrounds"
    assert head_start.lender_problems(saved, config, 5000, elsewhere, None) == []
    saved["render_config"].pop("hand_p")  # a record predating a field: the renders may differ, so no lending
    assert "render config (hand_p)" in head_start.lender_problems(saved, config, 5000, elsewhere, None)[0]
    saved["render_config"] = json.loads(json.dumps(render))
    assert "carry no settings to match" in head_start.lender_problems(saved, config, 5000, None, None)[0]
    saved["autocast"] = "torch.bfloat16"  # precision "auto" on a CPU with bf16, borrowed where auto is fp32
    assert head_start.lender_problems(saved, config, 5000, render, None, autocast="torch.bfloat16") == []
    assert "computed in torch.bfloat16 there, None here" in head_start.lender_problems(saved, config, 5000, render,
                                                                                       None, autocast="None")[0]


def test_a_renders_alone_study_trains_the_synthetic_stage_both_starts_with(lender):
    root, full = lender
    alone = study.run_seed("alone", 0, SIZES, paths.sample_synthetic_dir(), root=root, recipe=settings.recipe("tuned"),
                           trained=("synthetic",), progress=False)
    assert set(alone["results"]) == {"synthetic"} and set(alone["histories"]) == {"synthetic"}
    assert alone["results"]["synthetic"]["probabilities"] == pytest.approx(
        full["results"]["synthetic"]["probabilities"], abs=1e-5)
    summary = study.summarize([alone])
    assert set(summary["regimes"]) == {"synthetic"} and summary["pairs"] == {}
    with pytest.raises(ValueError, match="both already gives the synthetic model"):
        study.run_seed("twice", 0, SIZES, None, root=root, trained=("both", "synthetic"), progress=False)


def test_a_renders_alone_study_lends_its_stage_to_both(lender):
    root, full = lender
    study.run_seed("alone-lender", 0, SIZES, paths.sample_synthetic_dir(), root=root, recipe=settings.recipe("tuned"),
                   trained=("synthetic",), render_config=SAMPLE_RENDERS, progress=False)
    then = study.run_seed("then-photos", 0, SIZES, paths.sample_synthetic_dir(), root=root,
                          recipe=settings.recipe("tuned"), trained=("both",), synthetic_stage_from="alone-lender",
                          render_config=SAMPLE_RENDERS, progress=False)
    assert then["synthetic_stage_from"] == "alone-lender/seed0.json"
    for regime in ("synthetic", "both"):
        assert then["results"][regime]["probabilities"] == pytest.approx(full["results"][regime]["probabilities"],
                                                                        abs=1e-5)


def test_a_record_names_the_cpu_it_ran_on_and_its_vector_unit(tmp_path):
    from hotdog.experiment import cpu

    info = tmp_path / "cpuinfo"
    info.write_text("processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse avx2 avx512f avx512_bf16\n\n"
                    "processor\t: 1\nmodel name\t: AMD EPYC\n")
    assert cpu(str(info)) == ", AMD EPYC (AVX-512 BF16)"
    info.write_text("processor\t: 0\nmodel name\t: Some   CPU\nflags\t\t: fpu sse\n")
    assert cpu(str(info)) == ", Some CPU"
    assert cpu(str(tmp_path / "missing")) == ""  # not Linux: the record says what it can


def test_a_study_says_how_many_labels_it_kept(two_seeds):
    _, records = two_seeds
    import copy

    assert study.labelled(records) == records[0]["n_authentic_train"]  # every training photo's
    adapted = copy.deepcopy(records)
    for r in adapted:
        r["results"] = {"synthetic": r["results"]["synthetic"], "adapted": r["results"]["both"]}
    assert study.labelled(adapted) == 0
    adapted[0]["labels"] = 40
    assert study.labelled(adapted) == 40
