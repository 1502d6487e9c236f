"""Adaptation to unlabelled photos (hotdog/adapt.py), on a few random images: what each method changes,
and that the photos' labels are never read."""

import pytest
import torch
from torch import nn

from hotdog import adapt
from hotdog.data import TensorImages, normalize
from hotdog.precision import choose
from hotdog.train import new_model

CPU = torch.device("cpu")


def images(n: int, seed: int, labels=None, bright: int = 0) -> TensorImages:
    g = torch.Generator().manual_seed(seed)
    pixels = torch.randint(0, 200, (n, 3, 128, 128), generator=g, dtype=torch.uint8) + bright
    labels = torch.tensor([i % 2 for i in range(n)]) if labels is None else torch.full((n,), labels)
    return TensorImages(pixels, labels, [f"{seed}-{i}.png" for i in range(n)])


def quick(method: str, **changes) -> adapt.AdaptConfig:
    return adapt.AdaptConfig(**{"method": method, "epochs": 1, "batch_size": 8, "precision": "fp32", **changes})


def test_adabn_takes_the_photos_statistics_and_leaves_the_weights():
    model, photos = new_model(0), images(24, 1, bright=50)
    weights = {k: v.clone() for k, v in model.state_dict().items() if "running" not in k and "num_batches" not in k}
    adapted, rows = adapt.adapt(model, images(8, 2), photos, quick("adabn"), device=CPU, progress=False)
    first_conv, first_norm = adapted.net[0], adapted.net[1]
    with torch.no_grad():
        expected = first_conv(normalize(photos.images)).mean(dim=(0, 2, 3))
    assert torch.allclose(first_norm.running_mean, expected, atol=1e-4)
    assert all(torch.equal(adapted.state_dict()[k], v) for k, v in weights.items())
    assert rows == [{"epoch": 0, "method": "adabn"}] and not adapted.training


@pytest.mark.parametrize("method", ["fixmatch", "shot-im"])
def test_the_photos_labels_are_never_read(method):
    renders = images(16, 3)
    runs = [adapt.adapt(new_model(0), renders, images(16, 4, labels=label), quick(method), device=CPU,
                        progress=False)[0].state_dict() for label in (0, 1)]
    assert all(torch.equal(runs[0][k], runs[1][k]) for k in runs[0])
    assert adapt.unlabelled(images(4, 5)).labels.tolist() == [-1] * 4


def test_shot_im_keeps_the_classifier_and_moves_the_features():
    model = new_model(0)
    head = {k: v.clone() for k, v in adapt._head(model).state_dict().items()}
    first = model.net[0].weight.clone()
    adapted, rows = adapt.adapt(model, images(16, 3), images(16, 4), quick("shot-im"), device=CPU, progress=False)
    assert all(torch.equal(adapt._head(adapted).state_dict()[k], v) for k, v in head.items())
    assert not torch.equal(adapted.net[0].weight, first)
    assert all(p.requires_grad for p in adapted.parameters())  # trainable again for whatever comes next
    assert rows[0]["counted"] == 1.0 and set(rows[0]) >= {"supervised_loss", "unlabelled_loss", "seconds"}


def test_fixmatch_counts_only_confident_answers():
    model = new_model(0)
    rows = adapt.adapt(model, images(16, 3), images(16, 4), quick("fixmatch", threshold=0.999999), device=CPU,
                       progress=False)[1]
    assert rows[0]["counted"] == 0.0 and rows[0]["unlabelled_loss"] == 0.0  # an untrained model is never that sure


def test_distribution_alignment_keeps_the_answers_to_the_prior():
    p = torch.tensor([0.2, 0.5, 0.8])
    assert torch.allclose(adapt.aligned(p, 0.5, 0.5), p)
    assert adapt.aligned(torch.tensor([0.8]), 0.8, 0.5).item() == pytest.approx(0.5)
    assert adapt.aligned(torch.tensor([0.5]), 0.2, 0.5).item() > 0.5  # a model answering hotdog too rarely is lifted


def test_an_adaptation_cut_off_goes_on_from_its_last_epoch(tmp_path, monkeypatch):
    renders, photos = images(16, 3), images(16, 4)
    config = quick("fixmatch", epochs=2, threshold=0.5)
    whole = adapt.adapt(new_model(0), renders, photos, config, device=CPU, progress=False)[0].state_dict()
    resume, one_epoch = tmp_path / "adapted.resume.pt", adapt._epoch

    def cut_off_after_the_first(*args):
        if args[9] == 1:  # the epoch
            raise KeyboardInterrupt
        return one_epoch(*args)
    monkeypatch.setattr(adapt, "_epoch", cut_off_after_the_first)
    with pytest.raises(KeyboardInterrupt):
        adapt.adapt(new_model(0), renders, photos, config, device=CPU, resume=resume, progress=False)
    monkeypatch.setattr(adapt, "_epoch", one_epoch)
    again, rows = adapt.adapt(new_model(0), renders, photos, config, device=CPU, resume=resume, progress=False)
    assert [r["epoch"] for r in rows] == [1, 2]
    assert {r["computed_in"] for r in rows} == {choose(config.precision, CPU).name}  # each epoch says what it used
    assert all(torch.allclose(again.state_dict()[k].float(), v.float()) for k, v in whole.items())


def test_bad_settings_are_refused_by_name():
    with pytest.raises(ValueError, match="method is one of adabn, fixmatch, shot-im"):
        adapt.AdaptConfig(method="mean-teacher")
    with pytest.raises(ValueError, match="threshold is a confidence"):
        adapt.AdaptConfig(threshold=1.5)
    with pytest.raises(ValueError, match="a full batch of unlabelled photos"):
        adapt.adapt(new_model(0), images(8, 1), images(4, 2), quick("fixmatch"), device=CPU, progress=False)


def test_entropy_is_largest_at_one_half():
    e = adapt.entropy(torch.tensor([0.01, 0.5, 0.99]))
    assert e[1] == pytest.approx(torch.log(torch.tensor(2.0)).item()) and e[0] < e[1] > e[2]
    assert isinstance(adapt._head(new_model(0)), nn.Linear)


def test_adapting_on_the_cpu_keeps_freed_memory_as_training_does(monkeypatch):
    asked = []
    monkeypatch.setattr(adapt.malloc, "keep_freed_memory", lambda announce=False: asked.append(announce) or True)
    adapt.adapt(new_model(0), images(16, 3), images(16, 4), quick("fixmatch"), device=CPU, progress=False)
    assert asked == [False]
