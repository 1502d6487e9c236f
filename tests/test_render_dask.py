"""The same shards on a Dask cluster: a local ``dask.distributed`` cluster on 127.0.0.1."""

import importlib.util

import pytest
from PIL import Image

from hotdog.render import RenderConfig, read_manifest, render_dataset

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("distributed") is None, reason="dask.distributed not installed"),
    pytest.mark.skipif(importlib.util.find_spec("bpy") is None, reason="bpy not installed"),
]


@pytest.fixture(scope="module")
def scheduler():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:
        yield cluster.scheduler_address


def test_render_on_a_local_dask_cluster(tmp_path, scheduler):
    assert scheduler.startswith("tcp://127.0.0.1:")
    config = RenderConfig(n_images=6, seed=3, image_size=48, samples=2)
    report = render_dataset(tmp_path, config, dask_scheduler=scheduler, progress=False, shard_size=2)
    assert report["n_rendered"] == 6 and report["renderer"].startswith("dask cluster")
    for record in read_manifest(tmp_path):
        with Image.open(tmp_path / record["file"]) as image:
            assert image.size == (48, 48) and image.mode == "RGB"
    # the same images as local worker processes draw from the same records
    local = render_dataset(tmp_path / "local", config, n_jobs=1, progress=False)
    assert local["n_rendered"] == 6
    first = read_manifest(tmp_path)[0]["file"]
    assert (tmp_path / first).read_bytes() == (tmp_path / "local" / first).read_bytes()


def test_dask_setting_comes_from_the_environment(tmp_path, scheduler, monkeypatch):
    monkeypatch.setenv("HOTDOG_DASK_SCHEDULER", scheduler)
    config = RenderConfig(n_images=2, seed=4, image_size=32, samples=1)
    report = render_dataset(tmp_path, config, progress=False)
    assert report["n_rendered"] == 2 and scheduler in report["renderer"]


def test_a_failing_shard_on_the_cluster_is_named_and_the_rest_kept(tmp_path, scheduler):
    from hotdog.render import RenderError
    from hotdog.render.spec import sample_records

    photos = tmp_path / "photos"
    photos.mkdir()
    (photos / "broken.jpg").write_bytes(b"not a jpeg")  # records that pick it as background fail
    config = RenderConfig(n_images=8, seed=5, image_size=32, samples=1, backgrounds_dir=str(photos),
                          photo_background_p=0.5)
    records = sample_records(config)
    broken = [r for r in records if r["background"]["kind"] == "photo"]
    assert 0 < len(broken) < len(records)
    out = tmp_path / "out"
    with pytest.raises(RenderError, match="run the same command again") as error:
        render_dataset(out, config, dask_scheduler=scheduler, progress=False, shard_size=1)
    assert broken[0]["file"] in str(error.value)
    fine = [r for r in records if not r["background"]["kind"] == "photo"]
    assert all((out / r["file"]).is_file() for r in fine)
