import json
import sys

import pytest
import torch

from hotdog import train as training
from hotdog.data import TensorImages
from hotdog.train import TrainConfig, train


def fake_images(n: int, seed: int) -> TensorImages:
    """Learnable toy data: hotdogs are reddish, the rest bluish."""
    g = torch.Generator().manual_seed(seed)
    labels = (torch.arange(n) % 2).long()
    images = torch.randint(0, 120, (n, 3, 128, 128), generator=g, dtype=torch.uint8)
    images[labels == 1, 0] += 120
    images[labels == 0, 2] += 120
    return TensorImages(images, labels, [f"img{i}" for i in range(n)])


def test_a_real_training_step_lowers_the_loss():
    torch.manual_seed(0)
    model = training.new_model(0)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, betas=(0.9, 0.99))
    criterion = torch.nn.BCELoss()
    images, labels = next(iter(torch.utils.data.DataLoader(fake_images(8, 0), batch_size=8)))
    model.train()
    losses = []
    for _ in range(4):
        optimizer.zero_grad()
        loss = criterion(model(images), labels.float())
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert losses[-1] < losses[0]


def test_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="Mode must be one of"):
        TrainConfig().stages("real")


def test_article_schedule():
    config = TrainConfig()
    assert config.stages("both") == [("synthetic", 10), ("authentic", 20)]
    assert config.stages("authentic") == [("authentic", 30)]
    assert (config.learning_rate, config.betas, config.batch_size) == (1e-4, (0.9, 0.99), 64)


def interrupt_on_epoch(monkeypatch, n: int):
    """Make the n-th call of train_one_epoch raise KeyboardInterrupt; returns the real function."""
    calls = {"n": 0}
    real = training.train_one_epoch

    def dies(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == n:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(training, "train_one_epoch", dies)
    return real


CONFIG = TrainConfig(batch_size=8, synthetic_epochs=1, finetune_epochs=2, authentic_epochs=1, seed=3)


def test_both_saves_the_articles_checkpoints_and_history(tmp_path):
    data = {"synthetic": fake_images(16, 1), "authentic": fake_images(16, 2)}
    model, history = train("both", data, CONFIG, test=fake_images(8, 3), checkpoint_dir=tmp_path, progress=False)
    assert [e["stage"] for e in history.epochs] == ["synthetic", "authentic", "authentic"]
    assert all("test_accuracy" in e for e in history.epochs)
    assert (tmp_path / "binary_classifier.pt").exists() and (tmp_path / "binary_classifier_finetuned.pt").exists()
    assert not (tmp_path / "both.resume.pt").exists()
    assert json.loads((tmp_path / "both.history.json").read_text())["mode"] == "both"
    loaded = training.load_model(tmp_path / "binary_classifier_finetuned.pt")
    x = fake_images(4, 9)[0][0].unsqueeze(0)
    assert torch.allclose(loaded(x), model.eval()(x), atol=1e-5)


def test_same_seed_same_model(tmp_path):
    data = {"authentic": fake_images(16, 2)}
    a, _ = train("authentic", data, CONFIG, progress=False)
    b, _ = train("authentic", data, CONFIG, progress=False)
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.equal(p, q)


def test_an_interrupted_run_resumes_where_it_stopped(tmp_path, monkeypatch):
    data = {"synthetic": fake_images(16, 1), "authentic": fake_images(16, 2)}
    reference, ref_history = train("both", data, CONFIG, progress=False)

    real = interrupt_on_epoch(monkeypatch, 3)
    with pytest.raises(KeyboardInterrupt):
        train("both", data, CONFIG, checkpoint_dir=tmp_path, progress=False)
    assert (tmp_path / "both.resume.pt").exists() and (tmp_path / "binary_classifier.pt").exists()
    monkeypatch.setattr(training, "train_one_epoch", real)
    resumed, history = train("both", data, CONFIG, checkpoint_dir=tmp_path, progress=False)
    assert len(history.epochs) == 3
    assert [round(e["train_loss"], 5) for e in history.epochs] == [round(e["train_loss"], 5) for e in ref_history.epochs]
    for p, q in zip(reference.parameters(), resumed.parameters()):
        assert torch.allclose(p, q, atol=1e-6)


def test_a_run_resumed_where_auto_means_another_arithmetic_says_it_computed_in_both(tmp_path, monkeypatch):
    """--precision auto is float32 on a CPU without bfloat16 and bfloat16 on one with it: a run cut off on the
    first and finished on the second goes on (the setting is the same) and its epochs say what each used."""
    from dataclasses import replace

    from hotdog import precision
    from hotdog.experiment import computed_in

    data, config = {"synthetic": fake_images(16, 1), "authentic": fake_images(16, 2)}, replace(CONFIG, precision="auto")
    monkeypatch.setattr(precision, "native_bf16", lambda device: False)
    real = interrupt_on_epoch(monkeypatch, 2)
    with pytest.raises(KeyboardInterrupt):
        train("both", data, config, checkpoint_dir=tmp_path, progress=False)
    monkeypatch.setattr(training, "train_one_epoch", real)
    monkeypatch.setattr(precision, "native_bf16", lambda device: True)
    _, history = train("both", data, config, checkpoint_dir=tmp_path, progress=False)
    assert [e["computed_in"] for e in history.epochs] == ["float32", "bfloat16", "bfloat16"]
    here = precision.choose("auto", torch.device("cpu"))
    assert precision.as_recorded(computed_in({"both": history.to_json()}), here) == "mixed: float32, bfloat16"


def test_a_records_arithmetic_is_its_epochs_when_they_agree():
    from hotdog.precision import Precision, as_recorded, readable

    here = Precision(torch.bfloat16)
    assert as_recorded(["float32", "float32"], here) == "None"  # float32, as records have always written it
    assert as_recorded(["bfloat16"], Precision(None)) == "torch.bfloat16"
    assert as_recorded([None, None], here) == "torch.bfloat16"  # rows from before rows said: this machine's
    assert [readable(r) for r in ("None", None, "torch.bfloat16", "mixed: float32, bfloat16")] == \
        ["float32", "float32", "bfloat16", "mixed: float32, bfloat16"]


def test_load_model_names_a_missing_or_bad_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="train a model first"):
        training.load_model(tmp_path / "none.pt")
    (tmp_path / "bad.pt").write_bytes(b"garbage")
    with pytest.raises(ValueError, match="not a BinaryClassifier checkpoint"):
        training.load_model(tmp_path / "bad.pt")


# ------------------------------------------------------------------------------------------------
# the improved recipe: augmentation, mixing, weight decay, epochs chosen on validation photos
# ------------------------------------------------------------------------------------------------

from hotdog import settings  # noqa: E402
from hotdog import batches  # noqa: E402
from hotdog.data import carve  # noqa: E402

IMPROVED = TrainConfig(batch_size=8, synthetic_epochs=1, finetune_epochs=4, authentic_epochs=4, seed=3,
                       augment=True, weight_decay=0.05, mix_synthetic=0.5, patience=2)


def test_the_article_recipe_is_the_default_and_improved_changes_only_training():
    article = TrainConfig.for_sizes(settings.sizes("article"))
    assert article == TrainConfig()  # the article's schedule, nothing added
    assert TrainConfig.for_sizes(settings.sizes("article"), settings.recipe("article")) == article
    improved = TrainConfig.for_sizes(settings.sizes("article"), settings.recipe("improved"), precision="auto")
    assert (improved.synthetic_epochs, improved.finetune_epochs, improved.authentic_epochs) == (10, 40, 60)
    assert improved.augment and improved.mix_synthetic == 0.5 and improved.weight_decay > 0 and improved.patience
    assert (improved.learning_rate, improved.betas, improved.batch_size) == (1e-4, (0.9, 0.99), 64)
    with pytest.raises(ValueError, match="not one of"):
        settings.recipe("magic")


def test_augmented_batches_change_every_epoch_but_keep_labels_shape_and_range():
    pool = batches.stage_pool("authentic", "authentic", {"authentic": fake_images(8, 0)}, 0.0)
    first = list(batches.EpochBatches(pool, 4, seed=0, stage=0, epoch=0, policy="crop"))
    again = list(batches.EpochBatches(pool, 4, seed=0, stage=0, epoch=0, policy="crop"))
    other = list(batches.EpochBatches(pool, 4, seed=0, stage=0, epoch=1, policy="crop"))
    images, labels = first[0]
    assert len(first) == 2 and images.shape == (4, 3, 128, 128) and images.dtype == torch.float32
    assert images.min() >= -1 and images.max() <= 1
    assert all(torch.equal(a[0], b[0]) and torch.equal(a[1], b[1]) for a, b in zip(first, again))  # seeded
    assert not torch.equal(first[0][0], other[0][0])
    plain, plain_labels = next(iter(batches.EpochBatches(pool, 4, seed=0, stage=0, epoch=0)))
    assert torch.equal(plain_labels, labels)  # the same batches, augmented or not
    order = batches.epoch_order(pool, 0, 0, 0)[:4]
    assert torch.equal(plain, fake_images(8, 0).images[order].float().div(255).sub(0.5).div(0.5))


def test_the_batches_are_those_of_the_articles_shuffled_loader():
    data = fake_images(20, 0)
    pool = batches.stage_pool("authentic", "authentic", {"authentic": data}, 0.0)
    generator = torch.Generator().manual_seed(training.epoch_seed(5, 1, 3))
    loader = torch.utils.data.DataLoader(data, batch_size=8, shuffle=True, drop_last=True, generator=generator)
    ours = batches.EpochBatches(pool, 8, seed=5, stage=1, epoch=3)
    assert len(ours) == len(loader) == 2
    for (a, label_a), (b, label_b) in zip(ours, loader):
        assert torch.equal(label_a, label_b) and torch.allclose(a, b)


def test_validation_photos_are_carved_from_the_training_photos_only():
    photos = fake_images(40, 0)
    kept, validation = carve(photos, 10, seed=1)
    assert len(kept) == 30 and len(validation) == 10
    assert not set(kept.indices) & set(validation.indices)
    assert carve(photos, 10, seed=1)[1].indices == validation.indices != carve(photos, 10, seed=2)[1].indices
    with pytest.raises(ValueError, match="cannot carve"):
        carve(photos, 40)


def test_both_fine_tunes_on_real_photos_mixed_with_a_fresh_draw_of_renders():
    data = {"synthetic": fake_images(40, 1), "authentic": fake_images(16, 2)}
    pool = batches.stage_pool("authentic", "both", data, IMPROVED.mix_synthetic)
    mixed = batches.epoch_order(pool, IMPROVED.seed, 1, 0)
    assert len(mixed) == 32 and (mixed < 16).sum() == 16  # 16 real + 16 rendered: half of the epoch
    again, other = batches.epoch_order(pool, IMPROVED.seed, 1, 0), batches.epoch_order(pool, IMPROVED.seed, 1, 1)
    assert torch.equal(again, mixed) and set(mixed[mixed >= 16].tolist()) != set(other[other >= 16].tolist())
    assert torch.equal(pool.labels[mixed[mixed >= 16]], data["synthetic"].labels[mixed[mixed >= 16] - 16])
    assert len(batches.stage_pool("authentic", "authentic", data, IMPROVED.mix_synthetic)) == 16  # never renders
    article = batches.stage_pool("authentic", "both", data, CONFIG.mix_synthetic)
    assert article.images is data["authentic"].images  # the article's loop: the data set itself


def test_validation_keeps_the_best_epoch_and_patience_stops_the_stage(tmp_path):
    data = {"synthetic": fake_images(24, 1), "authentic": fake_images(24, 2)}
    validation = fake_images(12, 4)
    config = TrainConfig(**{**IMPROVED.__dict__, "patience": 1, "finetune_epochs": 6})
    model, history = train("both", data, config, validation=validation, checkpoint_dir=tmp_path, progress=False)
    rows = [e for e in history.epochs if e["stage"] == "authentic"]
    best = max(rows, key=lambda e: (e["val_accuracy"], -e["val_loss"]))
    assert history.selected == {"authentic": best["epoch"]}
    assert len(rows) == 6 or rows[-1]["epoch"] - best["epoch"] >= 1  # ran out, or stopped by patience
    kept = training.validation_score(model, validation, torch.device("cpu"))
    assert kept["val_accuracy"] == pytest.approx(best["val_accuracy"])
    assert kept["val_loss"] == pytest.approx(best["val_loss"], abs=1e-4)
    saved = training.load_model(tmp_path / "binary_classifier_finetuned.pt")
    assert training.validation_score(saved, validation, torch.device("cpu"))["val_loss"] == pytest.approx(best["val_loss"], abs=1e-4)
    assert all("val_accuracy" in e for e in history.epochs)


def test_an_interrupted_improved_run_resumes_to_the_same_model(tmp_path, monkeypatch):
    data = {"synthetic": fake_images(16, 1), "authentic": fake_images(16, 2)}
    validation = fake_images(8, 4)
    config = TrainConfig(**{**IMPROVED.__dict__, "patience": None})
    reference, ref_history = train("both", data, config, validation=validation, progress=False)

    real = interrupt_on_epoch(monkeypatch, 4)
    with pytest.raises(KeyboardInterrupt):
        train("both", data, config, validation=validation, checkpoint_dir=tmp_path, progress=False)
    monkeypatch.setattr(training, "train_one_epoch", real)
    resumed, history = train("both", data, config, validation=validation, checkpoint_dir=tmp_path, progress=False)
    assert [round(e["train_loss"], 5) for e in history.epochs] == [round(e["train_loss"], 5) for e in ref_history.epochs]
    assert history.selected == ref_history.selected
    for p, q in zip(reference.parameters(), resumed.parameters()):
        assert torch.allclose(p, q, atol=1e-6)


def test_a_resume_file_from_before_the_recipe_fields_still_resumes():
    stages = TrainConfig().stages("both")
    assert training._position(stages, 0) == (0, 0)
    assert training._position(stages, 10) == (0, 10)
    assert training._position(stages, 13) == (1, 3)
    assert training._position(stages, 30) == (1, 20)
    current = {**TrainConfig().__dict__, "device": "cpu"}
    old = {k: v for k, v in current.items() if k not in ("augment", "weight_decay", "mix_synthetic", "patience")}
    assert training._same_config(old, current)
    assert not training._same_config({**old, "learning_rate": 1e-3}, current)


def test_augmented_training_leaves_the_callers_random_state_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    train("authentic", {"authentic": fake_images(16, 2)}, TrainConfig(**{**CONFIG.__dict__, "augment": True}), progress=False)
    assert torch.equal(torch.rand(3), expected)


def test_training_on_the_cpu_keeps_freed_memory_unless_told_not_to(monkeypatch):
    calls = []
    monkeypatch.setattr(training.malloc, "keep_freed_memory", lambda announce=False: calls.append(1) or True)
    data = {"authentic": fake_images(8, 2)}
    one_epoch = TrainConfig(batch_size=8, authentic_epochs=1, device="cpu")
    train("authentic", data, one_epoch, progress=False)
    assert calls == [1]
    train("authentic", data, TrainConfig(**{**one_epoch.__dict__, "keep_freed_memory": False}), progress=False)
    assert calls == [1]


def test_the_allocator_change_is_said_on_the_command_line_and_not_in_a_notebook(monkeypatch):
    said = []
    monkeypatch.setattr(training.malloc, "keep_freed_memory", lambda announce=False: said.append(announce) or True)
    data, one_epoch = {"authentic": fake_images(8, 2)}, TrainConfig(batch_size=8, authentic_epochs=1, device="cpu")
    monkeypatch.delitem(sys.modules, "ipykernel", raising=False)
    train("authentic", data, one_epoch, progress=True)
    monkeypatch.setitem(sys.modules, "ipykernel", object())
    train("authentic", data, one_epoch, progress=True)
    assert said == [True, False]


def test_a_config_is_checked_once_when_made_naming_the_field():
    with pytest.raises(ValueError, match="authentic_epochs must be a whole number of epochs, 0 or more, not -2"):
        TrainConfig(authentic_epochs=-2)
    with pytest.raises(ValueError, match="precision must be one of auto, fp32, bf16, fp16, not 'fp8'"):
        TrainConfig(precision="fp8")
    with pytest.raises(ValueError, match="mix_synthetic is a share"):
        TrainConfig(mix_synthetic=1.5)
    with pytest.raises(ValueError, match="batch_size must be 1 or more"):
        TrainConfig(batch_size=0)
    assert TrainConfig(betas=[0.9, 0.99]).betas == (0.9, 0.99)  # as read back from JSON


def test_a_run_begun_on_another_device_goes_on_here_from_the_same_epoch(tmp_path, monkeypatch):
    data = {"synthetic": fake_images(16, 1), "authentic": fake_images(16, 2)}
    reference, ref_history = train("both", data, CONFIG, progress=False)
    real = interrupt_on_epoch(monkeypatch, 3)
    with pytest.raises(KeyboardInterrupt):
        train("both", data, CONFIG, checkpoint_dir=tmp_path, progress=False)
    monkeypatch.setattr(training, "train_one_epoch", real)
    resume = tmp_path / "both.resume.pt"
    saved = torch.load(resume, weights_only=False)
    saved["config"].update(device="cuda:0", computed_in="bfloat16")  # as a GPU would have written it
    torch.save(saved, resume)
    resumed, history = train("both", data, CONFIG, checkpoint_dir=tmp_path, progress=False)
    assert len(history.epochs) == len(ref_history.epochs) and history.config["device"] == "cpu"
    assert [round(e["train_loss"], 5) for e in history.epochs] == [round(e["train_loss"], 5) for e in ref_history.epochs]
