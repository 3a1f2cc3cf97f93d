"""Dependencies are declared once: environment.yml (conda) must say what pyproject.toml says.

pyproject.toml is the source; environment.yml lists the same requirements with the same
lower bounds (runtime dependencies and every extra), conda-forge packages first and the
PyPI-only ones under ``pip:``. A requirement added to one file and not the other fails
here, naming it.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.\-]+", requirement).group(0)).lower()


def _by_name(requirements) -> dict[str, str]:
    return {_name(r): re.sub(r"\s+", "", r[len(re.match(r"[A-Za-z0-9_.\-]+", r).group(0)) :]) for r in requirements}


def _pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        # the test extra pulls in other extras of this package, listed on their own
        requirements += [r for r in extra if _name(r) != "csat-analysis"]
    return _by_name(requirements)


def _environment_requirements() -> dict[str, str]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda, pip = [], []
    for entry in environment["dependencies"]:
        if isinstance(entry, dict):
            pip += [r for r in entry["pip"] if not r.startswith("-e")]
        elif _name(entry) not in {"python", "pip"}:
            conda.append(entry)
    return _by_name(conda + pip)


def test_environment_yml_declares_what_pyproject_declares():
    ours, theirs = _pyproject_requirements(), _environment_requirements()
    missing = {name: spec for name, spec in ours.items() if name not in theirs}
    extra = {name: spec for name, spec in theirs.items() if name not in ours}
    differing = {name: (ours[name], theirs[name]) for name in ours.keys() & theirs.keys() if ours[name] != theirs[name]}
    assert not missing, f"in pyproject.toml but not in environment.yml: {missing}"
    assert not extra, f"in environment.yml but not in pyproject.toml: {extra}"
    assert not differing, f"bounds differ (pyproject.toml, environment.yml): {differing}"


def test_environment_yml_python_matches_requires_python():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    environment = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    python = next(e for e in environment["dependencies"] if isinstance(e, str) and e.startswith("python="))
    assert project["requires-python"] == ">=" + python.split("=")[1]


def test_constraints_pin_every_declared_requirement():
    # constraints.txt is compiled from pyproject.toml (make lock): every declared package is pinned
    pins = {_name(line) for line in (ROOT / "constraints.txt").read_text().splitlines() if "==" in line}
    unpinned = sorted(set(_pyproject_requirements()) - pins)
    assert not unpinned, f"declared in pyproject.toml but not pinned in constraints.txt (run make lock): {unpinned}"
