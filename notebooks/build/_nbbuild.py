"""Shared helpers of the notebook build scripts in this folder.

A build script collects markdown and code cells and writes the notebook without
outputs, with fixed cell ids (``<prefix>-00``, ``<prefix>-01``, ...) so that rebuilding
an unchanged script gives an identical file::

    from _nbbuild import NotebookBuilder

    nb = NotebookBuilder(Path(__file__).resolve().parents[1] / "study.ipynb", id_prefix="study")
    nb.md("# Study")
    nb.code('dataset = "mobi"', tags=["parameters"])
    nb.write()  # or nb.write(sys.argv[1]) to write elsewhere (tests compare the two)

Run a build script as ``.venv/bin/python notebooks/build/<name>.py [output.ipynb]``;
Python puts the script's folder on ``sys.path``, so ``import _nbbuild`` works.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


class NotebookBuilder:
    """Collect the cells of one notebook and write it without outputs."""

    def __init__(self, path: str | Path, id_prefix: str):
        self.path = Path(path)
        self.id_prefix = id_prefix
        self.cells = []

    def md(self, text: str) -> None:
        """Add a markdown cell (surrounding blank lines dropped)."""
        self.cells.append(new_markdown_cell(text.strip()))

    def code(self, text: str, *, tags: list[str] | None = None) -> None:
        """Add a code cell; ``tags=["parameters"]`` marks papermill's parameter cell."""
        cell = new_code_cell(text.strip())
        if tags:
            cell.metadata["tags"] = list(tags)
        self.cells.append(cell)

    def notebook(self) -> nbformat.NotebookNode:
        """The validated notebook, with fixed cell ids."""
        notebook = new_notebook(cells=self.cells, metadata={"kernelspec": KERNELSPEC,
                                                            "language_info": {"name": "python"}})
        for number, cell in enumerate(notebook.cells):
            cell.id = f"{self.id_prefix}-{number:02d}"
        nbformat.validate(notebook)
        return notebook

    def write(self, target: str | Path | None = None) -> Path:
        """Write the notebook to ``target`` (default: the first command-line argument, else ``path``)."""
        if target is None:
            target = sys.argv[1] if len(sys.argv) > 1 else self.path
        target = Path(target)
        nbformat.write(self.notebook(), target)
        print(f"wrote {target}")
        return target
