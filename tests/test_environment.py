"""environment.yml (conda) and pyproject.toml (pip) must describe the same environment."""

import re
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def normalise(requirement: str) -> str:
    return re.sub(r"\s+", "", requirement.replace('"', "'")).lower()


def pip_section(env: dict) -> list[str]:
    return next(item["pip"] for item in env["dependencies"] if isinstance(item, dict) and "pip" in item)


def test_environment_yml_lists_exactly_the_pyproject_requirements():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {normalise(r) for r in project["dependencies"] + project["optional-dependencies"]["dev"]}
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    listed = {normalise(r) for r in pip_section(env) if not r.startswith("-e")}
    assert listed == wanted, f"only in environment.yml: {listed - wanted}; only in pyproject.toml: {wanted - listed}"
    assert "-e ." in pip_section(env)


def test_python_versions_agree_with_the_bpy_markers():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    python = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
    version = python.split("=")[1]
    assert version in ("3.11", "3.13")
    assert any(f"python_version == '{version}'" in normalise(r).replace("==", " == ").replace("  ", " ") or
               f"python_version=='{version}'" in normalise(r) for r in pip_section(env) if r.startswith("bpy"))


def test_this_interpreter_is_one_bpy_supports():
    from hotdog.pyversion import check_python

    assert check_python(sys.version_info[:2]) is None
    assert "3.12" in check_python((3, 12)) and "3.11" in check_python((3, 12))


def test_pyprojects_bpy_lines_are_the_one_table_of_pythons_and_wheels():
    """pip cannot import hotdog/pyversion.py, so pyproject.toml repeats its table as markers: they must agree."""
    from hotdog.pyversion import BPY_REQUIREMENT

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    markers = {}
    for line in (normalise(r) for r in project["dependencies"] if r.startswith("bpy")):
        requirement, _, marker = line.partition(";")
        major, minor = re.fullmatch(r"python_version=='(\d+)\.(\d+)'", marker).groups()
        markers[(int(major), int(minor))] = requirement
    assert markers == {version: normalise(r) for version, r in BPY_REQUIREMENT.items()}
