"""The example surveys of examples/own_survey/: files, descriptions, and the studies' numbers by hand.

Every expected number here is computed from the raw CSV text with plain pandas: labels
mapped with dicts written out below, missing codes dropped, each item rescaled to 0-100
on its own scale (1-5 items: (x - 1) / 4, overall satisfaction: (x - 1) / 9, the 0-10
recommend item: x / 10), never through csat_analysis.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from csat_analysis.cli import main
from csat_analysis.studies import StudyRun
from csat_analysis.survey import SurveyDescription

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "own_survey"

SATISFACTION = {
    "en": {
        "Very dissatisfied": 1,
        "Dissatisfied": 2,
        "Neither satisfied nor dissatisfied": 3,
        "Satisfied": 4,
        "Very satisfied": 5,
    },
    "zh": {"非常不满意": 1, "不满意": 2, "一般": 3, "满意": 4, "非常满意": 5},
}
INTENT = {
    "en": {
        "Definitely will not": 1,
        "Probably will not": 2,
        "Might or might not": 3,
        "Probably will": 4,
        "Definitely will": 5,
    },
    "zh": {"肯定不会": 1, "可能不会": 2, "不确定": 3, "可能会": 4, "肯定会": 5},
}
YES = {"en": "Yes", "zh": "是"}
COLUMNS = {
    "en": {
        "region": "region",
        "drivers": ["sat_product", "sat_staff", "sat_price", "sat_delivery", "sat_support"],
        "overall": "overall_satisfaction",
        "recommend": "recommend",
        "intent": "repurchase_intent",
        "bought": "bought_again",
        "problem": "had_problem",
        "complained": "complained",
        "resolved": "resolved",
        "quick": "resolved_within_a_day",
    },
    "zh": {
        "region": "地区",
        "drivers": ["产品满意度", "员工满意度", "价格满意度", "配送满意度", "售后满意度"],
        "overall": "总体满意度",
        "recommend": "推荐意愿",
        "intent": "再次购买意愿",
        "bought": "是否再次购买",
        "problem": "是否遇到问题",
        "complained": "是否投诉",
        "resolved": "是否解决",
        "quick": "是否当天解决",
    },
}
ENCODING = {"en": "utf-8", "zh": "gb18030"}
REGIONS = {"en": ["North", "South", "East", "Islands"], "zh": ["华北", "华东", "华南", "海南"]}


def _raw(language: str) -> pd.DataFrame:
    return pd.read_csv(
        EXAMPLE / f"survey_{language}.csv",
        encoding=ENCODING[language],
        dtype=str,
        keep_default_na=False,
        na_values=[""],
    )


def _by_hand(language: str, region: str | None = None) -> dict:
    """The example's indices and shares with plain pandas."""
    raw = _raw(language)
    names = COLUMNS[language]
    if region is not None:
        raw = raw[raw[names["region"]] == region]
    drivers = {c: raw[c].map(SATISFACTION[language]) for c in names["drivers"]}  # "Don't know" -> NaN
    overall = pd.to_numeric(raw[names["overall"]]).replace(99, np.nan)
    recommend = pd.to_numeric(raw[names["recommend"]])
    intent = raw[names["intent"]].map(INTENT[language])
    satisfaction_100 = (overall - 1) / 9 * 100
    loyalty_100 = pd.concat([(intent - 1) / 4 * 100, recommend / 10 * 100], axis=1).mean(axis=1)
    satisfied = overall >= 9  # top 2 box of 1-10
    bought = raw[names["bought"]] == YES[language]
    answered = overall.notna()
    types = pd.crosstab(satisfied[answered], bought[answered]) / answered.sum()
    problem = raw[names["problem"]] == YES[language]
    complained = raw[names["complained"]] == YES[language]
    resolved = raw[names["resolved"]] == YES[language]
    quickly = raw[names["quick"]] == YES[language]
    status = np.select(
        [~problem, ~complained, ~resolved, quickly],
        ["no_problem", "no_complaint", "unresolved", "resolved_quickly"],
        "resolved",
    )
    return {
        "n": len(raw),
        "satisfaction_index": satisfaction_100.mean(),
        "loyalty_index": loyalty_100.mean(),
        "performance": {c: ((v - 1) / 4 * 100).mean() for c, v in drivers.items()},
        "nps_groups": {
            "promoters": (recommend >= 9).mean(),
            "passives": recommend.between(7, 8).mean(),
            "detractors": (recommend <= 6).mean(),
        },
        "nps": ((recommend >= 9).mean() - (recommend <= 6).mean()) * 100,
        "loyalty_types": {
            "true": types.loc[True, True],
            "latent": types.loc[True, False],
            "spurious": types.loc[False, True],
            "none": types.loc[False, False],
        },
        "voice_rate": complained.sum() / problem.sum(),
        "bought_by_status": bought.groupby(status).mean().to_dict(),
    }


def _run(language: str, **parameters) -> StudyRun:
    return StudyRun(
        str(EXAMPLE / f"survey_{language}.csv"),
        study="example",
        survey=EXAMPLE / f"survey_{language}.yaml",
        emit=False,
        **parameters,
    )


# --- the files --------------------------------------------------------------------------


def _make_example():
    spec = importlib.util.spec_from_file_location("make_example", EXAMPLE / "make_example.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("stream, language", [(0, "en"), (1, "zh")])
def test_committed_files_are_what_the_script_writes(tmp_path, stream, language):
    make = _make_example()
    spec = make.ENGLISH if language == "en" else make.CHINESE
    written = tmp_path / spec["file"]
    make.make_survey(spec, stream).to_csv(written, index=False, encoding=spec["encoding"], lineterminator="\n")
    assert written.read_bytes() == (EXAMPLE / spec["file"]).read_bytes()


def test_files_look_like_survey_exports():
    english, chinese = _raw("en"), _raw("zh")
    for language, raw in (("en", english), ("zh", chinese)):
        names = COLUMNS[language]
        assert len(raw) == 300
        counts = raw[names["region"]].value_counts()
        assert sorted(counts.index) == sorted(REGIONS[language]) and counts.min() == 30
        labels = set(SATISFACTION[language])
        for column in names["drivers"]:
            assert set(raw[column].dropna()) - labels == {"Don't know" if language == "en" else "不知道"}
        assert (pd.to_numeric(raw[names["overall"]]) == 99).any()  # a no-answer code
        assert raw.iloc[:, -1].notna().sum() > 50  # the free-text comment column
        # asked in turn: "complained" only after a problem
        no_problem = raw[names["problem"]] != YES[language]
        assert raw.loc[no_problem, names["complained"]].isna().all()
    # the Chinese export is GB18030, not UTF-8, as Chinese survey tools write it
    with pytest.raises(UnicodeDecodeError):
        (EXAMPLE / "survey_zh.csv").read_bytes().decode("utf-8")


@pytest.mark.parametrize("language", ["en", "zh"])
def test_descriptions_read_the_files(language):
    description = SurveyDescription.load(EXAMPLE / f"survey_{language}.yaml")
    frame = description.read(EXAMPLE / f"survey_{language}.csv")
    names = COLUMNS[language]
    raw = _raw(language)
    expected = raw[names["drivers"][0]].map(SATISFACTION[language])
    np.testing.assert_array_equal(frame[names["drivers"][0]].to_numpy(), expected.to_numpy(dtype=float))
    assert frame[names["overall"]].isna().sum() == (pd.to_numeric(raw[names["overall"]]) == 99).sum()
    assert description.scale(names["recommend"]).high == 10 and description.scale(names["recommend"]).low == 0
    assert description.scale(names["drivers"][0]).high == 5
    assert description.scale(names["overall"]).high == 10
    assert description.scale(names["region"]) is None
    assert description.label(names["drivers"][1]) == "staff"


# --- the studies' numbers against hand computation ------------------------------------------


@pytest.mark.parametrize("language, region", [("en", None), ("zh", None), ("en", "Islands"), ("zh", "海南")])
def test_indices_equal_hand_computation(language, region):
    from csat_analysis.studies import satisfaction_vs_loyalty as study

    expected = _by_hand(language, region)
    run = _run(language)
    extra = {} if region is None else {"segment": COLUMNS[language]["region"], "segment_value": region}
    settings = study.resolve_settings(run, model="none", **extra)
    assert len(settings.data) == expected["n"]
    indices = study.indices_section(study.index_model(settings, bootstrap=0)).results()
    assert indices["satisfaction_index"] == pytest.approx(expected["satisfaction_index"], abs=1e-9)
    assert indices["loyalty_index"] == pytest.approx(expected["loyalty_index"], abs=1e-9)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_shares_and_performance_equal_hand_computation(language):
    from csat_analysis.studies import satisfaction_vs_loyalty as study

    expected = _by_hand(language)
    settings = study.resolve_settings(_run(language), model="none")
    recommend = study.recommend_section(settings)
    assert not hasattr(recommend, "reason"), getattr(recommend, "reason", "")
    results = recommend.results()
    assert results["nps"] == pytest.approx(expected["nps"], abs=1e-9)
    for group, share in expected["nps_groups"].items():
        assert results["nps_groups"][group] == pytest.approx(share, abs=1e-12)
    types = study.loyalty_types_section(settings).results()["segments"]
    for segment, share in expected["loyalty_types"].items():
        assert types[segment] == pytest.approx(share, abs=1e-12)
    drivers = study.drivers_section(settings).table.set_index("driver")["performance"]
    description = SurveyDescription.load(EXAMPLE / f"survey_{language}.yaml")
    for column, performance in expected["performance"].items():
        assert drivers[description.label(column)] == pytest.approx(performance, abs=1e-9)


@pytest.mark.parametrize("language", ["en", "zh"])
def test_voice_rate_equals_hand_computation(language):
    from csat_analysis.studies import complaint_resolution as study

    settings = study.settings(_run(language), bootstrap=0)
    expected = _by_hand(language)
    funnel = study.funnel_section(settings)
    assert funnel.results()["voice_rate"]["value"] == pytest.approx(expected["voice_rate"], abs=1e-12)
    # repurchase by the complaint status derived from the yes/no answers
    by_status = study.tarp_section(settings).results()["repurchase_by_status"]
    assert set(by_status) == set(expected["bought_by_status"])
    for status, share in expected["bought_by_status"].items():
        assert by_status[status]["all"] == pytest.approx(share, abs=1e-12)


# --- csat describe on the example ---------------------------------------------------------------


def test_describe_lists_roles_scales_and_studies(capsys):
    status = main(["describe", str(EXAMPLE / "survey_en.yaml"), str(EXAMPLE / "survey_en.csv")])
    out = capsys.readouterr().out
    assert status == 0
    assert "recommend (likelihood to recommend) [0-10]" in out
    assert "sat_staff (staff) [1-5]" in out and "overall_satisfaction (overall satisfaction) [1-10]" in out
    for study in ("satisfaction_vs_loyalty", "complaint_resolution", "churn_and_retention"):
        assert f"\n{study}\n" in out
    assert "skips Dealer table" in out  # the example has no dealer columns
    assert "runs  Net Promoter Score: recommend" in out
    assert "runs  Complaint funnel and voice rate: had_problem, complained, resolved" in out
    assert "skips Resolution times: no resolution times" in out
    assert "churn_and_retention\n  will not run: the survey description has no churn roles" in out


def test_study_file_names_existing_files():
    from csat_analysis.runner import load_studies

    studies = load_studies(EXAMPLE / "study.yaml")
    assert [s.name for s in studies] == ["own_survey_satisfaction_vs_loyalty", "own_survey_complaint_resolution"]
    for study in studies:
        values = [run.parameters.get("segment_value") for run in study.runs]
        assert values == [None, *REGIONS["en"], None, *REGIONS["zh"]]
        assert all(
            Path(run.parameters["dataset"]).is_file() and Path(run.parameters["survey"]).is_file() for run in study.runs
        )


@pytest.mark.parametrize("language", ["en", "zh"])
def test_description_score_rescales_each_item_on_its_own_scale(language):
    description = SurveyDescription.load(EXAMPLE / f"survey_{language}.yaml")
    frame = description.read(EXAMPLE / f"survey_{language}.csv")
    names = COLUMNS[language]
    score = description.score(frame, [names["intent"], names["recommend"]])
    assert score.mean() == pytest.approx(_by_hand(language)["loyalty_index"], abs=1e-9)
