"""Writes that are complete or absent (hotdog/files.py)."""

import json

import pytest

from hotdog import files


def test_a_write_lands_whole_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "deep" / "seed0.json"
    files.write_json(target, {"a": 1}, indent=1)
    assert json.loads(target.read_text()) == {"a": 1}
    assert sorted(p.name for p in target.parent.iterdir()) == ["seed0.json"]


def test_a_failed_write_leaves_the_old_file_as_it_was(tmp_path):
    target = files.write_text(tmp_path / "summary.json", "finished")
    with pytest.raises(RuntimeError):
        with files.atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("killed")
    assert target.read_text() == "finished"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.json"]


def test_the_temporary_name_is_hidden_so_loaders_and_globs_skip_it(tmp_path):
    tmp = files.temporary_name(tmp_path / "hotdog" / "00001.png")
    assert tmp.parent == tmp_path / "hotdog" and tmp.name.startswith(".") and not tmp.name.endswith(".png")
    assert not tmp.match("seed*.json")
