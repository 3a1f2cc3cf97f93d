"""Speed of ``simulate.simulate_panel`` against a floor run in the same process.

Times :func:`simulate_panel` for ``--rows`` respondents (default 10 million) and two
floors on the same machine, in this one process:

- ``normal floor``: ``rng.standard_normal(rows)``, one plain float64 normal draw per
  row (the cheapest thing a simulator can do per row);
- ``per-column floor``: one float32 normal draw per row for each of the panel's
  columns (what the panel's size would cost as bare random numbers, with no
  structure, discretisation or DataFrame).

Prints rows per second and the ratio of the simulator's time to each floor. Goal: 10
million rows in well under a minute, within a small multiple of the per-column floor.
Also prints the panel's memory per row (tight dtypes: int8 items, categoricals).

Run: ``.venv/bin/python benchmarks/bench_simulate.py [--rows N]`` (``make bench`` runs it).
"""

from __future__ import annotations

import argparse

import numpy as np
from _timing import timed

from csat_analysis.simulate import COLUMNS, simulate_panel


def per_column_floor(rows: int, columns: int) -> float:
    rng = np.random.default_rng(0)
    total = 0.0
    for _ in range(columns):  # one column at a time, as the simulator does, to bound memory
        total += float(rng.standard_normal(rows, dtype=np.float32)[0])
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    rows = parser.parse_args().rows
    repeat = parser.parse_args().repeat

    simulate_panel(1000, seed=0)  # warm-up: imports, scipy quantiles
    floor_time, _ = timed(lambda: np.random.default_rng(0).standard_normal(rows), repeat)
    column_time, _ = timed(lambda: per_column_floor(rows, len(COLUMNS)), repeat)
    ours_time, panel = timed(lambda: simulate_panel(rows, seed=0), repeat)

    memory = panel.data.memory_usage(deep=True).sum()
    print(f"simulate_panel: {rows:,} rows x {panel.data.shape[1]} columns")
    print(f"  simulate_panel     {ours_time:8.2f} s  {rows / ours_time:14,.0f} rows/s")
    print(
        f"  normal floor       {floor_time:8.2f} s  {rows / floor_time:14,.0f} rows/s  "
        f"(ratio ours/floor: {ours_time / floor_time:.1f}x)"
    )
    print(
        f"  per-column floor   {column_time:8.2f} s  {rows / column_time:14,.0f} rows/s  "
        f"(ratio ours/floor: {ours_time / column_time:.1f}x)"
    )
    print(f"  memory             {memory / rows:8.1f} bytes/row ({memory / 2**20:,.0f} MiB)")
    verdict = "OK" if ours_time < 60 else "TOO SLOW"
    print(f"  goal: {rows:,} rows well under 60 s -> {verdict}")


if __name__ == "__main__":
    main()
