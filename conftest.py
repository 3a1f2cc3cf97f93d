"""Shared test set-up for tests/ and the doctests in csat_analysis/.

Matplotlib draws off-screen, and every test or doctest starts without open figures,
so an example never draws on axes left behind by another.
"""

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent
DEFAULT_SPEC = ROOT / "studies" / "default.yaml"


@dataclass(frozen=True)
class BatchRun:
    """One `csat run` of the default study set: its reports folder and how the command ended."""

    reports: Path
    returncode: int
    output: str


@pytest.fixture(scope="session")
def default_batch(tmp_path_factory) -> BatchRun:
    """The default study set run once, as `make run` does, shared by every test that reads its output.

    ``CSAT_READ_REPORTS=DIR`` points the tests at an existing `make run` output instead.
    """
    existing = os.environ.get("CSAT_READ_REPORTS")
    if existing:
        return BatchRun(Path(existing).resolve(), 0, "")
    folder = tmp_path_factory.mktemp("make-run") / "reports"
    ran = subprocess.run(
        [sys.executable, "-m", "csat_analysis", "run", str(DEFAULT_SPEC), "--reports", str(folder), "--quiet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    return BatchRun(folder, ran.returncode, ran.stdout + ran.stderr)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
