"""csat_analysis.text: tokens, language rule, coding frames, topics, sentiment, impact.

Oracles: hand-worked counts and odds ratios (Woolf's 2x2 formula), statsmodels' formula
logit and Wilson interval, scikit-learn's roc_auc_score, used only here.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from csat_analysis import datasets
from csat_analysis import text as tx
from csat_analysis.errors import ParameterError, SurveyDataError

# --- language and tokens ------------------------------------------------------------------------


def test_language_rule_is_the_share_of_cjk_ideographs():
    comments = pd.Series(["质量很好", "good 好", "好好 ok", "", "12345"], index=[10, 11, 12, 13, 14])
    # letters: 4/4 CJK; 1 of 5; 2 of 4; none; none
    np.testing.assert_allclose(tx.cjk_share(comments), [1.0, 0.2, 0.5, 0.0, 0.0])
    languages = tx.detect_language(comments)
    assert languages.tolist() == ["zh", "en", "zh", "en", "en"]
    assert list(languages.index) == [10, 11, 12, 13, 14]
    assert tx.detect_language(comments, threshold=0.6).tolist() == ["zh", "en", "en", "en", "en"]
    with pytest.raises(ParameterError, match="threshold"):
        tx.detect_language(comments, threshold=0)


def test_english_tokens_drop_stop_words_html_and_numbers_but_keep_negations():
    assert tx.tokenize("It was NOT fresh<br />and the 2 boxes were too small") == [
        "not",
        "fresh",
        "boxes",
        "too",
        "small",
    ]
    assert tx.tokenize("It was not fresh", stop_words=False) == ["it", "was", "not", "fresh"]


def test_chinese_tokens_come_from_jieba_with_user_words():
    assert tx.tokenize("客服的态度很差", "zh") == ["客服", "态度", "很差"]  # 的 is a stop word
    # without a user word jieba splits the (made-up) product name; with it, the name stays whole
    assert tx.tokenize("这款云朵杯很好用", "zh") == ["款", "云朵", "杯", "好", "用"]
    assert tx.tokenize("这款云朵杯很好用", "zh", user_words=["云朵杯"]) == ["款", "云朵杯", "好", "用"]


def test_tokenize_all_routes_each_comment_by_its_language():
    assert tx.tokenize_all(["Too salty", "太咸了"]) == [["too", "salty"], ["太咸"]]
    assert tx.tokenize_all(["Too salty"], "en") == [["too", "salty"]]


def test_non_text_comments_are_named_not_coerced():
    with pytest.raises(SurveyDataError, match="non-text"):
        tx.tokenize_all(pd.Series(["ok", None, 3.0]))
    with pytest.raises(ParameterError, match="language"):
        tx.tokenize("hello", "fr")


# --- coding frames -----------------------------------------------------------------------------

HAND_COMMENTS = [
    "Far too expensive and the customer service was rude",  # price, service
    "The coffee tasted stale",  # product_quality
    "价格便宜，物流很快",  # price, delivery
    "客服不理人，投诉也没人管",  # service, indifference
    "Nice mug",  # uncoded
    "Refunded quickly, no complaints about the price",  # service (refund, complaint), price
]


def test_coding_frame_codes_hand_made_comments_in_both_languages():
    result = tx.apply_coding_frame(HAND_COMMENTS)
    codes = result.codes
    expected = {
        "price": [True, False, True, False, False, True],
        "product_quality": [False, True, False, False, False, False],
        "delivery": [False, False, True, False, False, False],
        "service": [True, False, False, True, False, True],
        "indifference": [False, False, False, True, False, False],
    }
    for category, flags in expected.items():
        assert codes[category].tolist() == flags, category
    assert result.coded.tolist() == [True, True, True, True, False, True]
    assert result.coverage_share == pytest.approx(5 / 6)
    assert result.uncoded().tolist() == ["Nice mug"]


def test_coverage_and_overlap_count_comments():
    from statsmodels.stats.proportion import proportion_confint

    result = tx.apply_coding_frame(HAND_COMMENTS)
    coverage = result.coverage().set_index("category")
    assert coverage.loc["price", "n"] == 3
    assert coverage.loc["price", "share"] == pytest.approx(0.5)
    low, high = proportion_confint(3, 6, method="wilson")
    assert (coverage.loc["price", "low"], coverage.loc["price", "high"]) == pytest.approx((low, high))
    assert coverage.loc["price", "label"] == "Price"
    assert result.coverage("zh").set_index("category").loc["price", "label"] == "价格"
    overlap = result.overlap()
    assert overlap.loc["price", "service"] == 2  # comments 1 and 6
    assert overlap.loc["price", "delivery"] == 1
    assert overlap.loc["service", "service"] == 3
    assert (overlap.to_numpy() == overlap.to_numpy().T).all()


def test_a_custom_coding_frame_with_patterns(tmp_path):
    path = tmp_path / "frame.yaml"
    path.write_text(
        "name: waiting\ncategories:\n  waiting:\n    label: {en: Waiting}\n    keywords: {zh: [排队]}\n"
        "    patterns: {en: ['\\bwait(?:ed|ing)? \\d+ (?:minutes|hours)']}\n",
        encoding="utf-8",
    )
    result = tx.apply_coding_frame(["We waited 40 minutes", "Wait, what?", "排队太久"], path)
    assert result.codes["waiting"].tolist() == [True, False, True]


@pytest.mark.parametrize(
    "frame, message",
    [
        ("no/such/frame.yaml", "no such file"),
        ({"categories": {}}, "no categories"),
        ({"categories": {"empty": {"label": "x"}}}, "'empty'"),
        ({"categories": {"bad": {"patterns": {"en": ["(unclosed"]}}}}, "invalid pattern"),
    ],
)
def test_bad_coding_frames_are_named(frame, message):
    with pytest.raises(ParameterError, match=message):
        tx.load_coding_frame(frame)


# --- topics --------------------------------------------------------------------------------------


def _planted_corpus(seed: int = 1) -> tuple[list[str], np.ndarray]:
    rng = np.random.default_rng(seed)
    vocab = [
        [
            "price",
            "expensive",
            "cost",
            "cheap",
            "money",
            "pricey",
            "dollars",
            "bargain",
            "overpriced",
            "fee",
            "charge",
            "discount",
        ],
        [
            "delivery",
            "late",
            "courier",
            "parcel",
            "shipping",
            "arrived",
            "tracking",
            "dispatch",
            "box",
            "postage",
            "van",
            "doorstep",
        ],
        [
            "staff",
            "rude",
            "helpful",
            "agent",
            "service",
            "manager",
            "polite",
            "cashier",
            "clerk",
            "attitude",
            "waiter",
            "desk",
        ],
    ]
    topics = rng.integers(0, 3, 300)
    texts = [" ".join(rng.choice(vocab[k], 8)) for k in topics]
    return texts, topics


def test_topics_recover_planted_topics():
    texts, planted = _planted_corpus()
    model = tx.fit_topics(texts, 3, seed=0)
    found = pd.crosstab(planted, model.dominant.to_numpy())
    # each planted topic maps to exactly one found topic
    assert (found.gt(0).sum(axis=1) == 1).all() and (found.gt(0).sum(axis=0) == 1).all()
    heads = {label.split(" / ")[0] for label in model.labels}
    assert len(heads) == 3
    assert np.allclose(model.weights.sum(axis=1), 1.0)
    assert model.shares().share.sum() == pytest.approx(1.0)


def test_topic_model_is_reproducible_with_the_seed():
    texts, _ = _planted_corpus(2)
    noisy = [t + " " + w for t, w in zip(texts, ["ok"] * 150 + ["fine"] * 150)]
    first, second = tx.fit_topics(noisy, 4, seed=7), tx.fit_topics(noisy, 4, seed=7)
    assert first.labels == second.labels
    np.testing.assert_array_equal(first.weights, second.weights)
    pd.testing.assert_frame_equal(first.terms, second.terms)


def test_the_number_of_topics_is_chosen_by_coherence():
    texts, _ = _planted_corpus(3)
    model = tx.fit_topics(texts, None, candidates=[2, 3, 4, 5])
    assert model.selection.n_topics.tolist() == [2, 3, 4, 5]
    assert model.n_topics == int(model.selection.n_topics[model.selection.coherence.idxmax()])
    assert np.isfinite(model.selection.coherence).all() and (model.selection.coherence < 0).all()


def test_umass_coherence_by_hand():
    presence = np.array([[1, 1, 0], [1, 1, 0], [0, 1, 1], [0, 0, 1]])
    # pairs (w1 after w0): log((D(0,1)+1)/D(0)) = log(3/2); topic [2, 1, 0]: log((1+1)/2), log((0+1)/2), log((2+1)/3)
    expected = [math.log(3 / 2), (math.log(1) + math.log(1 / 2) + math.log(1)) / 3]
    np.testing.assert_allclose(tx.umass_coherence([[0, 1], [2, 1, 0]], presence), expected)


def test_topic_shares_by_segment_with_wilson_intervals():
    from statsmodels.stats.proportion import proportion_confint

    topics = pd.Series(["a", "a", "b", "a", "b", "b", "b", "a"])
    segment = pd.Series(["x", "x", "x", "x", "y", "y", "y", "y"])
    table = tx.topic_shares(topics, segment, labels=["a", "b"]).set_index(["segment", "topic"])
    assert table.loc[("x", "a"), "share"] == pytest.approx(0.75)
    assert table.loc[("y", "b"), "n"] == 3
    low, high = proportion_confint(3, 4, method="wilson")
    assert (table.loc[("x", "a"), "low"], table.loc[("x", "a"), "high"]) == pytest.approx((low, high))


def test_too_many_topics_is_an_argument_error():
    texts, _ = _planted_corpus()
    with pytest.raises(ParameterError, match="n_topics"):
        tx.fit_topics(texts[:20], 500)


# --- sentiment -----------------------------------------------------------------------------------


def test_auc_matches_scikit_learn_and_counts_ties_half():
    from sklearn.metrics import roc_auc_score

    rng = np.random.default_rng(0)
    scores = rng.integers(0, 5, 200).astype(float)  # many ties
    labels = rng.random(200) < 0.4
    assert tx.roc_auc(scores, labels) == pytest.approx(roc_auc_score(labels, scores))
    # by hand: pairs (pos, neg) = (3,1) win, (3,2) win, (2,2) tie, (2,1) win -> 3.5 / 4
    assert tx.roc_auc([3, 2, 2, 1], [True, True, False, False]) == pytest.approx(3.5 / 4)
    with pytest.raises(SurveyDataError):
        tx.roc_auc([1, 2], [True, True])


def test_sentiment_model_learns_a_hand_made_vocabulary_and_lists_its_terms():
    texts = [
        "lovely taste",
        "lovely and fresh",
        "fresh and lovely",
        "awful taste",
        "stale and awful",
        "awful and stale",
    ] * 5
    positive = np.array([True, True, True, False, False, False] * 5)
    model = tx.fit_sentiment(texts, positive, min_df=1)
    assert model.auc(texts, positive) == 1.0
    terms = model.terms(2)
    assert all("lovely" in term or "fresh" in term for term in terms[terms.direction == "positive"].term)
    assert all("awful" in term or "stale" in term for term in terms[terms.direction == "negative"].term)
    with pytest.raises(SurveyDataError, match="true/false"):
        tx.fit_sentiment(texts, positive.astype(int))
    with pytest.raises(SurveyDataError, match="both"):
        tx.fit_sentiment(texts, np.ones(len(texts), dtype=bool))


def _held_out_auc(name: str, low_value: str) -> float:
    frame = datasets.load(name)
    score = "score" if name == "fine_food_reviews" else "sentiment"
    train = frame.split.eq("train").to_numpy()
    positive = ~frame[score].eq(low_value).to_numpy()
    model = tx.fit_sentiment(frame.review[train], positive[train])
    return model.auc(frame.review[~train], positive[~train])


def test_sentiment_auc_on_the_english_test_split_is_above_the_floor():
    assert _held_out_auc("fine_food_reviews", "other") >= 0.87


@pytest.mark.slow
def test_sentiment_auc_on_the_chinese_held_out_sample_is_above_the_floor():
    # The target is 0.95; on the deduplicated corpus a linear model reaches
    # about 0.92 (see benchmarks/bench_text.py), so the floor guards against regressions.
    assert _held_out_auc("chinese_product_reviews", "negative") >= 0.91


def test_the_chinese_held_out_sample_shares_no_review_with_training():
    frame = datasets.load("chinese_product_reviews")
    assert not frame.review.duplicated().any()
    assert not set(frame.review[frame.split == "test"]) & set(frame.review[frame.split == "train"])
    assert 0.18 < (frame.split == "test").mean() < 0.22


# --- impact ------------------------------------------------------------------------------------------


def test_one_topic_odds_ratio_and_interval_match_the_2x2_table():
    # a = low with topic, b = other with topic, c = low without, d = other without
    a, b, c, d = 30, 10, 20, 40
    presence = pd.DataFrame({"price": [True] * (a + b) + [False] * (c + d)})
    low = pd.Series([True] * a + [False] * b + [True] * c + [False] * d)
    row = tx.comment_drivers(presence, low).iloc[0]
    odds_ratio = a * d / (b * c)
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)  # Woolf
    assert row.odds_ratio == pytest.approx(odds_ratio)
    assert (row.low, row.high) == pytest.approx(
        (odds_ratio * math.exp(-1.959964 * se), odds_ratio * math.exp(1.959964 * se)), rel=1e-5
    )
    assert row.share_of_low == pytest.approx(a / (a + c))
    assert row.attributable == pytest.approx(a / (a + c) * (odds_ratio - 1) / odds_ratio)
    assert row.n == a + b


def test_adjusted_odds_ratios_match_a_statsmodels_formula_logit():
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(3)
    n = 400
    frame = pd.DataFrame({"price": rng.random(n) < 0.3, "staff": rng.random(n) < 0.4, "delivery": rng.random(n) < 0.2})
    logit = -1 + 1.2 * frame.price + 0.5 * frame.staff - 0.7 * frame.delivery
    frame["low"] = rng.random(n) < 1 / (1 + np.exp(-logit))
    table = tx.comment_drivers(frame[["price", "staff", "delivery"]], frame.low).set_index("term")
    reference = smf.logit("low ~ price + staff + delivery", data=frame.astype(float)).fit(disp=0)
    for term in ["price", "staff", "delivery"]:
        assert table.loc[term, "odds_ratio"] == pytest.approx(np.exp(reference.params[term]), rel=1e-6)
        low, high = np.exp(reference.conf_int().loc[term])
        assert (table.loc[term, "low"], table.loc[term, "high"]) == pytest.approx((low, high), rel=1e-6)
        assert table.loc[term, "p_value"] == pytest.approx(reference.pvalues[term], rel=1e-6)
    assert table.loc["delivery", "attributable"] == 0 or table.loc["delivery", "odds_ratio"] > 1


def test_rare_or_separated_terms_are_reported_without_estimates():
    presence = pd.DataFrame(
        {"common": [True, False] * 20, "rare": [True] + [False] * 39, "always_low": [True] * 6 + [False] * 34}
    )
    low = pd.Series([True] * 10 + [False] * 30)
    table = tx.comment_drivers(presence, low).set_index("term")
    assert np.isfinite(table.loc["common", "odds_ratio"])
    assert np.isnan(table.loc["rare", "odds_ratio"]) and np.isnan(table.loc["always_low", "odds_ratio"])
    assert table.loc["always_low", "share_of_low"] == pytest.approx(0.6)
    with pytest.raises(SurveyDataError, match="both low"):
        tx.comment_drivers(presence, pd.Series([True] * 40))


def test_topics_that_add_up_to_the_intercept_leave_the_most_frequent_out():
    import statsmodels.formula.api as smf

    rng = np.random.default_rng(5)
    topic = rng.choice(["a", "b", "c"], 300, p=[0.5, 0.3, 0.2])
    low = rng.random(300) < np.select([topic == "a", topic == "b"], [0.2, 0.5], 0.7)
    presence = pd.get_dummies(pd.Series(topic)).astype(bool)
    table = tx.comment_drivers(presence, pd.Series(low)).set_index("term")
    assert np.isnan(table.loc["a", "odds_ratio"])  # the reference
    reference = smf.logit(
        "low ~ C(topic, Treatment('a'))", data=pd.DataFrame({"low": low.astype(float), "topic": topic})
    ).fit(disp=0)
    for level in ("b", "c"):
        name = f"C(topic, Treatment('a'))[T.{level}]"
        assert table.loc[level, "odds_ratio"] == pytest.approx(np.exp(reference.params[name]), rel=1e-6)
