"""The customer-comments study: settings, sections, recorded results, the notebook on both corpora."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from csat_analysis.errors import StudyError, SurveyDataError
from csat_analysis.studies import StudyRun
from csat_analysis.studies import customer_comments as study


def _run(dataset="fine_food_reviews", **kwargs):
    return StudyRun(dataset, study="customer_comments", emit=False, **kwargs)


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"text_language": "fr"}, "text_language='fr'"),
        ({"n_topics": 1}, "n_topics=1"),
        ({"n_topics": 3.5}, "n_topics=3.5"),
        ({"sample": 10}, "sample=10"),
        ({"text": "comment"}, "comment"),
        ({"segment": "store"}, "store"),
    ],
)
def test_wrong_parameters_fail_before_any_analysis(arguments, message):
    with pytest.raises(StudyError, match=message):
        study.settings(_run(), **arguments)


def test_data_without_comments_name_the_corpora():
    with pytest.raises(StudyError, match="fine_food_reviews.*chinese_product_reviews"):
        study.settings(_run("mobi"))


def test_low_score_rules():
    low, rule = study.low_scores(pd.Series([0, 6, 7, 10], name="nps"), scale=(0, 10))
    assert low.tolist() == [True, True, False, False] and "detractors" in rule
    low, rule = study.low_scores(pd.Series([1, 3, 4, 5], name="csat"), scale=(1, 5))
    assert low.tolist() == [True, False, False, False] and "midpoint" in rule
    low, _ = study.low_scores(pd.Series([2, 4, 6, 8], name="x"))
    assert low.tolist() == [True, True, False, False]  # below the observed midpoint 5
    with pytest.raises(SurveyDataError, match="do not occur"):
        study.low_scores(pd.Series(["great", "other"], name="score"), low_values=["bad"])
    with pytest.raises(SurveyDataError, match="missing"):
        study.low_scores(pd.Series([1.0, None], name="score"))
    with pytest.raises(StudyError, match="not numeric"):
        study.low_scores(pd.Series(["a", "b"], name="score"))


def test_a_survey_file_with_a_comment_column(tmp_path):
    path = tmp_path / "survey.csv"
    rng = np.random.default_rng(0)
    complaints = ["far too expensive", "the staff were rude", "delivery was late again", "waited ages, rude agent"]
    praise = ["lovely staff, quick delivery", "great value", "fresh and tasty", "friendly service"]
    scores = rng.integers(0, 11, 120)
    # complaints mostly, not only, come with low scores (no term separates the scores perfectly)
    unhappy = np.where(scores < 5, rng.random(120) < 0.85, rng.random(120) < 0.15)
    comments = [rng.choice(complaints if flag else praise) for flag in unhappy]
    pd.DataFrame({"recommend": scores, "comment": comments}).to_csv(path, index=False)
    schema = {"columns": {"recommend": {"scale": [0, 10]}, "comment": {"type": "text"}}}
    run = StudyRun(str(path), study="customer_comments", schema=schema, emit=False)
    chosen = study.settings(run, text="comment", score="recommend", n_topics=3)
    # the schema gives the score its 0-10 scale: low scores are the detractors (0-6)
    assert chosen.kind == "user" and "0-6 on the 0-10 scale" in chosen.low_rule
    assert chosen.low.tolist() == (scores <= 6).tolist()
    # without a segment, topics are compared between low and other scores
    assert chosen.segment == study.LOW_SCORE
    assert chosen.data[study.LOW_SCORE].eq("low").tolist() == chosen.low.tolist()
    corpus = study.corpus_section(chosen)
    topics = study.topics_section(chosen)
    categories = study.categories_section(chosen)
    sentiment = study.sentiment_section(chosen)  # trained on the bundled English corpus
    drivers = study.drivers_section(chosen, topics, categories)
    for section in (corpus, topics, categories, sentiment, drivers):
        run.show(section)
    results = run.recorder.results
    assert results["n_comments"] == 120
    assert "fine_food_reviews" in sentiment.trained_on
    # complaints drive the low scores, praise does not
    assert results["sentiment_auc"] > 0.7
    assert results["categories"]["Price"] == pytest.approx(np.mean(["expensive" in c for c in comments]))


def test_without_a_score_the_drivers_are_skipped(tmp_path):
    path = tmp_path / "comments.csv"
    pd.DataFrame({"comment": ["too expensive", "rude staff", "late delivery", "great taste"] * 10}).to_csv(
        path, index=False
    )
    run = StudyRun(str(path), study="customer_comments", schema={"columns": {"comment": {"type": "text"}}}, emit=False)
    chosen = study.settings(run, text="comment", n_topics=2)
    assert chosen.low is None and chosen.segment is None  # no score: no low-score segment either
    topics, categories = study.topics_section(chosen), study.categories_section(chosen)
    drivers = study.drivers_section(chosen, topics, categories)
    assert drivers.note().startswith("What drives low scores: not run because the data have no score column")
    sentiment = study.sentiment_section(chosen)
    assert sentiment.auc is None and "No labelled comments" in sentiment.finding()


def _recorded(seed: int) -> dict:
    run = _run()
    chosen = study.settings(run, sample=400, n_topics=3, seed=seed)
    topics = study.topics_section(chosen)
    categories = study.categories_section(chosen)
    sections = [
        study.corpus_section(chosen),
        topics,
        categories,
        study.sentiment_section(chosen),
        study.drivers_section(chosen, topics, categories),
    ]
    for section in sections:
        run.show(section)
    return run.recorder.results


def test_numbers_are_reproducible_with_the_seed():
    first, again, other = _recorded(1), _recorded(1), _recorded(2)
    assert json.dumps(first, sort_keys=True, default=str) == json.dumps(again, sort_keys=True, default=str)
    assert first["topics"] != other["topics"]  # another seed draws another sample
    for name in ("n_comments", "topics", "categories", "sentiment_auc", "topic_effects"):
        assert name in first
    for effect in first["topic_effects"].values():
        assert effect["low"] <= effect["odds_ratio"] <= effect["high"]
    assert sum(first["topics"].values()) <= 1 + 1e-12


@pytest.mark.slow
def test_the_notebook_runs_on_the_chinese_corpus(tmp_path):
    papermill = pytest.importorskip("papermill")
    from csat_analysis.report import results_from_notebook

    output = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        "notebooks/customer_comments.ipynb",
        str(output),
        kernel_name="python3",
        parameters={"dataset": "chinese_product_reviews", "sample": 800, "n_topics": 4},
        cwd=str(tmp_path),
        progress_bar=False,
    )
    notebook = json.loads(output.read_text(encoding="utf-8"))
    results = results_from_notebook(notebook)
    assert results["n_comments"] == 800
    assert results["languages"]["zh"] > 0.95
    assert 0.75 < results["sentiment_auc"] <= 1
    assert set(results["categories"]) >= {"价格", "服务"}
    streams = [o for c in notebook["cells"] for o in c.get("outputs", []) if o.get("output_type") == "stream"]
    assert not any("Building prefix dict" in "".join(o["text"]) for o in streams), "jieba's log reached the report"
