"""Sphinx configuration of the csat-analysis documentation (``make docs``).

Builds offline (no intersphinx, no remote images) and with warnings as errors
(``sphinx -W``). ``docs/build_examples.py`` runs first: it executes one small run of
every study with ``csat run`` and writes the generated pages included here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS.parent))
os.environ.setdefault("MPLBACKEND", "Agg")

import importlib  # noqa: E402

import sphinx.ext.autosummary as _autosummary  # noqa: E402

import csat_analysis  # noqa: E402

_import_by_name = _autosummary._import_by_name


def _import_module_first(name: str, grouped_exception: bool = True):
    # The package reaches its submodules as attributes (PEP 562, imported on first use),
    # so autosummary would take `csat_analysis.metrics` for an attribute of the package
    # and document it as data; a name that imports as a module is that module.
    try:
        return importlib.import_module(name), None, name
    except ImportError:
        return _import_by_name(name, grouped_exception)


_autosummary._import_by_name = _import_module_first

project = "csat-analysis"
author = "csat-analysis developers"
copyright = "csat-analysis developers, BSD-3-Clause"
release = csat_analysis.__version__
version = release

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
]

templates_path = ["_templates"]
exclude_patterns = ["_build", "_examples", "_generated", "README.md", "**/.ipynb_checkpoints"]
# the executed example reports (docs/build_examples.py), copied as they are
html_extra_path = ["_examples"]

autosummary_generate = True
# members listed are each module's __all__
autosummary_ignore_module_all = False
autosummary_imported_members = False
autodoc_typehints = "none"

numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = False
numpydoc_attributes_as_param_list = True
# numpydoc validation runs in tests/test_docstrings.py, where the checked set is listed


html_theme = "alabaster"
html_title = f"csat-analysis {release}"
html_theme_options = {
    "description": "Customer satisfaction, loyalty, complaints and churn research toolkit",
    "fixed_sidebar": True,
    "page_width": "1180px",
    "sidebar_width": "240px",
}
html_static_path: list[str] = []
html_show_sourcelink = False

suppress_warnings: list[str] = []
nitpicky = False
