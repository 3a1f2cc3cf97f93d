"""Speed of ``metrics.summarize`` and the bootstrap NPS interval against baselines run here.

1. NPS and CSAT with their intervals for 10 million responses in 10,000 segments
   (1,000 stores x 10 months), three ways, in this one process:
   - naive: ``groupby().apply()`` calling :func:`nps` and :func:`csat_score` per group;
   - floor: bare NumPy on ready-made integer arrays (group code, two ``bincount``s and
     the interval formulas), with none of the input checks;
   - ours: :func:`summarize` on the DataFrame (factorises the keys, validates the
     ratings, drops missing values, builds the tidy table).
   Goal: ours >= 10x faster than naive and within 3x of the floor.
2. A 10,000-resample bootstrap NPS interval on 100,000 responses: ours (multinomial
   counts, vectorised) against a Python loop of index resamples, timed on a few hundred
   resamples and scaled up to 10,000.

Run: ``.venv/bin/python benchmarks/bench_metrics.py [--rows N]`` (``make bench`` runs it).
"""

from __future__ import annotations

import argparse

import numpy as np
import pandas as pd
from _timing import timed
from scipy import stats

from csat_analysis.metrics import csat_score, nps, summarize


def make_responses(rows: int, stores: int, months: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    month_labels = [f"2025-{m:02d}" for m in range(1, months + 1)]
    return pd.DataFrame(
        {
            "store": rng.integers(1000, 1000 + stores, rows),
            "month": pd.Categorical.from_codes(rng.integers(0, months, rows), categories=month_labels),
            "nps": rng.choice(11, rows, p=[0.03, 0.02, 0.03, 0.04, 0.05, 0.08, 0.08, 0.12, 0.15, 0.18, 0.22]).astype(
                np.int8
            ),
            "csat": rng.choice(np.arange(1, 6), rows, p=[0.05, 0.08, 0.17, 0.40, 0.30]).astype(np.int8),
        }
    )


def naive(frame: pd.DataFrame) -> pd.DataFrame:
    def both(group: pd.DataFrame) -> pd.Series:
        a, b = nps(group["nps"]), csat_score(group["csat"])
        return pd.Series(
            {
                "nps": a.value,
                "nps_se": a.se,
                "nps_low": a.low,
                "nps_high": a.high,
                "csat": b.value,
                "csat_se": b.se,
                "csat_low": b.low,
                "csat_high": b.high,
            }
        )

    return frame.groupby(["store", "month"], observed=True)[["nps", "csat"]].apply(both)


def floor(
    store_code: np.ndarray,
    month_code: np.ndarray,
    months: int,
    nps_scores: np.ndarray,
    csat_scores: np.ndarray,
    n_groups: int,
) -> dict[str, np.ndarray]:
    """The least work that gives the same numbers: no checks, no factorising, no table."""
    z = stats.norm.ppf(0.975)
    group = store_code * months + month_code
    category = (nps_scores >= 9).astype(np.int64) - (nps_scores <= 6) + 1
    counts = np.bincount(group * 3 + category, minlength=3 * n_groups).reshape(n_groups, 3)
    n = counts.sum(axis=1)
    promoters, detractors = counts[:, 2] / n, counts[:, 0] / n
    nps_value = 100 * (promoters - detractors)
    nps_se = 100 * np.sqrt((promoters + detractors - (promoters - detractors) ** 2) / n)
    top = np.bincount(group * 2 + (csat_scores >= 4), minlength=2 * n_groups).reshape(n_groups, 2)
    m = top.sum(axis=1)
    p = top[:, 1] / m
    centre = (p + z**2 / (2 * m)) / (1 + z**2 / m)
    half = z * np.sqrt(p * (1 - p) / m + z**2 / (4 * m**2)) / (1 + z**2 / m)
    return {
        "nps": nps_value,
        "nps_low": nps_value - z * nps_se,
        "nps_high": nps_value + z * nps_se,
        "csat": 100 * p,
        "csat_low": 100 * (centre - half),
        "csat_high": 100 * (centre + half),
    }


def bootstrap_loop(scores: np.ndarray, resamples: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    draws = np.empty(resamples)
    for b in range(resamples):  # the slow way, on purpose
        sample = scores[rng.integers(0, scores.size, scores.size)]
        draws[b] = 100 * ((sample >= 9).mean() - (sample <= 6).mean())
    return draws


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--stores", type=int, default=1_000)
    parser.add_argument("--months", type=int, default=10)
    parser.add_argument("--loop-resamples", type=int, default=200)
    args = parser.parse_args()

    frame = make_responses(args.rows, args.stores, args.months)
    n_groups = args.stores * args.months
    print(f"summarize: NPS + CSAT with intervals, {args.rows:,} responses in {n_groups:,} segments")
    store_code = (frame["store"].to_numpy() - 1000).astype(np.int64)
    month_code = frame["month"].cat.codes.to_numpy().astype(np.int64)
    nps_scores, csat_scores = frame["nps"].to_numpy(), frame["csat"].to_numpy()

    t_ours, table = timed(lambda: summarize(frame, ["store", "month"], nps="nps", csat="csat"), repeat=3)
    t_floor, reference = timed(
        lambda: floor(store_code, month_code, args.months, nps_scores, csat_scores, n_groups), repeat=3
    )
    t_naive, slow = timed(lambda: naive(frame))

    # the three must agree before their times mean anything
    ours_nps = table[table["metric"] == "nps"]
    np.testing.assert_allclose(ours_nps["value"].to_numpy(), reference["nps"])
    np.testing.assert_allclose(ours_nps["low"].to_numpy(), reference["nps_low"])
    np.testing.assert_allclose(table.loc[table["metric"] == "csat", "high"].to_numpy(), reference["csat_high"])
    np.testing.assert_allclose(slow["nps"].to_numpy(), reference["nps"])
    np.testing.assert_allclose(slow["csat_low"].to_numpy(), reference["csat_low"])

    print(f"  naive groupby().apply(): {t_naive:8.3f} s")
    print(f"  NumPy bincount floor:    {t_floor:8.3f} s")
    print(f"  summarize (ours):        {t_ours:8.3f} s")
    print(f"  ours vs naive: {t_naive / t_ours:6.1f}x faster (goal >= 10x)")
    print(f"  ours vs floor: {t_ours / t_floor:6.2f}x the floor's time (goal <= 3x)")

    scores = nps_scores[:100_000]
    print("bootstrap NPS interval: 10,000 resamples of 100,000 responses")
    t_boot, estimate = timed(lambda: nps(scores, method="bootstrap", n_boot=10_000, seed=1), repeat=3)
    t_loop, _ = timed(lambda: bootstrap_loop(scores, args.loop_resamples))
    t_loop_full = t_loop * 10_000 / args.loop_resamples
    print(f"  Python loop over resamples: {t_loop_full:8.3f} s (timed on {args.loop_resamples}, scaled to 10,000)")
    print(f"  multinomial counts (ours):  {t_boot:8.3f} s  -> interval {estimate.low:.2f} .. {estimate.high:.2f}")
    print(f"  ours vs loop: {t_loop_full / t_boot:6.0f}x faster")


if __name__ == "__main__":
    main()
