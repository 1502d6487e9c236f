"""A notebook opened from its Colab badge runs on a fresh runtime of its own: 05 and 06 run alone, with
no models of the reader's own (no ``results/*/checkpoints``), showing what the repository keeps."""

import json
from pathlib import Path

import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.mark.parametrize("name", ["05_compare", "06_seefood"])
def test_the_notebook_runs_alone_without_checkpoints(name, tmp_path, monkeypatch, authentic_root):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("HOTDOG_RESULTS", str(tmp_path / "results"))  # nothing trained here
    monkeypatch.setenv("HOTDOG_SYNTHETIC", str(tmp_path / "synthetic"))
    notebook = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    NotebookClient(notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    text = json.dumps([cell.get("outputs", []) for cell in notebook.cells])
    assert "Traceback" not in text  # (a cell that raises stops execute() with CellExecutionError)
    if name == "05_compare":
        assert "no models of your own in " in text and "kept in the repository" in text
    assert not (tmp_path / "results").exists() or not list((tmp_path / "results").rglob("*.pt"))
