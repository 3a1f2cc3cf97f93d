"""csat_analysis.studies.satisfaction_vs_loyalty: settings, sections, findings, and notebook runs.

The notebook's structure (twin in sync, parameters contract, thin cells) is checked by
tests/test_notebooks.py; here the study's own logic is checked against the library
functions and hand-worked numbers, and the notebook is run on each data set it supports.
"""

import json
import warnings
from pathlib import Path
from types import SimpleNamespace

import nbformat
import numpy as np
import pandas as pd
import pytest

from csat_analysis import datasets, drivers, effsize, loyalty, pls
from csat_analysis.errors import StudyError
from csat_analysis.report import results_from_notebook
from csat_analysis.scaling import composite_score
from csat_analysis.studies import dataset_roles
from csat_analysis.studies import satisfaction_vs_loyalty as svl
from csat_analysis.studies.core import Section, Skipped
from csat_analysis.survey import SurveyDescription

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "satisfaction_vs_loyalty.ipynb"
REQUIRED_RESULTS = {
    "n_respondents",
    "satisfaction_index",
    "satisfaction_index_low",
    "satisfaction_index_high",
    "loyalty_index",
    "loyalty_index_low",
    "loyalty_index_high",
    "satisfaction_loyalty_spearman",
    "loyalty_by_satisfaction",
    "segments",
    "key_drivers",
}


@pytest.fixture(scope="module")
def corp():
    return datasets.open_study_data("corp_rep")


@pytest.fixture(scope="module")
def mobi_settings():
    return svl.resolve_settings(datasets.open_study_data("mobi"))


def _user_data(frame):
    return datasets.StudyData(frame, "my_survey.csv", "user", "User data: my_survey.csv, n = 4")


# --- settings ----------------------------------------------------------------------------


def test_settings_list_valid_choices_for_wrong_names(corp):
    with pytest.raises(StudyError, match=r"segment_value='9' is not valid; choose one of: '1', '2', '3', '4'"):
        svl.resolve_settings(corp, segment_value=9)
    with pytest.raises(StudyError, match="satisfaction: column.*'CUSA1'.*available columns"):
        svl.resolve_settings(corp, satisfaction=["CUSA1"])
    with pytest.raises(StudyError, match="model='ecsi' needs the ECSI items"):
        svl.resolve_settings(corp, model="ecsi")
    with pytest.raises(StudyError, match="'ecsi', 'simple', 'none'"):
        svl.resolve_settings(corp, model="acsi")
    with pytest.raises(StudyError, match="top_box=8 must be a whole number of scale points between 1 and 6"):
        svl.resolve_settings(corp, top_box=8)
    with pytest.raises(StudyError, match="weights: column"):
        svl.resolve_settings(corp, weights="weight")
    with pytest.raises(StudyError, match="segment_value needs a segment column"):
        svl.resolve_settings(corp, segment="none", segment_value=1)


def test_settings_defaults_come_from_the_data_set_roles(mobi_settings, corp):
    roles = dataset_roles("mobi")
    assert mobi_settings.satisfaction == roles["satisfaction"] and mobi_settings.loyalty == roles["loyalty"]
    assert (mobi_settings.model, mobi_settings.segment, mobi_settings.behaviour) == ("ecsi", None, "CUSL1")
    assert mobi_settings.satisfied_threshold == 9.0 and mobi_settings.weights is None
    measurement, structural = mobi_settings.model_spec()
    assert measurement["Satisfaction"] == ["CUSA1", "CUSA2", "CUSA3"] and len(structural) == 12
    settings = svl.resolve_settings(corp)
    assert settings.compare_segments and settings.segment == "serviceprovider"
    assert (settings.scale.low, settings.scale.high) == (1, 7) and settings.satisfied_threshold == 6.0
    measurement, structural = settings.model_spec()
    assert ("Satisfaction", "Loyalty") in structural and ("Quality", "Satisfaction") in structural
    assert svl.resolve_settings(corp, segment="none").segment is None
    one = svl.resolve_settings(corp, segment_value="2")
    assert len(one.data) == 127 and not one.compare_segments
    assert one.source.endswith("only service provider = 2 (n = 127)")  # the column's display name


def test_simulated_settings_use_the_survey_weights_and_the_dealer_columns():
    sim = datasets.open_study_data("simulated", n=500, seed=3)
    settings = svl.resolve_settings(sim)
    assert settings.weights == "weight" and "weighted by `weight`" in settings.source
    assert settings.dealer == dataset_roles("simulated")["dealer"]
    assert svl.resolve_settings(sim, weights="none").weights is None


def test_user_data_need_items_and_infer_the_scale():
    frame = pd.DataFrame({"s": [2, 5, 7, 6], "l": [1, 4, 7, 7], "x": [3, 4, 5, 6]})
    with pytest.raises(StudyError, match="satisfaction and loyalty: give the item columns"):
        svl.resolve_settings(_user_data(frame))
    settings = svl.resolve_settings(_user_data(frame), satisfaction="s", loyalty="l", drivers=["x"], model="none")
    assert (settings.scale.low, settings.scale.high) == (1, 7)
    assert settings.behaviour is None and settings.dealer is None and settings.segment is None


def test_settings_note_names_threshold_weighting_and_model(mobi_settings):
    note = svl.settings_note(mobi_settings)
    assert "at least 9 (top 2 box)" in note and "**Model:** ecsi" in note and "unweighted" in note


# --- sections against the library ----------------------------------------------------------


def test_setup_and_measures_sections(mobi_settings):
    setup = svl.setup_section(mobi_settings)
    assert setup.results() == {"n_respondents": 250}
    measures = svl.measures_section(mobi_settings)
    expected = loyalty.describe_measures(mobi_settings.data, mobi_settings.measures, mobi_settings.scale)
    pd.testing.assert_frame_equal(measures.table, expected)
    assert list(measures.table["measure"]) == ["Satisfaction", "Loyalty", "Image", "Expectation", "Quality", "Value"]
    assert measures.finding().startswith("250 respondents;")


def test_curve_section_records_the_curve_and_the_fit(mobi_settings):
    section = svl.curve_section(mobi_settings)
    results = section.results()
    curve = loyalty.loyalty_curve(mobi_settings.data, mobi_settings.satisfaction, mobi_settings.loyalty, scale=(1, 10))
    assert results["loyalty_by_satisfaction"] == dict(zip(curve["satisfaction"].astype(str), curve["share"]))
    # oracle: Spearman's rho as the Pearson correlation of the ranks
    sat = composite_score(mobi_settings.data, mobi_settings.satisfaction)
    loy = composite_score(mobi_settings.data, mobi_settings.loyalty)
    assert results["satisfaction_loyalty_spearman"] == pytest.approx(np.corrcoef(sat.rank(), loy.rank())[0, 1])
    assert results["curve_nonlinearity_pvalue"] == section.fit.lr_p_value
    assert "Spearman rho = " in section.finding()


def test_sections_that_cannot_run_say_why_and_how_to_fix_it(mobi_settings):
    dealer = svl.dealer_section(mobi_settings)
    assert isinstance(dealer, Skipped) and "simulated" in dealer.fix
    segments = svl.segments_section(mobi_settings)
    assert isinstance(segments, Skipped) and "no segment column" in segments.note()
    corp_one = svl.resolve_settings(datasets.open_study_data("corp_rep"), segment_value=3)
    assert "filtered to service provider = 3" in svl.segments_section(corp_one).note()
    frame = pd.DataFrame({"s": [2, 5, 7, 6], "l": [1, 4, 7, 7], "x": [3, 4, 5, 6]})
    user = svl.resolve_settings(_user_data(frame), satisfaction="s", loyalty="l", drivers=["x"], model="none")
    assert "no behaviour measure" in svl.loyalty_types_section(user).note()
    model = svl.index_model(user)
    for section in (svl.paths_section(model), svl.ipma_section(model)):
        assert isinstance(section, Skipped) and "model='none'" in section.note()


def test_model_none_indices_are_weighted_item_means():
    sim = datasets.open_study_data("simulated", n=2000, seed=3)
    settings = svl.resolve_settings(sim, model="none")
    section = svl.indices_section(svl.index_model(settings, bootstrap=2))
    sat = sim.data[["CUSA1", "CUSA2", "CUSA3"]].mean(axis=1)
    expected = np.average((sat - 1) / 9 * 100, weights=sim.data["weight"])
    assert section.results()["satisfaction_index"] == pytest.approx(expected)
    assert "weighted" in section.method


def test_loyalty_types_dealer_and_segments_on_the_simulator():
    sim = datasets.open_study_data("simulated", n=3000, seed=5)
    settings = svl.resolve_settings(sim)
    types = svl.loyalty_types_section(settings)
    assert sum(types.results()["segments"].values()) == pytest.approx(1)
    assert "(observed repurchase)" in types.finding()
    dealer = svl.dealer_section(settings).results()["dealer_table"]
    assert len(dealer) == 8 and dealer["O/O loyal_to_dealer"] == pytest.approx(0.85, abs=0.06)
    segments = svl.segments_section(settings)
    results = segments.results()
    assert set(results["loyalty_by_segment"]) == set(sim.data["segment"].astype(str))
    # the simulator carries survey weights: the loyal share is compared by the design-based Rao-Scott F test
    assert settings.weights == "weight"
    expected = loyalty.segment_tests(
        sim.data, settings.satisfaction, settings.loyalty, by="segment", scale=(1, 10), weights="weight"
    ).set_index("measure")
    assert expected.loc["loyal_share", "test"] == "Rao-Scott F"
    assert results["segment_difference_pvalue"] == expected.loc["loyal_share", "p_value"]
    assert "Rao-Scott F test" in segments.finding() and "rao_scott1984" in segments.references
    assert "weighted by `weight`" in segments.tables()[1].caption
    assert set(segments.tests["test"]) == {"design-based Kruskal-Wallis", "Rao-Scott F"}
    assert {"rao_scott1984", "lumley_scott2013"} <= set(segments.references)


def test_drivers_section_records_the_key_drivers(mobi_settings):
    section = svl.drivers_section(mobi_settings)
    results = section.results()
    shares = drivers.relative_importance(mobi_settings.data, mobi_settings.satisfaction, mobi_settings.drivers)
    assert results["key_drivers"] == pytest.approx(dict(zip(shares["driver"], shares["share"])))
    assert results["short_stave"] == drivers.short_stave(section.table)
    assert "of satisfaction" in section.finding()


def test_corp_rep_provider_4_reports_its_negative_index_weights_without_warning(corp):
    settings = svl.resolve_settings(corp, segment_value=4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = svl.index_model(settings, bootstrap=20, seed=1)
        paths = svl.paths_section(model)
    negative = model.negative_weights
    assert len(negative) > 0 and (negative["weight"] < 0).all()
    # oracle: the weights PLSResult.index reports
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        weights = model.pls_fit.index(scale=(1, 7)).weights
    assert sorted(zip(negative["item"], negative["construct"])) == sorted(
        (i, c) for c in weights.columns for i in weights.index[weights[c] < 0]
    )
    assert "have a negative index weight" in paths.finding() and "csor_2 in CSR" in paths.finding()
    assert len(paths.tables()) == 3
    assert set(svl.indices_section(model).results()) == {
        f"{m}_index{s}" for m in ("satisfaction", "loyalty") for s in ("", "_low", "_high")
    }
    assert "Satisfaction->Loyalty" in paths.results()["ecsi_paths"]


# --- finding sentences ----------------------------------------------------------------------


def test_measures_finding_both_verdicts_and_single_items():
    table = pd.DataFrame(
        {
            "measure": ["A", "B", "C"],
            "missing_cells": [2, 1, 0],
            "alpha": [0.81, 0.93, np.nan],
            "alpha_low": [0.75, 0.9, np.nan],
            "alpha_high": [0.86, 0.95, np.nan],
        }
    )
    good = svl.measures_finding(table, 1200)
    assert good.startswith("1,200 respondents; 3 missing answers") and "**A** (alpha = 0.81" in good
    assert "every multi-item measure passes 0.7" in good
    table.loc[0, "alpha"] = 0.55
    assert "**A** (alpha = 0.55 [0.75, 0.86]), below 0.7" in svl.measures_finding(table, 10)
    assert "cannot be estimated" in svl.measures_finding(table.iloc[[2]], 10)


def test_curve_finding_both_bend_verdicts():
    curve = pd.DataFrame({"satisfaction": [2, 7], "share": [0.1, 0.65]})
    bent = svl.curve_finding(curve, 6.2, 0.48, 0.004, 0.41)
    assert "from 10.0% at satisfaction 2 to 65.0% at 7 (Spearman rho = 0.41)" in bent
    assert "steepest near 6.2; 48.0% of the rise" in bent and "p = 0.004 (the curve bends significantly)" in bent
    flat = svl.curve_finding(curve, 6.2, 0.48, 0.3, 0.41)
    assert "p = 0.300 (no significant bend" in flat
    assert "p < 0.001" in svl.curve_finding(curve, 6.2, 0.48, 1e-120, 0.41)
    assert svl.curve_finding(curve, None, None, None, 0.41).endswith("(Spearman rho = 0.41).")


def test_loyalty_types_finding_names_proxy_or_observed_behaviour():
    table = pd.DataFrame(
        {
            "segment": ["true", "latent", "spurious", "none"],
            "share": [0.31, 0.12, 0.08, 0.49],
            "low": [0.27, 0.1, 0.06, 0.45],
            "high": [0.35, 0.14, 0.1, 0.53],
        }
    )
    proxy = svl.loyalty_types_finding(table, "CUSL1", True)
    assert "CUSL1 (top box) as a proxy" in proxy and "31.0% [27.0%, 35.0%] are truly loyal" in proxy
    assert "8.0% are spuriously" in proxy and "12.0% are latently" in proxy
    assert "(observed repurchase)" in svl.loyalty_types_finding(table, "repurchase", False)


def test_dealer_finding_both_verdicts_and_interval_count():
    table = pd.DataFrame(
        {
            "sales": ["O", "X", "O", "X"],
            "service": ["O", "O", "X", "X"],
            "outcome": "loyal_to_dealer",
            "n": [40, 20, 30, 10],
            "rate": [0.8, 0.2, 0.3, 0.0],
            "low": [0.7, 0.1, 0.2, 0.0],
            "high": [0.9, 0.3, 0.4, 0.1],
            "published_rate": [0.85, 0.35, 0.12, 0.01],
        }
    )
    text = svl.dealer_finding(table)
    assert "Rebuilt from 100 respondents: 2 of 4 rates of the Toyota Motor Sales U.S.A. dealer study" in text
    assert "service only, 20.0%" in text and "sale only, 30.0%: sales satisfaction matters more." in text
    table.loc[1, "rate"] = 0.5
    assert svl.dealer_finding(table).endswith("service satisfaction matters more.")


def test_paths_and_index_findings_count_significant_paths():
    paths = pd.DataFrame(
        {
            "source": ["A", "B", "C"],
            "target": ["S", "S", "L"],
            "original": [0.3, -0.6, 0.1],
            "low": [0.1, -0.8, -0.05],
            "high": [0.5, -0.4, 0.25],
        }
    )
    text = svl.paths_finding(paths, pd.Series({"S": 0.4, "L": 0.25}), 500)
    assert text.startswith("2 of 3 paths") and "(500 resamples)" in text and "B -> S (-0.60 [-0.80, -0.40])" in text
    assert "S 0.40, L 0.25" in text
    results = {
        "satisfaction_index": 71.26,
        "satisfaction_index_low": 69.0,
        "satisfaction_index_high": 73.5,
        "loyalty_index": 58.0,
        "loyalty_index_low": 55.04,
        "loyalty_index_high": 61.0,
    }
    assert "Satisfaction index 71.3 [69.0, 73.5] and loyalty index 58.0 [55.0, 61.0]" in (
        svl.index_finding(results, "m", "src")
    )


def test_negative_weights_finding_singular_plural_and_none():
    none = pd.DataFrame({"item": [], "construct": [], "weight": []})
    assert svl.negative_weights_finding(none) == "Every item has a positive weight in its index."
    two = pd.DataFrame({"item": ["a", "b"], "construct": ["X", "Y"], "weight": [-0.1, -0.02]})
    text = svl.negative_weights_finding(two)
    assert text.startswith("2 items have a negative index weight (a in X, -0.10, b in Y, -0.02)")


def test_segment_finding_both_verdicts_with_the_effect_size():
    table = pd.DataFrame({"segment": ["north", "south", "east"], "loyalty_index": [55.0, 71.25, 60.0]})
    tests = pd.DataFrame(
        {"measure": ["loyal_share"], "p_value": [0.01], "effect": [0.213], "effect_low": [0.1], "effect_high": [0.3]}
    )
    text = svl.segment_finding(table, tests, "region")
    assert "from 55.0 (region north) to 71.3 (region south); the loyal share differs" in text
    assert "(chi-square p = 0.010, Cramér's V = 0.21 [0.10, 0.30])" in text
    tests["p_value"] = 0.51
    assert "does not differ significantly between segments (chi-square p = 0.510" in (
        svl.segment_finding(table, tests, "region")
    )
    tests["p_value"] = 1e-200
    assert "chi-square p < 0.001" in svl.segment_finding(table, tests, "region")


def test_drivers_finding_with_and_without_a_short_stave():
    table = pd.DataFrame(
        {
            "driver": ["Price", "Staff", "Speed"],
            "share": [0.5, 0.3, 0.2],
            "performance": [40.0, 75.0, 60.0],
            "weakest_high_importance": [True, False, False],
        }
    )
    text = svl.drivers_finding(table, 0.37)
    assert "R² = 0.37" in text and "**Price** matters most (50.0% of R²)" in text
    assert "short stave is **Price** (performance 40/100" in text
    table["weakest_high_importance"] = False
    assert "no short stave" in svl.drivers_finding(table, 0.37)


def test_ipma_finding_with_and_without_a_short_stave():
    table = pd.DataFrame(
        {
            "construct": ["Image", "Value"],
            "importance": [0.4, 0.2],
            "performance": [55.0, 70.0],
            "weakest_high_importance": [True, False],
        }
    )
    text = svl.ipma_finding(table)
    assert "**Image** (0-100) moves the Satisfaction index most (0.40 points)" in text
    assert "short stave of the map is **Image** (performance 55/100)" in text
    table["weakest_high_importance"] = False
    assert "no short stave" in svl.ipma_finding(table)


def test_findings_when_the_only_important_driver_performs_well():
    # the weakest important driver performs above average: nothing lags, so no short stave is named or recorded
    table = pd.DataFrame(
        {
            "driver": ["Quality", "Value"],
            "share": [0.7, 0.3],
            "performance": [75.0, 60.0],
            "quadrant": ["keep up the good work", "low priority"],
            "weakest_high_importance": [False, False],
        }
    )
    text = svl.drivers_finding(table, 0.5)
    assert "no important driver lags behind" in text and "**Quality**, still performs above average (75/100)" in text
    assert "the short stave is" not in text
    ipma_table = table.rename(columns={"driver": "construct", "share": "importance"})
    assert "still performs above average (75/100)" in svl.ipma_finding(ipma_table)


def test_mobi_records_no_short_stave_because_no_important_driver_lags(mobi_settings):
    section = svl.drivers_section(mobi_settings)
    results = section.results()
    assert results["short_stave"] is None and results["short_stave_quadrant"] is None
    assert results["weakest_important_driver"] == "Quality"
    assert "no important driver lags behind" in section.finding() and "short stave is" not in section.finding()


def test_reader_facing_text_cites_published_sources():
    import inspect
    import re

    text = inspect.getsource(svl) + NOTEBOOK.with_suffix(".py").read_text(encoding="utf-8")
    assert not re.search(r"seed 0[0-9]{2}|brief|seed's", text)


# --- ordinary surveys: each item on its own scale, roles, small segments ----------------------


def _own_survey(n: int = 300, seed: int = 11) -> pd.DataFrame:
    """A survey as researchers bring it: five 1-5 satisfaction items, a 0-10 recommend item, two 1-5
    repurchase items, an observed repurchase flag (0/1), a weight and a region of 39 respondents."""
    rng = np.random.default_rng(seed)
    quality = rng.normal(size=n)
    frame = pd.DataFrame(
        {f"sat_{k}": np.clip(np.round(3.5 + 0.9 * quality + rng.normal(0, 0.7, n)), 1, 5) for k in range(1, 6)}
    )
    frame["nps_recommend"] = np.clip(np.round(7 + 2 * quality + rng.normal(0, 1.5, n)), 0, 10)
    for k in (1, 2):
        frame[f"repurchase_{k}"] = np.clip(np.round(3.4 + 0.8 * quality + rng.normal(0, 0.8, n)), 1, 5)
    frame["bought_again"] = (rng.random(n) < 1 / (1 + np.exp(-quality))).astype(int)
    frame["weight"] = rng.uniform(0.5, 2.0, n)
    frame["region"] = ["north"] * 39 + list(rng.choice(["east", "south", "west"], n - 39))
    return frame


def _own_description(loyalty_items) -> SurveyDescription:
    satisfaction = [f"sat_{k}" for k in range(1, 6)]
    columns = {item: {"scale": (1, 5), "label": f"Satisfaction item {item[-1]}"} for item in satisfaction}
    columns.update({f"repurchase_{k}": {"scale": (1, 5)} for k in (1, 2)})
    columns["nps_recommend"] = {"scale": (0, 10), "label": "Likelihood to recommend"}
    roles = {
        "satisfaction": satisfaction,
        "loyalty": list(loyalty_items),
        "recommend": "nps_recommend",
        "behaviour": "bought_again",
        "behaviour_is_proxy": False,
        "segments": ["region"],
        "drivers": satisfaction[:4],
    }
    return SurveyDescription(roles=roles, columns=columns)


def _own_run(frame, loyalty_items=("nps_recommend",)):
    return SimpleNamespace(
        data=frame,
        name="my_survey.csv",
        kind="user",
        source=f"User data: my_survey.csv, n = {len(frame)}",
        survey=_own_description(loyalty_items),
    )


def test_each_item_is_read_on_its_own_scale():
    frame = _own_survey()
    settings = svl.resolve_settings(_own_run(frame), model="none", weights="none")
    assert (settings.scale.low, settings.scale.high) == (1, 5)
    assert (settings.loyalty_scale.low, settings.loyalty_scale.high) == (0, 10)
    assert settings.satisfied_threshold == 4 and settings.loyal_threshold == 9
    indices = svl.indices_section(svl.index_model(settings)).results()
    # by hand: the mean of the five 1-5 items mapped to 0-100, and the recommend item mapped from 0-10
    sat_mean = frame[[f"sat_{k}" for k in range(1, 6)]].mean(axis=1)
    assert indices["satisfaction_index"] == pytest.approx(((sat_mean - 1) / 4 * 100).mean(), rel=1e-12)
    assert indices["satisfaction_index"] != pytest.approx((sat_mean / 10 * 100).mean(), rel=1e-3)  # not on 0-10
    assert indices["loyalty_index"] == pytest.approx((frame["nps_recommend"] * 10).mean(), rel=1e-12)
    # "satisfied" is the top box of the 1-5 items, "loyal" of the 0-10 item
    types = svl.loyalty_types_section(settings).table.set_index("segment")
    satisfied = sat_mean >= 4
    assert types.loc["true", "share"] + types.loc["latent", "share"] == pytest.approx(satisfied.mean())
    curve = svl.curve_section(settings)
    assert curve.table["loyal"].sum() == int((frame["nps_recommend"] >= 9).sum())
    assert "Satisfaction item 1" in svl.settings_note(settings) and "Likelihood to recommend" in svl.settings_note(
        settings
    )


def test_loyalty_items_on_different_scales_combine_on_a_common_footing():
    frame = _own_survey()
    settings = svl.resolve_settings(_own_run(frame, ["repurchase_1", "nps_recommend"]), model="none", weights="none")
    # read on the first item's 1-5 scale: the recommend item is mapped there, not averaged raw
    assert (settings.loyalty_scale.low, settings.loyalty_scale.high) == (1, 5)
    share_of_range = ((frame["repurchase_1"] - 1) / 4 + frame["nps_recommend"] / 10) / 2
    indices = svl.indices_section(svl.index_model(settings)).results()
    assert indices["loyalty_index"] == pytest.approx((share_of_range * 100).mean(), rel=1e-12)
    curve = svl.curve_section(settings)
    # loyal: a combined score of at least 4 on 1-5, i.e. at least 75% of the range
    assert curve.table["loyal"].sum() == int((share_of_range >= 0.75 - 1e-12).sum())
    assert 0 < curve.table["loyal"].sum() < len(frame)


def test_recommend_role_gives_nps_groups_by_hand():
    frame = _own_survey()
    settings = svl.resolve_settings(_own_run(frame, ["repurchase_1", "repurchase_2"]), model="none", weights="none")
    section = svl.recommend_section(settings)
    shares = section.table.set_index("group")["share"]
    answers = frame["nps_recommend"]
    assert shares["promoters"] == pytest.approx((answers >= 9).mean())
    assert shares["passives"] == pytest.approx(answers.between(7, 8).mean())
    assert shares["detractors"] == pytest.approx((answers <= 6).mean())
    results = section.results()
    assert results["nps"] == pytest.approx(100 * ((answers >= 9).mean() - (answers <= 6).mean()))
    assert results["nps_low"] < results["nps"] < results["nps_high"]
    assert section.finding().startswith("The Net Promoter Score is ")
    # weighted: the weighted shares (the design-based NPS is their difference)
    weighted = svl.resolve_settings(_own_run(frame, ["repurchase_1"]), model="none", weights="weight")
    results = svl.recommend_section(weighted).results()
    w = frame["weight"]
    expected = 100 * (np.average(answers >= 9, weights=w) - np.average(answers <= 6, weights=w))
    assert results["nps"] == pytest.approx(expected)


def test_the_behaviour_role_and_parameter_feed_the_loyalty_types():
    frame = _own_survey()
    settings = svl.resolve_settings(_own_run(frame), model="none", weights="none")
    assert settings.behaviour == "bought_again" and not settings.behaviour_is_proxy
    table = svl.loyalty_types_section(settings).table.set_index("segment")
    satisfied = frame[[f"sat_{k}" for k in range(1, 6)]].mean(axis=1) >= 4
    bought = frame["bought_again"] == 1
    assert table.loc["true", "share"] == pytest.approx((satisfied & bought).mean())
    assert table.loc["spurious", "share"] == pytest.approx((~satisfied & bought).mean())
    # an item as behaviour is read by the top box of its own 1-5 scale
    by_item = svl.resolve_settings(_own_run(frame), behaviour="repurchase_2", model="none", weights="none")
    table = svl.loyalty_types_section(by_item).table.set_index("segment")
    assert table.loc["true", "share"] == pytest.approx((satisfied & (frame["repurchase_2"] >= 4)).mean())


def test_a_39_respondent_region_whose_curve_cannot_be_fitted_keeps_the_report():
    frame = _own_survey()
    north = frame["region"] == "north"
    sat_mean = frame[[f"sat_{k}" for k in range(1, 6)]].mean(axis=1)
    # in the north only the most satisfied recommend: the logistic curve separates and cannot be estimated
    frame.loc[north, "nps_recommend"] = np.where(sat_mean[north] >= sat_mean[north].median(), 10, 5)
    settings = svl.resolve_settings(_own_run(frame), segment_value="north", model="simple", weights="none")
    assert len(settings.data) == 39
    sections = svl.curve_sections(settings)
    assert len(sections) == 2 and sections[0].fit is None and isinstance(sections[1], Skipped)
    assert "cannot be estimated" in sections[1].note() and "curve_steepest" not in sections[0].results()
    assert sections[0].finding().startswith("The loyal share rises")
    # every other section renders or is skipped with a reason: none raises
    model = svl.index_model(settings, bootstrap=30, seed=1)
    built = [
        svl.measures_section(settings),
        svl.loyalty_types_section(settings),
        svl.dealer_section(settings),
        svl.recommend_section(settings),
        svl.drivers_section(settings),
        svl.paths_section(model),
        svl.indices_section(model),
        svl.ipma_section(model),
        svl.assessment_section(model),
        svl.prediction_section(model),
        svl.segments_section(settings),
        svl.multigroup_section(settings, model, permutations=20),
    ]
    assert all(isinstance(section, Section) for section in built)
    assert all(section.reason for section in built if isinstance(section, Skipped))


def test_a_study_error_names_the_missing_role():
    frame = _own_survey()
    run = _own_run(frame)
    run.survey.roles.pop("loyalty")
    run.survey.roles.pop("recommend")
    with pytest.raises(StudyError, match="'loyalty' role"):
        svl.resolve_settings(run)


# --- the PLS assessment, prediction and multi-group analysis ----------------------------------


@pytest.fixture(scope="module")
def corp_model(corp):
    settings = svl.resolve_settings(corp)
    return svl.index_model(settings, bootstrap=200, seed=2)


def test_assessment_section_shows_what_the_library_computes(corp_model):
    section = svl.assessment_section(corp_model)
    pd.testing.assert_frame_equal(section.table, corp_model.boot.htmt())
    pd.testing.assert_frame_equal(section.vif, corp_model.pls_fit.vif())
    pd.testing.assert_frame_equal(section.indirect, corp_model.boot.indirect_effects())
    # oracle: with one antecedent, f² = R² / (1 - R²) (Cohen 1988)
    r2 = float(corp_model.pls_fit.r2["Loyalty"])
    f2 = section.f_squared.set_index(["source", "target"]).loc[("Satisfaction", "Loyalty"), "f2"]
    assert f2 == pytest.approx(r2 / (1 - r2))
    results = section.results()
    failing = section.table[~section.table["discriminant_085"] & section.table["htmt"].notna()]
    assert results["htmt_not_established"] == [
        f"{a}-{b}" for a, b in zip(failing["construct_a"], failing["construct_b"])
    ]
    assert "Performance-Competence" in results["htmt_not_established"]
    assert section.headline().startswith(
        f"Discriminant validity (HTMT, Henseler et al. 2015) holds for "
        f"{len(section.table) - len(failing)} of {len(section.table)}"
    )
    assert len(section.tables()) == 4 and "henseler2015" in section.references


def test_prediction_section_reports_plspredict(corp_model):
    section = svl.prediction_section(corp_model)
    expected = corp_model.pls_fit.predict(seed=corp_model.seed)
    pd.testing.assert_frame_equal(section.table, expected.table)
    assert section.results()["predictive_power"] == expected.predictive_power
    assert set(section.results()["q2_predict"]) == {"cusa", "cusl_1", "cusl_2", "cusl_3"}
    assert f"the model has {expected.predictive_power} predictive power" in section.finding()


def test_multigroup_section_is_the_permutation_mga_across_providers(corp, corp_model):
    settings = svl.resolve_settings(corp)
    section = svl.multigroup_section(settings, corp_model, permutations=100, seed=4)
    expected = pls.mga(corp.data, *settings.model_spec(), by="serviceprovider", n=100, seed=4)
    pd.testing.assert_frame_equal(section.table, expected.table)
    assert len(section.table) == 6 * 7 and section.n_groups == 4  # every pair of providers, every path
    # oracle: each group's path is the model estimated on that provider's rows alone
    one = pls.estimate(corp.data[corp.data["serviceprovider"] == 1], *settings.model_spec())
    row = section.table.query("group_a == 1 and group_b == 2 and source == 'Satisfaction'").iloc[0]
    assert row["path_a"] == pytest.approx(one.paths.loc["Satisfaction", "Loyalty"], abs=1e-6)
    assert "permutation test, 100 permutations" in section.finding()
    assert section.results()["mga_comparisons"] == 42
    one_provider = svl.resolve_settings(corp, segment_value=1)
    assert "filtered to service provider = 1" in svl.multigroup_section(one_provider, corp_model).note()


def test_segment_tests_carry_effect_sizes(corp):
    settings = svl.resolve_settings(corp)
    section = svl.segments_section(settings)
    tests = section.tests.set_index("measure")
    data = corp.data
    loyal = composite_score(data, settings.loyalty) >= 6
    frame = pd.DataFrame({"provider": data["serviceprovider"], "loyal": loyal})[
        data[settings.loyalty].notna().any(axis=1)
    ]
    expected = effsize.cramers_v(frame, "provider", "loyal")
    assert tests.loc["loyal_share", "effect"] == pytest.approx(float(expected["value"].iloc[0]))
    scores = pd.DataFrame({"score": composite_score(data, settings.loyalty), "g": data["serviceprovider"]})
    epsilon = effsize.kruskal_epsilon(scores, "score", "g", n_boot=2000, seed=0)
    assert tests.loc["loyalty", "effect"] == pytest.approx(float(epsilon["value"].iloc[0]))
    assert "Cramér's V = " in section.finding() and "chi-square p < 0.001" in section.finding()
    assert section.results()["segment_difference_cramers_v"] == tests.loc["loyal_share", "effect"]


# --- figures a reader can read ----------------------------------------------------------------


def test_path_labels_never_show_minus_zero(corp_model):
    import matplotlib.pyplot as plt

    section = svl.paths_section(corp_model)
    assert section.table.query("source == 'CSR'")["original"].iloc[0] == pytest.approx(-0.0025, abs=5e-4)
    ax = section.plot()
    texts = [text.get_text() for text in ax.texts]
    plt.close(ax.figure)
    assert "0.00" in texts and "-0.00" not in texts


def test_driver_labels_do_not_overlap(corp):
    import matplotlib.pyplot as plt

    section = svl.drivers_section(svl.resolve_settings(corp))
    # Performance and Competence explain almost the same share of R² and perform alike
    shares = section.table.set_index("driver")["share"]
    assert shares["Performance"] == pytest.approx(shares["Competence"], abs=0.002)
    ax = section.plot()
    ax.figure.canvas.draw()
    boxes = [text.get_window_extent() for text in ax.texts if text.xycoords == "data"]
    plt.close(ax.figure)
    assert len(boxes) == 6
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_curve_axes_show_whole_points_and_stay_inside_the_scale():
    import matplotlib.pyplot as plt

    settings = svl.resolve_settings(_own_run(_own_survey(), ["repurchase_1", "repurchase_2"]), model="none")
    section = svl.curve_section(settings)
    assert (section.table["mean_low"] >= 1).all() and (section.table["mean_high"] <= 5).all()
    axes = section.plot()
    for ax in axes:
        ticks = [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]]
        assert ticks and all(float(t).is_integer() for t in ticks)
    assert axes[1].get_ylim() == (1, 5)
    plt.close(axes[0].figure)


def test_sections_cite_registered_sources():
    from csat_analysis.references import REFERENCES

    classes = [getattr(svl, name) for name in svl.__all__ if name.endswith("Section") and name != "SetupSection"]
    assert all(cls.references and set(cls.references) <= set(REFERENCES) for cls in classes)


# --- the notebook, run through papermill -----------------------------------------------------


def _run(tmp_path, **parameters):
    papermill = pytest.importorskip("papermill")
    workdir = tmp_path / "cwd"
    workdir.mkdir()
    output = tmp_path / "out.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(output), parameters=parameters, kernel_name="python3", cwd=str(workdir), progress_bar=False
    )
    assert list(workdir.iterdir()) == []
    executed = json.loads(output.read_text(encoding="utf-8"))
    return results_from_notebook(executed), nbformat.reads(json.dumps(executed), as_version=4)


@pytest.mark.slow
def test_runs_on_mobi_with_the_ecsi_model(tmp_path):
    results, _ = _run(tmp_path, dataset="mobi", bootstrap=50)
    assert REQUIRED_RESULTS | {"ecsi_paths"} <= set(results)
    assert results["n_respondents"] == 250
    assert results["satisfaction_index_low"] < results["satisfaction_index"] < results["satisfaction_index_high"]
    assert set(results["segments"]) == {"true", "latent", "spurious", "none"}
    assert sum(results["segments"].values()) == pytest.approx(1)
    assert set(results["key_drivers"]) == {"Image", "Expectation", "Quality", "Value"}
    assert "Satisfaction->Loyalty" in results["ecsi_paths"]
    # no dealer columns, no recommend item, no segment column (so neither segments nor multi-group analysis)
    assert len(results["notes"]) == 4


@pytest.mark.slow
def test_runs_on_one_corp_rep_provider(tmp_path):
    results, _ = _run(tmp_path, dataset="corp_rep", segment_value=3, bootstrap=50)
    assert results["n_respondents"] == 44
    assert "segment_difference_pvalue" not in results
    assert "Satisfaction->Loyalty" in results["ecsi_paths"]


@pytest.mark.slow
def test_runs_on_the_simulator_and_rebuilds_the_dealer_table(tmp_path):
    results, _ = _run(tmp_path, dataset="simulated", n=3000, bootstrap=50, model="none")
    assert REQUIRED_RESULTS | {"dealer_table", "segment_difference_pvalue"} <= set(results)
    assert "ecsi_paths" not in results
    # the simulator draws dealer loyalty from the dealer study's published rates: within sampling error
    assert results["dealer_table"]["O/O loyal_to_dealer"] == pytest.approx(0.85, abs=0.05)
    assert results["dealer_table"]["X/X loyal_to_brand"] == pytest.approx(0.38, abs=0.1)


@pytest.mark.slow
def test_a_wrong_model_name_fails_in_the_set_up_cell(tmp_path):
    papermill = pytest.importorskip("papermill")
    with pytest.raises(papermill.PapermillExecutionError, match="'ecsi', 'simple', 'none'") as failure:
        papermill.execute_notebook(
            str(NOTEBOOK),
            str(tmp_path / "out.ipynb"),
            kernel_name="python3",
            cwd=str(tmp_path),
            progress_bar=False,
            parameters={"dataset": "mobi", "model": "acsi"},
        )
    assert failure.value.exec_count <= 3


@pytest.mark.slow
def test_provider_4_lists_its_negative_index_weights_and_prints_no_warning(tmp_path):
    results, executed = _run(tmp_path, dataset="corp_rep", segment_value=4, bootstrap=50)
    assert results["n_respondents"] == 43
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.get("name") == "stderr"]
    shown = " ".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "have a negative index weight" in shown and "csor_2 in CSR" in shown
    assert "## References" in shown and "Chin, W. W., & Dibbern" not in shown  # one provider: no MGA


@pytest.mark.slow
def test_runs_on_a_30_respondent_file(tmp_path):
    # a user file of 30 respondents with its survey description (corp_rep's): nothing may fail
    path = tmp_path / "thirty.csv"
    datasets.load("corp_rep").sample(30, random_state=3).to_csv(path, index=False)
    description = Path(__file__).resolve().parents[1] / "data" / "surveys" / "corp_rep.yaml"
    results, executed = _run(tmp_path, dataset=str(path), survey=str(description), bootstrap=30, permutations=30)
    assert results["n_respondents"] == 30
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs if o.get("output_type") == "error"]
    assert not errors
    assert all(isinstance(note, str) and "not run because" in note for note in results.get("notes", []))


@pytest.mark.slow
def test_runs_on_the_simulator_with_1000_respondents(tmp_path):
    results, executed = _run(tmp_path, dataset="simulated", n=1000, bootstrap=50, permutations=50)
    assert results["n_respondents"] == 1000
    assert {
        "nps",
        "nps_groups",
        "predictive_power",
        "htmt_not_established",
        "mga_comparisons",
        "segment_difference_cramers_v",
    } <= set(results)
    outputs = [o for c in executed.cells if c.cell_type == "code" for o in c.outputs]
    shown = " ".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert shown.index("**Key findings**") < shown.index("## References")
    assert "Shmueli" in shown and "Chin, W. W." in shown and "Reichheld" in shown
    assert not [o for o in outputs if o.get("name") == "stderr"]
