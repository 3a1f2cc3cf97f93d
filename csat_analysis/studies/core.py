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

``StudyRun(..., language="zh")`` writes the report in simplified Chinese: it makes
``"zh"`` the current language of :mod:`csat_analysis.i18n`, so the summary box, the
notes, the References heading, the formatted numbers and every string the study
modules wrap in ``_()`` come from the Chinese catalog. Recorded results do not change.

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
>>> print(StudyRun("mobi", study="example", emit=False, language="zh").summary_markdown().splitlines()[0])
**主要发现**
>>> english = StudyRun("mobi", study="example", emit=False)  # back to English for the examples that follow
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pandas as pd

from .. import datasets
from ..i18n import _, check_language, set_language, use_language
from ..references import Citations
from ..report import Recorder, in_kernel, styled_table

__all__ = ["Section", "Skipped", "StudyRun", "first_sentence"]


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

    #: keys of :data:`csat_analysis.references.REFERENCES` the section's method or benchmark cites
    references: ClassVar[tuple[str, ...]] = ()

    def plot(self, ax=None):
        """Draw the section's figure on ``ax`` (or a new one) and return it.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; ``None``: a new figure.

        Returns
        -------
        matplotlib Axes or None
            The axes drawn on; ``None`` when the section has no figure.
        """
        return None

    def tables(self) -> list:
        """The section's tables, styled for display (default: the main table).

        Returns
        -------
        list of pandas.io.formats.style.Styler
            The tables in display order, with captions and the data source; empty without a table.
        """
        if self.table is None:
            return []
        return [styled_table(self.table, self.title or None, self.source)]

    def finding(self) -> str:
        """The section's result in words (Markdown), with its numbers.

        Returns
        -------
        str
            Markdown sentences in the report's language; empty when the section states none.
        """
        return ""

    def results(self) -> dict[str, Any]:
        """Named results for the batch runner (``results.json``).

        Returns
        -------
        dict
            Result name to value (numbers, lists or tidy records).
        """
        return {}

    def headline(self) -> str:
        """The one sentence of the finding that leads the report's summary (default: its first).

        Returns
        -------
        str
            The sentence; empty when the section has no finding.
        """
        return first_sentence(self.finding())


@dataclass
class Skipped(Section):
    """A section that cannot be computed on these data, with the reason and the fix.

    Parameters
    ----------
    title : str
        Name of the section that did not run.
    reason : str
        Why it could not run, completing "not run because ...".
    fix : str
        What would make it run (a column to name, another data set); empty: nothing to suggest.
    source : str
        The data-source line.

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
        """The one line a report shows instead of the section (in the current language).

        Returns
        -------
        str
            The note, e.g. "Dealer table: not run because the data have no dealer columns (use
            the simulator)", ending with a full stop.
        """
        if self.fix:
            return _("{title}: not run because {reason} ({fix}).").format(
                title=self.title, reason=self.reason, fix=self.fix
            )
        return _("{title}: not run because {reason}.").format(title=self.title, reason=self.reason)

    def finding(self) -> str:
        """A skipped section states no finding (its note is shown instead).

        Returns
        -------
        str
            Always empty.
        """
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
        Schema of a survey file, used only when no ``survey`` is given.
    survey : SurveyDescription, dict or path, optional
        The survey description (what each column means, on which scale; see
        :mod:`csat_analysis.survey`); a bundled data set and the simulator default to
        their own in ``data/surveys/``.
    n, seed : int
        Size and seed of a simulated panel.
    language : {"en", "zh"}, default "en"
        The report's language (see :mod:`csat_analysis.i18n`); it becomes the current
        language of the process. The numbers and recorded results do not depend on it.
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
    language : str
    findings : list of str
        The findings stated so far, in order.
    notes : list of str
        One line per section that could not run, as recorded (in English in every
        report language: recorded results do not depend on the language).
    """

    def __init__(
        self,
        dataset: str,
        *,
        study: str = "study",
        schema=None,
        survey=None,
        n: int = 20_000,
        seed: int = 0,
        language: str = "en",
        emit: bool | None = None,
        **simulator_params: Any,
    ):
        from ..survey import SurveyDescription

        self.language = check_language(language)
        set_language(self.language)
        self.study = study
        self.study_data = datasets.open_study_data(
            dataset, survey=survey, schema=schema, n=n, seed=seed, **simulator_params
        )
        # the description the data were opened with: the given one, else a bundled data set's own
        self.survey = self.study_data.survey if self.study_data.survey is not None else SurveyDescription()
        self.recorder = Recorder(emit=emit)
        self.findings: list[str] = []
        self.headlines: list[str] = []
        self.notes: list[str] = []
        self.skipped: list[Skipped] = []
        self.citations = Citations()
        self._summary_shown = False

    @property
    def data(self) -> pd.DataFrame:
        """The study's data, one row per respondent (or customer, or review)."""
        return self.study_data.data

    @property
    def name(self) -> str:
        """The ``dataset`` parameter as given."""
        return self.study_data.name

    @property
    def kind(self) -> str:
        """What the data are: ``"real"`` (a bundled public data set), ``"simulated"`` or ``"user"``."""
        return self.study_data.kind

    @property
    def source(self) -> str:
        """The data-source line printed under figures and tables."""
        return self.study_data.source

    @property
    def truth(self) -> dict | None:
        """The simulator's generating values (``None`` for real data)."""
        return self.study_data.truth

    @property
    def roles(self) -> dict[str, Any]:
        """What the data set's columns mean (the survey description's ``roles``)."""
        return self.survey.copy().roles

    def label(self, column: str) -> str:
        """The display name of a column in the report's language.

        Parameters
        ----------
        column : str
            A column of the data.

        Returns
        -------
        str
            Its label in the survey description (``label: {en: ..., zh: ...}``), else the column name.
        """
        return self.survey.label(column, language=self.language)

    def labels(self, columns) -> dict[str, str]:
        """Display names of several columns in the report's language.

        Parameters
        ----------
        columns : iterable of str
            Columns of the data.

        Returns
        -------
        dict
            ``{column: display name}``.
        """
        return self.survey.labels(columns, language=self.language)

    @property
    def is_simulated(self) -> bool:
        """True when the data come from the simulator (their generating values are known)."""
        return self.study_data.is_simulated

    def record(self, name: str, value: Any) -> None:
        """Record one named result (see :class:`~csat_analysis.report.Recorder`).

        Parameters
        ----------
        name : str
            Name of the result in ``results.json``.
        value : object
            A JSON-serialisable value (numbers, strings, lists, dicts, tidy tables).
        """
        self.recorder.record(name, value)

    def record_all(self, results: Mapping[str, Any]) -> None:
        """Record every item of ``results``.

        Parameters
        ----------
        results : mapping
            Result names to values, as :meth:`record` takes them.
        """
        for name, value in results.items():
            self.record(name, value)

    def cite(self, *keys: str) -> str:
        """The in-text citation of published sources, remembered for the References section.

        Parameters
        ----------
        *keys : str
            Keys of :data:`csat_analysis.references.REFERENCES`.

        Returns
        -------
        str
            The in-text citation, e.g. ``"Fornell et al. (1996)"``.
        """
        return self.citations.cite(*keys)

    def state(self, text: str, headline: str | None = None) -> None:
        """Display a finding as Markdown and keep it (its headline leads the summary).

        Parameters
        ----------
        text : str
            The finding, in Markdown; empty: nothing is shown.
        headline : str, optional
            The sentence the summary lists (default: the first sentence of ``text``;
            ``""``: none, for a recap of findings already listed).
        """
        if text:
            self.findings.append(text)
            headline = first_sentence(text) if headline is None else headline
            if headline:  # a closing recap states findings already in the summary: it has no headline
                self.headlines.append(headline)
            _display_markdown(text)
            self._refresh_summary()

    def skip(self, section: Skipped) -> None:
        """Show and record the note of a section that could not run.

        The note's output carries ``{"csat_analysis": {"skipped": title}}`` metadata, so a
        reader's report can fold the section away (the summary lists it instead).

        Parameters
        ----------
        section : Skipped
            The section that could not run.
        """
        # the recorded note is the same in every language (results.json does not depend on it)
        with use_language("en"):
            self.notes.append(section.note())
        self.skipped.append(section)
        _display_markdown(f"*{section.note()}*", metadata={"csat_analysis": {"skipped": section.title}})
        self.record("notes", self.notes)
        self._refresh_summary()

    def summary_markdown(self) -> str:
        """The summary box: key findings, the data note, and what did not run on these data.

        Returns
        -------
        str
            Markdown in the report's language.
        """
        lines = ["**" + _("Key findings") + "**", ""]
        placeholder = "- " + _("(none yet: the sections below add them)")
        lines += [f"- {headline}" for headline in self.headlines] or [placeholder]
        lines += ["", "*" + _("Data: {source}.").format(source=self.source) + "*"]
        if self.skipped:
            # sections skipped for the same reason share one line: "A, B and C, because ..."
            grouped: dict[tuple[str, str], list[str]] = {}
            for skipped in self.skipped:
                grouped.setdefault((skipped.reason, skipped.fix), []).append(skipped.title)
            # Translators: the separator between the sections listed as not run
            reasons = _("; ").join(
                (_("{title}, because {reason} ({fix})") if fix else _("{title}, because {reason}")).format(
                    title=_and(titles), reason=reason, fix=fix
                )
                for (reason, fix), titles in grouped.items()
            )
            lines += ["", "*" + _("Not run on these data: {reasons}.").format(reasons=reasons) + "*"]
        return "\n".join(lines)

    def show_summary(self) -> None:
        """Display the summary box here; every later finding or note updates it in place.

        Call it at the top of a report (after the set-up): readers see the findings
        first, though they are computed further down.
        """
        self._summary_shown = True
        _display_markdown(self.summary_markdown(), display_id=self._summary_id)

    def references_markdown(self) -> str:
        """The References section: every source the shown sections cited.

        Returns
        -------
        str
            Markdown with a heading; empty when nothing was cited.
        """
        return self.citations.markdown("## " + _("References"))

    def show_references(self) -> None:
        """Display the References section (call it in the last cell)."""
        text = self.references_markdown()
        if text:
            _display_markdown(text)

    @property
    def _summary_id(self) -> str:
        return f"csat-summary-{id(self)}"

    def _refresh_summary(self) -> None:
        if self._summary_shown:
            _display_markdown(self.summary_markdown(), display_id=self._summary_id, update=True)

    def show(self, section: Section) -> None:
        """Draw, display, record and state one section (a :class:`Skipped` one: its note).

        Parameters
        ----------
        section : Section
            The section to show; its references are added to the References section.
        """
        if isinstance(section, Skipped):
            self.skip(section)
            return
        self.citations.add(*section.references)
        drawn = section.plot()
        if drawn is not None:
            import matplotlib.pyplot as plt

            plt.show()
        for shown in section.tables():
            _display(shown)
        self.record_all(section.results())
        self.state(section.finding(), section.headline())


def _display(value) -> None:
    # Outside a kernel (a script, a doctest) tables are not printed: a study is read as a report.
    if in_kernel():
        from IPython.display import display

        display(value)


def _display_markdown(
    text: str, *, metadata: dict | None = None, display_id: str | None = None, update: bool = False
) -> None:
    if in_kernel():
        from IPython.display import Markdown, display

        display(Markdown(text), metadata=metadata, display_id=display_id, update=update)
    elif not update:
        print(text)


def _and(items: list[str]) -> str:
    items = [str(item) for item in items]  # a title may be a message that translates when shown
    if len(items) == 1:
        return items[0]
    # Translators: joins the last item of a list, e.g. "A, B and C"
    return _("{first} and {last}").format(first=_(", ").join(items[:-1]), last=items[-1])


def first_sentence(text: str) -> str:
    """The first sentence of a Markdown finding (up to the first full stop before a space).

    Parameters
    ----------
    text : str
        The finding; English or Chinese sentence ends are recognised, abbreviations such
        as "e.g." and "et al." are not taken for ends.

    Returns
    -------
    str
        The first sentence, or the whole text when it has a single one.

    Examples
    --------
    >>> first_sentence("NPS is 31.5 [28.0, 35.0]. Promoters lead in B.")
    'NPS is 31.5 [28.0, 35.0].'
    >>> first_sentence("Loyalty rises with satisfaction (e.g. at 7)")
    'Loyalty rises with satisfaction (e.g. at 7)'
    >>> first_sentence("净推荐值为 31.5。B 组推荐者居多。")
    '净推荐值为 31.5。'
    """
    text = " ".join(text.split())
    # a full stop ends a sentence unless it closes an abbreviation such as "e.g." or "et al."
    match = re.search(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bal)(?<!\bvs)[.!?](?=\s+[A-Z*(])|[。！？]", text)
    return text[: match.end()] if match else text
