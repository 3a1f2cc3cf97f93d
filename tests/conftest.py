"""Shared fixtures. Matplotlib draws off-screen in every test."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
