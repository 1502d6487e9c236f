"""The study figures draw what the seed files say (on the committed small studies)."""

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

from hotdog import paths, plots, study  # noqa: E402

ROOT = paths.project_root() / "results" / "studies"


@pytest.fixture(scope="module")
def records():
    return study.load("small-fp32", ROOT)


def test_study_bars_draw_each_seed_and_the_article(records):
    summary = study.summarize(records)
    fig = plots.study_bars({"fp32": summary, "bf16": study.summarize(study.load("small-bf16", ROOT))})
    ax = fig.axes[0]
    dots = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(dots) == 2 * 3 and all(len(d.get_xdata()) == 3 for d in dots)  # 2 studies x 3 regimes, 3 seeds each
    assert sorted(dots[0].get_ydata()) == sorted(summary["regimes"]["synthetic"]["values"])
    assert any(t.get_text() == "83.9%" for t in ax.texts)


def test_study_bars_label_a_one_seed_study_at_its_value(records):
    one = study.summarize(records[:1])
    fig = plots.study_bars({"first seed": one})
    both = one["regimes"]["both"]["mean"]
    label = next(t for t in fig.axes[0].texts if t.get_text() == f"{both:.1%}")
    assert label.get_position()[1] == pytest.approx(both + 0.01)  # drawn just above the bar, not at nan


def test_study_bars_centre_each_regime_on_the_studies_that_trained_it(records):
    adapted = study.summarize(study.load("adapted-split0", ROOT))  # synthetic and adapted only
    fig = plots.study_bars({"fp32": study.summarize(records), "adapted-split0": adapted})
    ax = fig.axes[0]
    bars = {round(p.get_x() + p.get_width() / 2, 6): p.get_height() for p in ax.patches}
    assert bars[3.0] == pytest.approx(adapted["regimes"]["adapted"]["mean"])  # alone on its tick, no gap beside it
    assert len([x for x in bars if 1.5 < x < 2.5]) == 2  # synthetic-then-authentic: the article's and fp32's
    labels = ax.get_legend_handles_labels()[1]
    assert labels.count("adapted-split0") == 1 and "article (one run)" in labels


def test_study_curves_average_the_seeds(records):
    fig = plots.study_curves(records)
    both = fig.axes[0].lines[0]
    expected = np.mean([[e["test_accuracy"] for e in r["histories"]["both"]["epochs"]] for r in records], axis=0)
    assert np.allclose(both.get_ydata(), expected)


def test_ablation_has_one_row_per_variant(records):
    summary = study.summarize(records)
    fig = plots.ablation({"all on": summary, "again": summary}, reference="all on")
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["all on", "again"]


def test_real_share_draws_both_regimes_at_each_share(records):
    summary = study.summarize(records)
    fig = plots.real_share({0.25: summary, 1.0: summary})
    lines = [line for line in fig.axes[0].lines if line.get_marker() == "o"]
    assert len(lines) == 2
    assert np.allclose(np.asarray(lines[1].get_ydata(), dtype=float), [summary["regimes"]["both"]["mean"]] * 2)
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["25 %\n(200)", "100 %\n(799)"]


def test_labels_curve_draws_each_regime_where_its_study_has_it(records):
    import copy

    full = study.summarize(records)
    unlabelled = copy.deepcopy(full)  # a study without labels: renders alone and adapted only
    unlabelled["regimes"] = {"synthetic": full["regimes"]["synthetic"], "adapted": full["regimes"]["both"]}
    fig = plots.labels_curve({0: unlabelled, 799: full})
    accuracy, auc = fig.axes
    lines = [line for line in accuracy.lines if line.get_marker() == "o"]  # in the order of plots.LABEL_LINES
    assert len(lines) == 3 and [c.get_label() for c in accuracy.containers] == [
        "authentic only", "synthetic, then authentic", "synthetic + unlabelled photos"]
    photos, renders_first, adapted = (np.asarray(line.get_ydata(), dtype=float) for line in lines)
    assert np.allclose(photos, [full["regimes"]["authentic"]["mean"]])  # photos alone need labels: 799 only
    assert np.allclose(renders_first, [full["regimes"]["synthetic"]["mean"], full["regimes"]["both"]["mean"]])
    assert np.allclose(adapted, [full["regimes"]["both"]["mean"]])
    auc_lines = [line for line in auc.lines if line.get_marker() == "o"]
    assert np.allclose(np.asarray(auc_lines[1].get_ydata(), dtype=float)[1], full["regimes"]["both"]["auc"]["mean"])
    assert [t.get_text() for t in accuracy.get_xticklabels()] == ["0", "799"]


def test_search_curves_draw_each_epoch_faint_and_a_running_mean_over_it():
    from hotdog import search

    trials = search.load(paths.project_root() / "results")[:2]
    fig = plots.search_curves(trials)
    lines = fig.axes[0].lines[:4]  # per trial: every epoch, then its running mean
    values = np.asarray(lines[0].get_ydata(), dtype=float)
    smooth = np.asarray(lines[1].get_ydata(), dtype=float)
    assert lines[0].get_alpha() < 1 and lines[1].get_alpha() is None  # the epochs faint, the mean solid
    assert smooth[4] == pytest.approx(values[:5].mean()) and smooth[0] == values[0]
    assert lines[1].get_color() == lines[0].get_color() != lines[2].get_color()  # one colour per trial


def test_the_gallery_enlarges_the_centre_of_the_small_effects(tmp_path):
    from PIL import Image

    image = np.zeros((100, 100, 3), dtype=np.uint8)
    image[30:70, 30:70] = 255  # a white centre
    Image.fromarray(image).save(tmp_path / "a.png")
    fig = plots.randomization_gallery({"lights": [tmp_path / "a.png"], "noise": [tmp_path / "a.png"]})
    whole, centre = (ax.images[0].get_array() for ax in (fig.axes[0], fig.axes[1]))
    assert whole.shape[:2] == (100, 100) and centre.shape[:2] == (40, 40) and centre.min() == 255
    assert fig.axes[1].get_ylabel() == "noise\n(centre, 2.5x)"


def test_the_majority_line_of_studies_on_different_test_photos_says_the_range():
    article = study.summarize(study.load("article", ROOT))  # each seed its own split: 51.7 % on average
    split0 = study.summarize(study.load("photo-split0", ROOT))  # split 0's test photos: 53.3 %
    labels = plots.study_bars({"article": article, "photo-split0": split0}).axes[0].get_legend_handles_labels()[1]
    assert "always the majority class (51.7% to 53.3%, by test set)" in labels
    alone = plots.study_bars({"photo-split0": split0}).axes[0].get_legend_handles_labels()[1]
    assert "always the majority class (53.3%)" in alone
