import json

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

    calls = {"n": 0}
    real = training.train_one_epoch

    def dies_on_third_epoch(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 3:
            raise KeyboardInterrupt
        return real(*args, **kwargs)

    monkeypatch.setattr(training, "train_one_epoch", dies_on_third_epoch)
    with pytest.raises(KeyboardInterrupt):
        train("both", data, CONFIG, checkpoint_dir=tmp_path, progress=False)
    assert (tmp_path / "both.resume.pt").exists() and (tmp_path / "binary_classifier.pt").exists()
    monkeypatch.setattr(training, "train_one_epoch", real)
    resumed, history = train("both", data, CONFIG, checkpoint_dir=tmp_path, progress=False)
    assert len(history.epochs) == 3
    assert [round(e["train_loss"], 5) for e in history.epochs] == [round(e["train_loss"], 5) for e in ref_history.epochs]
    for p, q in zip(reference.parameters(), resumed.parameters()):
        assert torch.allclose(p, q, atol=1e-6)


def test_load_model_names_a_missing_or_bad_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="train a model first"):
        training.load_model(tmp_path / "none.pt")
    (tmp_path / "bad.pt").write_bytes(b"garbage")
    with pytest.raises(ValueError, match="not a BinaryClassifier checkpoint"):
        training.load_model(tmp_path / "bad.pt")
