"""`make docs` works: the site builds offline with warnings as errors (slow).

The documentation sources are copied to a scratch folder and built there exactly as
``make docs`` builds them: ``docs/build_examples.py`` executes one small run of every
bundled study with ``csat run``, then ``sphinx -W`` builds the HTML.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def test_docs_build_without_warnings(tmp_path):
    pytest.importorskip("sphinx")
    pytest.importorskip("numpydoc")
    docs = tmp_path / "docs"
    shutil.copytree(
        ROOT / "docs", docs, ignore=shutil.ignore_patterns("_build", "_examples", "_generated", "generated")
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    subprocess.run([sys.executable, str(docs / "build_examples.py")], check=True, env=env, cwd=tmp_path)
    html = tmp_path / "html"
    completed = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(docs), str(html)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr

    # the reference covers the public API, every study page embeds its executed report
    assert (html / "api" / "generated" / "csat_analysis.metrics.nps.html").is_file()
    assert (html / "api" / "generated" / "csat_analysis.pls.PLSResult.html").is_file()
    studies = ["data_overview", "satisfaction_vs_loyalty", "complaint_resolution", "churn_and_retention"]
    pages = [html / "studies" / f"{study}.html" for study in [*studies, "customer_comments"]]
    for path in [*pages, html / "chinese_reports.html"]:  # the last embeds a report in Chinese
        page = path.read_text(encoding="utf-8")
        frame = page.split('<iframe src="', 1)[1].split('"', 1)[0]
        report = (path.parent / frame).resolve()
        assert report.is_file(), f"{path.name}: the embedded report {frame} is missing"
        assert "Traceback" not in report.read_text(encoding="utf-8")
    datasets_page = (html / "datasets.html").read_text(encoding="utf-8")
    assert "8411783cfe766e06d056363066a8c769059c4d82fb9c4f348bf658dd1eba8dff" in datasets_page  # mobi.csv checksum
