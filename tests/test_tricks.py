"""The tuned recipe's parts (hotdog/tricks.py), each a library call, and how train() uses them."""

import pytest
import torch

from hotdog import tricks
from hotdog import train as training
from hotdog.train import TrainConfig, train
from test_train import fake_images, interrupt_on_epoch

TUNED = TrainConfig(batch_size=8, synthetic_epochs=2, finetune_epochs=3, authentic_epochs=3, seed=5,
                    augment="trivial", weight_decay=0.05, schedule="onecycle", learning_rate=2e-3,
                    finetune_learning_rate=1e-3, label_smoothing=0.1, mixup=0.5, ema_decay=0.9)


def rates(schedule: str, steps: int = 100, warmup: float = 0.25) -> list[float]:
    optimizer = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))], lr=2e-3)
    scheduler = tricks.scheduler(optimizer, schedule, steps, warmup)
    seen = []
    for _ in range(steps):
        seen.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    return seen


@pytest.mark.parametrize("schedule", ["onecycle", "cosine"])
def test_a_schedule_warms_up_to_the_peak_then_anneals_to_nearly_nothing(schedule):
    seen = rates(schedule)
    top = max(range(len(seen)), key=seen.__getitem__)
    assert seen[top] == pytest.approx(2e-3, rel=0.02) and 20 <= top <= 30
    assert seen[0] < 2e-4 and seen[-1] < 1e-5
    assert all(a >= b for a, b in zip(seen[top:], seen[top + 1:]))


def test_a_constant_rate_has_no_scheduler_and_unknown_names_are_refused():
    optimizer = torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))], lr=1e-4)
    assert tricks.scheduler(optimizer, "constant", 100, 0.25) is None
    assert tricks.scheduler(optimizer, "onecycle", 2, 0.25) is None  # too few steps to warm up and anneal
    assert len(rates("onecycle", steps=4)) == 4  # a short stage still warms up and anneals
    with pytest.raises(ValueError, match="schedule must be one of"):
        tricks.scheduler(optimizer, "linear", 100, 0.25)
    with pytest.raises(ValueError, match="schedule must be one of"):
        TrainConfig(schedule="linear")
    with pytest.raises(ValueError, match="augment must be"):
        TrainConfig(augment="magic")
    with pytest.raises(ValueError, match="label_smoothing must be from 0 to 1"):
        TrainConfig(label_smoothing=1.5)


def test_mixing_gives_soft_labels_that_say_how_much_of_each_image_is_a_hotdog():
    torch.manual_seed(0)
    batch = fake_images(8, 0)
    images, labels = tricks.batch_mixing(1.0)(batch.images.float() / 127.5 - 1, batch.labels)
    assert images.shape == (8, 3, 128, 128) and labels.shape == (8,)
    assert labels.min() >= 0 and labels.max() <= 1 and ((labels > 0) & (labels < 1)).any()


def test_label_smoothing_pulls_the_targets_off_zero_and_one():
    assert tricks.smooth(torch.tensor([0, 1]), 0.1).tolist() == pytest.approx([0.05, 0.95])
    assert tricks.smooth(torch.tensor([0, 1]), 0.0).tolist() == [0.0, 1.0]


def test_trivial_augment_keeps_128_square_images_in_range():
    images = fake_images(4, 0).images
    policy = tricks.batch_augmentation("trivial")
    out = policy(images, policy.draw(4, torch.Generator().manual_seed(0)))
    assert out.shape == (4, 3, 128, 128) and out.dtype == torch.float32 and 0 <= out.min() and out.max() <= 1
    with pytest.raises(ValueError, match="augment must be one of"):
        tricks.batch_augmentation("magic")


def test_the_moving_average_is_what_a_stage_keeps():
    data = {"authentic": fake_images(16, 2)}
    config = TrainConfig(batch_size=8, authentic_epochs=2, seed=1, ema_decay=0.5)
    model, _ = train("authentic", data, config, progress=False)
    plain, _ = train("authentic", data, TrainConfig(**{**config.__dict__, "ema_decay": 0.0}), progress=False)
    assert not all(torch.equal(p, q) for p, q in zip(model.parameters(), plain.parameters()))
    assert tricks.averaged(model, 0.0) is None


def test_fine_tuning_starts_a_fresh_schedule_at_its_own_peak():
    data = {"synthetic": fake_images(32, 1), "authentic": fake_images(32, 2)}
    config = TrainConfig(batch_size=8, synthetic_epochs=2, finetune_epochs=4, seed=1, schedule="onecycle",
                         learning_rate=2e-3, finetune_learning_rate=1e-3, warmup=0.25)
    _, history = train("both", data, config, progress=False)
    rows = {(e["stage"], e["epoch"]): e["learning_rate"] for e in history.epochs}
    assert rows[("authentic", 1)] == pytest.approx(1e-3, rel=0.05)  # the fine-tuning peak, after its warm-up
    assert rows[("synthetic", 2)] < 1e-7 and rows[("authentic", 4)] < 1e-7  # each stage anneals to nearly nothing


def test_an_interrupted_tuned_run_resumes_to_the_same_model(tmp_path, monkeypatch):
    data = {"synthetic": fake_images(16, 1), "authentic": fake_images(16, 2)}
    validation = fake_images(8, 4)
    reference, ref_history = train("both", data, TUNED, validation=validation, progress=False)

    real = interrupt_on_epoch(monkeypatch, 4)  # in the middle of fine-tuning
    with pytest.raises(KeyboardInterrupt):
        train("both", data, TUNED, validation=validation, checkpoint_dir=tmp_path, progress=False)
    monkeypatch.setattr(training, "train_one_epoch", real)
    resumed, history = train("both", data, TUNED, validation=validation, checkpoint_dir=tmp_path, progress=False)
    assert [round(e["train_loss"], 5) for e in history.epochs] == [round(e["train_loss"], 5) for e in ref_history.epochs]
    assert [e["learning_rate"] for e in history.epochs] == pytest.approx([e["learning_rate"] for e in ref_history.epochs])
    for p, q in zip(reference.state_dict().values(), resumed.state_dict().values()):
        assert torch.allclose(p.float(), q.float(), atol=1e-6)


def test_domain_forward_keeps_renders_out_of_the_photos_batchnorm():
    from hotdog.model import BinaryClassifier
    from hotdog.tricks import domain_forward

    torch.manual_seed(0)
    model, twin = BinaryClassifier().train(), BinaryClassifier().train()
    twin.load_state_dict(model.state_dict())
    images = torch.randn(10, 3, 128, 128)
    renders = torch.tensor([False, True] * 5)
    images[renders] = images[renders] * 3 + 2  # another domain: other statistics
    together = domain_forward(model, images, renders)
    photos_alone = twin(images[~renders])  # the photos as one batch: their own statistics, their own running ones
    assert torch.allclose(together[~renders], photos_alone, atol=1e-5)
    for mine, theirs in zip(model.modules(), twin.modules()):
        if isinstance(mine, torch.nn.BatchNorm2d):
            assert torch.allclose(mine.running_mean, theirs.running_mean, atol=1e-6)  # the renders left them alone
            assert mine.momentum == theirs.momentum
    together.sum().backward()  # and both domains' rows train the shared weights
    assert all(p.grad is not None for p in model.parameters())


def test_separate_batchnorm_needs_mixed_renders_and_no_mixup():
    from hotdog.train import TrainConfig

    TrainConfig(mix_synthetic=0.5, separate_bn=True)
    for asked in ({"separate_bn": True}, {"separate_bn": True, "mix_synthetic": 0.5, "mixup": 0.2}):
        with pytest.raises(ValueError, match="separate_bn keeps renders and photos apart"):
            TrainConfig(**asked)


def test_both_with_separate_batchnorm_marks_the_renders_of_each_batch_and_trains():
    from dataclasses import replace

    from hotdog import batches
    from test_train import IMPROVED

    data = {"synthetic": fake_images(40, 1), "authentic": fake_images(16, 2)}
    pool = batches.stage_pool("authentic", "both", data, 0.5)
    marked = list(batches.EpochBatches(pool, 8, 3, 1, 0, domains=True))
    order = batches.epoch_order(pool, 3, 1, 0)
    assert all(len(batch) == 3 for batch in marked)
    assert torch.equal(torch.cat([renders for _, _, renders in marked]), order >= 16)
    plain = batches.EpochBatches(batches.stage_pool("authentic", "authentic", data, 0.5), 8, 3, 1, 0, domains=True)
    assert all(len(batch) == 2 for batch in plain)  # nothing mixed in: nothing to mark
    config = replace(IMPROVED, separate_bn=True, patience=None, finetune_epochs=2)
    model, history = train("both", data, config, progress=False)
    assert [e["stage"] for e in history.epochs] == ["synthetic", "authentic", "authentic"]
