"""Write the two example survey exports of examples/own_survey/ (run once; the CSV files are committed).

Two made-up customer surveys of 300 respondents each, as survey tools export them:
answers as text labels, "Don't know" and 99 as missing-answer codes, empty cells
where a question was not asked, a free-text comment column and a region with one
small region (about 30 respondents):

- ``survey_en.csv``: English labels and headers, UTF-8;
- ``survey_zh.csv``: Chinese labels and headers, GB18030 (as Chinese survey tools
  export).

Questions: five satisfaction items on 1-5 (product, staff, price, delivery, support),
overall satisfaction on 1-10, likelihood to recommend on 0-10, intention to buy again
on 1-5 and whether the customer did buy again (observed six months later), had a
problem / complained / the complaint was resolved / resolved within a day (yes-no,
asked in turn), how
satisfied they were with the complaint handling (1-5), region, month and a comment.

The answers come from one latent satisfaction per respondent, so items, overall
satisfaction, recommendation and repurchase are related as in real surveys; problems
lower satisfaction and a resolved complaint recovers part of it. The random generator
is fixed, so rerunning this script rewrites the same files::

    python examples/own_survey/make_example.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
N = 300
#: respondents per region (the last region is the small one)
REGION_SIZES = (100, 90, 80, 30)

ENGLISH = {
    "file": "survey_en.csv",
    "encoding": "utf-8",
    "columns": {
        "respondent_id": "respondent_id",
        "region": "region",
        "month": "month",
        "sat_product": "sat_product",
        "sat_staff": "sat_staff",
        "sat_price": "sat_price",
        "sat_delivery": "sat_delivery",
        "sat_support": "sat_support",
        "overall": "overall_satisfaction",
        "recommend": "recommend",
        "intent": "repurchase_intent",
        "bought": "bought_again",
        "problem": "had_problem",
        "complained": "complained",
        "resolved": "resolved",
        "quick": "resolved_within_a_day",
        "handling": "complaint_handling",
        "comment": "comment",
    },
    "regions": ["North", "South", "East", "Islands"],
    "months": ["2026-01", "2026-02", "2026-03"],
    "satisfaction": [
        "Very dissatisfied",
        "Dissatisfied",
        "Neither satisfied nor dissatisfied",
        "Satisfied",
        "Very satisfied",
    ],
    "intent": ["Definitely will not", "Probably will not", "Might or might not", "Probably will", "Definitely will"],
    "yes": "Yes",
    "no": "No",
    "dont_know": "Don't know",
    "no_answer": 99,
    "comments": {
        "good": [
            "Friendly staff, quick delivery.",
            "Very happy with the product.",
            "Great value, will order again.",
            "Support solved my question in minutes.",
        ],
        "bad": [
            "Delivery was late, twice.",
            "Too expensive for what you get.",
            "Nobody called me back.",
            'The product broke after a week; "support" was no help.',
        ],
        "neutral": ["OK overall.", "Nothing special, but fine.", "Price, quality: average."],
    },
}

CHINESE = {
    "file": "survey_zh.csv",
    "encoding": "gb18030",
    "columns": {
        "respondent_id": "编号",
        "region": "地区",
        "month": "月份",
        "sat_product": "产品满意度",
        "sat_staff": "员工满意度",
        "sat_price": "价格满意度",
        "sat_delivery": "配送满意度",
        "sat_support": "售后满意度",
        "overall": "总体满意度",
        "recommend": "推荐意愿",
        "intent": "再次购买意愿",
        "bought": "是否再次购买",
        "problem": "是否遇到问题",
        "complained": "是否投诉",
        "resolved": "是否解决",
        "quick": "是否当天解决",
        "handling": "投诉处理满意度",
        "comment": "意见",
    },
    "regions": ["华北", "华东", "华南", "海南"],
    "months": ["2026年1月", "2026年2月", "2026年3月"],
    "satisfaction": ["非常不满意", "不满意", "一般", "满意", "非常满意"],
    "intent": ["肯定不会", "可能不会", "不确定", "可能会", "肯定会"],
    "yes": "是",
    "no": "否",
    "dont_know": "不知道",
    "no_answer": 99,
    "comments": {
        "good": ["服务态度很好，送货也快。", "产品质量不错。", "性价比高，会再买。", "客服很快解决了问题。"],
        "bad": ["送货太慢了。", "价格偏高。", "投诉后没有人回复。", "产品用了一周就坏了，售后也不管。"],
        "neutral": ["一般般。", "还可以。", "价格、质量都中等。"],
    },
}


def _ordinal(rng: np.random.Generator, latent: np.ndarray, points: int, low: int, spread: float = 0.9) -> np.ndarray:
    """Answers on ``low .. low + points - 1`` from a latent score in 0-1, with answer noise."""
    raw = latent * (points - 1) + rng.normal(0.0, spread, len(latent))
    return np.clip(np.rint(raw), 0, points - 1).astype(int) + low


def make_survey(language: dict, stream: int) -> pd.DataFrame:
    """One survey export (text labels, missing codes, empty cells) as a frame of text and numbers."""
    rng = np.random.default_rng([2026, stream])
    region = np.repeat(np.arange(len(REGION_SIZES)), REGION_SIZES)
    rng.shuffle(region)
    region_shift = np.array([0.05, 0.0, -0.04, -0.08])[region]
    latent = np.clip(rng.beta(4.0, 2.5, N) + region_shift, 0.0, 1.0)

    problem = rng.random(N) < 0.30 - 0.1 * (latent - 0.6)
    complained = problem & (rng.random(N) < 0.50)
    resolved = complained & (rng.random(N) < 0.62)
    quickly = resolved & (rng.random(N) < 0.55)
    # a problem costs satisfaction; a resolved complaint wins back most of it, a quick resolution more
    after = np.clip(latent - 0.22 * problem + 0.14 * resolved + 0.1 * quickly, 0.0, 1.0)

    names = language["columns"]
    frame = pd.DataFrame({names["respondent_id"]: [f"R{i:04d}" for i in range(1, N + 1)]})
    frame[names["region"]] = np.array(language["regions"])[region]
    frame[names["month"]] = np.array(language["months"])[rng.integers(0, 3, N)]
    labels = np.array(language["satisfaction"], dtype=object)
    for key, weight in (
        ("sat_product", 1.0),
        ("sat_staff", 0.8),
        ("sat_price", 0.6),
        ("sat_delivery", 0.9),
        ("sat_support", 0.7),
    ):
        own = np.clip(weight * after + (1 - weight) * rng.random(N), 0.0, 1.0)
        answers = labels[_ordinal(rng, own, 5, 0)]
        answers[rng.random(N) < 0.03] = language["dont_know"]
        frame[names[key]] = answers
    overall = _ordinal(rng, after, 10, 1, spread=1.1).astype(object)
    overall[rng.random(N) < 0.02] = language["no_answer"]
    frame[names["overall"]] = overall
    # people recommend more readily than they rate: answers lean to the top of 0-10
    frame[names["recommend"]] = _ordinal(rng, np.clip(0.2 + 0.85 * after, 0.0, 1.0), 11, 0, spread=1.4)
    intent = np.clip(0.8 * after + 0.2 * rng.random(N), 0.0, 1.0)
    frame[names["intent"]] = np.array(language["intent"], dtype=object)[_ordinal(rng, intent, 5, 0)]
    bought = rng.random(N) < 0.15 + 0.75 * after
    yes_no = np.array([language["no"], language["yes"]], dtype=object)
    frame[names["bought"]] = yes_no[bought.astype(int)]
    frame[names["problem"]] = yes_no[problem.astype(int)]
    # asked in turn: "complained" only after a problem, "resolved" only after a complaint
    frame[names["complained"]] = np.where(problem, yes_no[complained.astype(int)], None)
    frame[names["resolved"]] = np.where(complained, yes_no[resolved.astype(int)], None)
    frame[names["quick"]] = np.where(resolved, yes_no[quickly.astype(int)], None)
    handling = np.clip(0.25 + 0.6 * resolved + 0.15 * rng.random(N), 0.0, 1.0)
    frame[names["handling"]] = np.where(complained, labels[_ordinal(rng, handling, 5, 0, spread=0.7)], None)

    comments = language["comments"]
    tone = np.where(after > 0.7, "good", np.where(after < 0.4, "bad", "neutral"))
    said = rng.random(N) < 0.4
    frame[names["comment"]] = [comments[t][rng.integers(len(comments[t]))] if s else None for t, s in zip(tone, said)]
    return frame


def main() -> None:
    for stream, language in enumerate((ENGLISH, CHINESE)):
        frame = make_survey(language, stream)
        frame.to_csv(HERE / language["file"], index=False, encoding=language["encoding"], lineterminator="\n")
        print(f"wrote {language['file']}: {len(frame)} rows, {language['encoding']}")


if __name__ == "__main__":
    main()
