"""scripts/park.sh: a seed's unfinished checkpoints committed for a fresh checkout, and untracked once it lands."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "park.sh"
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _env() -> dict:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t"}
    env.pop("HOTDOG_RESULTS", None)
    return env


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, env=_env(), check=True, capture_output=True, text=True).stdout


def _park(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "scripts/park.sh", *args], cwd=repo, env=_env(), capture_output=True, text=True)


@pytest.fixture
def repo(tmp_path):
    (tmp_path / "scripts").mkdir()
    shutil.copy(SCRIPT, tmp_path / "scripts" / "park.sh")
    (tmp_path / ".gitignore").write_text("/results/studies/*/*.checkpoints/\n")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-q", "-m", "start")
    return tmp_path


def test_a_parked_seed_is_committed_alone_and_dropped_once_it_lands(repo):
    folder = repo / "results" / "studies" / "tuned" / "seed4.checkpoints"
    folder.mkdir(parents=True)
    (folder / "both.resume.pt").write_bytes(b"state")
    assert _park(repo, "tuned", "4").returncode == 0
    assert _git(repo, "show", "--name-only", "--format=", "HEAD").split() == [
        "results/studies/tuned/seed4.checkpoints/both.resume.pt"]
    (folder.parent / "seed4.json").write_text("{}")
    refused = _park(repo, "tuned", "4")
    assert refused.returncode == 1 and "has landed" in refused.stderr
    assert _park(repo, "--drop", "tuned", "4").returncode == 0
    assert _git(repo, "ls-files", "results") == ""
    assert (folder / "both.resume.pt").read_bytes() == b"state"  # untracked, not deleted


def test_park_refuses_an_empty_folder_and_other_staged_changes(repo):
    refused = _park(repo, "tuned", "4")
    assert refused.returncode == 1 and "there is no study 'tuned'" in refused.stderr
    folder = repo / "results" / "studies" / "tuned" / "seed4.checkpoints"
    folder.parent.mkdir(parents=True)
    refused = _park(repo, "tuned", "4")
    assert refused.returncode == 1 and "holds no checkpoints" in refused.stderr
    folder.mkdir()
    (folder / "both.resume.pt").write_bytes(b"state")
    (repo / "notes.txt").write_text("mine")
    _git(repo, "add", "notes.txt")
    refused = _park(repo, "tuned", "4")
    assert refused.returncode == 1 and "staged" in refused.stderr
    assert _git(repo, "diff", "--cached", "--name-only").split() == ["notes.txt"]  # left as it was


def test_park_names_a_seed_that_is_not_a_number_and_parks_once(repo):
    refused = _park(repo, "tuned", "abc")
    assert refused.returncode == 2 and "not 'abc'" in refused.stderr
    folder = repo / "results" / "studies" / "tuned" / "seed4.checkpoints"
    folder.mkdir(parents=True)
    (folder / "both.resume.pt").write_bytes(b"state")
    assert _park(repo, "tuned", "4").returncode == 0
    again = _park(repo, "tuned", "4")
    assert again.returncode == 0 and "parked already, unchanged" in again.stdout and "nothing to commit" in again.stdout
    assert "working tree clean" not in again.stdout + again.stderr  # git's own words stay out
