"""What customers say: open-text comments in English and Chinese, offline and transparent.

Five steps turn comments into numbers a satisfaction study can use:

* **language and tokens**: :func:`detect_language` (share of CJK characters),
  :func:`tokenize` (scikit-learn's word pattern and English stop words; jieba for
  Chinese, with the dictionary shipped in the jieba package and optional user words);
* **topics**: :func:`fit_topics`, non-negative matrix factorisation of TF-IDF weights
  (Lee and Seung 1999), the number of topics given or chosen by UMass coherence
  (Mimno et al. 2011); :func:`topic_shares` by segment with Wilson intervals;
* **coding frames**: :func:`load_coding_frame` / :func:`apply_coding_frame`, a YAML
  dictionary of categories with keywords and patterns in both languages, with
  coverage, overlap and the uncoded comments;
* **sentiment**: :class:`SentimentModel`, TF-IDF and logistic regression trained on
  labelled comments (by default a bundled labelled corpus), its held-out AUC and its
  most positive and negative terms;
* **impact**: :func:`comment_drivers`, a logistic regression of low scores on the
  presence of topics or categories: odds ratios with intervals, the share of low
  scores mentioning each, and the share each accounts for (Miettinen's attributable
  fraction).

Examples
--------
>>> import pandas as pd
>>> comments = pd.Series(["Far too expensive for what it is", "物流很快，质量很好", "Great taste"])
>>> list(detect_language(comments))
['en', 'zh', 'en']
>>> tokenize("The price was too high!")
['price', 'too', 'high']
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .errors import ParameterError, SurveyDataError

__all__ = [
    "CJK_THRESHOLD",
    "CodingFrame",
    "CodingResult",
    "DEFAULT_CODING_FRAME",
    "LANGUAGES",
    "SentimentModel",
    "TopicModel",
    "apply_coding_frame",
    "cjk_share",
    "comment_drivers",
    "detect_language",
    "fit_sentiment",
    "fit_topics",
    "load_coding_frame",
    "roc_auc",
    "tokenize",
    "tokenize_all",
    "topic_shares",
    "umass_coherence",
]

#: languages the tokeniser knows: English and (simplified or traditional) Chinese
LANGUAGES = ("en", "zh")
#: a comment whose letters are at least this share CJK ideographs is Chinese
CJK_THRESHOLD = 0.3
#: the coding frame shipped with the package (churn causes and complaint categories)
DEFAULT_CODING_FRAME = Path(__file__).with_name("coding_frames") / "customer_comments.yaml"

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHARACTER = re.compile(f"[{_CJK}]")
_LETTER = re.compile(r"[^\W\d_]")
#: English words: two or more letters (digits and underscores are not words)
_ENGLISH_WORD = re.compile(r"(?u)\b[^\W\d_][^\W\d_']+\b")
_CHINESE_TOKEN = re.compile(f"[{_CJK}]|[A-Za-z]{{2,}}")
_HTML_TAG = re.compile(r"<[^>]+>")

#: function words dropped from Chinese topics (negations such as 不 and 没 are kept:
#: they carry sentiment)
CHINESE_STOP_WORDS = frozenset(
    "的 了 是 我 你 他 她 它 们 我们 你们 他们 这 那 这个 那个 这些 那些 就 也 都 还 又 在 和 与 及 或 而 但 但是 "
    "因为 所以 如果 虽然 就是 还是 可以 一个 一些 一下 有 有点 没有 很 非常 太 比较 还有 吧 吗 呢 啊 呀 哦 嘛 啦 "
    "着 过 把 被 给 让 对 从 向 到 为 为了 于 之 以 其 个 本 上 下 里 中 后 前 时 时候 什么 怎么 自己 已经 "
    "感觉 觉得 东西 真的 一样 一直 一本 一次 不过 而且 然后 只是 其实 可能 应该 知道 看 说 买 书".split()
)


def _english_stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    # negations and degree words carry the meaning of a complaint ("not fresh", "too salty")
    return frozenset(ENGLISH_STOP_WORDS - {"not", "no", "nor", "never", "too", "very", "cannot"})


def _clean(text: str) -> str:
    return _HTML_TAG.sub(" ", text)


# --- language ---------------------------------------------------------------------------------


def _as_texts(texts: Iterable[str] | pd.Series | str, name: str = "texts") -> pd.Series:
    if isinstance(texts, str):
        texts = [texts]
    series = pd.Series(texts) if not isinstance(texts, pd.Series) else texts
    bad = series.map(lambda value: not isinstance(value, str))
    if bad.any():
        from ._validation import describe_offenders

        raise SurveyDataError(
            f"{name}: comments must be text; non-text values {describe_offenders(series, bad)} "
            "(drop or fill empty comments first)"
        )
    return series


def cjk_share(texts) -> np.ndarray:
    """Share of CJK ideographs among the letters of each comment (0 for a comment without letters).

    Letters are Unicode word characters other than digits and underscores, ideographs included.

    Parameters
    ----------
    texts : str or sequence of str
        The comments (a single string counts as one comment).

    Returns
    -------
    ndarray
        One share in [0, 1] per comment.

    Examples
    --------
    >>> cjk_share(["质量好 good", "ok", "123"]).round(2).tolist()
    [0.43, 0.0, 0.0]
    """
    series = _as_texts(texts)
    cjk = series.str.count(_CJK_CHARACTER.pattern).to_numpy(dtype=float)
    letters = series.str.count(_LETTER.pattern).to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(letters > 0, cjk / np.maximum(letters, 1), 0.0)


def detect_language(texts, *, threshold: float = CJK_THRESHOLD) -> pd.Series:
    """The language of each comment: ``"zh"`` where CJK ideographs make up at least ``threshold`` of its letters.

    The rule is deliberately simple and inspectable: English and Chinese comments
    differ in their script, so the share of ideographs (:func:`cjk_share`) decides.
    Japanese kana and Korean hangul count as letters but not as ideographs.

    Parameters
    ----------
    texts : str or sequence of str
        The comments (a single string counts as one comment).
    threshold : float
        Share of ideographs among the letters, in (0, 1], from which a comment is Chinese.

    Returns
    -------
    Series
        ``"en"`` or ``"zh"`` per comment, named ``language``, with the index of ``texts``.

    Examples
    --------
    >>> detect_language(pd.Series(["好评", "Nice, 好"])).tolist()
    ['zh', 'en']
    """
    if not 0 < threshold <= 1:
        raise ParameterError(f"threshold={threshold!r}: give a share in (0, 1]")
    series = _as_texts(texts)
    return pd.Series(np.where(cjk_share(series) >= threshold, "zh", "en"), index=series.index, name="language")


# --- tokens -----------------------------------------------------------------------------------


@cache
def _jieba_tokenizer(user_words: tuple[str, ...] = ()):
    import jieba

    # jieba announces its dictionary loading on its logger; a report shows none of it
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()  # the dictionary shipped inside the jieba package
    tokenizer.initialize()
    for word in user_words:
        tokenizer.add_word(word)
    return tokenizer


def _check_language(language: str, *, allow_auto: bool = True) -> str:
    from ._validation import check_choice

    return check_choice("language", language, [*LANGUAGES, "auto"] if allow_auto else LANGUAGES)


def tokenize(
    text: str, language: str = "auto", *, stop_words: bool = True, user_words: Sequence[str] = ()
) -> list[str]:
    """Split one comment into lower-case word tokens.

    Parameters
    ----------
    text : str
        The comment.
    language : {"auto", "en", "zh"}
        ``"auto"``: :func:`detect_language`.
    stop_words : bool
        Drop function words (scikit-learn's English list; a short Chinese list).
        Negations and degree words ("not", "too", 不, 没) are always kept.
    user_words : sequence of str
        Words jieba must keep whole (product names, Chinese compounds).

    Returns
    -------
    list of str
        The tokens, in the order they occur.

    Examples
    --------
    >>> tokenize("Not fresh, too SALTY")
    ['not', 'fresh', 'too', 'salty']
    >>> tokenize("质量很好，但是价格太贵了")
    ['质量', '好', '价格', '太贵']
    """
    language = _check_language(language)
    if language == "auto":
        language = detect_language([text]).iloc[0]
    text = _clean(text)
    if language == "en":
        tokens = [token.lower() for token in _ENGLISH_WORD.findall(text)]
        drop = _english_stop_words() if stop_words else frozenset()
    else:
        tokenizer = _jieba_tokenizer(tuple(user_words))
        tokens = [token.lower() for token in tokenizer.lcut(text) if _CHINESE_TOKEN.search(token)]
        drop = (CHINESE_STOP_WORDS | _english_stop_words()) if stop_words else frozenset()
    return [token for token in tokens if token not in drop]


def tokenize_all(
    texts, language: str = "auto", *, stop_words: bool = True, user_words: Sequence[str] = ()
) -> list[list[str]]:
    """Tokens of every comment (each in its own detected language when ``language="auto"``).

    Parameters
    ----------
    texts : str or sequence of str
        The comments.
    language : {"auto", "en", "zh"}
        ``"auto"``: each comment's language by :func:`detect_language`.
    stop_words : bool
        Drop function words, as in :func:`tokenize`.
    user_words : sequence of str
        Words jieba must keep whole (product names, Chinese compounds).

    Returns
    -------
    list of list of str
        One token list per comment, as :func:`tokenize` splits it.

    Examples
    --------
    >>> tokenize_all(["Too sweet", "太甜了"])
    [['too', 'sweet'], ['太甜']]
    """
    series = _as_texts(texts)
    language = _check_language(language)
    languages = detect_language(series) if language == "auto" else pd.Series(language, index=series.index)
    # review corpora and survey exports repeat comments ("Good", "好评"): each distinct one is tokenised once
    done: dict[tuple[str, str], list[str]] = {}
    tokens = []
    for text, lang in zip(series, languages):
        key = (text, lang)
        if key not in done:
            done[key] = tokenize(text, lang, stop_words=stop_words, user_words=user_words)
        tokens.append(list(done[key]))
    return tokens


def _identity(tokens):
    return tokens


def _with_bigrams(tokens: list[str]) -> list[str]:
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:])]


def _sentiment_terms(text: str, tokens: list[str]) -> list[str]:
    # Word segmentation misses some Chinese compounds; runs of one to three ideographs
    # catch them (they are empty for English comments).
    characters = "".join(_CJK_CHARACTER.findall(text))
    runs = [characters[i : i + size] for size in (1, 2, 3) for i in range(len(characters) - size + 1)]
    return _with_bigrams(tokens) + [f"#{run}" for run in runs]


#: dropped from topics only: negations, degree and generic evaluation words carry sentiment, not subject
_TOPIC_STOP_WORDS = frozenset(
    {
        "not",
        "no",
        "nor",
        "never",
        "too",
        "very",
        "cannot",
        "don",
        "didn",
        "doesn",
        "isn",
        "wasn",
        "ve",
        "ll",
        "re",
        "br",
        "like",
        "just",
        "good",
        "great",
        "really",
        "love",
        "best",
        "better",
        "product",
        "products",
        "amazon",
        "buy",
        "bought",
        "little",
        "bit",
        "make",
        "try",
        "tried",
        "use",
        "used",
        "definitely",
        "recommend",
        "不",
        "没",
        "没有",
        "很",
        "更",
        "最",
        "好",
        "不错",
        "还",
        "年",
        "月",
        "日",
    }
)


def _tfidf(*, min_df: int | float = 2, max_features: int | None = None, max_df: float = 1.0):
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer=_identity, min_df=min_df, max_df=max_df, max_features=max_features, sublinear_tf=True
    )


# --- topics -----------------------------------------------------------------------------------


def umass_coherence(top_terms: Sequence[Sequence[int]], presence) -> np.ndarray:
    """UMass coherence of each topic (Mimno et al. 2011): mean log((D(w_i, w_j) + 1) / D(w_j)) over term pairs.

    Parameters
    ----------
    top_terms : sequence of sequences of int
        Column indices of each topic's top terms, most important first.
    presence : sparse or dense matrix
        Documents x terms; non-zero where the term occurs.

    Returns
    -------
    ndarray
        One coherence per topic, higher for more coherent topics (NaN for a topic
        without a pair of terms to score).

    Examples
    --------
    >>> import numpy as np
    >>> presence = np.array([[1, 1, 0], [1, 1, 0], [1, 0, 1]])
    >>> umass_coherence([[0, 1], [0, 2]], presence).round(3).tolist()
    [0.0, -0.405]
    """
    import scipy.sparse as sp

    binary = sp.csc_matrix(presence, dtype=float)
    binary.data[:] = 1.0
    scores = []
    for terms in top_terms:
        columns = binary[:, list(terms)]
        together = (columns.T @ columns).toarray()
        counts = np.diag(together)
        pairs = [
            np.log((together[i, j] + 1) / counts[j]) for i in range(1, len(terms)) for j in range(i) if counts[j] > 0
        ]
        scores.append(float(np.mean(pairs)) if pairs else float("nan"))
    return np.asarray(scores)


@dataclass
class TopicModel:
    """Topics fitted by :func:`fit_topics`.

    Attributes
    ----------
    n_topics : int
        Number of topics.
    labels : list of str
        Each topic named by its top three terms.
    terms : DataFrame
        ``topic``, ``rank``, ``term``, ``weight``: the top terms of every topic.
    weights : ndarray
        Comments x topics, each row summing to 1 (0 for a comment with no known term).
    dominant : Series
        Each comment's strongest topic label, ``"(no topic)"`` for comments without known terms.
    coherence : ndarray
        UMass coherence of each topic.
    selection : DataFrame or None
        ``n_topics`` and ``coherence`` of every candidate when the number was chosen.
    threshold : float
        Default share of a comment's weight from which a topic counts as present
        (:meth:`presence`).
    NO_TOPIC : str
        The dominant-topic label of a comment without any term of the vocabulary.
    """

    n_topics: int
    labels: list[str]
    terms: pd.DataFrame = field(repr=False)
    weights: np.ndarray = field(repr=False)
    dominant: pd.Series = field(repr=False)
    coherence: np.ndarray = field(repr=False)
    selection: pd.DataFrame | None = field(default=None, repr=False)
    threshold: float = 0.25

    #: the dominant-topic label of a comment that has no term in the vocabulary
    NO_TOPIC: str = "(no topic)"

    def presence(self, threshold: float | None = None) -> pd.DataFrame:
        """Comments x topics, true where a topic has at least ``threshold`` of the comment's weight.

        Parameters
        ----------
        threshold : float, optional
            Share of the comment's weight; ``None``: the model's :attr:`threshold`.

        Returns
        -------
        DataFrame of bool
            One row per comment (index of the comments), one column per topic label.
        """
        cut = self.threshold if threshold is None else threshold
        return pd.DataFrame(self.weights >= cut, columns=self.labels, index=self.dominant.index)

    def shares(self) -> pd.DataFrame:
        """Share of comments whose dominant topic each is, with Wilson 95% intervals.

        Returns
        -------
        DataFrame
            ``topic``, ``n``, ``share``, ``low``, ``high``; one row per topic and one for
            comments without a topic (:attr:`NO_TOPIC`).
        """
        return topic_shares(self.dominant, labels=[*self.labels, self.NO_TOPIC])

    def examples(self, texts, n: int = 3, width: int = 160) -> pd.DataFrame:
        """The ``n`` comments most typical of each topic (highest topic weight).

        Parameters
        ----------
        texts : sequence of str
            The comments the model was fitted on, in the same order.
        n : int
            Comments per topic.
        width : int
            Longer comments are shortened to this many characters.

        Returns
        -------
        DataFrame
            ``topic``, ``weight`` (the topic's share of the comment's weight), ``comment``.
        """
        series = _as_texts(texts)
        rows = []
        for k, label in enumerate(self.labels):
            order = np.argsort(-self.weights[:, k], kind="stable")[:n]
            for position in order:
                if self.weights[position, k] <= 0:
                    continue
                text = " ".join(series.iloc[position].split())
                shortened = text if len(text) <= width else text[: width - 1] + "…"
                rows.append({"topic": label, "weight": float(self.weights[position, k]), "comment": shortened})
        return pd.DataFrame(rows, columns=["topic", "weight", "comment"])

    def summary(self) -> str:
        """Plain-text summary: the number of topics and each topic's label with its UMass coherence.

        Returns
        -------
        str
            One line per topic under a heading line.
        """
        lines = [f"Topic model: {self.n_topics} topics (NMF on TF-IDF)"]
        for label, score in zip(self.labels, self.coherence):
            lines.append(f"  {label}  (UMass coherence {score:.2f})")
        return "\n".join(lines)


def _nmf(matrix, k: int, seed: int):
    from sklearn.decomposition import NMF

    model = NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=400, tol=1e-4)
    return model, model.fit_transform(matrix)


def fit_topics(
    texts,
    n_topics: int | None = None,
    *,
    language: str = "auto",
    seed: int = 0,
    candidates: Sequence[int] = range(3, 11),
    top_n: int = 10,
    min_df: int = 5,
    max_features: int = 5000,
    user_words: Sequence[str] = (),
    tokens: list[list[str]] | None = None,
    threshold: float = 0.25,
) -> TopicModel:
    """Topics of comments: NMF on TF-IDF weights, with a given or chosen number of topics.

    Parameters
    ----------
    texts : sequence of str
        The comments.
    n_topics : int, optional
        ``None``: the candidate with the highest mean UMass coherence of its topics'
        top ``top_n`` terms (:func:`umass_coherence`).
    language : {"auto", "en", "zh"}
        Language of the comments; ``"auto"``: detected per comment.
    seed : int
        Random state of NMF (its ``nndsvda`` start is deterministic; the seed keeps it so).
    candidates : sequence of int
        Numbers of topics tried when ``n_topics`` is ``None``.
    top_n : int
        Top terms kept per topic (in :attr:`TopicModel.terms` and for coherence).
    min_df, max_features : int
        Vocabulary: terms in at least ``min_df`` comments, the ``max_features`` most frequent.
    user_words : sequence of str
        Words jieba must keep whole (product names, Chinese compounds).
    tokens : list of token lists, optional
        Tokens already computed by :func:`tokenize_all` (skips tokenising again).
    threshold : float
        A topic is *present* in a comment holding at least this share of its weight.

    Returns
    -------
    TopicModel
        The topics, their top terms, each comment's topic weights and dominant topic.

    Examples
    --------
    >>> texts = ["price too high", "high price again", "expensive price"] * 4 + \\
    ...         ["rude staff", "staff were rude", "unhelpful staff"] * 4
    >>> model = fit_topics(texts, 2, min_df=2)
    >>> sorted(label.split(" / ")[0] for label in model.labels)
    ['price', 'staff']
    """
    series = _as_texts(texts)
    if tokens is None:
        tokens = tokenize_all(series, language, user_words=user_words)
    if len(tokens) != len(series):
        raise ParameterError(f"tokens: {len(tokens)} token lists for {len(series)} comments")
    tokens = [[token for token in row if token not in _TOPIC_STOP_WORDS] for row in tokens]
    vectorizer = _tfidf(min_df=min(min_df, max(1, len(series) // 2)), max_features=max_features, max_df=0.5)
    try:
        matrix = vectorizer.fit_transform(tokens)
    except ValueError as error:
        raise SurveyDataError(f"texts: too few words to find topics ({error})") from error
    vocabulary = np.asarray(vectorizer.get_feature_names_out())
    selection = None
    if n_topics is None:
        tried = [k for k in candidates if 2 <= k < min(matrix.shape)]
        if not tried:
            raise ParameterError(
                f"candidates={list(candidates)}: none fits {matrix.shape[0]} comments and {matrix.shape[1]} terms"
            )
        scores = []
        for k in tried:
            model, _ = _nmf(matrix, k, seed)
            top = np.argsort(-model.components_, axis=1, kind="stable")[:, :top_n]
            scores.append(float(np.nanmean(umass_coherence(top, matrix))))
        selection = pd.DataFrame({"n_topics": tried, "coherence": scores})
        n_topics = int(selection.n_topics[selection.coherence.idxmax()])
    if not isinstance(n_topics, (int, np.integer)) or n_topics < 1 or n_topics >= min(matrix.shape):
        raise ParameterError(f"n_topics={n_topics!r}: give a whole number from 1 to {min(matrix.shape) - 1}")
    model, document_weights = _nmf(matrix, int(n_topics), seed)
    top = np.argsort(-model.components_, axis=1, kind="stable")[:, :top_n]
    labels = _unique_labels([" / ".join(vocabulary[row[:3]]) for row in top])
    terms = pd.DataFrame(
        [
            {"topic": labels[k], "rank": rank + 1, "term": vocabulary[j], "weight": float(model.components_[k, j])}
            for k, row in enumerate(top)
            for rank, j in enumerate(row)
        ]
    )
    totals = document_weights.sum(axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        weights = np.where(totals > 0, document_weights / np.where(totals > 0, totals, 1), 0.0)
    dominant = pd.Series(
        np.where(totals[:, 0] > 0, np.asarray(labels, dtype=object)[weights.argmax(axis=1)], TopicModel.NO_TOPIC),
        index=series.index,
        name="topic",
    )
    return TopicModel(
        int(n_topics), labels, terms, weights, dominant, umass_coherence(top, matrix), selection, threshold
    )


def _unique_labels(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return unique


def topic_shares(
    topics: pd.Series, by: pd.Series | None = None, *, labels: Sequence[str] | None = None, ci: float = 0.95
) -> pd.DataFrame:
    """Share of comments in each topic (or category), overall or by segment, with Wilson intervals.

    Parameters
    ----------
    topics : Series
        One label per comment (e.g. :attr:`TopicModel.dominant`).
    by : Series, optional
        Segment of each comment.
    labels : sequence of str, optional
        Topics to report, in order (default: those present, by frequency).
    ci : float
        Confidence level of the intervals.

    Returns
    -------
    DataFrame
        ``segment`` (with ``by``), ``topic``, ``n`` (comments in the topic), ``share``,
        ``low``, ``high``.

    Examples
    --------
    >>> topics = pd.Series(["price"] * 3 + ["staff"])
    >>> topic_shares(topics).round(3).to_dict("list")["share"]
    [0.75, 0.25]
    """
    from .metrics import wilson_interval

    labels = list(labels) if labels is not None else list(topics.value_counts().index)
    groups = (
        [("all", topics)]
        if by is None
        else [
            (level, topics[by == level])
            for level in (by.cat.categories if hasattr(by, "cat") else sorted(by.dropna().unique()))
        ]
    )
    rows = []
    for level, values in groups:
        total = len(values)
        counts = values.value_counts()
        for label in labels:
            count = int(counts.get(label, 0))
            share = count / total if total else float("nan")
            low, high = wilson_interval(share, total, ci) if total else (float("nan"), float("nan"))
            rows.append({"segment": level, "topic": label, "n": count, "share": share, "low": low, "high": high})
    table = pd.DataFrame(rows, columns=["segment", "topic", "n", "share", "low", "high"])
    return table.drop(columns="segment") if by is None else table


# --- coding frames ----------------------------------------------------------------------------


@dataclass
class CodingFrame:
    """Categories with keywords and regular-expression patterns per language.

    Attributes
    ----------
    name : str
        Name of the coding frame.
    categories : dict
        ``{category: {"label": {language: text}, "keywords": {language: [...]},
        "patterns": {language: [...]}}}``.
    source : str
        Where the categories come from.
    """

    name: str
    categories: dict[str, dict[str, Any]]
    source: str = ""

    def label(self, category: str, language: str = "en") -> str:
        """The display label of a category in a language.

        Parameters
        ----------
        category : str
            Key of the category in :attr:`categories`.
        language : str
            Language of the label; English, then the key itself, where the frame has none.

        Returns
        -------
        str
            The label.
        """
        label = self.categories[category].get("label", category)
        if isinstance(label, Mapping):
            return str(label.get(language) or label.get("en") or category)
        return str(label)

    def regex(self, category: str) -> str:
        """One regular expression matching any keyword or pattern of ``category`` in any language.

        English keywords match whole words at their start (``refund`` matches
        "refunded"); Chinese keywords match anywhere (Chinese has no spaces).

        Parameters
        ----------
        category : str
            Key of the category in :attr:`categories`.

        Returns
        -------
        str
            The pattern, to match against lower-cased comments.
        """
        entry = self.categories[category]
        parts = []
        for words in (entry.get("keywords") or {}).values():
            for word in words:
                escaped = re.escape(str(word).lower())
                parts.append(escaped if _CJK_CHARACTER.search(str(word)) else rf"\b{escaped}")
        for patterns in (entry.get("patterns") or {}).values():
            parts.extend(f"(?:{pattern})" for pattern in patterns)
        return "|".join(parts)


def load_coding_frame(frame: str | Path | Mapping | CodingFrame | None = None) -> CodingFrame:
    """Read a coding frame from YAML (``None``: the bundled frame of churn causes and complaint categories).

    Parameters
    ----------
    frame : str, Path, mapping, CodingFrame or None
        Path of a YAML file, its content as a mapping (``name``, ``source``,
        ``categories``), a frame already loaded (returned as is), or ``None`` for
        :data:`DEFAULT_CODING_FRAME`.

    Returns
    -------
    CodingFrame
        The categories with their labels, keywords and patterns.

    Raises
    ------
    ParameterError
        A file that does not exist, or a category without keywords or patterns, or an invalid pattern.

    Examples
    --------
    >>> frame = load_coding_frame()
    >>> {"price", "product_quality", "service", "indifference"} <= set(frame.categories)
    True
    >>> load_coding_frame({"name": "x", "categories": {"late": {"keywords": {"en": ["late"]}}}}).regex("late")
    '\\\\blate'
    """
    if isinstance(frame, CodingFrame):
        return frame
    if frame is None:
        frame = DEFAULT_CODING_FRAME
    if not isinstance(frame, Mapping):
        import yaml

        path = Path(frame)
        if not path.is_file():
            raise ParameterError(
                f"coding_frame={str(frame)!r}: no such file (give a YAML coding frame or None for the bundled one)"
            )
        frame = yaml.safe_load(path.read_text(encoding="utf-8"))
    categories = dict(frame.get("categories") or {})
    if not categories:
        raise ParameterError("coding frame: no categories (give `categories: {name: {keywords: {en: [...]}}}`)")
    result = CodingFrame(str(frame.get("name", "coding frame")), categories, str(frame.get("source", "")))
    for category, entry in categories.items():
        if not isinstance(entry, Mapping) or not (entry.get("keywords") or entry.get("patterns")):
            raise ParameterError(f"coding frame category {category!r}: give keywords or patterns per language")
        try:
            re.compile(result.regex(category))
        except re.error as error:
            raise ParameterError(f"coding frame category {category!r}: invalid pattern ({error})") from error
    return result


@dataclass
class CodingResult:
    """A coding frame applied to comments (:func:`apply_coding_frame`).

    Attributes
    ----------
    codes : DataFrame
        Comments x categories, true where the comment mentions the category.
    frame : CodingFrame
        The coding frame applied.
    texts : Series
        The coded comments.
    """

    codes: pd.DataFrame = field(repr=False)
    frame: CodingFrame = field(repr=False)
    texts: pd.Series = field(repr=False)

    @property
    def coded(self) -> pd.Series:
        """True for comments with at least one category."""
        return self.codes.any(axis=1)

    @property
    def coverage_share(self) -> float:
        """Share of comments with at least one category."""
        return float(self.coded.mean()) if len(self.codes) else float("nan")

    def coverage(self, language: str = "en", ci: float = 0.95) -> pd.DataFrame:
        """How often each category is mentioned, with Wilson intervals.

        Parameters
        ----------
        language : str
            Language of the category labels.
        ci : float
            Confidence level of the intervals.

        Returns
        -------
        DataFrame
            ``category``, ``label``, ``n`` (comments mentioning it), ``share``, ``low``, ``high``.
        """
        from .metrics import wilson_interval

        total = len(self.codes)
        counts = self.codes.sum()
        share = counts / total
        low, high = wilson_interval(share.to_numpy(), total, ci)
        return pd.DataFrame(
            {
                "category": self.codes.columns,
                "label": [self.frame.label(c, language) for c in self.codes.columns],
                "n": counts.to_numpy().astype(int),
                "share": share.to_numpy(),
                "low": low,
                "high": high,
            }
        )

    def overlap(self) -> pd.DataFrame:
        """Categories x categories: comments coded with both (the diagonal: with each).

        Returns
        -------
        DataFrame
            Counts of comments, one row and one column per category.
        """
        matrix = self.codes.astype(int)
        return matrix.T @ matrix

    def uncoded(self, n: int = 10) -> pd.Series:
        """The first ``n`` comments no category matches, for review (they suggest missing keywords).

        Parameters
        ----------
        n : int
            Number of comments shown.

        Returns
        -------
        Series
            The uncoded comments, with their original index.
        """
        return self.texts[~self.coded].head(n)


def apply_coding_frame(texts, frame: str | Path | Mapping | CodingFrame | None = None) -> CodingResult:
    """Code every comment with the categories of a coding frame.

    A comment is coded with a category when any keyword or pattern of the category,
    in any language of the frame, occurs in it (case-insensitive). Negation is not
    handled: "not expensive" mentions price.

    Parameters
    ----------
    texts : str or sequence of str
        The comments.
    frame : str, Path, mapping, CodingFrame or None
        The coding frame, as :func:`load_coding_frame` takes it (``None``: the bundled one).

    Returns
    -------
    CodingResult
        Comments x categories flags, with coverage, overlap and the uncoded comments.

    Examples
    --------
    >>> result = apply_coding_frame(["Way too expensive", "客服态度很差", "Lovely"])
    >>> result.codes[["price", "service"]].to_numpy().tolist()
    [[True, False], [False, True], [False, False]]
    >>> result.coverage_share
    0.6666666666666666
    """
    series = _as_texts(texts)
    coding_frame = load_coding_frame(frame)
    lowered = series.map(_clean).str.lower()
    codes = pd.DataFrame(
        {
            category: lowered.str.contains(coding_frame.regex(category), regex=True)
            for category in coding_frame.categories
        },
        index=series.index,
    )
    return CodingResult(codes, coding_frame, series)


# --- sentiment --------------------------------------------------------------------------------


def roc_auc(scores, positive) -> float:
    """Area under the ROC curve: the probability that a positive comment outscores a negative one (ties count half).

    Parameters
    ----------
    scores : sequence of float
        Score of each comment (higher: more likely positive).
    positive : sequence of bool
        True for the positive comments.

    Returns
    -------
    float
        The AUC, from 0 to 1 (0.5: no better than chance).

    Examples
    --------
    >>> roc_auc([0.9, 0.4, 0.4, 0.1], [True, True, False, False])
    0.875
    """
    from scipy.stats import rankdata

    scores = np.asarray(scores, dtype=float)
    positive = np.asarray(positive, dtype=bool)
    n_positive, n_negative = positive.sum(), (~positive).sum()
    if n_positive == 0 or n_negative == 0:
        raise SurveyDataError("labels: need both positive and negative comments for an AUC")
    ranks = rankdata(scores)
    return float((ranks[positive].sum() - n_positive * (n_positive + 1) / 2) / (n_positive * n_negative))


@dataclass
class SentimentModel:
    """TF-IDF and L2-penalised logistic regression: the probability a comment is positive.

    The terms are words, pairs of adjacent words and, in Chinese comments, runs of one to
    three characters (they catch compounds the word segmentation splits); :meth:`terms`
    lists words and word pairs only.

    Attributes
    ----------
    language : str
        The language the model was trained on (``"auto"``: mixed).
    n_train : int
        Number of comments the model was trained on.
    vectorizer, classifier : object
        The fitted scikit-learn objects.
    user_words : tuple of str
        Words jieba keeps whole when the model tokenises comments.
    """

    language: str
    n_train: int
    vectorizer: Any = field(repr=False)
    classifier: Any = field(repr=False)
    user_words: tuple[str, ...] = ()

    def _features(self, texts, tokens=None):
        series = _as_texts(texts)
        if tokens is None:
            tokens = tokenize_all(series, self.language, stop_words=False, user_words=self.user_words)
        return self.vectorizer.transform([_sentiment_terms(text, t) for text, t in zip(series, tokens)])

    def predict_proba(self, texts, *, tokens: list[list[str]] | None = None) -> np.ndarray:
        """Probability that each comment is positive.

        Parameters
        ----------
        texts : str or sequence of str
            The comments.
        tokens : list of token lists, optional
            Tokens from :func:`tokenize_all` with ``stop_words=False`` (skips tokenising again).

        Returns
        -------
        ndarray
            One probability per comment.
        """
        return self.classifier.predict_proba(self._features(texts, tokens))[:, 1]

    def auc(self, texts, positive, *, tokens: list[list[str]] | None = None) -> float:
        """AUC of the model on labelled comments.

        Parameters
        ----------
        texts : str or sequence of str
            The comments.
        positive : sequence of bool
            True for the positive comments.
        tokens : list of token lists, optional
            Tokens from :func:`tokenize_all` with ``stop_words=False`` (skips tokenising again).

        Returns
        -------
        float
            The area under the ROC curve (:func:`roc_auc`).
        """
        return roc_auc(self.predict_proba(texts, tokens=tokens), positive)

    def terms(self, n: int = 10) -> pd.DataFrame:
        """The ``n`` most positive and ``n`` most negative words or word pairs.

        Parameters
        ----------
        n : int
            Terms in each direction.

        Returns
        -------
        DataFrame
            ``term``, ``coef`` (log-odds per TF-IDF unit), ``direction`` (``"positive"``
            or ``"negative"``).
        """
        words = np.array([not term.startswith("#") for term in self.vectorizer.get_feature_names_out()])
        coefficients = np.where(words, self.classifier.coef_[0], 0.0)
        vocabulary = self.vectorizer.get_feature_names_out()
        order = np.argsort(coefficients, kind="stable")
        rows = [
            {"term": vocabulary[j], "coef": float(coefficients[j]), "direction": "positive"} for j in order[::-1][:n]
        ]
        rows += [{"term": vocabulary[j], "coef": float(coefficients[j]), "direction": "negative"} for j in order[:n]]
        return pd.DataFrame(rows, columns=["term", "coef", "direction"])


def fit_sentiment(
    texts,
    positive,
    *,
    language: str = "auto",
    C: float = 4.0,
    min_df: int = 2,
    seed: int = 0,
    user_words: Sequence[str] = (),
    tokens: list[list[str]] | None = None,
) -> SentimentModel:
    """Train a sentiment model on labelled comments (refit it on your own labelled comments the same way).

    Parameters
    ----------
    texts : sequence of str
        The labelled comments.
    positive : sequence of bool
        True for positive comments.
    language : {"auto", "en", "zh"}
        Language of the comments; ``"auto"``: detected per comment.
    C : float
        Inverse strength of the L2 penalty.
    min_df : int
        Terms in fewer comments are left out of the vocabulary.
    seed : int
        Random state of the logistic regression solver.
    user_words : sequence of str
        Words jieba must keep whole (product names, Chinese compounds).
    tokens : list of token lists, optional
        Tokens from :func:`tokenize_all` with ``stop_words=False``.

    Returns
    -------
    SentimentModel
        The fitted model.

    Examples
    --------
    >>> texts = ["great taste", "love it", "great value", "awful taste", "hate it", "awful value"] * 3
    >>> model = fit_sentiment(texts, [True, True, True, False, False, False] * 3)
    >>> model.predict_proba(["great", "awful"]).round(2).tolist() == sorted(model.predict_proba(["great", "awful"]).round(2).tolist(), reverse=True)
    True
    """
    from sklearn.linear_model import LogisticRegression

    series = _as_texts(texts)
    labels = np.asarray(positive)
    if labels.dtype != bool:
        raise SurveyDataError(f"positive: give true/false labels, got values of type {labels.dtype}")
    if len(labels) != len(series):
        raise ParameterError(f"positive: {len(labels)} labels for {len(series)} comments")
    if labels.all() or not labels.any():
        raise SurveyDataError("positive: the labels need both positive and negative comments")
    language = _check_language(language)
    if tokens is None:
        tokens = tokenize_all(series, language, stop_words=False, user_words=user_words)
    vectorizer = _tfidf(min_df=min_df)
    matrix = vectorizer.fit_transform([_sentiment_terms(text, t) for text, t in zip(series, tokens)])
    classifier = LogisticRegression(C=C, max_iter=2000, solver="liblinear", random_state=seed)
    classifier.fit(matrix, labels)
    return SentimentModel(language, len(series), vectorizer, classifier, tuple(user_words))


# --- impact -----------------------------------------------------------------------------------


def _independent(flags: pd.DataFrame, columns: list, counts: pd.Series) -> list:
    """The columns that, with an intercept, are linearly independent (rarest first kept).

    When every comment has exactly one topic the indicators add up to the intercept;
    the most frequent one then drops out and serves as the reference.
    """
    kept: list = []
    design = np.ones((len(flags), 1))
    for column in sorted(columns, key=lambda c: (counts[c], columns.index(c))):
        candidate = np.column_stack([design, flags[column].to_numpy(dtype=float)])
        if np.linalg.matrix_rank(candidate) == candidate.shape[1]:
            kept.append(column)
            design = candidate
    return [c for c in columns if c in kept]


def comment_drivers(
    presence: pd.DataFrame, low: pd.Series | np.ndarray, *, ci: float = 0.95, min_count: int = 5
) -> pd.DataFrame:
    """Which topics or categories drive low scores: a logistic regression of low scores on their presence.

    The model is ``logit P(low) = b0 + sum_k b_k x_k`` with ``x_k`` the 0/1 presence of
    topic or category ``k``, fitted by maximum likelihood (statsmodels). Each row reports
    the adjusted odds ratio ``exp(b_k)`` with its Wald interval, the share of low scores
    whose comment mentions ``k``, and the share of low scores ``k`` accounts for:
    Miettinen's attributable fraction ``share_of_low * (OR - 1) / OR`` (0 where OR < 1).

    Parameters
    ----------
    presence : DataFrame of bool
        Comments x topics (or categories).
    low : Series or array of bool
        True for a low score (a detractor, a negative review).
    ci : float
        Confidence level of the odds ratio intervals.
    min_count : int
        Terms present in fewer comments, or never (or always) with a low score, are
        left out of the model (their odds ratio is not estimable) and reported with
        missing estimates; so is a term that is a linear combination of the others
        and the intercept (when every comment has exactly one topic, the most frequent
        topic is left out and the others' odds ratios are relative to it).

    Returns
    -------
    DataFrame
        ``term``, ``n`` (comments mentioning it), ``share_of_low``, ``coef``, ``odds_ratio``,
        ``low``, ``high``, ``p_value``, ``attributable``; sorted by odds ratio.

    Examples
    --------
    >>> presence = pd.DataFrame({"price": [1, 1, 1, 1, 0, 0, 0, 0] * 5}).astype(bool)
    >>> low = pd.Series([1, 1, 1, 0, 1, 0, 0, 0] * 5, dtype=bool)
    >>> table = comment_drivers(presence, low)
    >>> round(float(table.set_index("term").loc["price", "odds_ratio"]), 2)
    9.0
    """
    import statsmodels.api as sm

    from ._validation import critical_z

    flags = presence.astype(bool)
    outcome = np.asarray(low)
    if outcome.dtype != bool:
        raise SurveyDataError(f"low: give true/false flags of low scores, got values of type {outcome.dtype}")
    if len(outcome) != len(flags):
        raise ParameterError(f"low: {len(outcome)} flags for {len(flags)} comments")
    if outcome.all() or not outcome.any():
        raise SurveyDataError("low: need both low and other scores to find what drives low scores")
    counts = flags.sum()
    with_low = flags[outcome].sum()
    estimable = [
        c for c in flags.columns if counts[c] >= min_count and 0 < with_low[c] < counts[c] and counts[c] < len(flags)
    ]
    table = pd.DataFrame(
        {
            "term": flags.columns,
            "n": counts.to_numpy().astype(int),
            "share_of_low": (with_low / outcome.sum()).to_numpy(),
        }
    )
    for column in ("coef", "odds_ratio", "low", "high", "p_value", "attributable"):
        table[column] = np.nan
    estimable = _independent(flags, estimable, counts)
    if estimable:
        design = sm.add_constant(flags[estimable].astype(float).to_numpy(), has_constant="add")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # non-convergence is reported below, in the project's words
            fit = sm.Logit(outcome.astype(float), design).fit(disp=0, maxiter=200)
        if not fit.mle_retvals.get("converged", True) or not np.isfinite(fit.bse).all():
            from .errors import ConvergenceWarning

            warnings.warn(
                f"comment_drivers: the logistic regression did not converge (terms "
                f"{', '.join(map(str, estimable))}); some terms (nearly) separate low from other scores, "
                "so their odds ratios and intervals are unreliable",
                ConvergenceWarning,
                stacklevel=2,
            )
        z = critical_z(ci)
        coef, se = fit.params[1:], fit.bse[1:]
        rows = table.term.isin(estimable).to_numpy()
        order = [estimable.index(t) for t in table.term[rows]]
        table.loc[rows, "coef"] = coef[order]
        table.loc[rows, "odds_ratio"] = np.exp(coef[order])
        table.loc[rows, "low"] = np.exp(coef[order] - z * se[order])
        table.loc[rows, "high"] = np.exp(coef[order] + z * se[order])
        table.loc[rows, "p_value"] = fit.pvalues[1:][order]
        ratio = table.loc[rows, "odds_ratio"]
        table.loc[rows, "attributable"] = table.loc[rows, "share_of_low"] * np.clip((ratio - 1) / ratio, 0, None)
    return table.sort_values("odds_ratio", ascending=False, na_position="last", kind="stable").reset_index(drop=True)
