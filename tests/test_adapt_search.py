"""The adaptation trials (hotdog/adapt_search.py) on tiny sizes: what a trial records, and that the test
photos are never adapted to, trained on or scored."""

import dataclasses

import pytest

from hotdog import adapt_search, data, paths, settings
from hotdog.__main__ import main

TINY = settings.sizes("tiny")


@pytest.fixture
def quick(monkeypatch, authentic_root):
    monkeypatch.setitem(adapt_search.TRIALS, "fixmatch", dataclasses.replace(adapt_search.TRIALS["fixmatch"], epochs=1))
    seen = []
    real_adapt = adapt_search.adapt.adapt

    def watched(model, renders, photos, config, **kw):
        seen.append((photos.paths, kw["validation"].paths))
        return real_adapt(model, renders, photos, config, **kw)
    monkeypatch.setattr(adapt_search.adapt, "adapt", watched)
    return seen


def test_a_trial_adapts_the_start_model_to_training_photos_and_scores_on_validation_photos(quick, tmp_path):
    record = adapt_search.run_trial("fixmatch", paths.sample_synthetic_dir(), sizes=TINY, root=tmp_path,
                                    progress=False)
    (unlabelled, validation), = quick
    _, test = data.split(data.authentic(), seed=0)
    test_photos = {test.dataset.samples[i][0] for i in test.indices}
    assert not (set(unlabelled) | set(validation)) & test_photos and not set(unlabelled) & set(validation)
    assert record["n_unlabelled"] == len(unlabelled) == 72 and record["n_validation"] == len(validation) == 24
    assert 0 <= record["scores"]["plain"]["auc"] <= 1 and len(record["history"]) == 1
    assert (tmp_path / "adapt-search" / "start.checkpoints" / "binary_classifier.pt").exists()
    start = adapt_search.run_trial("renders-alone", paths.sample_synthetic_dir(), sizes=TINY, root=tmp_path,
                                   progress=False)
    assert start["method"] is None and start["history"] == [] and len(quick) == 1  # the start itself, not adapted
    assert record["render_config"] is None  # the sample's folder records no render settings (render_config.json)
    table = adapt_search.table(adapt_search.load(tmp_path))
    assert table.index("| renders-alone | - |") < table.index("| fixmatch | 1 |")


def test_the_command_names_an_unknown_trial(capsys):
    assert main(["adapt", "mean-teacher", "--table"]) == 1
    assert "no trial named mean-teacher; the trials are renders-alone, adabn, fixmatch, shot-im" in capsys.readouterr().err
