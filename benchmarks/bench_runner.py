"""Batch runner speed: `csat run` with 2 workers against a sequential `papermill` loop.

Measured in one process run, printed as ratios:

- parallel speed-up: the same runs executed by a sequential loop of the ``papermill``
  command (the baseline: what a researcher would script) and by
  :func:`csat_analysis.runner.run_batch` with 2 workers (which also exports every
  report to HTML and writes the index); goal >= 1.7x on 2 cores;
- per-run overhead: kernel start (an empty notebook through papermill) and the HTML
  export of one executed notebook: the reader's report (default: no code, skipped
  sections folded, stderr left out) against the analyst's page with the code
  (``--show-code``), the ratio showing what shaping a reader's report costs;
- a fully resumed batch (every run up to date, so skipped): wall time of the ``csat run``
  command, interpreter start included; goal < 2 s;
- the up-to-date check: :func:`csat_analysis.runner.explain_state` for every run (it
  digests the notebook, every input file, the package source and reads the dependency
  versions) against hashing the notebook alone (what the check used to cover).

The runs are ``studies/default.yaml`` when all its notebooks exist, else (or with
``--stand-in``) a stand-in batch of the runner's test notebook with a realistic
workload (``--busy`` seconds of CPU per run, one figure, recorded results).

Usage: ``python benchmarks/bench_runner.py [--stand-in] [--runs 8] [--busy 3]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _timing import timed  # noqa: E402

from csat_analysis import runner  # noqa: E402
from csat_analysis.errors import CsatError  # noqa: E402
from csat_analysis.runner import explain_state, export_html, load_studies, run_batch  # noqa: E402

BIN = Path(sys.executable).parent
TEST_NOTEBOOK = ROOT / "tests" / "notebooks" / "record_and_plot.ipynb"


def stand_in_spec(folder: Path, runs: int, busy: float) -> Path:
    spec = folder / "stand_in.yaml"
    spec.write_text(
        f"name: stand_in\nnotebook: {TEST_NOTEBOOK}\nparameters: {{busy_seconds: {busy}}}\n"
        f"grid:\n  seed: {list(range(runs))}\n",
        encoding="utf-8",
    )
    return spec


def choose_spec(folder: Path, args: argparse.Namespace) -> Path:
    if not args.stand_in:
        try:
            load_studies(ROOT / "studies" / "default.yaml")
            return ROOT / "studies" / "default.yaml"
        except CsatError as exc:
            print(f"default study not usable yet ({exc}); using the stand-in batch")
    return stand_in_spec(folder, args.runs, args.busy)


def sequential_papermill(runs, folder: Path) -> float:
    """The baseline: one `papermill` command per run, one after the other."""
    start = time.perf_counter()
    for run in runs:
        run_dir = folder / run.study / run.run_id
        run_dir.mkdir(parents=True)
        subprocess.run(
            [
                str(BIN / "papermill"),
                str(run.notebook),
                str(run_dir / "notebook.ipynb"),
                "-y",
                json.dumps(run.parameters),
                "-k",
                "python3",
                "--cwd",
                str(run_dir),
                "--no-progress-bar",
                "--no-log-output",
            ],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - start


def kernel_start_seconds(folder: Path, repeats: int = 3) -> float:
    """Median time papermill takes for a notebook whose only cell is empty."""
    import nbformat
    import papermill

    empty = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("", metadata={"tags": ["parameters"]})])
    source = folder / "empty.ipynb"
    nbformat.write(empty, source)
    times = []
    for repeat in range(repeats):
        start = time.perf_counter()
        papermill.execute_notebook(
            str(source),
            str(folder / f"empty-{repeat}.ipynb"),
            kernel_name="python3",
            progress_bar=False,
            cwd=str(folder),
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stand-in", action="store_true", help="use the stand-in batch even if the study exists")
    parser.add_argument("--runs", type=int, default=8, help="stand-in runs (default 8)")
    parser.add_argument("--busy", type=float, default=3.0, help="stand-in CPU seconds per run (default 3)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench_runner_"))
    try:
        spec = choose_spec(folder, args)
        runs = [run for study in load_studies(spec) for run in study.runs]
        print(
            f"batch: {spec} ({len(runs)} runs), {os.cpu_count()} cores, "
            f"load average before: {os.getloadavg()[0]:.1f} (other processes slow both sides)"
        )

        kernel = kernel_start_seconds(folder)  # also warms the file cache for both sides
        sequential = sequential_papermill(runs, folder / "sequential")
        reports = folder / "reports"
        result = run_batch(load_studies(spec), reports, workers=2, force=True, progress=False)
        parallel = result.seconds
        failed = [o.run.key for o in result.failed]

        executed = next(
            (reports / o.run.study / o.run.run_id / "notebook.ipynb" for o in result.outcomes if o.status == "ok"), None
        )
        export = export_code = float("nan")
        if executed is not None:
            export_html(executed, folder / "export.html")  # the first calls load the templates
            export_html(executed, folder / "export-code.html", show_code=True)
            export, _ = timed(lambda: export_html(executed, folder / "export.html"), repeat=5)
            export_code, _ = timed(lambda: export_html(executed, folder / "export-code.html", show_code=True), repeat=5)

        start = time.perf_counter()
        resumed = subprocess.run(
            [str(BIN / "csat"), "run", str(spec), "--reports", str(reports), "--quiet"], capture_output=True, text=True
        )
        resumed_seconds = time.perf_counter() - start
        skipped = "up to date (skipped)" in resumed.stdout and resumed.returncode == 0

        def notebook_only():
            import hashlib

            return [hashlib.sha256(run.notebook.read_bytes()).hexdigest() for run in runs]

        def full_check(cold: bool):
            if cold:  # as in a fresh `csat run` process
                for cached in (
                    runner._package_digest,
                    runner._dependency_versions,
                    runner._file_digest_cached,
                    runner._notebook_digest,
                ):
                    cached.cache_clear()
            return [explain_state(run, reports).state for run in runs]

        baseline, _ = timed(notebook_only, repeat=5)
        cold, states = timed(lambda: full_check(True), repeat=3)
        warm, _ = timed(lambda: full_check(False), repeat=5)

        print(f"sequential papermill loop : {sequential:7.1f} s ({sequential / len(runs):.2f} s/run, no HTML)")
        print(f"csat run --workers 2      : {parallel:7.1f} s ({parallel / len(runs):.2f} s/run, with HTML + index)")
        print(f"speed-up                  : {sequential / parallel:7.2f}x  (goal >= 1.7x on 2 cores)")
        print(f"kernel start (empty nb)   : {kernel:7.2f} s per run")
        print(
            f"HTML export (warm)        : {export:7.2f} s per run, reader's report; {export_code:.2f} s with the "
            f"code (--show-code): {export / export_code:.2f}x (+ ~1.5 s once per worker: imports, templates)"
        )
        print(f"fully resumed batch       : {resumed_seconds:7.2f} s  (goal < 2 s; all skipped: {skipped})")
        print(
            f"up-to-date check, {len(runs)} runs: {cold * 1000:7.1f} ms cold, {warm * 1000:.1f} ms warm; "
            f"{cold / baseline:.0f}x / {warm / baseline:.1f}x the notebook-only hash ({baseline * 1000:.2f} ms); "
            f"all done: {set(states) == {'done'}}"
        )
        if failed:
            print(f"failed runs in the parallel batch: {', '.join(failed)}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
