"""The shape every study shares: one run object and sections that show themselves.

A study notebook creates one :class:`StudyRun` in its set-up cell. The run opens the
data, holds the :class:`~csat_analysis.report.Recorder` and collects the findings
and the notes of sections that could not run. Each later cell computes one
:class:`Section` with a function of the study's module and hands it to
:meth:`StudyRun.show`, which draws its figure, displays its tables, records its
results and states its finding, so every cell of every study reads the same::

    run = StudyRun("mobi", study="satisfaction_vs_loyalty")
    curve = satisfaction_vs_loyalty.curve_section(settings)
    run.show(curve)

A section that cannot be computed on the data is a :class:`Skipped` section: ``show``
prints one line saying why (and what would fix it) and records it under ``notes``.

Examples
--------
>>> import pandas as pd
>>> run = StudyRun("mobi", study="example", emit=False)
>>> run.kind, len(run.data)
('real', 250)
>>> section = Section(title="Size", table=pd.DataFrame({"n": [250]}), source=run.source)
>>> section.results()
{}
>>> run.show(Skipped("Dealer table", "the data have no dealer columns", fix="use the simulator"))
*Dealer table: not run because the data have no dealer columns (use the simulator).*
>>> run.recorder.results["notes"]
['Dealer table: not run because the data have no dealer columns (use the simulator).']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import datasets
from ..report import Recorder, in_kernel, styled_table
from .roles import dataset_roles

__all__ = ["Section", "Skipped", "StudyRun"]


@dataclass
class Section:
    """One section of a study report: its table, figure, finding and recorded results.

    Study modules subclass it (as dataclasses) and override what they have:
    :meth:`plot` draws the figure (``None``: the section has none), :meth:`tables`
    gives what to display, :meth:`finding` states the result in one or two
    sentences, :meth:`results` names the numbers the batch runner collects.

    Attributes
    ----------
    title : str
        Short name of the section (used in notes and summaries).
    table : DataFrame or None
        The section's main tidy table.
    source : str
        The data-source line printed under its figure and tables.
    """

    title: str = ""
    table: pd.DataFrame | None = field(default=None, repr=False)
    source: str = ""

    def plot(self, ax=None):
        """Draw the section's figure on ``ax`` (or a new one) and return it; ``None``: no figure."""
        return None

    def tables(self) -> list:
        """The tables to display, already styled (default: the main table)."""
        if self.table is None:
            return []
        return [styled_table(self.table, self.title or None, self.source)]

    def finding(self) -> str:
        """The section's result in words (Markdown), with its numbers."""
        return ""

    def results(self) -> dict[str, Any]:
        """Named results for the batch runner (``results.json``)."""
        return {}


@dataclass
class Skipped(Section):
    """A section that cannot be computed on these data, with the reason and the fix.

    Examples
    --------
    >>> Skipped("Loyalty types", "no behaviour column", fix="name one with `behaviour`").note()
    'Loyalty types: not run because no behaviour column (name one with `behaviour`).'
    """

    reason: str = ""
    fix: str = ""

    def __init__(self, title: str, reason: str, *, fix: str = "", source: str = ""):
        super().__init__(title=title, table=None, source=source)
        self.reason = reason
        self.fix = fix

    def note(self) -> str:
        """The one line a report shows instead of the section."""
        fix = f" ({self.fix})" if self.fix else ""
        return f"{self.title}: not run because {self.reason}{fix}."

    def finding(self) -> str:
        return ""


class StudyRun:
    """One execution of a study notebook: its data, recorder, findings and notes.

    Parameters
    ----------
    dataset : str
        A bundled data set, ``"simulated"`` or the path of a survey file (see
        :func:`csat_analysis.datasets.open_study_data`).
    study : str
        The study's name (for messages).
    schema : dict or path, optional
        Schema of a survey file.
    n, seed : int
        Size and seed of a simulated panel.
    emit : bool, optional
        Emit recorded results as notebook outputs (default: inside a kernel only).
    **simulator_params
        Passed to the simulator.

    Attributes
    ----------
    data : DataFrame
    name, kind, source : str
        As in :class:`~csat_analysis.datasets.StudyData`.
    truth : dict or None
        The simulator's generating values.
    recorder : Recorder
    findings : list of str
        The findings stated so far, in order.
    notes : list of str
        One line per section that could not run.
    """

    def __init__(self, dataset: str, *, study: str = "study", schema=None, n: int = 20_000, seed: int = 0,
                 emit: bool | None = None, **simulator_params: Any):
        self.study = study
        self.study_data = datasets.open_study_data(dataset, schema=schema, n=n, seed=seed, **simulator_params)
        self.recorder = Recorder(emit=emit)
        self.findings: list[str] = []
        self.notes: list[str] = []

    @property
    def data(self) -> pd.DataFrame:
        return self.study_data.data

    @property
    def name(self) -> str:
        return self.study_data.name

    @property
    def kind(self) -> str:
        return self.study_data.kind

    @property
    def source(self) -> str:
        return self.study_data.source

    @property
    def truth(self) -> dict | None:
        return self.study_data.truth

    @property
    def roles(self) -> dict[str, Any]:
        """What the data set's columns mean (:func:`~csat_analysis.studies.roles.dataset_roles`)."""
        return dataset_roles(self.name)

    @property
    def is_simulated(self) -> bool:
        return self.study_data.is_simulated

    def record(self, name: str, value: Any) -> None:
        """Record one named result (see :class:`~csat_analysis.report.Recorder`)."""
        self.recorder.record(name, value)

    def record_all(self, results: Mapping[str, Any]) -> None:
        """Record every item of ``results``."""
        for name, value in results.items():
            self.record(name, value)

    def state(self, text: str) -> None:
        """Display a finding as Markdown and keep it for the summary."""
        if text:
            self.findings.append(text)
            _display_markdown(text)

    def skip(self, section: Skipped) -> None:
        """Show and record the note of a section that could not run."""
        self.notes.append(section.note())
        _display_markdown(f"*{section.note()}*")
        self.record("notes", self.notes)

    def show(self, section: Section) -> None:
        """Draw, display, record and state one section (a :class:`Skipped` one: its note)."""
        if isinstance(section, Skipped):
            self.skip(section)
            return
        drawn = section.plot()
        if drawn is not None:
            import matplotlib.pyplot as plt

            plt.show()
        for shown in section.tables():
            _display(shown)
        self.record_all(section.results())
        self.state(section.finding())


def _display(value) -> None:
    # Outside a kernel (a script, a doctest) tables are not printed: a study is read as a report.
    if in_kernel():
        from IPython.display import display

        display(value)


def _display_markdown(text: str) -> None:
    if in_kernel():
        from IPython.display import Markdown

        _display(Markdown(text))
    else:
        print(text)
