"""The fourth regime, ``adapted`` (renders plus photos without their labels), and ``--labels K``, on tiny sizes:
which photos keep their labels, that no test photo is ever trained on or adapted to, and the refusals."""

import dataclasses
import os

import pytest

from hotdog import adapt, data, experiment, paths, settings, study
from hotdog.__main__ import main

SIZES = settings.sizes("tiny", authentic_train_limit=64)  # 1 epoch a stage, batches of 16
QUICK = adapt.AdaptConfig("fixmatch", epochs=1, batch_size=16)


def test_labelled_photos_are_drawn_by_class_and_by_seed():
    photos = data.cache(data.split(data.authentic(), seed=0)[0], progress=False)
    labelled, rest = data.labelled_share(photos, 40, seed=1)
    assert len(labelled) == 40 and len(rest) == len(photos) - 40
    assert not set(labelled.indices) & set(rest.indices)
    share = photos.labels.float().mean().item()
    assert abs(sum(photos.labels[i].item() for i in labelled.indices) - 40 * share) <= 1
    assert data.labelled_share(photos, 40, seed=1)[0].indices == labelled.indices
    assert data.labelled_share(photos, 40, seed=2)[0].indices != labelled.indices
    assert len(data.labelled_share(photos, 0, seed=1)[0]) == 0 and len(data.labelled_share(photos, 0, seed=1)[1]) == len(photos)
    with pytest.raises(ValueError, match="--labels must be from 0 to the"):
        data.labelled_share(photos, len(photos) + 1, seed=1)


def test_prepare_hides_the_labels_of_the_rest_and_never_the_test_photos():
    prepared = data.prepare(0, photo_limit=64, validation_photos=8, stratified=True, labels=10, labels_seed=3,
                            progress=False)
    assert len(prepared.authentic_train) == 10 and len(prepared.unlabelled) == 64 - 8 - 10
    assert set(prepared.unlabelled.labels.tolist()) == {-1}
    train, hidden = set(prepared.authentic_train.paths), set(prepared.unlabelled.paths)
    test, validation = set(prepared.test.paths), set(prepared.validation.paths)
    assert not (train | hidden) & test and not (train | hidden) & validation and not train & hidden
    everything = data.prepare(0, photo_limit=64, progress=False)  # no --labels: adapted sees every photo, unlabelled
    assert set(everything.unlabelled_photos().labels.tolist()) == {-1}
    assert everything.unlabelled_photos().paths == everything.authentic_train.paths


@pytest.fixture(scope="module")
def adapted_seed(tmp_path_factory):
    """One seed of ``adapted`` with 8 labels, recording what adaptation was given."""
    seen = {}
    original = adapt.adapt

    def watched(model, renders, photos, config=None, **kwargs):
        seen.update(photos=photos, labelled=kwargs.get("labelled"))
        return original(model, renders, photos, config, **kwargs)

    adapt.adapt = watched
    try:
        root = tmp_path_factory.mktemp("studies")
        record = study.run_seed("a", 0, SIZES, paths.sample_synthetic_dir(), root=root, trained=("adapted",),
                                split_seed=0, labels=8, adaptation=QUICK, progress=False)
    finally:
        adapt.adapt = original
    return root, record, seen


def test_adapted_yields_the_renders_only_model_too_and_records_its_labels(adapted_seed):
    root, record, _ = adapted_seed
    assert sorted(record["results"]) == ["adapted", "synthetic"]
    assert record["labels"] == 8 and record["n_unlabelled"] == 64 - 8
    assert record["adaptation"]["method"] == "fixmatch" and record["adaptation"]["seed"] == 0
    assert "start" in record["histories"]["adapted"]  # the synthetic stage it trained first, kept for lending
    assert study.summarize([record])["pairs"]["adapted - synthetic"]["difference"]["n"] == 1


def test_no_test_photo_is_adapted_to_or_labelled(adapted_seed):
    _, record, seen = adapted_seed
    test = set(record["test_photos"])
    given = {os.path.relpath(p, paths.authentic_dir()) for p in seen["photos"].paths + seen["labelled"].paths}
    assert given and not given & test
    assert set(seen["photos"].labels.tolist()) == {-1} and len(seen["labelled"]) == 8


def test_a_study_refuses_another_label_count(adapted_seed):
    root, _, _ = adapted_seed
    with pytest.raises(ValueError, match=r"labels 8 recorded, 16 asked.*--labels 8"):
        study.run_seed("a", 1, SIZES, paths.sample_synthetic_dir(), root=root, trained=("adapted",), split_seed=0,
                       labels=16, adaptation=QUICK, progress=False)


def test_a_few_labelled_photos_train_as_one_batch(tmp_path):
    sizes = dataclasses.replace(SIZES, batch_size=16)
    record = experiment.run_once(sizes, 0, checkpoints=tmp_path / "c", record_path=tmp_path / "r.json",
                                 trained=("authentic",), labels=10, progress=False)
    assert record.n_authentic_train == 10 and record.histories["authentic"]["epochs"][0]["train_accuracy"] >= 0


@pytest.mark.parametrize("argv, says", [
    (["study", "x", "--modes", "authentic", "--labels", "0"], "--labels 0 leaves authentic and both no labelled"),
    (["study", "x", "--modes", "adapted", "synthetic"], "adapted already gives the synthetic model"),
])
def test_bad_label_options_are_refused_naming_the_option(argv, says, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("HOTDOG_RESULTS", str(tmp_path))
    assert main(argv) != 0
    assert says in capsys.readouterr().err


def test_a_label_count_out_of_range_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit):
        main(["study", "x", "--labels", "-3"])
    assert "--labels" in capsys.readouterr().err
