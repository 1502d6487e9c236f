"""The transfer score (hotdog/transfer.py): renders alone, scored on split 0's training photos only."""

import dataclasses
import json

import pytest
import torch

from hotdog import data, transfer
from hotdog.__main__ import main
from hotdog.render import RenderConfig


def test_the_score_counts_each_class_alike():
    class Always(torch.nn.Module):  # answers "hotdog" for everything
        def __init__(self):
            super().__init__()
            self.w = torch.nn.Parameter(torch.zeros(1))

        def forward(self, x):
            return torch.full((len(x),), 0.9) + 0 * self.w

    photos = torch.utils.data.TensorDataset(torch.zeros(4, 3, 128, 128), torch.tensor([1, 0, 0, 0]))
    s = transfer.score(Always(), photos)
    assert s["accuracy"] == 0.25 and s["balanced_accuracy"] == 0.5 and s["auc"] == 0.5 and s["answered_hotdog"] == 1.0


def test_the_development_photos_are_split_zeros_training_photos(authentic_root):
    photos = transfer.development_photos(progress=False)
    _, test = data.split(data.authentic(), seed=0)
    assert len(photos) == 799
    assert not set(photos.paths) & {test.dataset.samples[i][0] for i in test.indices}


@pytest.mark.skipif(__import__("importlib").util.find_spec("bpy") is None, reason="no bpy to render with")
def test_a_variant_is_rendered_trained_per_seed_and_resumed(tmp_path, monkeypatch, authentic_root):
    monkeypatch.setattr(transfer, "RECIPE", {**transfer.RECIPE, "synthetic_epochs": 1})
    small = data.cache(torch.utils.data.Subset(data.authentic(), list(range(0, 998, 25))), progress=False)
    monkeypatch.setattr(transfer, "development_photos", lambda progress=True: small)
    config = RenderConfig(n_images=16, image_size=128, samples=1)
    record = transfer.run("tiny", config, seeds=(0, 1), renders=tmp_path / "renders", root=tmp_path, progress=False)
    assert set(record["seeds"]) == {"0", "1"} and record["n_images"] == 16
    assert "CPUs" in record["seeds"]["0"]["machine"]  # which CPU trained it, as a study seed records
    assert record["summary"]["auc"]["n"] == 2 and 0 <= record["summary"]["auc"]["mean"] <= 1
    saved = json.loads((tmp_path / "transfer" / "tiny.json").read_text())
    assert saved["seeds"] == record["seeds"]
    monkeypatch.setattr(transfer, "train", lambda *a, **k: pytest.fail("a finished seed was trained again"))
    assert transfer.run("tiny", config, seeds=(0, 1), renders=tmp_path / "renders", root=tmp_path,
                        progress=False)["seeds"] == record["seeds"]
    assert "| tiny | 16 | 2 |" in transfer.table(transfer.load(tmp_path))
    assert "reverse" not in record  # no real-photo model to score the renders with in tmp_path
    assert (tmp_path / "transfer" / "tiny.png").stat().st_size > 10_000  # renders above photos


def test_the_reverse_score_is_a_real_photo_model_scoring_the_renders(tmp_path):
    from hotdog import model as article_model

    net = article_model.BinaryClassifier()
    torch.save(net.state_dict(), tmp_path / "m.pt")
    renders = torch.utils.data.TensorDataset(torch.rand(8, 3, 128, 128) * 2 - 1, torch.tensor([1, 0] * 4))
    out = transfer.reverse(renders, tmp_path / "m.pt")
    assert 0 <= out["auc"] <= 1 and out["checkpoint"] == str(tmp_path / "m.pt") and "balanced_accuracy" in out


def test_a_training_variant_changes_the_recipe_and_says_what_it_cannot_change():
    assert transfer.recipe_changes(["augment=trivial", "synthetic_epochs=20"]) == {"augment": "trivial",
                                                                                   "synthetic_epochs": 20}
    assert transfer.recipe_changes([]) == {}
    for bad, says in ((["seed=3"], "seed is the command's own: --seeds"), (["augment"], "give FIELD=VALUE"),
                      (["augment=nope"], "augment must be")):
        with pytest.raises(ValueError, match=says):
            transfer.recipe_changes(bad)
    record = {"name": "v", "n_images": 8, "seeds": {"0": {}}, "render": {}, "render_config": {},
              "recipe": {**transfer.RECIPE, "augment": "trivial"},
              "summary": {k: {"mean": 0.5, "sd": 0.0, "n": 1} for k in ("auc", "balanced_accuracy", "accuracy")}}
    assert "| v (training: augment=trivial) | 8 |" in transfer.table([record])
    assert "| v | 8 |" in transfer.table([{**record, "recipe": transfer.RECIPE}])


def test_the_command_asks_for_a_name(capsys):
    assert main(["transfer"]) == 1
    assert "transfer needs a NAME" in capsys.readouterr().err


def test_the_table_lists_the_plain_scene_first_then_each_variant_after_the_one_it_builds_on(tmp_path):
    from hotdog.render.spec import PLAIN_SCENE, RenderConfig

    plain = RenderConfig(**PLAIN_SCENE)
    configs = {"b-two": dataclasses.replace(plain, surface_p=0.8, hdri_p=0.5),
               "a-one": dataclasses.replace(plain, surface_p=0.8), "z-plain": plain}
    summary = {k: {"n": 1, "mean": 0.5, "sd": 0.0} for k in ("auc", "balanced_accuracy", "accuracy")}
    transfer.folder(tmp_path).mkdir(parents=True)
    for name, config in configs.items():
        older = {k: v for k, v in config.as_dict().items() if k != "hdri_strength"}  # a record older than a field
        record = {"name": name, "render_config": older, "n_images": 2, "seeds": {}, "summary": summary,
                  "render": {"images_per_minute": 1.0}}
        (transfer.folder(tmp_path) / f"{name}.json").write_text(json.dumps(record))
    assert [r["name"] for r in transfer.load(tmp_path)] == ["z-plain", "a-one", "b-two"]
