"""Speed and memory of ``io.read_survey`` against a bare ``pandas.read_csv`` of the same file.

The file: 5 million respondents x 14 columns, as a survey tool exports them: a text
respondent id, ten 5-point items written as text labels ("Very satisfied" ...), a
spend amount, a region and a yes/no churn flag (about 670 MiB of UTF-8 CSV).

1. Time, in this one process: ``pandas.read_csv(path)`` with no options (the floor:
   no encoding check, no field counts, no validation, labels left as text) against
   ``read_survey(path, schema)`` (encoding check, delimiter sniffing, field counts of
   every row, labels mapped to numbers, ranges, categories, booleans and unique ids
   checked). Goal: read_survey within 3x the bare read.
2. Peak memory: each reader runs in a fresh child process; the growth of its peak
   anonymous memory during the call (what it allocates; the CSV pages pandas maps
   to parse the file are shown apart) is compared with the size of the frame it
   returns. Goal: read_survey's peak at most 2x its frame.

``--numeric-ids`` writes ids as numbers (12345): read_survey then reads the id column
a second time as text so that leading zeros survive; this run shows that cost.
``--quoted`` writes every field in quotes, as some survey tools export: a file with
quotes cannot be checked by counting delimiters (a quoted field may hold one), so
read_survey follows the quotes of every record; this run shows that cost.

Run: ``.venv/bin/python benchmarks/bench_io.py [--rows N] [--numeric-ids] [--quoted]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _timing import timed

from csat_analysis.io import read_survey

LABELS = {"Very dissatisfied": 1, "Dissatisfied": 2, "Neutral": 3, "Satisfied": 4, "Very satisfied": 5}
ITEMS = [f"q{i}" for i in range(1, 11)]
SCHEMA = {
    "id": "respondent_id",
    "columns": {
        **{item: {"scale": [1, 5], "labels": LABELS, "required": True} for item in ITEMS},
        "spend": {"type": "float", "min": 0},
        "region": {"categories": ["north", "south", "east", "west"]},
        "churned": {"type": "bool", "true": "yes", "false": "no"},
    },
}


def write_survey(path: Path, rows: int, numeric_ids: bool, seed: int = 0, quoted: bool = False) -> None:
    rng = np.random.default_rng(seed)
    labels = np.array(list(LABELS))
    ids = np.arange(100_000, 100_000 + rows)
    frame = pd.DataFrame({"respondent_id": ids if numeric_ids else np.char.add("R_", ids.astype(str))})
    for item in ITEMS:
        frame[item] = labels[rng.choice(5, rows, p=[0.05, 0.1, 0.2, 0.4, 0.25])]
    frame["spend"] = rng.gamma(2.0, 20.0, rows).round(2)
    frame["region"] = np.array(["north", "south", "east", "west"])[rng.integers(0, 4, rows)]
    frame["churned"] = np.array(["yes", "no"])[(rng.random(rows) < 0.2).astype(int) ^ 1]
    frame.to_csv(path, index=False, quoting=csv.QUOTE_ALL if quoted else csv.QUOTE_MINIMAL)


def read(mode: str, path: str) -> pd.DataFrame:
    return pd.read_csv(path) if mode == "bare" else read_survey(path, SCHEMA)


def child(mode: str, path: str) -> None:
    """Run one reader in this fresh process; print its peak memory growth and its frame's size.

    Two peaks: the resident set (VmHWM, reset first), which also counts the pages of
    the CSV file that pandas maps into memory to parse it, and the anonymous memory
    (RssAnon, sampled every millisecond by a thread), which is what the reader
    allocates itself.
    """
    Path("/proc/self/clear_refs").write_text("5")  # Linux: reset the peak (VmHWM) to the current size
    before_rss, before_anon = _status_kb("VmRSS"), _status_kb("RssAnon")
    peak_anon = [before_anon]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.001):
            peak_anon[0] = max(peak_anon[0], _status_kb("RssAnon"))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    frame = read(mode, path)
    done.set()
    sampler.join()
    peak_anon[0] = max(peak_anon[0], _status_kb("RssAnon"))
    print(
        json.dumps(
            {
                "peak_mb": (_status_kb("VmHWM") - before_rss) / 1024,
                "anon_mb": (peak_anon[0] - before_anon) / 1024,
                "frame_mb": frame.memory_usage(deep=True).sum() / 2**20,
            }
        )
    )


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def measure_memory(mode: str, path: Path) -> dict:
    script = Path(__file__).resolve()
    code = (
        f"import sys; sys.path.insert(0, {str(script.parent)!r}); import pandas, csat_analysis.io; "
        f"import bench_io; bench_io.child({mode!r}, {str(path)!r})"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--numeric-ids", action="store_true")
    parser.add_argument("--quoted", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "survey.csv"
        write_survey(path, args.rows, args.numeric_ids, quoted=args.quoted)
        size_mb = path.stat().st_size / 2**20
        print(
            f"read_survey vs pandas.read_csv: {args.rows:,} rows x 14 columns, {size_mb:,.0f} MiB CSV"
            f"{' (numeric ids)' if args.numeric_ids else ''}{' (every field quoted)' if args.quoted else ''}"
        )

        # alternate the two, so that a busy spell on the machine slows both alike; keep each one's best
        t_bare = t_ours = cpu_bare = cpu_ours = float("inf")
        for _ in range(args.repeat):
            cpu = time.process_time()
            seconds, bare = timed(lambda: read("bare", str(path)))
            t_bare, cpu_bare = min(t_bare, seconds), min(cpu_bare, time.process_time() - cpu)
            del bare
            cpu = time.process_time()
            seconds, ours = timed(lambda: read("ours", str(path)))
            t_ours, cpu_ours = min(t_ours, seconds), min(cpu_ours, time.process_time() - cpu)
        bare = read("bare", str(path))
        # the two must agree before their times mean anything
        for item in ITEMS[:3]:
            np.testing.assert_array_equal(ours[item].to_numpy(), bare[item].map(LABELS).to_numpy(dtype=float))
        np.testing.assert_array_equal(ours["spend"].to_numpy(), bare["spend"].to_numpy())
        assert ours["churned"].tolist() == (bare["churned"] == "yes").tolist()
        assert ours["respondent_id"].tolist() == bare["respondent_id"].astype(str).tolist()
        del bare, ours

        print(f"  pandas.read_csv, no options:     {t_bare:8.3f} s")
        print(f"  read_survey, read and validated: {t_ours:8.3f} s")
        print(f"  time ratio: {t_ours / t_bare:5.2f}x the bare read (goal <= 3x)")
        print(
            f"  CPU time (all threads): bare {cpu_bare:.3f} s, read_survey {cpu_ours:.3f} s, "
            f"ratio {cpu_ours / cpu_bare:.2f}x (pandas parses on {os.cpu_count()} cores; load average "
            f"{os.getloadavg()[0]:.1f} when done)"
        )

        for mode, name in (("bare", "pandas.read_csv"), ("ours", "read_survey")):
            memory = measure_memory(mode, path)
            print(
                f"  {name}: frame {memory['frame_mb']:,.0f} MiB; peak memory allocated (anonymous) "
                f"{memory['anon_mb']:,.0f} MiB = {memory['anon_mb'] / memory['frame_mb']:.2f}x the frame"
                + (" (goal <= 2x)" if mode == "ours" else "")
                + f"; peak resident incl. the mapped file {memory['peak_mb']:,.0f} MiB"
            )


if __name__ == "__main__":
    main()
