"""The built wheel carries the data and the notebooks (slow).

Builds the wheel, installs it with the pinned constraints into a fresh virtual
environment outside the repository, and from a scratch working folder: loads every
bundled data set (checksums verified) and runs a bundled study with ``csat run`` on a
specification that names the study by name, not by a repository path.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _run(command, **kwargs):
    completed = subprocess.run([str(c) for c in command], capture_output=True, text=True, **kwargs)
    assert completed.returncode == 0, f"{' '.join(map(str, command))}\n{completed.stdout}\n{completed.stderr}"
    return completed


def test_every_subpackage_is_listed_for_the_wheel():
    # [tool.setuptools] packages is explicit (data/ and notebooks/ are mapped into the
    # package), so a new subpackage must be listed there or the wheel leaves it out
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {
        ".".join(path.parent.relative_to(ROOT).parts)
        for path in (ROOT / "csat_analysis").rglob("__init__.py")
        if "__pycache__" not in path.parts
    }
    assert found <= listed, f"add to [tool.setuptools] packages in pyproject.toml: {sorted(found - listed)}"
    mapped = {"csat_analysis.data", "csat_analysis.data.raw", "csat_analysis.data.surveys", "csat_analysis.notebooks"}
    assert listed - found == mapped


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, ROOT])
    (path,) = out.glob("csat_analysis-*.whl")
    return path


@pytest.mark.slow
def test_wheel_lists_the_data_and_notebooks(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    manifest = json.loads((ROOT / "data" / "raw" / "manifest.json").read_text())["datasets"]
    expected = {"csat_analysis/data/raw/manifest.json"} | {
        f"csat_analysis/data/raw/{e['file']}" for e in manifest.values()
    }
    expected |= {f"csat_analysis/notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")}
    expected |= {f"csat_analysis/data/surveys/{p.name}" for p in (ROOT / "data" / "surveys").glob("*.yaml")}
    assert expected <= names, f"missing from the wheel: {sorted(expected - names)}"


@pytest.mark.slow
def test_installed_wheel_loads_every_data_set_and_runs_a_bundled_study(wheel, tmp_path):
    venv = tmp_path / "venv"
    python = venv / "bin" / "python"
    uv = shutil.which("uv") or (Path(sys.executable).parent / "uv")
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "CSAT_DATA_DIR", "VIRTUAL_ENV"}}
    if Path(uv).is_file():
        _run([uv, "venv", "--quiet", "--python", sys.executable, venv], env=env)
        _run(
            [uv, "pip", "install", "--quiet", "--python", python, "-c", ROOT / "constraints.txt", wheel],
            env={**env, "VIRTUAL_ENV": str(venv)},
        )
    else:
        _run([sys.executable, "-m", "venv", venv], env=env)
        _run([python, "-m", "pip", "install", "--quiet", "-c", ROOT / "constraints.txt", wheel], env=env)

    work = tmp_path / "work"
    work.mkdir()
    # imported from the installed wheel, not from the repository
    script = (
        "import csat_analysis, json\n"
        "from csat_analysis import datasets, resources\n"
        "names = list(datasets.list_datasets()['name'])\n"
        "shapes = {name: list(datasets.load(name).shape) for name in names}\n"
        "print(json.dumps({'package': csat_analysis.__file__, 'data': str(resources.data_dir()),\n"
        "                  'version': csat_analysis.__version__, 'shapes': shapes,\n"
        "                  'studies': resources.bundled_studies()}))\n"
    )
    loaded = json.loads(_run([python, "-c", script], cwd=work, env=env).stdout)
    site = str(venv)
    assert loaded["package"].startswith(site) and loaded["data"].startswith(site)
    manifest = json.loads((ROOT / "data" / "raw" / "manifest.json").read_text())["datasets"]
    assert loaded["shapes"] == {name: [e["rows"], e["columns"]] for name, e in manifest.items()}
    assert "satisfaction_vs_loyalty" in loaded["studies"]
    import tomllib

    assert loaded["version"] == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]

    (work / "study.yaml").write_text("notebook: data_overview\nruns:\n  - {dataset: corp_rep}\n")
    _run([venv / "bin" / "csat", "run", "study.yaml", "--quiet", "--workers", "1"], cwd=work, env=env)
    results = json.loads((work / "reports" / "data_overview" / "corp_rep" / "results.json").read_text())
    assert "n_rows" in json.dumps(results)
    assert (work / "reports" / "data_overview" / "corp_rep" / "report.html").is_file()
