"""The csat-analysis toolkit: customer satisfaction, loyalty, complaint and churn research.

Modules, one per topic: ``datasets`` (bundled real data), ``io`` (reading and
validating surveys), ``simulate`` (known-truth survey panels), ``metrics`` (CSAT,
NPS, CES, churn, CLV), ``estimate`` (the result of single-number estimators),
``scaling`` (recoding, composite scores, top boxes, reliability), ``weighting``
(raking), ``regression`` (logistic odds ratios), ``pls`` (PLS path models for
ACSI/ECSI indices), ``survival``, ``loyalty``, ``drivers``, ``complaints``, ``churn``,
``plots``, ``report``, ``studies`` (what the study notebooks show) and ``runner``
(batch execution of the study notebooks).

Submodules load on first use, so ``import csat_analysis as ca`` is quick and
``ca.metrics.nps(...)`` works without importing ``csat_analysis.metrics`` first.

Examples
--------
>>> import csat_analysis as ca
>>> ca.metrics.nps([10, 9, 3, 8]).value
25.0
"""

from __future__ import annotations

import importlib

from .errors import (
    ConvergenceWarning,
    CsatError,
    CsatWarning,
    ModelSpecError,
    ParameterError,
    StudyError,
    SurveyDataError,
)


def _version() -> str:
    # One version source: pyproject.toml, read from the installed distribution's metadata,
    # or from pyproject.toml itself in a source checkout that was never installed.
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("csat-analysis")
    except PackageNotFoundError:
        import tomllib
        from pathlib import Path

        pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
        return tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["version"]


__version__ = _version()

#: submodules reachable as attributes of the package, imported on first access
SUBMODULES = (
    "churn",
    "cli",
    "complaints",
    "datasets",
    "drivers",
    "errors",
    "estimate",
    "io",
    "loyalty",
    "metrics",
    "plots",
    "pls",
    "regression",
    "report",
    "resources",
    "runner",
    "scaling",
    "simulate",
    "studies",
    "survival",
    "weighting",
)

__all__ = [
    "ConvergenceWarning",
    "CsatError",
    "CsatWarning",
    "ModelSpecError",
    "ParameterError",
    "StudyError",
    "SurveyDataError",
    "__version__",
]


def __getattr__(name: str):
    # PEP 562: import a submodule when it is first reached as an attribute
    if name in SUBMODULES:
        module = importlib.import_module(f"{__name__}.{name}")
        globals()[name] = module
        return module
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(SUBMODULES))
