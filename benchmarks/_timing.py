"""Timing helper shared by the benchmark scripts (run them from the repository root)."""

from __future__ import annotations

import time


def timed(function, repeat: int = 1):
    """Best wall time of ``repeat`` calls of ``function``, and the last call's result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - start)
    return best, result
