"""Where the bundled files are: raw data sets, survey descriptions and study notebooks.

This module is the one place file locations come from. An installed wheel carries the
repository folders ``data/`` and ``notebooks/`` as the package data
``csat_analysis/data`` and ``csat_analysis/notebooks`` (mapped at build time, see
``pyproject.toml``), read through :mod:`importlib.resources`. A source checkout or an
editable install (``pip install -e .``) reads the same folders at the repository root.
The environment variable ``CSAT_DATA_DIR`` points the raw data elsewhere (a folder
holding ``manifest.json`` and the files it lists).

Only file-system installs are supported (not zip imports): papermill and the checksum
checks need real paths.

Examples
--------
>>> from csat_analysis import resources
>>> resources.data_file("manifest.json").name
'manifest.json'
>>> resources.notebook_file("data_overview").name
'data_overview.ipynb'
>>> "satisfaction_vs_loyalty" in resources.bundled_studies()
True
"""

from __future__ import annotations

import os
from importlib import resources as _importlib_resources
from pathlib import Path

from .errors import ParameterError, StudyError

__all__ = [
    "bundled_studies",
    "data_dir",
    "data_file",
    "notebook_file",
    "notebooks_dir",
    "resolve_notebook",
    "survey_file",
    "surveys_dir",
]

_SOURCE_ROOT = Path(__file__).resolve().parents[1]


def _bundled_folder(name: str) -> Path:
    """The package-data folder ``name`` of a wheel install, else the repository folder."""
    packaged = _importlib_resources.files(__package__) / name
    if packaged.is_dir():
        return Path(str(packaged))
    return _SOURCE_ROOT / name


def data_dir() -> Path:
    """The folder of the bundled raw data sets and their ``manifest.json``.

    Returns
    -------
    pathlib.Path
        ``CSAT_DATA_DIR`` when that environment variable is set, otherwise the
        ``raw`` folder of the bundled data (package data in a wheel, ``data/raw``
        in a source checkout). Read at call time, so tests may redirect it.

    See Also
    --------
    data_file : One file of that folder.

    Examples
    --------
    >>> from csat_analysis.resources import data_dir
    >>> (data_dir() / "manifest.json").is_file()
    True
    """
    override = os.environ.get("CSAT_DATA_DIR")
    if override:
        return Path(override)
    return _bundled_folder("data") / "raw"


def _file_in(folder: Path, name: str, what: str) -> Path:
    if not isinstance(name, str) or not name or Path(name).name != name:
        raise ParameterError(f"{what} name must be a plain file name, got {name!r}")
    path = folder / name
    if not path.is_file():
        available = sorted(p.name for p in folder.glob("*") if p.is_file()) if folder.is_dir() else []
        raise ParameterError(f"no {what} {name!r} in {folder}; available: {', '.join(available) or 'none'}")
    return path


def data_file(name: str) -> Path:
    """Path of one bundled raw data file (for example ``"mobi.csv"`` or ``"manifest.json"``).

    Parameters
    ----------
    name : str
        A file name inside :func:`data_dir` (no folders).

    Returns
    -------
    pathlib.Path
        The existing file.

    Raises
    ------
    csat_analysis.errors.ParameterError
        If ``name`` is not a plain file name or no such file is bundled; the message
        lists the files that are.

    See Also
    --------
    csat_analysis.datasets.load : Reads a data set after checking its checksum.

    Examples
    --------
    >>> from csat_analysis.resources import data_file
    >>> data_file("mobi.csv").suffix
    '.csv'
    """
    return _file_in(data_dir(), name, "data file")


def surveys_dir() -> Path:
    """The folder of the bundled survey descriptions (``data/surveys/*.yaml``).

    Returns
    -------
    pathlib.Path
        Package data in a wheel, ``data/surveys`` in a source checkout. The folder
        may not exist when no survey description is bundled.

    Examples
    --------
    >>> from csat_analysis.resources import surveys_dir
    >>> surveys_dir().name
    'surveys'
    """
    return _bundled_folder("data") / "surveys"


def survey_file(name: str) -> Path:
    """Path of one bundled survey description.

    Parameters
    ----------
    name : str
        The description's name, with or without the ``.yaml`` suffix (``"mobi"`` or
        ``"mobi.yaml"``).

    Returns
    -------
    pathlib.Path
        The existing YAML file.

    Raises
    ------
    csat_analysis.errors.ParameterError
        If no such description is bundled; the message lists those that are.

    Examples
    --------
    >>> from csat_analysis.resources import survey_file
    >>> survey_file("no_such_survey")
    Traceback (most recent call last):
    ...
    csat_analysis.errors.ParameterError: no survey description 'no_such_survey.yaml' in ...
    """
    if isinstance(name, str) and not name.endswith((".yaml", ".yml")):
        name = f"{name}.yaml"
    return _file_in(surveys_dir(), name, "survey description")


def notebooks_dir() -> Path:
    """The folder of the bundled study notebooks.

    Returns
    -------
    pathlib.Path
        Package data in a wheel, ``notebooks/`` in a source checkout.

    Examples
    --------
    >>> from csat_analysis.resources import notebooks_dir
    >>> (notebooks_dir() / "data_overview.ipynb").is_file()
    True
    """
    return _bundled_folder("notebooks")


def bundled_studies() -> list[str]:
    """Names of the bundled study notebooks, sorted.

    Returns
    -------
    list of str
        Notebook stems, the names a study specification may give as ``notebook``.

    See Also
    --------
    notebook_file : The path of one of them.

    Examples
    --------
    >>> from csat_analysis.resources import bundled_studies
    >>> bundled_studies()[:2]
    ['churn_and_retention', 'complaint_resolution']
    """
    folder = notebooks_dir()
    return sorted(path.stem for path in folder.glob("*.ipynb")) if folder.is_dir() else []


def notebook_file(name: str) -> Path:
    """Path of one bundled study notebook.

    Parameters
    ----------
    name : str
        The study's name, with or without ``.ipynb`` (``"satisfaction_vs_loyalty"``).

    Returns
    -------
    pathlib.Path
        The existing notebook.

    Raises
    ------
    csat_analysis.errors.ParameterError
        If no such notebook is bundled; the message lists those that are.

    See Also
    --------
    bundled_studies : Every name this accepts.

    Examples
    --------
    >>> from csat_analysis.resources import notebook_file
    >>> notebook_file("churn_and_retention.ipynb").stem
    'churn_and_retention'
    """
    if isinstance(name, str) and not name.endswith(".ipynb"):
        name = f"{name}.ipynb"
    return _file_in(notebooks_dir(), name, "bundled study notebook")


def resolve_notebook(value: str, base: str | os.PathLike) -> Path:
    """The notebook a study specification's ``notebook`` key names.

    A bare name without folder or suffix (``notebook: satisfaction_vs_loyalty``)
    names a bundled study; anything else is a path, relative to ``base`` (the folder
    of the specification file) unless absolute.

    Parameters
    ----------
    value : str
        The ``notebook`` value of the specification.
    base : str or os.PathLike
        Folder relative paths are resolved against.

    Returns
    -------
    pathlib.Path
        The notebook's path (not checked for existence when ``value`` is a path).

    Raises
    ------
    csat_analysis.errors.StudyError
        If ``value`` is a bare name that is no bundled study; the message lists the
        bundled studies.

    See Also
    --------
    csat_analysis.runner.load_studies : Reads specifications.

    Examples
    --------
    >>> from csat_analysis.resources import resolve_notebook
    >>> resolve_notebook("data_overview", "/tmp").name
    'data_overview.ipynb'
    >>> resolve_notebook("../notebooks/mine.ipynb", "/work/studies").as_posix()
    '/work/notebooks/mine.ipynb'
    """
    path = Path(value)
    if path.name == value and not path.suffix:
        if value not in bundled_studies():
            raise StudyError(
                f"notebook {value!r} is neither a path nor a bundled study; bundled studies: "
                f"{', '.join(bundled_studies()) or 'none'}"
            )
        return notebook_file(value)
    if not path.is_absolute():
        path = Path(os.path.normpath(Path(base) / path))
    return path
