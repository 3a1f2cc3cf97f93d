"""Shared test set-up for tests/ and the doctests in csat_analysis/.

Matplotlib draws off-screen, and every test or doctest starts without open figures,
so an example never draws on axes left behind by another.
"""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")
