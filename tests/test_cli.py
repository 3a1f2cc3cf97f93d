"""The ``csat`` command: help, one-line errors, exit codes, run/list/datasets/export."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from csat_analysis.cli import build_parser, main

NOTEBOOK = Path(__file__).parent / "notebooks" / "record_and_plot.ipynb"


def csat(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "csat_analysis", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


@pytest.mark.parametrize(
    ("command", "options"),
    [
        (
            "run",
            [
                "--workers",
                "--scheduler",
                "--force",
                "--only",
                "--show-code",
                "--timeout",
                "--reports",
                "--quiet",
                "STUDY.yaml",
            ],
        ),
        ("list", ["STUDY.yaml", "--reports", "--show-code"]),
        ("export", ["NOTEBOOK.ipynb", "--show-code", "--output"]),
        ("datasets", []),
    ],
)
def test_help_lists_every_option(command, options):
    result = csat(command, "--help")
    assert result.returncode == 0
    for option in options:
        assert option in result.stdout
    subcommands = build_parser().format_help()
    assert command in subcommands


def test_missing_study_file_is_one_line_error(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope.yaml"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("csat: error: cannot read study file")


def test_invalid_spec_is_one_line_error_without_traceback(tmp_path):
    shutil.copy(NOTEBOOK, tmp_path / "tiny.ipynb")
    (tmp_path / "study.yaml").write_text("notebook: tiny.ipynb\nruns: [{seeed: 3}]\n")
    result = csat("run", "study.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "study.yaml: study 'tiny', run 'seeed-3': key 'seeed' is not a parameter" in lines[0]
    assert not (tmp_path / "reports").exists()  # validated before anything executes


def test_datasets_lists_the_bundled_data(capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    for name in ["mobi", "corp_rep", "telco_churn", "service_calls_churn"]:
        assert name in out


def test_unknown_command_exits_with_usage_error():
    result = csat("frobnicate")
    assert result.returncode == 2 and "invalid choice" in result.stderr


@pytest.mark.slow
def test_run_list_and_export_end_to_end(tmp_path):
    shutil.copy(NOTEBOOK, tmp_path / "tiny.ipynb")
    (tmp_path / "study.yaml").write_text("notebook: tiny.ipynb\ngrid: {fail: [false, true]}\n")

    listed = csat("list", "study.yaml", cwd=tmp_path)
    assert listed.returncode == 0
    assert [line.split()[:3] for line in listed.stdout.splitlines()[1:]] == [
        ["tiny", "fail-false", "new"],
        ["tiny", "fail-true", "new"],
    ]

    ran = csat("run", "study.yaml", "--workers", "2", cwd=tmp_path)
    assert ran.returncode == 1, ran.stderr
    assert "csat: run tiny/fail-true failed: RuntimeError: asked to fail" in ran.stderr
    assert "2 runs: 1 ok, 1 failed" in ran.stdout
    assert "Kernel is running" not in ran.stderr  # kernel chatter goes to kernel.log
    report = (tmp_path / "reports" / "tiny" / "fail-false" / "report.html").read_text()
    assert "RESULTS_MIME" not in report  # a reader's report by default: no code

    listed = csat("list", "study.yaml", cwd=tmp_path)
    lines = listed.stdout.splitlines()
    assert [line.split()[:3] for line in lines[1:] if not line.startswith(" ")] == [
        ["tiny", "fail-false", "done"],
        ["tiny", "fail-true", "failed"],
    ]
    assert lines[3].startswith("    why: the latest attempt failed: RuntimeError: asked to fail")
    # the deprecated --no-input is the default now: same states, and a note
    legacy = csat("list", "study.yaml", "--no-input", cwd=tmp_path)
    assert legacy.stdout == listed.stdout and "--no-input is deprecated" in legacy.stderr
    listed = csat("list", "study.yaml", "--show-code", cwd=tmp_path)
    lines = listed.stdout.splitlines()
    assert lines[1].split()[:3] == ["tiny", "fail-false", "changed"]
    assert lines[2] == "    why: export option changed: --show-code on"

    # --show-code is part of what a report depends on: with it the run is not up to date
    rerun = csat("run", "study.yaml", "--only", "fail-false", "--quiet", "--show-code", cwd=tmp_path)
    assert rerun.returncode == 0 and "1 ok" in rerun.stdout
    report = (tmp_path / "reports" / "tiny" / "fail-false" / "report.html").read_text()
    assert "RESULTS_MIME" in report  # the analyst's page shows the code
    resumed = csat("run", "study.yaml", "--only", "fail-false", "--quiet", "--show-code", cwd=tmp_path)
    assert resumed.returncode == 0 and "1 up to date (skipped)" in resumed.stdout
    both = csat("run", "study.yaml", "--no-input", "--show-code", cwd=tmp_path)
    assert both.returncode == 2 and "contradict" in both.stderr

    exported = csat("export", "reports/tiny/fail-false/notebook.ipynb", cwd=tmp_path)
    assert exported.returncode == 0
    html = (tmp_path / "reports" / "tiny" / "fail-false" / "notebook.html").read_text()
    assert "data:image/png;base64," in html and "RESULTS_MIME" not in html
    exported = csat("export", "reports/tiny/fail-false/notebook.ipynb", "--show-code", "-o", "code.html", cwd=tmp_path)
    assert exported.returncode == 0 and "RESULTS_MIME" in (tmp_path / "code.html").read_text()


def test_export_of_missing_notebook_is_one_line_error(tmp_path, capsys):
    assert main(["export", str(tmp_path / "none.ipynb")]) == 2
    assert capsys.readouterr().err.startswith("csat: error: no notebook at")


def make_lab_dry_run(venv: Path, *extra: str) -> str:
    root = Path(__file__).resolve().parents[1]
    return subprocess.run(
        ["make", "-n", "-C", str(root), "lab", f"VENV={venv}", *extra],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout


def test_make_lab_installs_once_honours_port_and_allows_root_only_as_root(tmp_path):
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").touch()
    first = make_lab_dry_run(venv, "PORT=9137")
    assert "pip install" in first and ".lab-installed" in first
    launch = [line for line in first.splitlines() if "jupyter lab" in line]
    assert launch and "--port=9137" in launch[0]
    import os

    assert ("--allow-root" in launch[0]) == (os.geteuid() == 0)
    # once installed (stamps newer than pyproject.toml), a second call only launches
    (venv / ".installed").touch()
    (venv / ".lab-installed").touch()
    again = make_lab_dry_run(venv)
    assert "pip install" not in again and "--port=8888" in again
